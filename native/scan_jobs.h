// The three long scans as resumable jobs: each Step() covers one chunk of
// the file (so the worker can check for cancellation and report progress in
// between) and Result() turns the answer into JS values on the main thread.
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

#include "scans.h"
#include "utf8_stats.h"

namespace hexmap {

class ScanJob {
 public:
  virtual ~ScanJob() = default;
  // Runs inside the fault guard on a pool thread: must not throw. Returns true when finished.
  virtual bool Step(const uint8_t* base, uint64_t size) = 0;
  virtual Napi::Value Result(Napi::Env env) const = 0;
  uint64_t done = 0;
  uint64_t total = 0;
};

// Bytes per step: ~1 ms of work at memory speed, so cancel is prompt and the guard's cost vanishes.
constexpr uint64_t kScanStep = 8u << 20;

class FindJob : public ScanJob {
 public:
  FindJob(FindPattern pattern, bool backward, uint64_t from, uint64_t range_start, uint64_t range_end, uint64_t max_matches);
  bool Step(const uint8_t* base, uint64_t size) override;
  Napi::Value Result(Napi::Env env) const override;

 private:
  FindPattern pattern_;
  bool backward_;
  uint64_t lowest_ = 0, highest_ = 0;  // candidate starts, inclusive (empty when total == 0)
  uint64_t next_ = 0;                  // next candidate to examine
  size_t max_;
  std::vector<uint64_t> matches_;
  bool complete_ = true;
};

// Counts [begin, end) of the range [range_start, range_end) (offsets from the base pointer Step is
// given). The mapped file counts whole ranges; a chunk that plain reads brought into memory counts
// its part of a range with the bytes around it, `bias` being the chunk's file offset (added to the
// invalid offsets it reports). A BOM is looked for only where the range begins.
class Utf8StatsJob : public ScanJob {
 public:
  Utf8StatsJob(uint64_t offset, uint64_t length, size_t max_invalid_offsets)
      : Utf8StatsJob(offset, offset + length, offset, offset + length, max_invalid_offsets, 0) {}
  Utf8StatsJob(uint64_t begin, uint64_t end, uint64_t range_start, uint64_t range_end, size_t max_invalid_offsets, uint64_t bias);
  bool Step(const uint8_t* base, uint64_t size) override;
  Napi::Value Result(Napi::Env env) const override;

 private:
  uint64_t begin_, end_, range_end_, bias_;
  bool bom_ = false;
  Utf8Totals totals_;
};

// The first (forward) or last (backward) unit of a kind starting in [low, high); units are decoded with
// the bytes around them, inside the range or not.
class UnitJob : public ScanJob {
 public:
  UnitJob(UnitKind kind, uint64_t low, uint64_t high, bool backward);
  bool Step(const uint8_t* base, uint64_t size) override;
  Napi::Value Result(Napi::Env env) const override;

 private:
  UnitKind kind_;
  uint64_t low_, high_;
  bool backward_;
  bool started_ = false;
  uint64_t cursor_ = 0;   // forward: next unit boundary
  uint64_t scanned_ = 0;  // forward: starts below here are done; backward: blocks below here remain
  uint64_t found_ = kNone;
  uint64_t block_ = 0;    // backward: size of the last block decoded
};

}  // namespace hexmap
