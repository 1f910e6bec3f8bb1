// The two x86 vector widths the block scans are written once for: a 64-byte
// block is kVectors vectors of Sse2 (16 bytes, the x86-64 baseline) or Avx2
// (32 bytes), or Avx512 (one 64-byte vector, AVX-512BW), the wider ones
// chosen at run time. A kernel is a template over one of these, compiled
// with the matching target attribute (see utf8_blocks.inc), so the wider
// code never runs on a CPU that lacks it and the build needs no flags.
#pragma once

#include "utf8_rule.h"

#ifdef HEXMAP_X86_SIMD

#if defined(__GNUC__)
#define HEXMAP_AVX2_DISPATCH 1  // GCC and clang compile a per-function AVX2 target
#define HEXMAP_TARGET_AVX2 __attribute__((target("avx2,popcnt,bmi")))
#define HEXMAP_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx2,popcnt,bmi")))
#else
#define HEXMAP_TARGET_AVX2
#endif

namespace hexmap {

// Bytes compare as signed (Gt): -128..-1 are 80..FF. Mask(v, k) puts the top bit of each byte of vector
// k of a block at bits k*kWidth.. of a 64-bit block mask.
struct Sse2 {
  using V = __m128i;
  static constexpr int kVectors = 4, kWidth = 16, kRegisters = 16;
  static constexpr bool kShuffle = false;  // PSHUFB is SSSE3: the baseline has no byte lookup
  static V Load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static V Splat(int8_t c) { return _mm_set1_epi8(c); }
  static V Zero() { return _mm_setzero_si128(); }
  static V Eq(V a, V b) { return _mm_cmpeq_epi8(a, b); }
  static V Gt(V a, V b) { return _mm_cmpgt_epi8(a, b); }
  static V And(V a, V b) { return _mm_and_si128(a, b); }
  static V AndNot(V a, V b) { return _mm_andnot_si128(a, b); }  // ~a & b
  static V Or(V a, V b) { return _mm_or_si128(a, b); }
  static V Sub(V a, V b) { return _mm_sub_epi8(a, b); }
  static uint64_t Mask(V a, int k) { return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(a))) << (k * kWidth); }
  static uint64_t MaskGt(V a, V b, int k) { return Mask(Gt(a, b), k); }
  static uint64_t MaskEq(V a, V b, int k) { return Mask(Eq(a, b), k); }
  // Byte-wise counting: M marks lanes (a vector of 00/FF here, a mask register on AVX-512);
  // CountIf adds 1 to the marked lanes of a counter.
  using M = V;
  static M EqM(V a, V b) { return Eq(a, b); }
  static M AndM(M a, M b) { return And(a, b); }
  static V CountIf(V counter, M m) { return Sub(counter, m); }
  // The sum of all byte lanes (counters that have not overflowed).
  static uint64_t SumBytes(V a) {
    const __m128i s = _mm_sad_epu8(a, _mm_setzero_si128());
    return static_cast<uint64_t>(_mm_cvtsi128_si64(s)) + static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s)));
  }
};

#ifdef HEXMAP_AVX2_DISPATCH
struct Avx2 {
  using V = __m256i;
  static constexpr int kVectors = 2, kWidth = 32, kRegisters = 16;
  static constexpr bool kShuffle = true;
  HEXMAP_TARGET_AVX2 static V Load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  HEXMAP_TARGET_AVX2 static V Splat(int8_t c) { return _mm256_set1_epi8(c); }
  HEXMAP_TARGET_AVX2 static V Zero() { return _mm256_setzero_si256(); }
  HEXMAP_TARGET_AVX2 static V Eq(V a, V b) { return _mm256_cmpeq_epi8(a, b); }
  HEXMAP_TARGET_AVX2 static V Gt(V a, V b) { return _mm256_cmpgt_epi8(a, b); }
  HEXMAP_TARGET_AVX2 static V And(V a, V b) { return _mm256_and_si256(a, b); }
  HEXMAP_TARGET_AVX2 static V AndNot(V a, V b) { return _mm256_andnot_si256(a, b); }
  HEXMAP_TARGET_AVX2 static V Or(V a, V b) { return _mm256_or_si256(a, b); }
  HEXMAP_TARGET_AVX2 static V Sub(V a, V b) { return _mm256_sub_epi8(a, b); }
  HEXMAP_TARGET_AVX2 static V Add(V a, V b) { return _mm256_add_epi8(a, b); }
  HEXMAP_TARGET_AVX2 static uint64_t Mask(V a, int k) {
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(a))) << (k * kWidth);
  }
  HEXMAP_TARGET_AVX2 static uint64_t MaskGt(V a, V b, int k) { return Mask(Gt(a, b), k); }
  HEXMAP_TARGET_AVX2 static uint64_t MaskEq(V a, V b, int k) { return Mask(Eq(a, b), k); }
  using M = V;
  HEXMAP_TARGET_AVX2 static M EqM(V a, V b) { return Eq(a, b); }
  HEXMAP_TARGET_AVX2 static M AndM(M a, M b) { return And(a, b); }
  HEXMAP_TARGET_AVX2 static V CountIf(V counter, M m) { return Sub(counter, m); }
  HEXMAP_TARGET_AVX2 static V Xor(V a, V b) { return _mm256_xor_si256(a, b); }
  HEXMAP_TARGET_AVX2 static V SubSat(V a, V b) { return _mm256_subs_epu8(a, b); }  // unsigned, floored at 0
  // A 16-entry table (repeated in every 16-byte lane) looked up by the low nibble of each byte of i
  // (i's bytes are 00..0F).
  HEXMAP_TARGET_AVX2 static V Table(const uint8_t* t) { return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t))); }
  HEXMAP_TARGET_AVX2 static V Lookup(V table, V i) { return _mm256_shuffle_epi8(table, i); }
  HEXMAP_TARGET_AVX2 static V HighNibble(V a) { return _mm256_and_si256(_mm256_srli_epi16(a, 4), _mm256_set1_epi8(0x0f)); }
  HEXMAP_TARGET_AVX2 static V LowNibble(V a) { return _mm256_and_si256(a, _mm256_set1_epi8(0x0f)); }
  HEXMAP_TARGET_AVX2 static bool Any(V a) { return !_mm256_testz_si256(a, a); }
  HEXMAP_TARGET_AVX2 static uint64_t NonZero(V a, int k) { return Mask(_mm256_cmpeq_epi8(a, _mm256_setzero_si256()), k) ^ (0xffffffffull << (k * kWidth)); }
  HEXMAP_TARGET_AVX2 static uint64_t SumBytes(V a) {
    const __m256i s = _mm256_sad_epu8(a, _mm256_setzero_si256());
    return static_cast<uint64_t>(_mm256_extract_epi64(s, 0)) + static_cast<uint64_t>(_mm256_extract_epi64(s, 1)) +
           static_cast<uint64_t>(_mm256_extract_epi64(s, 2)) + static_cast<uint64_t>(_mm256_extract_epi64(s, 3));
  }
};

// AVX-512BW compares give a 64-bit mask directly; where the kernel combines compare results as
// vectors, they are widened back to 00/FF bytes (one instruction).
// (GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside _mm512_set1_epi8 and the reductions.)
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
struct Avx512 {
  using V = __m512i;
  static constexpr int kVectors = 1, kWidth = 64, kRegisters = 32;
  static constexpr bool kShuffle = true;
  HEXMAP_TARGET_AVX512 static V Load(const uint8_t* p) { return _mm512_loadu_si512(p); }
  HEXMAP_TARGET_AVX512 static V Splat(int8_t c) { return _mm512_set1_epi8(c); }
  HEXMAP_TARGET_AVX512 static V Zero() { return _mm512_setzero_si512(); }
  HEXMAP_TARGET_AVX512 static V Eq(V a, V b) { return _mm512_movm_epi8(_mm512_cmpeq_epi8_mask(a, b)); }
  HEXMAP_TARGET_AVX512 static V Gt(V a, V b) { return _mm512_movm_epi8(_mm512_cmpgt_epi8_mask(a, b)); }
  HEXMAP_TARGET_AVX512 static V And(V a, V b) { return _mm512_and_si512(a, b); }
  HEXMAP_TARGET_AVX512 static V AndNot(V a, V b) { return _mm512_andnot_si512(a, b); }
  HEXMAP_TARGET_AVX512 static V Or(V a, V b) { return _mm512_or_si512(a, b); }
  HEXMAP_TARGET_AVX512 static V Sub(V a, V b) { return _mm512_sub_epi8(a, b); }
  HEXMAP_TARGET_AVX512 static uint64_t Mask(V a, int) { return _mm512_movepi8_mask(a); }
  HEXMAP_TARGET_AVX512 static uint64_t MaskGt(V a, V b, int) { return _mm512_cmpgt_epi8_mask(a, b); }
  HEXMAP_TARGET_AVX512 static uint64_t MaskEq(V a, V b, int) { return _mm512_cmpeq_epi8_mask(a, b); }
  using M = __mmask64;
  HEXMAP_TARGET_AVX512 static M EqM(V a, V b) { return _mm512_cmpeq_epi8_mask(a, b); }
  HEXMAP_TARGET_AVX512 static M AndM(M a, M b) { return a & b; }
  HEXMAP_TARGET_AVX512 static V CountIf(V counter, M m) { return _mm512_mask_sub_epi8(counter, m, counter, _mm512_set1_epi8(-1)); }
  HEXMAP_TARGET_AVX512 static M GeU(V a, V b) { return _mm512_cmpge_epu8_mask(a, b); }
  HEXMAP_TARGET_AVX512 static V Xor(V a, V b) { return _mm512_xor_si512(a, b); }
  HEXMAP_TARGET_AVX512 static V SubSat(V a, V b) { return _mm512_subs_epu8(a, b); }
  HEXMAP_TARGET_AVX512 static V Table(const uint8_t* t) { return _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t))); }
  HEXMAP_TARGET_AVX512 static V Lookup(V table, V i) { return _mm512_shuffle_epi8(table, i); }
  HEXMAP_TARGET_AVX512 static V HighNibble(V a) { return _mm512_and_si512(_mm512_srli_epi16(a, 4), _mm512_set1_epi8(0x0f)); }
  HEXMAP_TARGET_AVX512 static V LowNibble(V a) { return _mm512_and_si512(a, _mm512_set1_epi8(0x0f)); }
  HEXMAP_TARGET_AVX512 static bool Any(V a) { return _mm512_test_epi8_mask(a, a) != 0; }
  HEXMAP_TARGET_AVX512 static uint64_t NonZero(V a, int) { return _mm512_test_epi8_mask(a, a); }
  HEXMAP_TARGET_AVX512 static uint64_t SumBytes(V a) { return static_cast<uint64_t>(_mm512_reduce_add_epi64(_mm512_sad_epu8(a, _mm512_setzero_si512()))); }
};
#pragma GCC diagnostic pop
#endif

}  // namespace hexmap

#endif  // HEXMAP_X86_SIMD
