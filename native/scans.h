// The scan loops over mapped memory: pattern find, next / previous invalid
// or non-ASCII unit (UTF-8 statistics: utf8_stats.h). Plain functions over a base pointer and
// absolute offsets; each call covers one bounded step (a chunk) so the caller
// (scan_jobs.cc) can run it inside the fault guard, check for cancellation
// and report progress between steps. They allocate only by appending to the
// result vectors and never throw.
//
// Semantics match extension/engine/jsScans.ts exactly (the tests compare
// both to TextDecoder and to a naive search).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hexmap {

constexpr uint64_t kNone = UINT64_MAX;

struct FindPattern {
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> keep;  // bits that must match (after folding)
  std::vector<uint8_t> want;  // their required value
  std::vector<uint8_t> fold;  // 0x20 where an ASCII letter matches either case
  int anchor = -1;            // an exact, unfolded byte (the rarest one): memchr finds candidates
  int fold_anchor = -1;       // else a case-folded letter: a SIMD either-case scan finds candidates
  bool plain = false;         // every byte exact: memcmp verifies
  size_t size() const { return bytes.size(); }
};

// mask: 0xff = exact, 0 = wildcard (partial masks compare the set bits).
FindPattern CompilePattern(const uint8_t* pattern, const uint8_t* mask, size_t length, bool ignore_case);

// Appends matching starts in [first, last] (ascending) until `out` holds `max`.
// Bytes up to last + size - 1 must be mapped. Returns true when it stopped at `max`.
bool FindForward(const uint8_t* base, uint64_t first, uint64_t last, const FindPattern& p,
                 std::vector<uint64_t>& out, size_t max);
// Same, descending from `last` down to `first`.
bool FindBackward(const uint8_t* base, uint64_t first, uint64_t last, const FindPattern& p,
                  std::vector<uint64_t>& out, size_t max);

enum class UnitKind { kInvalid = 0, kNonAscii = 1 };

// The unit boundary at or before `at`: the nearest non-continuation byte within 3 before, else `at`.
uint64_t SyncPoint(const uint8_t* base, uint64_t at);

// Forward: decodes units from *cursor (a unit boundary) while they start before `end`; returns the
// first start >= min_start of the wanted kind, or kNone (then *cursor is where to continue).
uint64_t FindUnitForward(const uint8_t* base, uint64_t size, uint64_t* cursor, uint64_t end, uint64_t min_start, UnitKind kind);
// Backward: the last unit of the wanted kind starting in [s, e), or kNone.
uint64_t FindUnitInBlock(const uint8_t* base, uint64_t size, uint64_t s, uint64_t e, UnitKind kind);

}  // namespace hexmap
