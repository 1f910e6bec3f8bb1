// Hexmap's own worker threads. Nothing Hexmap does runs on the libuv pool.
//
// Why threads of our own rather than libuv work items: the extension host
// has one libuv pool (4 threads) for every extension's file I/O, DNS and
// crypto. A scan queued as a pool work item holds its thread for seconds, so
// four scans (status bar, inspector, report, find count) took the whole pool
// and one fs.promises.stat waited 34 s. Bounded chunks re-queued on the pool
// would interleave, but each re-queue goes to the back of a shared queue (a
// scan slows down whenever anyone else is busy) and still occupies a pool
// thread per chunk. Three threads of our own cost three stacks and take nothing
// from anyone:
//
//   Interactive(): opens, window reads, writes, refresh. Short jobs a user is
//                  waiting for; they never queue behind a scan.
//   Background():  scans. Every job runs as a sequence of bounded steps,
//                  round-robin: eight concurrent scans share the thread
//                  fairly and a cancelled one stops at its next turn. It runs
//                  at a lower priority than the JS thread.
//   Sync():        msync + fsync for a save: the user waits for it, so it
//                  neither queues behind scans nor holds up window reads
//                  while a slow disk syncs.
//
// Results come back to the JS thread through a napi_threadsafe_function per
// job (it also keeps the event loop alive while the job is pending, as a
// pending fs call would).
#pragma once

#include <napi.h>

#include <memory>

namespace hexmap {

class Task {
 public:
  virtual ~Task() = default;
  // Worker thread: one bounded piece of work. Returns true when finished (done or failed). Must not throw.
  virtual bool Step() = 0;
  // JS thread, once, after the last Step: resolve or reject.
  virtual void Settle(Napi::Env env) = 0;
  // JS thread, now and then (at most every 50 ms) while steps remain, when WantsProgress().
  virtual void Report(Napi::Env) {}
  virtual bool WantsProgress() const { return false; }
};

class WorkerThread {
 public:
  static WorkerThread& Interactive();
  static WorkerThread& Background();
  static WorkerThread& Sync();

  // JS thread. Takes the task; Settle runs later on this env's JS thread, then the task is deleted.
  void Submit(Napi::Env env, std::unique_ptr<Task> task);

  struct Impl;

 private:
  explicit WorkerThread(bool background);
  Impl* impl_;
};

// Lets go of `a` and `b` on the interactive thread: unmapping gigabytes of populated mapping (or closing a
// descriptor on a network mount) takes long enough to be felt on the JS thread.
void DropOnWorker(Napi::Env env, std::shared_ptr<void> a, std::shared_ptr<void> b = nullptr);

}  // namespace hexmap
