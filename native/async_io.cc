#include "async_io.h"

#include <vector>

#include "engine_error.h"
#include "js_error.h"
#include "worker_thread.h"

namespace hexmap {
namespace {

// A one-step job: Work() on the worker, then Resolve() or a rejection with the EngineError it threw.
class IoTask : public Task {
 public:
  explicit IoTask(Napi::Env env, std::string path) : deferred_(Napi::Promise::Deferred::New(env)), path_(std::move(path)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

  bool Step() final {
    try {
      Work();
    } catch (const EngineError& e) {
      error_ = std::make_unique<EngineError>(e);
    } catch (const std::bad_alloc&) {
      error_ = std::make_unique<EngineError>("ENOMEM", "ENOMEM: not enough memory, " + path_);
    }
    Drop();
    return true;
  }

  void Settle(Napi::Env env) final {
    if (error_) {
      deferred_.Reject(JsError(env, *error_, path_).Value());
      return;
    }
    try {
      deferred_.Resolve(Resolve(env));
    } catch (const EngineError& e) {
      deferred_.Reject(JsError(env, e, path_).Value());
    }
  }

 protected:
  virtual void Work() = 0;
  virtual Napi::Value Resolve(Napi::Env env) = 0;
  // Lets go of the mapping here on the worker, so the last holder never unmaps on the JS thread.
  virtual void Drop() {}

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  std::unique_ptr<EngineError> error_;
};

class OpenTask : public IoTask {
 public:
  OpenTask(Napi::Env env, std::string path, bool writable, bool fail_mmap, WrapOpened wrap)
      : IoTask(env, path), path_(std::move(path)), writable_(writable), fail_mmap_(fail_mmap), wrap_(std::move(wrap)) {}

 private:
  void Work() override { file_ = MappedFile::Open(path_, writable_, fail_mmap_); }
  Napi::Value Resolve(Napi::Env env) override { return wrap_(env, std::move(file_)); }

  std::string path_;
  bool writable_, fail_mmap_;
  WrapOpened wrap_;
  std::unique_ptr<MappedFile> file_;
};

class ReadTask : public IoTask {
 public:
  ReadTask(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length)
      : IoTask(env, mapping->file->path), mapping_(std::move(mapping)), offset_(offset) {
    // Allocated here, on the JS thread, and filled by the worker: the backing store of a Buffer never
    // moves, and the reference keeps it alive until the promise settles.
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(length));
    data_ = out.Data();
    length_ = out.Length();
    out_ = Napi::Persistent(out);
  }

 private:
  void Work() override { MappedFile::Read(*mapping_, offset_, length_, data_); }
  void Drop() override { mapping_.reset(); }
  Napi::Value Resolve(Napi::Env) override { return out_.Value(); }

  std::shared_ptr<Mapping> mapping_;
  uint64_t offset_;
  uint64_t length_ = 0;
  uint8_t* data_ = nullptr;
  Napi::Reference<Napi::Buffer<uint8_t>> out_;
};

class WriteTask : public IoTask {
 public:
  WriteTask(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, const uint8_t* bytes, uint64_t length)
      : IoTask(env, mapping->file->path), mapping_(std::move(mapping)), offset_(offset), bytes_(bytes, bytes + length) {}

 private:
  void Work() override { MappedFile::Write(*mapping_, offset_, bytes_.data(), bytes_.size()); }
  void Drop() override { mapping_.reset(); }
  Napi::Value Resolve(Napi::Env env) override { return env.Undefined(); }

  std::shared_ptr<Mapping> mapping_;
  uint64_t offset_;
  std::vector<uint8_t> bytes_;
};

class RefreshTask : public IoTask {
 public:
  RefreshTask(Napi::Env env, std::shared_ptr<FileHandle> file, bool writable, std::shared_ptr<Mapping> current,
              std::function<void(std::shared_ptr<Mapping>)> adopt)
      : IoTask(env, file->path), file_(std::move(file)), writable_(writable), current_(std::move(current)), adopt_(std::move(adopt)) {}

 private:
  void Work() override { current_ = MappedFile::Remap(file_, writable_, current_); }
  Napi::Value Resolve(Napi::Env env) override {
    const double size = static_cast<double>(current_->size);
    adopt_(std::move(current_));
    return Napi::Number::New(env, size);
  }

  std::shared_ptr<FileHandle> file_;
  bool writable_;
  std::shared_ptr<Mapping> current_;
  std::function<void(std::shared_ptr<Mapping>)> adopt_;
};

template <typename T>
Napi::Promise Submit(Napi::Env env, std::unique_ptr<T> task) {
  Napi::Promise promise = task->Promise();
  WorkerThread::Interactive().Submit(env, std::move(task));
  return promise;
}

}  // namespace

Napi::Promise StartOpen(Napi::Env env, std::string path, bool writable, bool fail_mmap, WrapOpened wrap) {
  return Submit(env, std::make_unique<OpenTask>(env, std::move(path), writable, fail_mmap, std::move(wrap)));
}

Napi::Promise StartRead(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length) {
  return Submit(env, std::make_unique<ReadTask>(env, std::move(mapping), offset, length));
}

Napi::Promise StartWrite(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, const uint8_t* bytes,
                         uint64_t length) {
  return Submit(env, std::make_unique<WriteTask>(env, std::move(mapping), offset, bytes, length));
}

Napi::Promise StartRefresh(Napi::Env env, std::shared_ptr<FileHandle> file, bool writable,
                           std::shared_ptr<Mapping> current, std::function<void(std::shared_ptr<Mapping>)> adopt) {
  return Submit(env, std::make_unique<RefreshTask>(env, std::move(file), writable, std::move(current), std::move(adopt)));
}

}  // namespace hexmap
