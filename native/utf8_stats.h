// UTF-8 statistics of a byte range at memory speed: characters of each
// length, invalid sequences (maximal subparts, as TextDecoder counts them)
// with the offsets of the first ones, NUL bytes and line ends. One pass over
// the bytes, 64 at a time, counting every class in the same pass. Plain
// functions over a base pointer and absolute offsets: the caller
// (scan_jobs.cc) runs each step inside the fault guard.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hexmap {

struct Utf8Totals {
  uint64_t bytes = 0, high = 0, nul = 0, lf = 0, cr = 0, crlf = 0;  // byte classes (lf, cr: all, pairs not yet subtracted)
  uint64_t two = 0, three = 0, four = 0, invalid = 0;             // non-ASCII units
  std::vector<uint64_t> invalid_offsets;
  size_t max_invalid_offsets = 100;
  uint64_t range_start = 0;  // where the range begins: bytes before it are not part of it
};

// Counts the bytes of [begin, end), and the units starting there, of a range [t.range_start,
// range_end) (units may read up to 3 bytes past `end`, never past range_end). Steps over
// consecutive pieces of one range add up to the answer for the whole range.
void Utf8StatsStep(const uint8_t* base, uint64_t begin, uint64_t end, uint64_t range_end, Utf8Totals& t);

// Which implementation counts: "avx512", "avx2", "sse2" or "scalar". The best the CPU has, unless the
// environment variable HEXMAP_SIMD names another (read once, when the addon loads), so the tests
// can hold each one to the same answers.
const char* Utf8Implementation();

}  // namespace hexmap
