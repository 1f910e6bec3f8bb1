// Module init and the JS class MappedFile: argument checks (again: the
// TypeScript layer already validated them), conversion of EngineError into
// JS errors with .code/.syscall/.path, and nothing else. The work lives in
// mapped_file.cc, scans.cc, scan_jobs.cc and async_scan.cc.
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>

#include "async_scan.h"
#include "engine_error.h"
#include "fault_guard.h"
#include "mapped_file.h"
#include "scan_jobs.h"
#include "scans.h"

namespace hexmap {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;
constexpr size_t kMaxPattern = 4096;

[[noreturn]] void ThrowEngineError(Napi::Env env, const EngineError& e, const std::string& path) {
  Napi::Error error = e.code == "ERR_OUT_OF_RANGE" ? Napi::RangeError::New(env, e.what()) : Napi::Error::New(env, e.what());
  error.Set("code", Napi::String::New(env, e.code));
  if (!e.syscall.empty()) error.Set("syscall", Napi::String::New(env, e.syscall));
  error.Set("path", Napi::String::New(env, path));
  throw error;
}

uint64_t IntegerArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  if (!value.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > kMaxSafeInteger || std::floor(d) != d) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be a non-negative safe integer");
  }
  return static_cast<uint64_t>(d);
}

Napi::Uint8Array BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Uint8Array");
  }
  return value.As<Napi::Uint8Array>();
}

class MappedFileWrap : public Napi::ObjectWrap<MappedFileWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "MappedFile", {
      InstanceAccessor<&MappedFileWrap::Size>("size"),
      InstanceAccessor<&MappedFileWrap::Writable>("writable"),
      InstanceMethod<&MappedFileWrap::Read>("read"),
      InstanceMethod<&MappedFileWrap::Write>("write"),
      InstanceMethod<&MappedFileWrap::Flush>("flush"),
      InstanceMethod<&MappedFileWrap::Refresh>("refresh"),
      InstanceMethod<&MappedFileWrap::Close>("close"),
      InstanceMethod<&MappedFileWrap::Find>("find"),
      InstanceMethod<&MappedFileWrap::Utf8Stats>("utf8Stats"),
      InstanceMethod<&MappedFileWrap::FindUnit>("findUnit"),
    });
  }

  // new MappedFile(path: string, writable: boolean)
  explicit MappedFileWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MappedFileWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "path must be a string");
    if (!info[1].IsBoolean()) throw Napi::TypeError::New(env, "writable must be a boolean");
    path_ = info[0].As<Napi::String>().Utf8Value();
    try {
      file_ = MappedFile::Open(path_, info[1].As<Napi::Boolean>().Value());
    } catch (const EngineError& e) {
      ThrowEngineError(env, e, path_);
    }
  }

 private:
  MappedFile& Usable(Napi::Env env) {
    if (file_->closed()) ThrowEngineError(env, EngineError("ERR_HEXMAP_CLOSED", "Hexmap: " + path_ + " is closed"), path_);
    return *file_;
  }

  void CheckRange(Napi::Env env, uint64_t offset, uint64_t length, uint64_t cap) {
    const uint64_t size = file_->size();
    if (length > cap) throw Napi::RangeError::New(env, "length exceeds the limit of " + std::to_string(cap) + " bytes");
    if (offset > size || length > size - offset) throw Napi::RangeError::New(env, "range is outside the file");
  }

  Napi::Value Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(file_->size())); }
  Napi::Value Writable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), file_->writable()); }

  // read(offset, length): a fresh Buffer V8 owns, filled by a guarded copy (never a view of the mapping).
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    const uint64_t length = IntegerArg(info, 1, "length");
    CheckRange(env, offset, length, kMaxTransfer);
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(length));
    try {
      file.Read(offset, length, out.Data());
    } catch (const EngineError& e) {
      ThrowEngineError(env, e, path_);
    }
    return out;
  }

  // write(offset, bytes)
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    Napi::Uint8Array bytes = BytesArg(info, 1, "bytes");
    CheckRange(env, offset, bytes.ElementLength(), kMaxTransfer);
    try {
      file.Write(offset, bytes.Data(), bytes.ElementLength());
    } catch (const EngineError& e) {
      ThrowEngineError(env, e, path_);
    }
    return env.Undefined();
  }

  // flush(offset, length): Promise<void>
  Napi::Value Flush(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    const uint64_t length = IntegerArg(info, 1, "length");
    CheckRange(env, offset, length, UINT64_MAX);
    if (!file.writable()) ThrowEngineError(env, EngineError("ERR_HEXMAP_READ_ONLY", "Hexmap: " + path_ + " is open read-only"), path_);
    return StartFlush(env, file.mapping(), offset, length);
  }

  Napi::Value Refresh(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    try {
      return Napi::Number::New(env, static_cast<double>(file.Refresh()));
    } catch (const EngineError& e) {
      ThrowEngineError(env, e, path_);
    }
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    file_->Close();
    return info.Env().Undefined();
  }

  // find(pattern, mask, ignoreCase, backward, from, rangeStart, rangeEnd, maxMatches, onProgress?) -> { promise, cancel }
  Napi::Value Find(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    Napi::Uint8Array pattern = BytesArg(info, 0, "pattern");
    Napi::Uint8Array mask = BytesArg(info, 1, "mask");
    if (pattern.ElementLength() == 0 || pattern.ElementLength() > kMaxPattern) throw Napi::RangeError::New(env, "pattern length must be 1..4096");
    if (mask.ElementLength() != pattern.ElementLength()) throw Napi::RangeError::New(env, "mask length must equal pattern length");
    if (!info[2].IsBoolean() || !info[3].IsBoolean()) throw Napi::TypeError::New(env, "ignoreCase and backward must be booleans");
    const uint64_t from = IntegerArg(info, 4, "from");
    const uint64_t range_start = IntegerArg(info, 5, "rangeStart");
    const uint64_t range_end = IntegerArg(info, 6, "rangeEnd");
    const uint64_t max_matches = IntegerArg(info, 7, "maxMatches");
    const uint64_t size = file.size();
    if (from > size || range_start > range_end || range_end > size) throw Napi::RangeError::New(env, "from or range is outside the file");
    if (max_matches == 0) throw Napi::RangeError::New(env, "maxMatches must be at least 1");
    FindPattern compiled = CompilePattern(pattern.Data(), mask.Data(), pattern.ElementLength(), info[2].As<Napi::Boolean>().Value());
    auto job = std::make_unique<FindJob>(std::move(compiled), info[3].As<Napi::Boolean>().Value(), from, range_start, range_end, max_matches);
    return StartScan(env, std::move(job), file.mapping(), file.closed_flag(), info[8]);
  }

  // utf8Stats(offset, length, maxInvalidOffsets, onProgress?) -> { promise, cancel }
  Napi::Value Utf8Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    const uint64_t length = IntegerArg(info, 1, "length");
    const uint64_t max_offsets = IntegerArg(info, 2, "maxInvalidOffsets");
    CheckRange(env, offset, length, UINT64_MAX);
    auto job = std::make_unique<Utf8StatsJob>(offset, length, static_cast<size_t>(std::min<uint64_t>(max_offsets, 1000000)));
    return StartScan(env, std::move(job), file.mapping(), file.closed_flag(), info[3]);
  }

  // findUnit(kind 0=invalid 1=non-ASCII, from, backward, onProgress?) -> { promise, cancel }
  Napi::Value FindUnit(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t kind = IntegerArg(info, 0, "kind");
    if (kind > 1) throw Napi::RangeError::New(env, "kind must be 0 (invalid) or 1 (non-ASCII)");
    const uint64_t from = IntegerArg(info, 1, "from");
    if (from > file.size()) throw Napi::RangeError::New(env, "from is outside the file");
    if (!info[2].IsBoolean()) throw Napi::TypeError::New(env, "backward must be a boolean");
    auto job = std::make_unique<UnitJob>(static_cast<UnitKind>(kind), from, info[2].As<Napi::Boolean>().Value(), file.size());
    return StartScan(env, std::move(job), file.mapping(), file.closed_flag(), info[3]);
  }

  std::string path_;
  std::unique_ptr<MappedFile> file_;
};

Napi::Value EvictCacheJs(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "path must be a string");
  return Napi::Boolean::New(info.Env(), EvictCache(info[0].As<Napi::String>().Utf8Value()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InstallFaultGuard();
  exports.Set("MappedFile", MappedFileWrap::Define(env));
  exports.Set("evictCache", Napi::Function::New(env, EvictCacheJs, "evictCache"));
  return exports;
}

}  // namespace
}  // namespace hexmap

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return hexmap::Init(env, exports); }

NODE_API_MODULE(hexmap, InitModule)
