#include "scans.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "utf8_rule.h"

namespace hexmap {
namespace {

bool IsAsciiLetter(uint8_t b) { return (b | 0x20) >= 'a' && (b | 0x20) <= 'z'; }

// How often a byte turns up in mixed files (text, UTF-8, binary); lower is
// rarer. memchr on the rarest pattern byte wastes fewest verifications.
int Commonness(uint8_t b) {
  if (b == 0x00 || b == 0x20 || b == 0xff) return 255;
  if (b >= 'a' && b <= 'z') return std::strchr("etaoinshrdlu", b) != nullptr ? 220 : 190;
  if (b == '\n' || b == '\r' || b == '\t' || b == '.' || b == ',') return 160;
  if (b >= '0' && b <= '9') return 150;
  if (b >= 0x80 && b <= 0xbf) return 140;  // UTF-8 continuation bytes
  if (b >= 0xc2 && b <= 0xf4) return 110;  // UTF-8 lead bytes
  if (b >= 'A' && b <= 'Z') return 100;
  if (b < 0x20) return 60;
  if (b < 0x80) return 90;  // punctuation
  return 50;                // C0, C1, F5..FE: never in valid UTF-8
}

inline bool MatchesAt(const uint8_t* s, const FindPattern& p) {
  if (p.plain) return std::memcmp(s, p.bytes.data(), p.size()) == 0;
  for (size_t j = 0, n = p.size(); j < n; ++j) {
    if (((s[j] | p.fold[j]) & p.keep[j]) != p.want[j]) return false;
  }
  return true;
}

// First / last byte in [from, to) equal to `lower` or its upper-case twin.
const uint8_t* FindFolded(const uint8_t* from, const uint8_t* to, uint8_t lower) {
#ifdef HEXMAP_X86_SIMD
  const __m128i want = _mm_set1_epi8(static_cast<char>(lower));
  const __m128i bit = _mm_set1_epi8(0x20);
  for (; to - from >= 16; from += 16) {
    __m128i v = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(from)), bit);
    uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)));
    if (m != 0) return from + LowestBit(m);
  }
#endif
  for (; from < to; ++from) if ((*from | 0x20) == lower) return from;
  return nullptr;
}

const uint8_t* FindFoldedBack(const uint8_t* from, const uint8_t* to, uint8_t lower) {
#ifdef HEXMAP_X86_SIMD
  const __m128i want = _mm_set1_epi8(static_cast<char>(lower));
  const __m128i bit = _mm_set1_epi8(0x20);
  while (to - from >= 16) {
    to -= 16;
    __m128i v = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(to)), bit);
    uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)));
    if (m != 0) return to + HighestBit(m);
  }
#endif
  while (to > from) if ((*--to | 0x20) == lower) return to;
  return nullptr;
}

const uint8_t* LastByte(const uint8_t* from, size_t n, uint8_t c) {
#if defined(__GLIBC__)
  return static_cast<const uint8_t*>(memrchr(from, c, n));
#else
  for (size_t i = n; i-- > 0;) if (from[i] == c) return from + i;
  return nullptr;
#endif
}

}  // namespace

FindPattern CompilePattern(const uint8_t* pattern, const uint8_t* mask, size_t length, bool ignore_case) {
  FindPattern p;
  p.bytes.assign(pattern, pattern + length);
  p.keep.resize(length);
  p.want.resize(length);
  p.fold.resize(length);
  p.plain = true;
  for (size_t j = 0; j < length; ++j) {
    const bool fold = ignore_case && mask[j] == 0xff && IsAsciiLetter(pattern[j]);
    p.fold[j] = fold ? 0x20 : 0;
    p.keep[j] = fold ? 0xff : mask[j];
    p.want[j] = fold ? static_cast<uint8_t>(pattern[j] | 0x20) : static_cast<uint8_t>(pattern[j] & mask[j]);
    if (fold || mask[j] != 0xff) p.plain = false;
  }
  for (size_t j = 0; j < length; ++j) {
    if (mask[j] != 0xff || p.fold[j] != 0) continue;
    if (p.anchor < 0 || Commonness(pattern[j]) < Commonness(pattern[p.anchor])) p.anchor = static_cast<int>(j);
  }
  if (p.anchor < 0) {
    for (size_t j = 0; j < length; ++j) if (p.fold[j] != 0) { p.fold_anchor = static_cast<int>(j); break; }
  }
  return p;
}

bool FindForward(const uint8_t* base, uint64_t first, uint64_t last, const FindPattern& p,
                 std::vector<uint64_t>& out, size_t max) {
  if (first > last) return false;
  const bool folded = p.anchor < 0 && p.fold_anchor >= 0;
  if (p.anchor >= 0 || folded) {
    const uint64_t a = static_cast<uint64_t>(folded ? p.fold_anchor : p.anchor);
    const uint8_t c = folded ? p.want[a] : p.bytes[a];
    for (uint64_t s = first; s <= last;) {
      const uint8_t* from = base + s + a;
      const uint8_t* hit = folded ? FindFolded(from, base + last + a + 1, c)
                                  : static_cast<const uint8_t*>(std::memchr(from, c, last - s + 1));
      if (hit == nullptr) return false;
      const uint64_t candidate = static_cast<uint64_t>(hit - base) - a;
      if (MatchesAt(base + candidate, p)) {
        out.push_back(candidate);
        if (out.size() >= max) return true;
      }
      s = candidate + 1;
    }
    return false;
  }
  for (uint64_t s = first; s <= last; ++s) {  // only wildcards and partial masks: nothing to anchor on
    if (MatchesAt(base + s, p)) {
      out.push_back(s);
      if (out.size() >= max) return true;
    }
  }
  return false;
}

bool FindBackward(const uint8_t* base, uint64_t first, uint64_t last, const FindPattern& p,
                  std::vector<uint64_t>& out, size_t max) {
  if (first > last) return false;
  const bool folded = p.anchor < 0 && p.fold_anchor >= 0;
  if (p.anchor >= 0 || folded) {
    const uint64_t a = static_cast<uint64_t>(folded ? p.fold_anchor : p.anchor);
    const uint8_t c = folded ? p.want[a] : p.bytes[a];
    for (uint64_t end = last + 1; end > first;) {  // candidates [first, end)
      const uint8_t* hit = folded ? FindFoldedBack(base + first + a, base + end + a, c)
                                  : LastByte(base + first + a, end - first, c);
      if (hit == nullptr) return false;
      const uint64_t candidate = static_cast<uint64_t>(hit - base) - a;
      if (MatchesAt(base + candidate, p)) {
        out.push_back(candidate);
        if (out.size() >= max) return true;
      }
      end = candidate;
    }
    return false;
  }
  for (uint64_t s = last + 1; s-- > first;) {
    if (MatchesAt(base + s, p)) {
      out.push_back(s);
      if (out.size() >= max) return true;
    }
  }
  return false;
}

uint64_t SyncPoint(const uint8_t* base, uint64_t at) { return UnitBoundary(base, at, 0); }

uint64_t FindUnitForward(const uint8_t* base, uint64_t size, uint64_t* cursor, uint64_t end, uint64_t min_start, UnitKind kind) {
  uint64_t i = *cursor;
  while (i < end) {
    i = SkipAscii(base, i, end);
    if (i >= end) break;
    unsigned unit;
    const unsigned length = DecodeUnit(base + i, size - i, &unit);
    if (i >= min_start && (kind == UnitKind::kNonAscii || unit == 0)) {
      *cursor = i + length;
      return i;
    }
    i += length;
  }
  *cursor = i;
  return kNone;
}

uint64_t FindUnitInBlock(const uint8_t* base, uint64_t size, uint64_t s, uint64_t e, UnitKind kind) {
  uint64_t found = kNone;
  for (uint64_t i = SyncPoint(base, s); i < e;) {
    i = SkipAscii(base, i, e);
    if (i >= e) break;
    unsigned unit;
    const unsigned length = DecodeUnit(base + i, size - i, &unit);
    if (i >= s && (kind == UnitKind::kNonAscii || unit == 0)) found = i;
    i += length;
  }
  return found;
}

}  // namespace hexmap
