#include "async_scan.h"

#include <string>

#include "engine_error.h"
#include "fault_guard.h"
#include "js_error.h"
#include "worker_thread.h"

namespace hexmap {
namespace {

class ScanTask : public Task {
 public:
  ScanTask(Napi::Env env, std::unique_ptr<ScanJob> job, std::shared_ptr<Mapping> mapping,
           std::shared_ptr<std::atomic<bool>> closed, std::shared_ptr<std::atomic<bool>> cancel, Napi::Value on_progress)
      : deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        mapping_(std::move(mapping)),
        closed_(std::move(closed)),
        cancel_(std::move(cancel)) {
    if (on_progress.IsFunction()) progress_ = Napi::Persistent(on_progress.As<Napi::Function>());
    wants_progress_ = !progress_.IsEmpty();
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

  bool Step() override {
    if (cancel_->load()) return Fail(EngineError("ERR_HEXMAP_CANCELLED", "Hexmap: scan cancelled"));
    if (closed_->load()) return Fail(EngineError("ERR_HEXMAP_CLOSED", "Hexmap: the file was closed during the scan"));
    StepContext context{job_.get(), mapping_->base, mapping_->size, false};
    const bool completed = RunGuarded(context.base, static_cast<size_t>(context.size), [](void* c) {
      auto* step = static_cast<StepContext*>(c);
      step->finished = step->job->Step(step->base, step->size);
    }, &context);
    if (!completed) {
      return Fail(EngineError("ERR_HEXMAP_TRUNCATED", "Hexmap: " + mapping_->file->path +
                                                          " was truncated by another program (a scan touched a vanished page)"));
    }
    done_.store(job_->done, std::memory_order_relaxed);
    if (context.finished) mapping_.reset();  // the last holder unmaps here, not on the JS thread
    return context.finished;
  }

  bool WantsProgress() const override { return wants_progress_; }

  void Report(Napi::Env env) override {
    progress_.Call({Napi::Number::New(env, static_cast<double>(done_.load(std::memory_order_relaxed))),
                    Napi::Number::New(env, static_cast<double>(job_->total))});
  }

  void Settle(Napi::Env env) override {
    if (error_) {
      deferred_.Reject(JsError(env, *error_, "").Value());
      return;
    }
    // Resolved first: a progress callback that throws must not leave the promise pending. (Its
    // continuations run after this callback, so they still see the final progress first.)
    deferred_.Resolve(job_->Result(env));
    if (wants_progress_) {
      const Napi::Value total = Napi::Number::New(env, static_cast<double>(job_->total));
      progress_.Call({total, total});
    }
  }

 private:
  struct StepContext {
    ScanJob* job;
    const uint8_t* base;
    uint64_t size;
    bool finished;
  };

  bool Fail(EngineError e) {
    error_ = std::make_unique<EngineError>(std::move(e));
    mapping_.reset();
    return true;
  }

  Napi::Promise::Deferred deferred_;
  std::unique_ptr<ScanJob> job_;
  std::shared_ptr<Mapping> mapping_;  // keeps the view mapped while we scan, whatever refresh/close do
  std::shared_ptr<std::atomic<bool>> closed_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  Napi::FunctionReference progress_;
  bool wants_progress_ = false;
  std::atomic<uint64_t> done_{0};  // written by the worker, read by Report on the JS thread
  std::unique_ptr<EngineError> error_;
};

class BytesScanTask : public Task {
 public:
  BytesScanTask(Napi::Env env, std::unique_ptr<ScanJob> job, Napi::Uint8Array bytes)
      : deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        bytes_(Napi::Persistent(bytes)),
        data_(bytes.Data()),
        size_(bytes.ElementLength()) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  // The job's offsets were checked against the array's length; its memory cannot vanish (unlike a
  // mapped file's pages), so no fault guard is needed.
  bool Step() override { return job_->Step(data_, size_); }

  void Settle(Napi::Env env) override { deferred_.Resolve(job_->Result(env)); }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<ScanJob> job_;
  Napi::Reference<Napi::Uint8Array> bytes_;  // released on the JS thread, with the task
  const uint8_t* data_;
  uint64_t size_;
};

class FlushTask : public Task {
 public:
  FlushTask(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length)
      : deferred_(Napi::Promise::Deferred::New(env)), mapping_(std::move(mapping)), offset_(offset), length_(length) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  bool Step() override {
    try {
      MappedFile::Flush(*mapping_, offset_, length_);
    } catch (const EngineError& e) {
      error_ = std::make_unique<EngineError>(e);
    }
    mapping_.reset();
    return true;
  }

  void Settle(Napi::Env env) override {
    if (error_) deferred_.Reject(JsError(env, *error_, "").Value()); else deferred_.Resolve(env.Undefined());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Mapping> mapping_;
  uint64_t offset_, length_;
  std::unique_ptr<EngineError> error_;
};

}  // namespace

Napi::Object StartScan(Napi::Env env, std::unique_ptr<ScanJob> job, std::shared_ptr<Mapping> mapping,
                       std::shared_ptr<std::atomic<bool>> closed, Napi::Value on_progress) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto task = std::make_unique<ScanTask>(env, std::move(job), std::move(mapping), std::move(closed), cancel, on_progress);
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("promise", task->Promise());
  handle.Set("cancel", Napi::Function::New(env, [cancel](const Napi::CallbackInfo&) { cancel->store(true); }, "cancel"));
  WorkerThread::Background().Submit(env, std::move(task));
  return handle;
}

Napi::Promise StartBytesScan(Napi::Env env, std::unique_ptr<ScanJob> job, Napi::Uint8Array bytes) {
  auto task = std::make_unique<BytesScanTask>(env, std::move(job), bytes);
  Napi::Promise promise = task->Promise();
  WorkerThread::Background().Submit(env, std::move(task));
  return promise;
}

Napi::Promise StartFlush(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length) {
  auto task = std::make_unique<FlushTask>(env, std::move(mapping), offset, length);
  Napi::Promise promise = task->Promise();
  WorkerThread::Sync().Submit(env, std::move(task));
  return promise;
}

}  // namespace hexmap
