#include "async_scan.h"

#include <chrono>
#include <string>

#include "engine_error.h"
#include "fault_guard.h"

namespace hexmap {
namespace {

// A rejected promise's reason: an Error whose .code JS code can switch on.
Napi::Value CodedError(Napi::Env env, const Napi::Error& error, const std::string& code, const std::string& syscall) {
  Napi::Error coded = error;
  coded.Set("code", Napi::String::New(env, code));
  if (!syscall.empty()) coded.Set("syscall", Napi::String::New(env, syscall));
  return coded.Value();
}

class ScanWorker : public Napi::AsyncProgressWorker<uint64_t> {
 public:
  ScanWorker(Napi::Env env, std::unique_ptr<ScanJob> job, std::shared_ptr<Mapping> mapping,
             std::shared_ptr<std::atomic<bool>> closed, std::shared_ptr<std::atomic<bool>> cancel, Napi::Value on_progress)
      : Napi::AsyncProgressWorker<uint64_t>(env, "hexmap:scan"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        mapping_(std::move(mapping)),
        closed_(std::move(closed)),
        cancel_(std::move(cancel)) {
    if (on_progress.IsFunction()) progress_ = Napi::Persistent(on_progress.As<Napi::Function>());
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 private:
  struct StepContext {
    ScanJob* job;
    const uint8_t* base;
    uint64_t size;
    bool finished;
  };

  void Execute(const ExecutionProgress& progress) override {
    const uint8_t* base = mapping_ ? mapping_->base : nullptr;
    const uint64_t size = mapping_ ? mapping_->size : 0;
    auto last_report = std::chrono::steady_clock::now();
    for (;;) {
      if (cancel_->load()) return Fail("ERR_HEXMAP_CANCELLED", "Hexmap: scan cancelled");
      if (closed_->load()) return Fail("ERR_HEXMAP_CLOSED", "Hexmap: the file was closed during the scan");
      StepContext context{job_.get(), base, size, false};
      const bool completed = RunGuarded(base, static_cast<size_t>(size), [](void* c) {
        auto* step = static_cast<StepContext*>(c);
        step->finished = step->job->Step(step->base, step->size);
      }, &context);
      if (!completed) {
        return Fail("ERR_HEXMAP_TRUNCATED", "Hexmap: " + mapping_->file->path +
                                                " was truncated by another program (a scan touched a vanished page)");
      }
      if (context.finished) return;
      const auto now = std::chrono::steady_clock::now();
      if (!progress_.IsEmpty() && now - last_report >= std::chrono::milliseconds(50)) {
        last_report = now;
        const uint64_t done = job_->done;
        progress.Send(&done, 1);
      }
    }
  }

  void Fail(const char* code, const std::string& message) {
    code_ = code;
    SetError(message);
  }

  void OnProgress(const uint64_t* data, size_t count) override {
    if (count == 0 || progress_.IsEmpty()) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    progress_.Call({Napi::Number::New(env, static_cast<double>(data[count - 1])),
                    Napi::Number::New(env, static_cast<double>(job_->total))});
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (!progress_.IsEmpty()) {
      progress_.Call({Napi::Number::New(env, static_cast<double>(job_->total)), Napi::Number::New(env, static_cast<double>(job_->total))});
    }
    deferred_.Resolve(job_->Result(env));
  }

  void OnError(const Napi::Error& error) override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    deferred_.Reject(CodedError(env, error, code_, ""));
  }

  Napi::Promise::Deferred deferred_;
  std::unique_ptr<ScanJob> job_;
  std::shared_ptr<Mapping> mapping_;  // keeps the view mapped while we scan, whatever refresh/close do
  std::shared_ptr<std::atomic<bool>> closed_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  Napi::FunctionReference progress_;
  std::string code_;
};

class FlushWorker : public Napi::AsyncWorker {
 public:
  FlushWorker(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length)
      : Napi::AsyncWorker(env, "hexmap:flush"), deferred_(Napi::Promise::Deferred::New(env)),
        mapping_(std::move(mapping)), offset_(offset), length_(length) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 private:
  void Execute() override {
    try {
      MappedFile::Flush(*mapping_, offset_, length_);
    } catch (const EngineError& e) {
      code_ = e.code;
      syscall_ = e.syscall;
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& error) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(CodedError(Env(), error, code_, syscall_));
  }

  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Mapping> mapping_;
  uint64_t offset_, length_;
  std::string code_, syscall_;
};

}  // namespace

Napi::Object StartScan(Napi::Env env, std::unique_ptr<ScanJob> job, std::shared_ptr<Mapping> mapping,
                       std::shared_ptr<std::atomic<bool>> closed, Napi::Value on_progress) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto* worker = new ScanWorker(env, std::move(job), std::move(mapping), std::move(closed), cancel, on_progress);
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("promise", worker->Promise());
  handle.Set("cancel", Napi::Function::New(env, [cancel](const Napi::CallbackInfo&) { cancel->store(true); }, "cancel"));
  worker->Queue();  // the worker deletes itself when done
  return handle;
}

Napi::Promise StartFlush(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length) {
  auto* worker = new FlushWorker(env, std::move(mapping), offset, length);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace hexmap
