// The one scalar UTF-8 rule (the maximal-subpart rule of shared/utf8.ts
// decodeUnit and TextDecoder), shared by the UTF-8 statistics and the
// next / previous unit scans, and the bit helpers both use. The vector
// counters in utf8_stats.cc agree with it byte for byte (the tests hold all
// of them to TextDecoder).
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HEXMAP_X86_SIMD 1
#elif defined(_M_X64)
#include <intrin.h>
#include <emmintrin.h>
#define HEXMAP_X86_SIMD 1
#endif

namespace hexmap {

inline unsigned LowestBit(uint32_t mask) {
#ifdef _MSC_VER
  unsigned long index;
  _BitScanForward(&index, mask);
  return index;
#else
  return static_cast<unsigned>(__builtin_ctz(mask));
#endif
}

inline unsigned LowestBit64(uint64_t mask) {
#ifdef _MSC_VER
  unsigned long index;
  _BitScanForward64(&index, mask);
  return index;
#else
  return static_cast<unsigned>(__builtin_ctzll(mask));
#endif
}

inline unsigned HighestBit(uint32_t mask) {
#ifdef _MSC_VER
  unsigned long index;
  _BitScanReverse(&index, mask);
  return index;
#else
  return 31u - static_cast<unsigned>(__builtin_clz(mask));
#endif
}

// Population count without assuming the POPCNT instruction (x86-64's baseline lacks it); the AVX2
// path is compiled with popcnt enabled, so there this is one instruction.
inline unsigned PopCount64(uint64_t x) {
#ifdef _MSC_VER
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<unsigned>((x * 0x0101010101010101ull) >> 56);
#else
  return static_cast<unsigned>(__builtin_popcountll(x));
#endif
}

// Table-driven, with no data-dependent branch: on binary data every branch
// would be a coin flip. need: 1 for ASCII, 2..4 for a lead byte, 0 for a byte
// that never starts a character; low/span: the allowed second-byte range.
struct LeadTables {
  uint8_t need[256], low[256], span[256];
  LeadTables() {
    for (int b = 0; b < 256; ++b) {
      need[b] = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      uint8_t lo = 0x80, hi = 0xbf;
      if (b == 0xe0) lo = 0xa0;
      if (b == 0xed) hi = 0x9f;
      if (b == 0xf0) lo = 0x90;
      if (b == 0xf4) hi = 0x8f;
      low[b] = lo;
      span[b] = static_cast<uint8_t>(hi - lo);
    }
  }
};
extern const LeadTables kLead;

// The unit starting at s, by the maximal-subpart rule: a bad second byte ends the unit after the
// lead, a bad third/fourth byte after the bytes accepted so far. `avail` >= 1 bytes are readable;
// bytes past the end read as 00, which never continues a unit, so a sequence cut by the end of the
// data is invalid, as TextDecoder says. Returns its length; *kind: 0 invalid, 1 ASCII, 2..4 a valid
// character of that length.
inline unsigned DecodeUnit(const uint8_t* s, uint64_t avail, unsigned* kind) {
  const uint8_t lead = s[0];
  const uint8_t b1 = avail > 1 ? s[1] : 0, b2 = avail > 2 ? s[2] : 0, b3 = avail > 3 ? s[3] : 0;
  const unsigned need = kLead.need[lead];
  const unsigned ok1 = static_cast<uint8_t>(b1 - kLead.low[lead]) <= kLead.span[lead];
  const unsigned ok2 = ok1 & ((b2 & 0xc0) == 0x80);
  const unsigned ok3 = ok2 & ((b3 & 0xc0) == 0x80);
  const unsigned length = 1 + ((need >= 2) & ok1) + ((need >= 3) & ok2) + ((need >= 4) & ok3);
  *kind = (length == need) ? need : 0;
  return length;
}

// First offset in [i, end) holding a byte >= 0x80, or end.
inline uint64_t SkipAscii(const uint8_t* base, uint64_t i, uint64_t end) {
  const uint8_t* p = base + i;
  const uint8_t* e = base + end;
  if (p < e && *p >= 0x80) return i;  // dense non-ASCII text: no vector work
#ifdef HEXMAP_X86_SIMD
  for (; e - p >= 16; p += 16) {
    uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    if (m != 0) return static_cast<uint64_t>(p - base) + LowestBit(m);
  }
#else
  for (; e - p >= 8; p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (w & 0x8080808080808080ull) break;
  }
#endif
  while (p < e && *p < 0x80) ++p;
  return static_cast<uint64_t>(p - base);
}

// The unit boundary at or before `at`, never before `floor` (where the data begins): the nearest
// byte that is not 80..BF within 3 before (such a byte always starts a unit), else `at` (three
// continuation bytes in a row before it: nothing can reach over them to continue into `at`).
inline uint64_t UnitBoundary(const uint8_t* base, uint64_t at, uint64_t floor) {
  const uint64_t lowest = at - floor >= 3 ? at - 3 : floor;
  for (uint64_t p = at + 1; p-- > lowest;) {
    if ((base[p] & 0xc0) != 0x80) return p;
  }
  return at;
}

}  // namespace hexmap
