#include "scan_jobs.h"

#include <algorithm>

namespace hexmap {

FindJob::FindJob(FindPattern pattern, bool backward, uint64_t from, uint64_t range_start, uint64_t range_end,
                 uint64_t max_matches)
    : pattern_(std::move(pattern)), backward_(backward), max_(static_cast<size_t>(max_matches)) {
  const uint64_t n = pattern_.size();
  // Candidates s: range_start <= s, s + n <= range_end, and s >= from (forward) or s < from (backward).
  if (range_end < n || (backward_ && from == 0)) return;
  lowest_ = backward_ ? range_start : std::max(from, range_start);
  highest_ = backward_ ? std::min(from - 1, range_end - n) : range_end - n;
  if (highest_ < lowest_) return;
  total = highest_ - lowest_ + 1;
  next_ = backward_ ? highest_ : lowest_;
}

bool FindJob::Step(const uint8_t* base, uint64_t) {
  if (total == 0) return true;
  if (!backward_) {
    const uint64_t last = std::min(highest_, next_ + kScanStep - 1);
    if (FindForward(base, next_, last, pattern_, matches_, max_)) {
      complete_ = matches_.back() == highest_;
      return true;
    }
    done += last - next_ + 1;
    next_ = last + 1;
    return last == highest_;
  }
  const uint64_t first = next_ - lowest_ >= kScanStep ? next_ - kScanStep + 1 : lowest_;
  if (FindBackward(base, first, next_, pattern_, matches_, max_)) {
    complete_ = matches_.back() == lowest_;
    return true;
  }
  done += next_ - first + 1;
  if (first == lowest_) return true;
  next_ = first - 1;
  return false;
}

Napi::Value FindJob::Result(Napi::Env env) const {
  Napi::Object result = Napi::Object::New(env);
  Napi::Array matches = Napi::Array::New(env, matches_.size());
  for (size_t i = 0; i < matches_.size(); ++i) matches.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(matches_[i])));
  result.Set("matches", matches);
  result.Set("complete", Napi::Boolean::New(env, complete_));
  return result;
}

Utf8StatsJob::Utf8StatsJob(uint64_t begin, uint64_t end, uint64_t range_start, uint64_t range_end, size_t max_invalid_offsets,
                           uint64_t bias)
    : begin_(begin), end_(end), range_end_(range_end), bias_(bias) {
  total = end - begin;
  totals_.max_invalid_offsets = max_invalid_offsets;
  totals_.range_start = range_start;
}

bool Utf8StatsJob::Step(const uint8_t* base, uint64_t) {
  const uint64_t begin = begin_ + done;
  if (begin >= end_) return true;
  if (done == 0 && begin_ == totals_.range_start && range_end_ - begin_ >= 3) {
    bom_ = base[begin_] == 0xef && base[begin_ + 1] == 0xbb && base[begin_ + 2] == 0xbf;
  }
  const uint64_t end = std::min(end_, begin + kScanStep);
  Utf8StatsStep(base, begin, end, range_end_, totals_);
  done = end - begin_;
  return end == end_;
}

Napi::Value Utf8StatsJob::Result(Napi::Env env) const {
  const Utf8Totals& t = totals_;
  const uint64_t ascii = t.bytes - t.high;
  Napi::Object r = Napi::Object::New(env);
  auto set = [&](const char* key, uint64_t value) { r.Set(key, Napi::Number::New(env, static_cast<double>(value))); };
  set("bytes", t.bytes);
  set("chars", ascii + t.two + t.three + t.four + t.invalid);
  set("ascii", ascii);
  set("twoByte", t.two);
  set("threeByte", t.three);
  set("fourByte", t.four);
  set("invalid", t.invalid);
  set("nul", t.nul);
  set("lf", t.lf - t.crlf);  // lone LF: every LF minus those ending a CRLF
  set("crlf", t.crlf);
  // A CRLF counts where its LF is: a chunk whose first byte is the LF of a pair has one more pair than
  // CRs, so its share of lone CRs is -1 (the chunk before counted that CR as lone).
  r.Set("cr", Napi::Number::New(env, static_cast<double>(t.cr) - static_cast<double>(t.crlf)));
  Napi::Array offsets = Napi::Array::New(env, t.invalid_offsets.size());
  for (size_t i = 0; i < t.invalid_offsets.size(); ++i) offsets.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(t.invalid_offsets[i] + bias_)));
  r.Set("invalidOffsets", offsets);
  r.Set("bom", Napi::Boolean::New(env, bom_));
  return r;
}

UnitJob::UnitJob(UnitKind kind, uint64_t low, uint64_t high, bool backward)
    : kind_(kind), low_(low), high_(high), backward_(backward) {
  total = high - low;
  scanned_ = backward ? high : low;
}

bool UnitJob::Step(const uint8_t* base, uint64_t size) {
  // The mapping may have shrunk since the job was made (a refresh): never look past it.
  const uint64_t high = std::min(high_, size);
  if (!backward_) {
    if (low_ >= high) return true;
    if (!started_) { cursor_ = SyncPoint(base, low_); started_ = true; }
    const uint64_t end = std::min(high, scanned_ + kScanStep);
    found_ = FindUnitForward(base, size, &cursor_, end, low_, kind_);
    done = end - low_;
    scanned_ = end;
    return found_ != kNone || end == high;
  }
  scanned_ = std::min(scanned_, high);
  if (scanned_ <= low_) return true;
  // The previous unit is usually near: start with a small block and double it up to a full step,
  // since each block is decoded forward from its start.
  block_ = block_ == 0 ? (64u << 10) : std::min<uint64_t>(block_ * 2, kScanStep);
  const uint64_t s = scanned_ - low_ > block_ ? scanned_ - block_ : low_;
  found_ = FindUnitInBlock(base, size, s, scanned_, kind_);
  done = high_ - s;
  scanned_ = s;
  return found_ != kNone || s == low_;
}

Napi::Value UnitJob::Result(Napi::Env env) const {
  return Napi::Number::New(env, found_ == kNone ? -1.0 : static_cast<double>(found_));
}

}  // namespace hexmap
