#include "scans.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HEXMAP_SSE2 1
#define HEXMAP_AVX2_DISPATCH 1  // an AVX2 variant chosen at run time, SSE2 otherwise
#elif defined(_M_X64)
#include <intrin.h>
#include <emmintrin.h>
#define HEXMAP_SSE2 1
#endif

namespace hexmap {
namespace {

inline unsigned LowestBit(uint32_t mask) {
#ifdef _MSC_VER
  unsigned long index;
  _BitScanForward(&index, mask);
  return index;
#else
  return static_cast<unsigned>(__builtin_ctz(mask));
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

inline unsigned PopCount(uint32_t x) {
#ifdef _MSC_VER
  return __popcnt(x);
#else
  return static_cast<unsigned>(__builtin_popcount(x));
#endif
}

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
#ifdef HEXMAP_SSE2
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
#ifdef HEXMAP_SSE2
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

// ---- UTF-8 ---------------------------------------------------------------

// The one scalar UTF-8 rule, which the vector paths below agree with (the
// tests hold all of them to TextDecoder): the unit starting at s, by the
// maximal-subpart rule (as shared/utf8.ts decodeUnit and TextDecoder). A bad
// second byte ends the unit after the lead, a bad third/fourth byte after the
// bytes accepted so far. It decodes the edges of blocks and ranges, the
// units the vector paths cannot reach, and everything where there is no AVX2.
//
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
const LeadTables kLead;

// Length of the unit at s, of which `avail` >= 1 bytes are readable; *kind: 0 invalid, 1 ASCII, 2..4 a
// valid character of that length. Bytes past the end read as 00, which never continues a unit: a
// sequence cut by the end of the data is invalid, as TextDecoder says.
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
#ifdef HEXMAP_SSE2
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

struct ByteClasses {
  uint64_t high = 0, nul = 0, lf = 0, cr = 0, crlf = 0;
};

void CountClassesScalar(const uint8_t* p, size_t n, ByteClasses& c, bool& prev_cr) {
  bool cr = prev_cr;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t b = p[i];
    c.high += b >> 7;
    c.nul += b == 0;
    c.lf += b == '\n';
    c.crlf += cr && b == '\n';
    cr = b == '\r';
    c.cr += cr;
  }
  prev_cr = cr;
}

#ifdef HEXMAP_SSE2
// The SSE2 form of CountClassesAvx2 below (16 bytes per step; see there). Byte-wide counters rather
// than popcounts: SSE2 alone has no popcount instruction.
inline uint64_t SumBytes16(__m128i counters) {
  const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
  return static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) + static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
}

void CountClassesSse2(const uint8_t* p, size_t n, ByteClasses& c, bool& prev_cr) {
  const __m128i zero = _mm_setzero_si128(), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  uint64_t pairs = 0;
  uint32_t carry = prev_cr ? 1 : 0;
  size_t i = 0;
  while (i + 16 <= n) {
    __m128i high = zero, nul = zero, nl = zero, ncr = zero;
    for (int step = 0; step < 255 && i + 16 <= n; ++step, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i is_cr = _mm_cmpeq_epi8(v, cr);
      const __m128i is_lf = _mm_cmpeq_epi8(v, lf);
      high = _mm_sub_epi8(high, _mm_cmplt_epi8(v, zero));  // bytes >= 0x80 are negative as int8
      nul = _mm_sub_epi8(nul, _mm_cmpeq_epi8(v, zero));
      nl = _mm_sub_epi8(nl, is_lf);
      ncr = _mm_sub_epi8(ncr, is_cr);
      const uint32_t r = static_cast<uint32_t>(_mm_movemask_epi8(is_cr));
      if ((r | carry) != 0) {
        const uint32_t l = static_cast<uint32_t>(_mm_movemask_epi8(is_lf));
        pairs += PopCount(((r << 1) | carry) & l);
        carry = r >> 15;
      }
    }
    c.high += SumBytes16(high);
    c.nul += SumBytes16(nul);
    c.lf += SumBytes16(nl);
    c.cr += SumBytes16(ncr);
  }
  c.crlf += pairs;
  prev_cr = carry != 0;
  CountClassesScalar(p + i, n - i, c, prev_cr);
}
#endif

#ifdef HEXMAP_AVX2_DISPATCH
// Per 32 bytes: compares whose -1 lanes are subtracted into byte-wide
// counters (folded into totals with SAD every 255 steps, before they could
// overflow); CRLF pairs need positions, so only steps with a CR pay for
// movemasks ("CR at j-1 and LF at j", carried across steps).
__attribute__((target("avx2,popcnt"))) inline uint64_t SumBytes(__m256i counters) {
  const __m256i sums = _mm256_sad_epu8(counters, _mm256_setzero_si256());
  return static_cast<uint64_t>(_mm256_extract_epi64(sums, 0)) + static_cast<uint64_t>(_mm256_extract_epi64(sums, 1)) +
         static_cast<uint64_t>(_mm256_extract_epi64(sums, 2)) + static_cast<uint64_t>(_mm256_extract_epi64(sums, 3));
}

__attribute__((target("avx2,popcnt"))) void CountClassesAvx2(const uint8_t* p, size_t n, ByteClasses& c, bool& prev_cr) {
  const __m256i zero = _mm256_setzero_si256(), lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
  uint64_t pairs = 0;
  uint32_t carry = prev_cr ? 1 : 0;
  size_t i = 0;
  while (i + 32 <= n) {
    __m256i high = zero, nul = zero, nl = zero, ncr = zero;
    for (int step = 0; step < 255 && i + 32 <= n; ++step, i += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
      const __m256i is_cr = _mm256_cmpeq_epi8(v, cr);
      const __m256i is_lf = _mm256_cmpeq_epi8(v, lf);
      high = _mm256_sub_epi8(high, _mm256_cmpgt_epi8(zero, v));  // bytes >= 0x80 are negative as int8
      nul = _mm256_sub_epi8(nul, _mm256_cmpeq_epi8(v, zero));
      nl = _mm256_sub_epi8(nl, is_lf);
      ncr = _mm256_sub_epi8(ncr, is_cr);
      const uint32_t r = static_cast<uint32_t>(_mm256_movemask_epi8(is_cr));
      if ((r | carry) != 0) {
        const uint32_t l = static_cast<uint32_t>(_mm256_movemask_epi8(is_lf));
        pairs += static_cast<unsigned>(__builtin_popcount(((r << 1) | carry) & l));
        carry = r >> 31;
      }
    }
    c.high += SumBytes(high);
    c.nul += SumBytes(nul);
    c.lf += SumBytes(nl);
    c.cr += SumBytes(ncr);
  }
  c.crlf += pairs;
  prev_cr = carry != 0;
  CountClassesScalar(p + i, n - i, c, prev_cr);
}

// HEXMAP_SIMD=baseline turns the AVX2 paths off, so the tests can hold the SSE2/scalar paths to the same answers.
bool UseAvx2() {
  const char* forced = std::getenv("HEXMAP_SIMD");
  if (forced != nullptr && std::strcmp(forced, "baseline") == 0) return false;
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
const bool g_has_avx2 = UseAvx2();
#endif

void CountClasses(const uint8_t* p, size_t n, ByteClasses& c, bool& prev_cr) {
#ifdef HEXMAP_AVX2_DISPATCH
  if (g_has_avx2) return CountClassesAvx2(p, n, c, prev_cr);
#endif
#ifdef HEXMAP_SSE2
  CountClassesSse2(p, n, c, prev_cr);
#else
  CountClassesScalar(p, n, c, prev_cr);
#endif
}

#ifdef HEXMAP_AVX2_DISPATCH
// Exact unit counting 32 bytes at a time, with no serial dependency between
// units (a byte-at-a-time decoder is bound by "where does the next unit
// start?", ~15 cycles per unit on binary data).
//
// Every byte that is not 80..BF starts a unit. A byte j in 80..BF continues
// the unit before it exactly when one of these holds (the maximal-subpart
// rule, as shared/utf8.ts decodes):
//   A: j-1 is a lead (C2..F4) and j is in that lead's second-byte range;
//   B: j-2 is a 3/4-byte lead, j-1 in its second-byte range, j in 80..BF;
//   C: j-3 is a 4-byte lead, j-2 in its second-byte range, j-1 and j in 80..BF.
// Lead bytes always start units, so these only look at the 3 bytes before
// j, whatever came earlier. A unit starting at lead j of length n is valid
// when bytes j+1..j+n-1 all continue it; otherwise it is one U+FFFD.
//
// Masks are 32-bit (bit k = byte i+k); the previous block's masks give the
// bits before i, the next block's cont mask gives the bits after.
struct BlockMasks {
  uint32_t high, cont_byte, lead, l34, l4, l2, l3, r;  // r: byte j in the second-byte range of lead j-1
  uint32_t cont;                                       // byte continues the unit before it
};

__attribute__((target("avx2,popcnt,bmi"))) inline uint32_t InRange(__m256i x, uint8_t low, uint8_t high) {
  const __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8(static_cast<char>(low)));
  const __m256i w = _mm256_set1_epi8(static_cast<char>(high - low));
  return static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(d, w), d)));
}

__attribute__((target("avx2,popcnt,bmi"))) inline void ClassifyBlock(const uint8_t* p, BlockMasks& m) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i lead = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p - 1));  // byte j-1
  m.high = static_cast<uint32_t>(_mm256_movemask_epi8(v));
  if (m.high == 0) {  // all ASCII (most of a text file): nothing leads or continues here
    m.cont_byte = m.l2 = m.l3 = m.l4 = m.lead = m.l34 = m.r = 0;
    return;
  }
  m.cont_byte = InRange(v, 0x80, 0xbf);
  m.l2 = InRange(v, 0xc2, 0xdf);
  m.l3 = InRange(v, 0xe0, 0xef);
  m.l4 = InRange(v, 0xf0, 0xf4);
  m.lead = m.l2 | m.l3 | m.l4;
  m.l34 = m.l3 | m.l4;
  // Second-byte range of the lead at j-1: 80..BF except E0 A0.., ED ..9F, F0 90.., F4 ..8F.
  const __m256i is_e0 = _mm256_cmpeq_epi8(lead, _mm256_set1_epi8(static_cast<char>(0xe0)));
  const __m256i is_f0 = _mm256_cmpeq_epi8(lead, _mm256_set1_epi8(static_cast<char>(0xf0)));
  const __m256i is_ed = _mm256_cmpeq_epi8(lead, _mm256_set1_epi8(static_cast<char>(0xed)));
  const __m256i is_f4 = _mm256_cmpeq_epi8(lead, _mm256_set1_epi8(static_cast<char>(0xf4)));
  __m256i lo = _mm256_blendv_epi8(_mm256_set1_epi8(static_cast<char>(0x80)), _mm256_set1_epi8(static_cast<char>(0xa0)), is_e0);
  lo = _mm256_blendv_epi8(lo, _mm256_set1_epi8(static_cast<char>(0x90)), is_f0);
  __m256i hi = _mm256_blendv_epi8(_mm256_set1_epi8(static_cast<char>(0xbf)), _mm256_set1_epi8(static_cast<char>(0x9f)), is_ed);
  hi = _mm256_blendv_epi8(hi, _mm256_set1_epi8(static_cast<char>(0x8f)), is_f4);
  const __m256i in = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(v, lo), v), _mm256_cmpeq_epi8(_mm256_min_epu8(v, hi), v));
  m.r = static_cast<uint32_t>(_mm256_movemask_epi8(in));
}

// The continuation mask of a block, given the previous block's masks.
inline uint32_t ContMask(const BlockMasks& m, const BlockMasks& prev) {
  const auto shift = [](uint32_t now, uint32_t before, unsigned k) { return (now << k) | (before >> (32 - k)); };
  const uint32_t a = shift(m.lead, prev.lead, 1) & m.r;
  const uint32_t b = shift(m.l34, prev.l34, 2) & shift(m.r, prev.r, 1) & m.cont_byte;
  const uint32_t c = shift(m.l4, prev.l4, 3) & shift(m.r, prev.r, 2) & shift(m.cont_byte, prev.cont_byte, 1) & m.cont_byte;
  return a | b | c;
}

// Masks for the 3 bytes before `at` only (bits 29..31), from scalar reads: the start of a run.
BlockMasks ContextMasks(const uint8_t* at) {
  BlockMasks m{};
  for (unsigned k = 1; k <= 3; ++k) {
    const uint8_t b = at[-static_cast<int>(k)];
    const uint32_t bit = 1u << (32 - k);
    if (b >= 0x80 && b <= 0xbf) m.cont_byte |= bit;
    if (b >= 0xc2 && b <= 0xf4) m.lead |= bit;
    if (b >= 0xe0 && b <= 0xf4) m.l34 |= bit;
    if (b >= 0xf0 && b <= 0xf4) m.l4 |= bit;
    if (k < 3) {  // r for byte at-k needs byte at-k-1, which is readable (at >= range start + 3)
      const uint8_t l = at[-static_cast<int>(k) - 1];
      const uint8_t lo = l == 0xe0 ? 0xa0 : l == 0xf0 ? 0x90 : 0x80, hi = l == 0xed ? 0x9f : l == 0xf4 ? 0x8f : 0xbf;
      if (b >= lo && b <= hi) m.r |= bit;
    }
  }
  return m;
}

// Counts the units starting in [from, ...) 32 bytes at a time while a whole next block fits before `limit`.
// `from` must be a unit boundary with at least 3 readable bytes of the range before it, and
// from + 64 <= limit. Returns the unit boundary where counting stopped.
__attribute__((target("avx2,popcnt,bmi"))) uint64_t CountUnitsAvx2(const uint8_t* base, uint64_t from, uint64_t limit,
                                                                    uint64_t by_kind[5], Utf8Totals& t) {
  BlockMasks before = ContextMasks(base + from);
  BlockMasks current;
  ClassifyBlock(base + from, current);
  current.cont = ContMask(current, before);
  uint64_t i = from;
  for (; i + 64 <= limit; i += 32) {
    BlockMasks next;
    ClassifyBlock(base + i + 32, next);
    next.cont = ContMask(next, current);
    if (current.high == 0) {  // ASCII only: no non-ASCII unit starts here
      current = next;
      continue;
    }
    // Finalize the block at i: unit starts and their validity need the next 3 cont bits.
    const uint64_t cont = static_cast<uint64_t>(current.cont) | (static_cast<uint64_t>(next.cont) << 32);
    const uint32_t c1 = static_cast<uint32_t>(cont >> 1), c2 = static_cast<uint32_t>(cont >> 2), c3 = static_cast<uint32_t>(cont >> 3);
    const uint32_t starts = current.high & ~current.cont;  // non-ASCII units
    const uint32_t v2 = current.l2 & c1, v3 = current.l3 & c1 & c2, v4 = current.l4 & c1 & c2 & c3;
    const uint32_t bad = starts & ~(v2 | v3 | v4);
    by_kind[2] += static_cast<unsigned>(__builtin_popcount(v2));
    by_kind[3] += static_cast<unsigned>(__builtin_popcount(v3));
    by_kind[4] += static_cast<unsigned>(__builtin_popcount(v4));
    by_kind[0] += static_cast<unsigned>(__builtin_popcount(bad));
    for (uint32_t m = bad; m != 0 && t.invalid_offsets.size() < t.max_invalid_offsets; m &= m - 1) {
      t.invalid_offsets.push_back(i + static_cast<unsigned>(__builtin_ctz(m)));
    }
    current = next;
  }
  // The block at i is classified but not counted: resume at its first unit start.
  return i + static_cast<unsigned>(__builtin_ctz(~current.cont));
}

// The fast path for text that is valid UTF-8, which is most non-ASCII text:
// validate a whole segment with the lookup-table method of Keiser & Lemire
// ("Validating UTF-8 in less than one instruction per byte", 2021), and when
// it is valid, every character is one lead byte, so counting is a popcount of
// the lead classes. Any error sends the segment to CountUnitsAvx2 above,
// which counts invalid input exactly (maximal subparts).
//
// Each byte is checked against the byte before it: three 16-entry tables,
// indexed by the high nibble of the previous byte, its low nibble and the
// high nibble of this byte, each give a set of error bits; a pair is wrong
// when one bit survives the AND of all three. The bits (each a product of one
// set per nibble):
constexpr uint8_t kTooShort = 1 << 0;   // lead C0..FF, then no continuation
constexpr uint8_t kTooLong = 1 << 1;    // ASCII, then a continuation
constexpr uint8_t kOverlong3 = 1 << 2;  // E0, then 80..9F
constexpr uint8_t kTooLarge = 1 << 3;   // F4..FF, then 90..BF
constexpr uint8_t kSurrogate = 1 << 4;  // ED, then A0..BF
constexpr uint8_t kOverlong2 = 1 << 5;  // C0/C1, then a continuation
constexpr uint8_t kF0orF5 = 1 << 6;     // F0 (overlong) or F5..FF (too large), then 80..8F
constexpr uint8_t kTwoConts = 1 << 7;   // a continuation, then a continuation
// A continuation after a continuation is right exactly where the byte two back
// is a 3/4-byte lead or three back a 4-byte lead: XOR with that clears bit 7
// there and sets it where a needed third/fourth byte is missing.

struct PairTables {
  uint8_t high1[16], low1[16], high2[16];
  PairTables() {
    for (int n = 0; n < 16; ++n) {
      uint8_t h1 = 0, l1 = 0, h2 = 0;
      if (n >= 0xc) h1 |= kTooShort;
      if (n <= 0x7) h1 |= kTooLong;
      if (n == 0xe) h1 |= kOverlong3 | kSurrogate;
      if (n == 0xf) h1 |= kTooLarge | kF0orF5;
      if (n == 0xc) h1 |= kOverlong2;
      if (n >= 0x8 && n <= 0xb) h1 |= kTwoConts;
      l1 = kTooShort | kTooLong | kTwoConts;
      if (n == 0x0) l1 |= kOverlong3 | kOverlong2 | kF0orF5;
      if (n == 0x1) l1 |= kOverlong2;
      if (n >= 0x4) l1 |= kTooLarge;
      if (n == 0xd) l1 |= kSurrogate;
      if (n >= 0x5) l1 |= kF0orF5;
      const bool cont = n >= 0x8 && n <= 0xb;
      if (!cont) h2 |= kTooShort;
      if (cont) h2 |= kTooLong | kOverlong2 | kTwoConts;
      if (n == 0x8 || n == 0x9) h2 |= kOverlong3;
      if (n >= 0x9 && n <= 0xb) h2 |= kTooLarge;
      if (n == 0xa || n == 0xb) h2 |= kSurrogate;
      if (n == 0x8) h2 |= kF0orF5;
      high1[n] = h1;
      low1[n] = l1;
      high2[n] = h2;
    }
  }
};
const PairTables kPairs;

__attribute__((target("avx2"))) inline __m256i Table(const uint8_t t[16]) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t)));
}

// Segments the fast path validates at once: long enough to amortise its setup, short enough that an error
// (binary data) wastes little.
constexpr uint64_t kValidSegment = 512;

// `p` is a unit boundary with 3 readable bytes before it and kValidSegment after. When the segment is
// valid UTF-8 (up to an unfinished character in its last 3 bytes), adds its characters to by_kind and
// returns how many bytes it covered (a unit boundary); returns 0 when CountUnitsAvx2 must count it.
__attribute__((target("avx2,popcnt,bmi"))) uint64_t CountValidAvx2(const uint8_t* p, uint64_t by_kind[5]) {
  const __m256i t_high1 = Table(kPairs.high1), t_low1 = Table(kPairs.low1), t_high2 = Table(kPairs.high2);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i third = _mm256_set1_epi8(static_cast<char>(0xe0 - 0x80)), fourth = _mm256_set1_epi8(static_cast<char>(0xf0 - 0x80));
  const __m256i bit7 = _mm256_set1_epi8(static_cast<char>(0x80));
  // p is a unit boundary: the bytes before it must not count as context, so the first block sees ASCII there.
  const __m256i keep1 = _mm256_setr_epi8(0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                         -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i keep2 = _mm256_slli_si256(keep1, 1), keep3 = _mm256_slli_si256(keep1, 2);  // (per lane; lane 1 fixed below)
  const __m256i lane1 = _mm256_setr_epi64x(0, 0, -1, -1);
  __m256i error = _mm256_setzero_si256();
  for (uint64_t k = 0; k < kValidSegment; k += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
    __m256i prev1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k - 1));
    __m256i prev2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k - 2));
    __m256i prev3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k - 3));
    if (k == 0) {
      prev1 = _mm256_and_si256(prev1, _mm256_or_si256(keep1, lane1));
      prev2 = _mm256_and_si256(prev2, _mm256_or_si256(keep2, lane1));
      prev3 = _mm256_and_si256(prev3, _mm256_or_si256(keep3, lane1));
    }
    const __m256i h1 = _mm256_shuffle_epi8(t_high1, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble));
    const __m256i l1 = _mm256_shuffle_epi8(t_low1, _mm256_and_si256(prev1, nibble));
    const __m256i h2 = _mm256_shuffle_epi8(t_high2, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
    const __m256i pairs = _mm256_and_si256(_mm256_and_si256(h1, l1), h2);
    const __m256i must = _mm256_and_si256(_mm256_or_si256(_mm256_subs_epu8(prev2, third), _mm256_subs_epu8(prev3, fourth)), bit7);
    error = _mm256_or_si256(error, _mm256_xor_si256(pairs, must));
    if ((k & 127) == 96 && !_mm256_testz_si256(error, error)) return 0;  // binary data: give up early
  }
  if (!_mm256_testz_si256(error, error)) return 0;
  // An unfinished character at the very end is not validated yet: stop before its lead.
  const uint8_t* end = p + kValidSegment;
  uint64_t covered = kValidSegment;
  if (end[-1] >= 0xc0) covered -= 1;
  else if (end[-2] >= 0xe0) covered -= 2;
  else if (end[-3] >= 0xf0) covered -= 3;
  const __m256i c0 = _mm256_set1_epi8(static_cast<char>(0xc0)), e0 = _mm256_set1_epi8(static_cast<char>(0xe0)),
                f0 = _mm256_set1_epi8(static_cast<char>(0xf0));
  uint64_t ge_c0 = 0, ge_e0 = 0, ge_f0 = 0;
  for (uint64_t k = 0; k < kValidSegment; k += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
    uint32_t keep = ~0u;
    if (k + 32 > covered) keep = covered > k ? ~0u >> (k + 32 - covered) : 0;
    ge_c0 += static_cast<unsigned>(__builtin_popcount(keep & static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(v, c0), v)))));
    ge_e0 += static_cast<unsigned>(__builtin_popcount(keep & static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(v, e0), v)))));
    ge_f0 += static_cast<unsigned>(__builtin_popcount(keep & static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(v, f0), v)))));
  }
  by_kind[2] += ge_c0 - ge_e0;
  by_kind[3] += ge_e0 - ge_f0;
  by_kind[4] += ge_f0;
  return covered;
}
#endif

// Bytes counted then decoded together, so the decode pass reads from L2.
constexpr uint64_t kStatsBlock = 64 << 10;

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

void Utf8StatsStep(const uint8_t* base, uint64_t begin, uint64_t end, uint64_t range_end, Utf8Totals& t) {
  for (uint64_t block = begin; block < end;) {
    const uint64_t block_end = end - block > kStatsBlock ? block + kStatsBlock : end;
    ByteClasses c;
    CountClasses(base + block, static_cast<size_t>(block_end - block), c, t.last_was_cr);
    t.high += c.high; t.nul += c.nul; t.lf += c.lf; t.cr += c.cr; t.crlf += c.crlf;
    uint64_t i = t.next_unit;
    if (c.high == 0) {
      // Only ASCII here: no unit starts in this block beyond the one already decoded.
      if (i < block_end) i = block_end;
    } else {
      uint64_t by_kind[5] = {0, 0, 0, 0, 0};  // [0] invalid, [1] ASCII (counted elsewhere), [2..4] valid
#ifdef HEXMAP_AVX2_DISPATCH
      uint64_t exact_span = kValidSegment;  // how far the exact counter goes after the fast path failed
#endif
      while (i < block_end) {
        i = SkipAscii(base, i, block_end);
        if (i >= block_end) break;
#ifdef HEXMAP_AVX2_DISPATCH
        if (g_has_avx2 && i >= t.range_start + 3 && i + kValidSegment + 64 <= block_end) {
          const uint64_t covered = CountValidAvx2(base + i, by_kind);
          if (covered != 0) {
            i += covered;
            exact_span = kValidSegment;
            continue;
          }
          // Invalid input in the segment: count exactly, over longer stretches while it stays invalid
          // (binary data), so little time goes into fast-path attempts that fail.
          i = CountUnitsAvx2(base, i, std::min(block_end, i + exact_span + 64), by_kind, t);
          exact_span = std::min<uint64_t>(exact_span * 2, 16 << 10);
          continue;
        }
        if (g_has_avx2 && i >= t.range_start + 3 && i + 64 <= block_end) {
          i = CountUnitsAvx2(base, i, block_end, by_kind, t);
          continue;
        }
#endif
        // The edges of a block or range (or no AVX2): one unit at a time.
        // (Binary data lands here without AVX2: the loop body has no data-dependent branch once the offsets list is full.)
        const uint64_t stop = std::min<uint64_t>(i + 32, block_end);
        if (t.invalid_offsets.size() >= t.max_invalid_offsets) {
          while (i < stop) {
            unsigned kind;
            i += DecodeUnit(base + i, range_end - i, &kind);
            ++by_kind[kind];
          }
        }
        while (i < stop) {
          unsigned kind;
          const unsigned length = DecodeUnit(base + i, range_end - i, &kind);
          ++by_kind[kind];
          if (kind == 0 && t.invalid_offsets.size() < t.max_invalid_offsets) t.invalid_offsets.push_back(i);
          i += length;
        }
      }
      t.invalid += by_kind[0];
      t.two += by_kind[2];
      t.three += by_kind[3];
      t.four += by_kind[4];
    }
    t.next_unit = i;
    block = block_end;
  }
  t.bytes += end - begin;
}

uint64_t SyncPoint(const uint8_t* base, uint64_t at) {
  const uint64_t floor = at >= 3 ? at - 3 : 0;
  for (uint64_t p = at + 1; p-- > floor;) {
    if ((base[p] & 0xc0) != 0x80) return p;
  }
  return at;
}

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
