#include "utf8_stats.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "simd.h"
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
// A character is counted at its last byte: an n-byte lead at j is a valid
// character exactly when bytes j+1..j+n-1 all continue the unit before them
// (then each continues through B or C, which is this lead's unit). Every non-ASCII byte that continues nothing starts a unit, and
// the units that are not valid characters are the invalid sequences: their
// number is the starts minus the characters, with no look at the bytes
// after a block. Only the offsets of the first invalid sequences need to
// know which starts are bad, and they look one block ahead while the list
// is not full. Valid text and invalid input take the same path, so nothing
// is validated twice when an error turns up, and the counts of invalid input
// are exact by construction.
//
// Masks are 64-bit, bit k = byte b+k of the block at b.
struct Block {
  uint64_t high = 0, cont_byte = 0, lead = 0, l34 = 0, l4 = 0, l2 = 0, l3 = 0;
  uint64_t r = 0;     // byte j is in the second-byte range of lead j-1 (when j-1 is one)
  uint64_t cont = 0;  // byte j continues the unit before it
};

inline uint64_t Shift(uint64_t now, uint64_t before, unsigned k) { return (now << k) | (before >> (64 - k)); }

// The masks of the block at p whose first vector is v[0]... (p - 1 readable), given the previous
// block's masks for cont.
template <class S>
inline void Classify(const uint8_t* p, const typename S::V* v, uint64_t high, const Block& prev, Block& m) {
  using V = typename S::V;
  // Signed compares: 80..BF are -128..-65, C2.. is > -63, E0.. > -33, F0.. > -17, F5.. > -12.
  uint64_t cont_byte = 0, ge_c2 = 0, ge_e0 = 0, ge_f0 = 0, ge_f5 = 0, narrow = 0;
  for (int k = 0; k < S::kVectors; ++k) {
    const V x = v[k];
    const V before = S::Load(p + k * S::kWidth - 1);
    cont_byte |= S::MaskGt(S::Splat(-64), x, k);
    ge_c2 |= S::MaskGt(x, S::Splat(-63), k);
    ge_e0 |= S::MaskGt(x, S::Splat(-33), k);
    ge_f0 |= S::MaskGt(x, S::Splat(-17), k);
    ge_f5 |= S::MaskGt(x, S::Splat(-12), k);
    // The second-byte range is 80..BF except after E0 (A0..), ED (..9F), F0 (90..), F4 (..8F).
    const V below_a0 = S::Gt(S::Splat(-96), x), below_90 = S::Gt(S::Splat(-112), x);
    const V after_e0 = S::Eq(before, S::Splat(-32)), after_ed = S::Eq(before, S::Splat(-19));
    const V after_f0 = S::Eq(before, S::Splat(-16)), after_f4 = S::Eq(before, S::Splat(-12));
    const V out = S::Or(S::Or(S::And(after_e0, below_a0), S::AndNot(below_a0, after_ed)),
                        S::Or(S::And(after_f0, below_90), S::AndNot(below_90, after_f4)));
    narrow |= S::Mask(out, k);
  }
  ge_c2 &= high, ge_e0 &= high, ge_f0 &= high, ge_f5 &= high;  // the compares also matched ASCII
  m.high = high;
  m.cont_byte = cont_byte;
  m.lead = ge_c2 & ~ge_f5;
  m.l34 = ge_e0 & ~ge_f5;
  m.l4 = ge_f0 & ~ge_f5;
  m.l2 = ge_c2 & ~ge_e0;
  m.l3 = ge_e0 & ~ge_f0;
  m.r = cont_byte & ~narrow;
  const uint64_t a = Shift(m.lead, prev.lead, 1) & m.r;
  const uint64_t b = Shift(m.l34, prev.l34, 2) & Shift(m.r, prev.r, 1) & m.cont_byte;
  const uint64_t c = Shift(m.l4, prev.l4, 3) & Shift(m.r, prev.r, 2) & Shift(m.cont_byte, prev.cont_byte, 1) & m.cont_byte;
  m.cont = a | b | c;
}

// Masks of the 3 bytes before `at` only (bits 61..63), read one by one; bytes before the range are
// not part of it and count as absent. (cont stays 0: it only matters for characters ending at `at`
// and after, which the first block looks at itself.)
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

// The invalid sequences starting in block `m` at `at`, given the cont mask of the block after it.
inline void PushInvalidOffsets(const Block& m, uint64_t next_cont, uint64_t at, Utf8Totals& t) {
  const uint64_t c = m.cont, n = next_cont;
  const uint64_t c1 = (c >> 1) | (n << 63), c2 = (c >> 2) | (n << 62), c3 = (c >> 3) | (n << 61);
  const uint64_t valid = (m.l2 & c1) | (m.l3 & c1 & c2) | (m.l4 & c1 & c2 & c3);
  for (uint64_t bad = m.high & ~c & ~valid; bad != 0 && t.invalid_offsets.size() < t.max_invalid_offsets; bad &= bad - 1) {
    t.invalid_offsets.push_back(at + LowestBit64(bad));
  }
}

// The running counts of one Blocks call.
struct UnitCounts {
  uint64_t high = 0, starts = 0, two = 0, three = 0, four = 0;
  uint64_t before_from = 0x7;  // characters that started before the call end in its first 3 bytes: not its to count
  bool pending = false;        // the previous block's invalid offsets wait for this block's cont mask
};

// One block holding a byte >= 0x80 (v: its vectors, high: their top bits), after the block `prev`,
// which it replaces. Kept out of the loop over blocks (see NonAsciiBlock below).
template <class S>
inline void CountNonAscii(const uint8_t* base, const uint8_t* p, const typename S::V* v, uint64_t high, Block& prev,
                          UnitCounts& n, Utf8Totals& t) {
  Block m;
  Classify<S>(p, v, high, prev, m);
  const uint64_t cont1 = Shift(m.cont, prev.cont, 1), cont2 = Shift(m.cont, prev.cont, 2);
  const uint64_t ends2 = Shift(m.l2, prev.l2, 1) & m.cont;
  const uint64_t ends3 = Shift(m.l3, prev.l3, 2) & m.cont & cont1;
  const uint64_t ends4 = Shift(m.l4, prev.l4, 3) & m.cont & cont1 & cont2;
  n.high += PopCount64(high);
  n.starts += PopCount64(high & ~m.cont);
  n.two += PopCount64(ends2 & ~(n.before_from & 0x1));
  n.three += PopCount64(ends3 & ~(n.before_from & 0x3));
  n.four += PopCount64(ends4 & ~n.before_from);
  n.before_from = 0;
  if (n.pending) PushInvalidOffsets(prev, m.cont, static_cast<uint64_t>(p - base) - 64, t);
  n.pending = t.invalid_offsets.size() < t.max_invalid_offsets;
  prev = m;
}

// The characters starting in the last block `prev` that end in the block at p after it (read, not
// counted), and the last block's invalid offsets.
template <class S>
inline void FinishBlocks(const uint8_t* base, const uint8_t* p, const Block& prev, UnitCounts& n, Utf8Totals& t) {
  typename S::V v[S::kVectors];
  uint64_t high = 0;
  for (int j = 0; j < S::kVectors; ++j) {
    v[j] = S::Load(p + j * S::kWidth);
    high |= S::Mask(v[j], j);
  }
  Block next;
  if (high != 0) {
    Classify<S>(p, v, high, prev, next);
    const uint64_t cont1 = Shift(next.cont, prev.cont, 1), cont2 = Shift(next.cont, prev.cont, 2);
    n.two += PopCount64(Shift(next.l2, prev.l2, 1) & next.cont & 0x1);
    n.three += PopCount64(Shift(next.l3, prev.l3, 2) & next.cont & cont1 & 0x3);
    n.four += PopCount64(Shift(next.l4, prev.l4, 3) & next.cont & cont1 & cont2 & 0x7);
  }
  if (n.pending) PushInvalidOffsets(prev, next.cont, static_cast<uint64_t>(p - base) - 64, t);
}

// The out-of-line forms, one per vector width (each compiled for its target). With 16 vector
// registers the loop over blocks stays small enough for its counters to live in registers, and only
// non-ASCII blocks pay a call; with 32 (AVX-512) everything fits inline, and a call would cost more
// (every vector register is caller-saved).
#define HEXMAP_NOINLINE __attribute__((noinline))
HEXMAP_NOINLINE HEXMAP_FLATTEN void NonAsciiBlock(Sse2, const uint8_t* base, const uint8_t* p, const Sse2::V* v, uint64_t high,
                                                  Block& prev, UnitCounts& n, Utf8Totals& t) {
  CountNonAscii<Sse2>(base, p, v, high, prev, n, t);
}
HEXMAP_NOINLINE HEXMAP_FLATTEN void Finish(Sse2, const uint8_t* base, const uint8_t* p, const Block& prev, UnitCounts& n, Utf8Totals& t) {
  FinishBlocks<Sse2>(base, p, prev, n, t);
}
#ifdef HEXMAP_AVX2_DISPATCH
HEXMAP_TARGET_AVX2 HEXMAP_NOINLINE HEXMAP_FLATTEN void NonAsciiBlock(Avx2, const uint8_t* base, const uint8_t* p, const Avx2::V* v,
                                                                     uint64_t high, Block& prev, UnitCounts& n, Utf8Totals& t) {
  CountNonAscii<Avx2>(base, p, v, high, prev, n, t);
}
HEXMAP_TARGET_AVX2 HEXMAP_NOINLINE HEXMAP_FLATTEN void Finish(Avx2, const uint8_t* base, const uint8_t* p, const Block& prev, UnitCounts& n,
                                                              Utf8Totals& t) {
  FinishBlocks<Avx2>(base, p, prev, n, t);
}
#endif

// Counts `blocks` blocks of 64 bytes from `from` (>= range start + 1): the byte classes, the units
// starting there and the characters that start there. Reads one block after them (a character
// starting in the last block may end there), so from + 64 * (blocks + 1) must lie in the range.
//
// The classes are counted with compares whose -1 lanes are subtracted into byte-wide counters,
// folded into totals before they could overflow; a CRLF is an LF whose byte before is a CR
// (a second, unaligned load), so no count depends on a branch.
template <class S>
inline void Blocks(const uint8_t* base, uint64_t from, uint64_t blocks, Utf8Totals& t) {
  using V = typename S::V;
  const uint8_t* p = base + from;
  Block prev = ContextMasks(base, from, t.range_start);
  UnitCounts n;
  const V lf = S::Splat('\n'), cr = S::Splat('\r'), zero = S::Zero();
  for (uint64_t done = 0; done < blocks;) {
    const uint64_t run = std::min<uint64_t>(blocks - done, 255 / S::kVectors);
    V n_lf = zero, n_cr = zero, n_nul = zero, n_crlf = zero;
    for (uint64_t k = 0; k < run; ++k, p += 64) {
      V v[S::kVectors];
      uint64_t high = 0;
      for (int j = 0; j < S::kVectors; ++j) {
        v[j] = S::Load(p + j * S::kWidth);
        high |= S::Mask(v[j], j);
        const V is_lf = S::Eq(v[j], lf);
        n_lf = S::Sub(n_lf, is_lf);
        n_cr = S::Sub(n_cr, S::Eq(v[j], cr));
        n_nul = S::Sub(n_nul, S::Eq(v[j], zero));
        n_crlf = S::Sub(n_crlf, S::And(S::Eq(S::Load(p + j * S::kWidth - 1), cr), is_lf));
      }
      if (high != 0) {
        if constexpr (S::kRegisters >= 32) CountNonAscii<S>(base, p, v, high, prev, n, t);
        else NonAsciiBlock(S{}, base, p, v, high, prev, n, t);
      } else if (prev.high != 0 || n.pending) {  // all ASCII: nothing starts, continues or ends here
        if (n.pending) PushInvalidOffsets(prev, 0, static_cast<uint64_t>(p - base) - 64, t);
        n.pending = false;
        prev = Block{};
        n.before_from = 0;
      } else {
        n.before_from = 0;
      }
    }
    done += run;
    t.lf += S::SumBytes(n_lf);
    t.cr += S::SumBytes(n_cr);
    t.nul += S::SumBytes(n_nul);
    t.crlf += S::SumBytes(n_crlf);
  }
  Finish(S{}, base, p, prev, n, t);
  t.high += n.high;
  t.two += n.two;
  t.three += n.three;
  t.four += n.four;
  t.invalid += n.starts - n.two - n.three - n.four;
}

HEXMAP_FLATTEN void BlocksSse2(const uint8_t* base, uint64_t from, uint64_t blocks, Utf8Totals& t) {
  Blocks<Sse2>(base, from, blocks, t);
}
#ifdef HEXMAP_AVX2_DISPATCH
HEXMAP_TARGET_AVX2 HEXMAP_FLATTEN void BlocksAvx2(const uint8_t* base, uint64_t from, uint64_t blocks, Utf8Totals& t) {
  Blocks<Avx2>(base, from, blocks, t);
}
HEXMAP_TARGET_AVX512 HEXMAP_NOINLINE HEXMAP_FLATTEN void Finish(Avx512, const uint8_t* base, const uint8_t* p, const Block& prev, UnitCounts& n,
                                                                Utf8Totals& t) {
  FinishBlocks<Avx512>(base, p, prev, n, t);
}
HEXMAP_TARGET_AVX512 HEXMAP_FLATTEN void BlocksAvx512(const uint8_t* base, uint64_t from, uint64_t blocks, Utf8Totals& t) {
  Blocks<Avx512>(base, from, blocks, t);
}
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
    if (g_impl == Impl::kAvx512) BlocksAvx512(base, from, blocks, t);
    else if (g_impl == Impl::kAvx2) BlocksAvx2(base, from, blocks, t);
    else
#endif
      BlocksSse2(base, from, blocks, t);
#endif
    Scalar(base, from + 64 * blocks, end, range_end, t);
  }
  t.bytes += end - begin;
}

}  // namespace hexmap
