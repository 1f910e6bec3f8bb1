#include "textScans.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "async_scan.h"
#include "scan_jobs.h"

namespace hexmap {
namespace {

void PushOffset(std::vector<uint64_t>& offsets, size_t max, uint64_t offset) {
  if (offsets.size() < max) offsets.push_back(offset);
}

// Byte histogram of [offset, end), the CR LF pairs in it, and the first flagged offsets.
class ByteHistogramJob : public ScanJob {
 public:
  ByteHistogramJob(uint64_t offset, uint64_t length, const uint8_t* flagged, size_t max_offsets, bool stop_at_invalid)
      : offset_(offset), end_(offset + length), max_(max_offsets), stop_(stop_at_invalid) {
    total = length;
    if (flagged) std::memcpy(flagged_.data(), flagged, 256);
    any_flagged_ = flagged != nullptr && std::any_of(flagged_.begin(), flagged_.end(), [](uint8_t f) { return f != 0; });
  }

  bool Step(const uint8_t* base, uint64_t) override {
    const uint64_t begin = offset_ + done;
    const uint64_t end = std::min(end_, begin + kScanStep);
    // Four histograms side by side: consecutive equal bytes do not wait on one counter.
    uint64_t h[4][256] = {};
    uint64_t i = begin;
    for (; i + 4 <= end; i += 4) {
      ++h[0][base[i]];
      ++h[1][base[i + 1]];
      ++h[2][base[i + 2]];
      ++h[3][base[i + 3]];
    }
    for (; i < end; ++i) ++h[0][base[i]];
    for (int b = 0; b < 256; ++b) counts_[b] += h[0][b] + h[1][b] + h[2][b] + h[3][b];
    // CR LF pairs, the one across the previous step's edge included.
    if (begin > offset_ && base[begin - 1] == 0x0d && base[begin] == 0x0a) ++crlf_;
    for (const uint8_t* p = base + begin; p + 1 < base + end;) {
      const void* cr = std::memchr(p, 0x0d, static_cast<size_t>(base + end - 1 - p));
      if (!cr) break;
      const uint8_t* c = static_cast<const uint8_t*>(cr);
      if (c[1] == 0x0a) ++crlf_;
      p = c + 1;
    }
    if (any_flagged_ && (offsets_.size() < max_ || stop_)) {
      for (uint64_t k = begin; k < end; ++k) {
        if (!flagged_[base[k]]) continue;
        PushOffset(offsets_, max_, k);
        if (stop_) { stopped_ = true; break; }
        if (offsets_.size() >= max_) break;
      }
    }
    done = end - offset_;
    return end == end_ || stopped_;
  }

  Napi::Value Result(Napi::Env env) const override {
    Napi::Object r = Napi::Object::New(env);
    Napi::Array histogram = Napi::Array::New(env, 256);
    for (uint32_t b = 0; b < 256; ++b) histogram.Set(b, Napi::Number::New(env, static_cast<double>(counts_[b])));
    r.Set("histogram", histogram);
    r.Set("crlf", Napi::Number::New(env, static_cast<double>(crlf_)));
    Napi::Array offsets = Napi::Array::New(env, offsets_.size());
    for (size_t k = 0; k < offsets_.size(); ++k) offsets.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(offsets_[k])));
    r.Set("invalidOffsets", offsets);
    r.Set("stopped", Napi::Boolean::New(env, stopped_));
    return r;
  }

 private:
  uint64_t offset_, end_;
  size_t max_;
  bool stop_;
  bool stopped_ = false;
  bool any_flagged_ = false;
  std::array<uint8_t, 256> flagged_{};
  std::array<uint64_t, 256> counts_{};
  uint64_t crlf_ = 0;
  std::vector<uint64_t> offsets_;
};

// UTF-16 over [offset, end): units from `offset` (+1 when the range starts mid-unit), paired as TextDecoder
// pairs them. Characters: a BMP unit, a surrogate pair, or an error (a lone surrogate, 2 bytes; a half unit at
// either end; a high surrogate with one odd byte after it at the end, 3 bytes, one error).
class Utf16StatsJob : public ScanJob {
 public:
  Utf16StatsJob(uint64_t offset, uint64_t length, bool big_endian, bool mid_unit, size_t max_offsets, bool stop_at_invalid)
      : offset_(offset), end_(offset + length), big_(big_endian), max_(max_offsets), stop_(stop_at_invalid) {
    total = length;
    next_ = offset;
    if (mid_unit && length > 0) {
      Invalid(offset);  // the second half of a unit that began before the range
      next_ = offset + 1;
    }
  }

  bool Step(const uint8_t* base, uint64_t) override {
    const uint64_t limit = std::min(end_, next_ + kScanStep);
    uint64_t i = next_;
    // Whole units that have a unit after them in the range can be decided here.
    while (i + 2 <= limit && !stopped_) {
      // The common case first, in a tight loop: units that are neither surrogates nor CR, LF or NUL.
      if (!prev_cr_) {
        uint64_t chars = 0, non_ascii = 0;
        while (i + 2 <= limit) {
          const unsigned u = Unit(base, i);
          if (u <= 0x0d || (u >= 0xd800 && u <= 0xdfff)) break;
          ++chars;
          non_ascii += u > 0x7f;
          i += 2;
        }
        chars_ += chars;
        non_ascii_ += non_ascii;
        if (i + 2 > limit) break;
      }
      const unsigned u = Unit(base, i);
      if (u < 0xd800 || u > 0xdfff) {
        Valid(u);
        i += 2;
        continue;
      }
      if (u >= 0xdc00) { Invalid(i); prev_cr_ = false; i += 2; continue; }
      // A high surrogate: its partner is the next unit, which may lie past this step.
      if (i + 4 <= end_) {
        const unsigned v = Unit(base, i + 2);
        if (v >= 0xdc00 && v <= 0xdfff) { ++chars_; ++pairs_; ++non_ascii_; prev_cr_ = false; i += 4; continue; }
        Invalid(i); prev_cr_ = false; i += 2; continue;
      }
      // At the end of the range: one error for the high surrogate and the odd byte after it, if any.
      Invalid(i);
      prev_cr_ = false;
      i = end_;
    }
    if (!stopped_ && i + 1 == end_) { Invalid(i); prev_cr_ = false; i = end_; }  // an odd last byte
    next_ = i;
    done = std::min(next_, end_) - offset_;
    return next_ >= end_ || stopped_;
  }

  Napi::Value Result(Napi::Env env) const override {
    Napi::Object r = Napi::Object::New(env);
    auto set = [&](const char* key, uint64_t value) { r.Set(key, Napi::Number::New(env, static_cast<double>(value))); };
    set("bytes", end_ - offset_);
    set("chars", chars_);
    set("invalid", invalid_);
    set("nonAscii", non_ascii_);
    set("supplementary", pairs_);
    set("nul", nul_);
    set("lf", lf_);
    set("crlf", crlf_);
    set("cr", cr_);
    Napi::Array offsets = Napi::Array::New(env, offsets_.size());
    for (size_t k = 0; k < offsets_.size(); ++k) offsets.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(offsets_[k])));
    r.Set("invalidOffsets", offsets);
    r.Set("stopped", Napi::Boolean::New(env, stopped_));
    return r;
  }

 private:
  unsigned Unit(const uint8_t* base, uint64_t i) const {
    return big_ ? (static_cast<unsigned>(base[i]) << 8) | base[i + 1] : base[i] | (static_cast<unsigned>(base[i + 1]) << 8);
  }

  void Valid(unsigned u) {
    // CR then LF is one CRLF (two characters); a CR is settled when the next unit is seen or the range ends.
    const bool was_cr = prev_cr_;
    prev_cr_ = false;
    ++chars_;
    if (u > 0x7f) ++non_ascii_;
    if (u == 0x0a) {
      if (was_cr) { ++crlf_; --cr_; } else ++lf_;
    } else if (u == 0x00) {
      ++nul_;
    } else if (u == 0x0d) {
      ++cr_;  // taken back if an LF follows
      prev_cr_ = true;
    }
  }

  void Invalid(uint64_t at) {
    ++chars_;
    ++invalid_;
    PushOffset(offsets_, max_, at);
    if (stop_) stopped_ = true;
  }

  uint64_t offset_, end_;
  bool big_;
  size_t max_;
  bool stop_;
  bool stopped_ = false;
  uint64_t next_ = 0;
  bool prev_cr_ = false;
  uint64_t chars_ = 0, invalid_ = 0, non_ascii_ = 0, pairs_ = 0, nul_ = 0, lf_ = 0, crlf_ = 0, cr_ = 0;
  std::vector<uint64_t> offsets_;
};

uint64_t Integer(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  if (!value.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || std::floor(d) != d) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be a non-negative safe integer");
  }
  return static_cast<uint64_t>(d);
}

bool Boolean(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

}  // namespace

Napi::Value StartTextStats(const Napi::CallbackInfo& info, MappedFile& file) {
  Napi::Env env = info.Env();
  const uint64_t kind = Integer(info, 0, "kind");
  if (kind > 2) throw Napi::RangeError::New(env, "kind must be 0 (single-byte), 1 (UTF-16LE) or 2 (UTF-16BE)");
  const uint64_t offset = Integer(info, 1, "offset");
  const uint64_t length = Integer(info, 2, "length");
  if (offset > file.size() || length > file.size() - offset) throw Napi::RangeError::New(env, "range is outside the file");
  const bool mid_unit = Boolean(info, 3, "midUnit");
  const size_t max_offsets = static_cast<size_t>(std::min<uint64_t>(Integer(info, 4, "maxInvalidOffsets"), 1000000));
  const bool stop = Boolean(info, 5, "stopAtInvalid");
  std::unique_ptr<ScanJob> job;
  if (kind == 0) {
    const uint8_t* flagged = nullptr;
    if (!info[6].IsUndefined()) {
      if (!info[6].IsTypedArray() || info[6].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
          info[6].As<Napi::Uint8Array>().ElementLength() != 256) {
        throw Napi::TypeError::New(env, "flagged must be a Uint8Array of 256 entries");
      }
      flagged = info[6].As<Napi::Uint8Array>().Data();
    }
    job = std::make_unique<ByteHistogramJob>(offset, length, flagged, max_offsets, stop);
  } else {
    job = std::make_unique<Utf16StatsJob>(offset, length, kind == 2, mid_unit, max_offsets, stop);
  }
  return StartScan(env, std::move(job), file.mapping(), file.closed_flag(), info[7]);
}

}  // namespace hexmap
