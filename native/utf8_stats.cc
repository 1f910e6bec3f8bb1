#include "utf8_stats.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "simd.h"
#if defined(_MSC_VER) && defined(_M_X64)
#include <xmmintrin.h>
#endif
#include "utf8_rule.h"

namespace hexmap {

const LeadTables kLead;

namespace {

enum class Impl { kScalar, kSse2, kAvx2, kAvx512 };

Impl ChooseImpl() {
  Impl best = Impl::kScalar;
#ifdef HEXMAP_X86_SIMD
  best = Impl::kSse2;
#ifdef HEXMAP_AVX2_DISPATCH
  __builtin_cpu_init();  // this runs as a static initialiser, possibly before the CPU model is read
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi")) best = Impl::kAvx2;
  if (best == Impl::kAvx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) best = Impl::kAvx512;
#endif
#endif
  const char* forced = std::getenv("HEXMAP_SIMD");
  if (forced == nullptr) return best;
  if (std::strcmp(forced, "scalar") == 0) return Impl::kScalar;
  if (std::strcmp(forced, "avx2") == 0 && best == Impl::kAvx512) return Impl::kAvx2;
  if ((std::strcmp(forced, "sse2") == 0 || std::strcmp(forced, "baseline") == 0) && best != Impl::kScalar) return Impl::kSse2;
  return best;
}
const Impl g_impl = ChooseImpl();

// ---- one byte at a time: the edges of a range, short ranges, and CPUs without SIMD ----

// Classes of bytes [from, to); the CRLF pair ending at `from` counts when its CR is in the range.
void ClassesScalar(const uint8_t* base, uint64_t from, uint64_t to, Utf8Totals& t) {
  bool cr = from > t.range_start && base[from - 1] == '\r';
  for (uint64_t i = from; i < to; ++i) {
    const uint8_t b = base[i];
    t.high += b >> 7;
    t.nul += b == 0;
    t.lf += b == '\n';
    t.crlf += cr && b == '\n';
    cr = b == '\r';
    t.cr += cr;
  }
}

// The non-ASCII units starting in [from, to), decoded one at a time from the unit boundary at or
// before `from`. (ASCII units are not counted here: they are the bytes below 0x80.)
void UnitsScalar(const uint8_t* base, uint64_t from, uint64_t to, uint64_t range_end, Utf8Totals& t) {
  uint64_t by_kind[5] = {0, 0, 0, 0, 0};
  for (uint64_t i = UnitBoundary(base, from, t.range_start); i < to;) {
    i = SkipAscii(base, i, to);
    if (i >= to) break;
    unsigned kind;
    const unsigned length = DecodeUnit(base + i, range_end - i, &kind);
    if (i >= from) {
      ++by_kind[kind];
      if (kind == 0 && t.invalid_offsets.size() < t.max_invalid_offsets) t.invalid_offsets.push_back(i);
    }
    i += length;
  }
  t.invalid += by_kind[0];
  t.two += by_kind[2];
  t.three += by_kind[3];
  t.four += by_kind[4];
}

void Scalar(const uint8_t* base, uint64_t from, uint64_t to, uint64_t range_end, Utf8Totals& t) {
  ClassesScalar(base, from, to, t);
  UnitsScalar(base, from, to, range_end, t);
}

#ifdef HEXMAP_X86_SIMD
// ---- 64 bytes at a time ----
//
// Every byte that is not 80..BF starts a unit. A byte j in 80..BF continues
// the unit before it exactly when one of these holds (the maximal-subpart
// rule, as DecodeUnit):
//   A: j-1 is a lead (C2..F4) and j is in that lead's second-byte range;
//   B: j-2 is a 3/4-byte lead, j-1 in its second-byte range, j in 80..BF;
//   C: j-3 is a 4-byte lead, j-2 in its second-byte range, j-1 and j in 80..BF.
// These look only at the 3 bytes before j, so the counting needs no state
// but the previous block's masks, has no serial dependency between units
// and no data-dependent branch (binary data would make every one a coin
// flip).
//
// A unit is counted where it starts: an n-byte lead at j is a valid
// character exactly when bytes j+1..j+n-1 all continue the unit before them
// (then each continues through A, B or C from this lead); every other
// non-ASCII byte that continues nothing starts an invalid sequence. The
// masks of the block after are needed for the last 3 bytes of a block.
// Valid and invalid input go through the same masks, so the counts of
// invalid input are exact by construction; utf8_blocks.inc runs this counter
// only on blocks that a cheaper check could not prove valid.
//
// Masks are 64-bit, bit k = byte b+k of the block at b.
struct Block {
  uint64_t high = 0, cont_byte = 0, lead = 0, l34 = 0, l4 = 0, l2 = 0, l3 = 0;
  uint64_t r = 0;     // byte j is in the second-byte range of lead j-1 (when j-1 is one)
  uint64_t cont = 0;  // byte j continues the unit before it
};

inline uint64_t Shift(uint64_t now, uint64_t before, unsigned k) { return (now << k) | (before >> (64 - k)); }

// Masks of the 3 bytes before `at` only (bits 61..63), read one by one; bytes before the range are
// not part of it and count as absent. (cont stays 0: classifying the block at `at` does not use it.)
Block ContextMasks(const uint8_t* base, uint64_t at, uint64_t range_start) {
  Block m;
  for (unsigned k = 1; k <= 3 && at >= range_start + k; ++k) {
    const uint8_t b = base[at - k];
    const uint64_t bit = 1ull << (64 - k);
    if (b >= 0x80) m.high |= bit;
    if (b >= 0x80 && b <= 0xbf) m.cont_byte |= bit;
    if (b >= 0xc2 && b <= 0xf4) m.lead |= bit;
    if (b >= 0xe0 && b <= 0xf4) m.l34 |= bit;
    if (b >= 0xf0 && b <= 0xf4) m.l4 |= bit;
    if (at >= range_start + k + 1) {
      const uint8_t l = base[at - k - 1];
      if (static_cast<uint8_t>(b - kLead.low[l]) <= kLead.span[l]) m.r |= bit;
    }
  }
  return m;
}

// How far ahead of the block being counted the loop asks for the file's bytes (2 KiB measured best
// with AVX-512; the narrower kernels are bound by their own work and neither gain nor lose). The
// hardware prefetchers stop at each 4 KiB page and the loop's branches (ASCII or not, valid or not)
// keep the CPU from running far ahead by itself, so without it each new page starts with a wait for
// memory. A prefetch never faults, also past the end of the mapping.
constexpr uint64_t kPrefetchAhead = 2048;
#if defined(_MSC_VER) && defined(_M_X64)
#define HEXMAP_PREFETCH(p) _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0)
#elif defined(_MSC_VER)
#define HEXMAP_PREFETCH(p) ((void)(p))
#else
#define HEXMAP_PREFETCH(p) __builtin_prefetch(p)
#endif

// The running counts of one Blocks call.
struct UnitCounts {
  uint64_t high = 0, two = 0, three = 0, four = 0, invalid = 0;
};

#ifdef _MSC_VER
#define HEXMAP_NOINLINE __declspec(noinline)
#else
#define HEXMAP_NOINLINE __attribute__((noinline))
#endif

namespace sse2 {
#define HEXMAP_BLOCKS_TARGET
#include "utf8_blocks.inc"
#undef HEXMAP_BLOCKS_TARGET
}  // namespace sse2

#ifdef HEXMAP_AVX2_DISPATCH
namespace avx2 {
#define HEXMAP_BLOCKS_TARGET HEXMAP_TARGET_AVX2
#include "utf8_blocks.inc"
#undef HEXMAP_BLOCKS_TARGET
}  // namespace avx2

namespace avx512 {
#define HEXMAP_BLOCKS_TARGET HEXMAP_TARGET_AVX512
#include "utf8_blocks.inc"
#undef HEXMAP_BLOCKS_TARGET
}  // namespace avx512
#endif
#endif  // HEXMAP_X86_SIMD

}  // namespace

const char* Utf8Implementation() {
  switch (g_impl) {
    case Impl::kAvx512: return "avx512";
    case Impl::kAvx2: return "avx2";
    case Impl::kSse2: return "sse2";
    default: return "scalar";
  }
}

void Utf8StatsStep(const uint8_t* base, uint64_t begin, uint64_t end, uint64_t range_end, Utf8Totals& t) {
  uint64_t blocks = 0;
  // The first block of a range goes one byte at a time, so the vector loads before a block never
  // leave the range.
  const uint64_t from = std::max(begin, t.range_start + 64);
#ifdef HEXMAP_X86_SIMD
  if (g_impl != Impl::kScalar && from < end && range_end - from >= 128) {
    blocks = std::min((end - from) / 64, (range_end - from) / 64 - 1);
  }
#endif
  if (blocks == 0) {
    Scalar(base, begin, end, range_end, t);
  } else {
    if (begin < from) Scalar(base, begin, from, range_end, t);
#ifdef HEXMAP_X86_SIMD
#ifdef HEXMAP_AVX2_DISPATCH
    if (g_impl == Impl::kAvx512) avx512::Blocks<Avx512>(base, from, blocks, t);
    else if (g_impl == Impl::kAvx2) avx2::Blocks<Avx2>(base, from, blocks, t);
    else
#endif
      sse2::Blocks<Sse2>(base, from, blocks, t);
#endif
    Scalar(base, from + 64 * blocks, end, range_end, t);
  }
  t.bytes += end - begin;
}

}  // namespace hexmap
