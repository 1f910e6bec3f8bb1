// Runs a ScanJob on the background worker thread (worker_thread.h), one
// bounded step per turn, so a scan of gigabytes neither blocks the extension
// host's event loop nor holds a libuv pool thread. Before each step it checks
// the cancel flag (set by the returned cancel()) and the file's closed flag,
// and it reports progress at most every 50 ms. Each step runs inside the
// fault guard: a truncated file rejects with ERR_HEXMAP_TRUNCATED.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>

#include "mapped_file.h"
#include "scan_jobs.h"

namespace hexmap {

// Queues the job; returns { promise, cancel } to JS. `on_progress` may be undefined.
Napi::Object StartScan(Napi::Env env, std::unique_ptr<ScanJob> job, std::shared_ptr<Mapping> mapping,
                       std::shared_ptr<std::atomic<bool>> closed, Napi::Value on_progress);

// Runs the job over `bytes` (memory JS owns, such as a chunk a plain read filled) on the background
// thread, where it takes its turn with the other scans; returns a promise of its result. The array is
// referenced until then, so it cannot be collected; as with Node's own asynchronous fs calls, the
// caller must neither write it nor transfer its buffer away while the promise is pending.
Napi::Promise StartBytesScan(Napi::Env env, std::unique_ptr<ScanJob> job, Napi::Uint8Array bytes);

// msync + fsync of a range on the sync thread; returns a promise.
Napi::Promise StartFlush(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length);

}  // namespace hexmap
