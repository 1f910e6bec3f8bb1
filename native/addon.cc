// Module init, openMapped() and the JS class MappedFile: argument checks
// (again: the TypeScript layer already validated them), conversion of
// EngineError into JS errors, and nothing else. The work lives in
// mapped_file.cc, scans.cc and scan_jobs.cc; async_io.cc and async_scan.cc
// run it on Hexmap's worker threads. The only work done on the JS thread is
// argument checking and copying a window whose pages are all in memory.
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>

#include "async_io.h"
#include "async_scan.h"
#include "engine_error.h"
#include "fault_guard.h"
#include "js_error.h"
#include "mapped_file.h"
#include "scan_jobs.h"
#include "utf8_stats.h"
#include "scans.h"
#include "textScans.h"
#include "worker_thread.h"

namespace hexmap {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;
constexpr size_t kMaxPattern = 4096;

[[noreturn]] void ThrowEngineError(Napi::Env env, const EngineError& e, const std::string& path) {
  throw JsError(env, e, path);
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
      InstanceMethod<&MappedFileWrap::ReadResident>("readResident"),
      InstanceMethod<&MappedFileWrap::Read>("read"),
      InstanceMethod<&MappedFileWrap::Write>("write"),
      InstanceMethod<&MappedFileWrap::Flush>("flush"),
      InstanceMethod<&MappedFileWrap::Refresh>("refresh"),
      InstanceMethod<&MappedFileWrap::Close>("close"),
      InstanceMethod<&MappedFileWrap::Find>("find"),
      InstanceMethod<&MappedFileWrap::Utf8Stats>("utf8Stats"),
      InstanceMethod<&MappedFileWrap::FindUnit>("findUnit"),
      InstanceMethod<&MappedFileWrap::TextStats>("textStats"),
    });
  }

  // Made only by openMapped(), which hands over the opened file in an External.
  explicit MappedFileWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MappedFileWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsExternal()) throw Napi::TypeError::New(env, "MappedFile is made by openMapped(path, writable)");
    file_.reset(info[0].As<Napi::External<MappedFile>>().Data());
    path_ = file_->file()->path;
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

  // readResident(offset, length): a fresh Buffer (a guarded copy, never a view of the mapping) when every
  // page of the range is in memory, so the copy cannot wait on the disk; else undefined (call read()).
  Napi::Value ReadResident(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    const uint64_t length = IntegerArg(info, 1, "length");
    CheckRange(env, offset, length, kMaxTransfer);
    std::shared_ptr<Mapping> mapping = file.mapping();
    if (!MappedFile::Resident(*mapping, offset, length)) return env.Undefined();
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(length));
    try {
      MappedFile::Read(*mapping, offset, length, out.Data());
    } catch (const EngineError& e) {
      ThrowEngineError(env, e, path_);
    }
    return out;
  }

  // read(offset, length): Promise<Buffer>, copied on the interactive worker thread.
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    const uint64_t length = IntegerArg(info, 1, "length");
    CheckRange(env, offset, length, kMaxTransfer);
    return StartRead(env, file.mapping(), offset, length);
  }

  // write(offset, bytes): Promise<void>. Always on the worker: even a resident page may wait on the disk
  // when first written (the file system allocates blocks for a hole, or journals).
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t offset = IntegerArg(info, 0, "offset");
    Napi::Uint8Array bytes = BytesArg(info, 1, "bytes");
    CheckRange(env, offset, bytes.ElementLength(), kMaxTransfer);
    if (!file.writable()) ThrowEngineError(env, EngineError("ERR_HEXMAP_READ_ONLY", "Hexmap: " + path_ + " is open read-only"), path_);
    return StartWrite(env, file.mapping(), offset, bytes.Data(), bytes.ElementLength());
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

  // refresh(): Promise<number>. fstat and remap on the worker; the new mapping is installed here.
  Napi::Value Refresh(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    // The reference keeps this object alive until the mapping is handed over.
    auto self = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Value()));
    return StartRefresh(env, file.file(), file.writable(), file.mapping(),
                        [this, self, env](std::shared_ptr<Mapping> mapping) { DropOnWorker(env, file_->Adopt(std::move(mapping))); });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    // Unmapping a large populated mapping takes milliseconds: the worker lets go of it.
    std::shared_ptr<Mapping> mapping = file_->mapping();
    std::shared_ptr<FileHandle> file = file_->file();
    file_->Close();
    DropOnWorker(info.Env(), std::move(mapping), std::move(file));
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

  // findUnit(kind 0=invalid 1=non-ASCII, low, high, backward, onProgress?) -> { promise, cancel }: the first
  // (forward) or last (backward) unit starting in [low, high), decoded with the file's bytes around it.
  Napi::Value FindUnit(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    MappedFile& file = Usable(env);
    const uint64_t kind = IntegerArg(info, 0, "kind");
    if (kind > 1) throw Napi::RangeError::New(env, "kind must be 0 (invalid) or 1 (non-ASCII)");
    const uint64_t low = IntegerArg(info, 1, "low");
    const uint64_t high = IntegerArg(info, 2, "high");
    if (low > high || high > file.size()) throw Napi::RangeError::New(env, "low..high is outside the file");
    if (!info[3].IsBoolean()) throw Napi::TypeError::New(env, "backward must be a boolean");
    auto job = std::make_unique<UnitJob>(static_cast<UnitKind>(kind), low, high, info[3].As<Napi::Boolean>().Value());
    return StartScan(env, std::move(job), file.mapping(), file.closed_flag(), info[4]);
  }

  // textStats(...): native/textScans.h says what it takes and returns.
  Napi::Value TextStats(const Napi::CallbackInfo& info) { return StartTextStats(info, Usable(info.Env())); }

  std::string path_;
  std::unique_ptr<MappedFile> file_;
};

Napi::Value EvictCacheJs(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "path must be a string");
  return Napi::Boolean::New(info.Env(), EvictCache(info[0].As<Napi::String>().Utf8Value()));
}

// utf8StatsOfChunk(bytes, bytesOffset, begin, end, rangeStart, rangeEnd, maxInvalidOffsets) -> Promise<stats>:
// the UTF-8 statistics of [begin, end) of the range [rangeStart, rangeEnd), over a chunk of it that plain
// reads brought into memory: `bytes` holds the file's bytes from bytesOffset on. A unit is decided by at
// most 3 bytes on either side of it (4 with the CR of a CRLF), so the chunk must hold that much context
// past [begin, end), where the range has it. Summed over consecutive pieces, the results are those of
// one scan of the whole range.
Napi::Value Utf8StatsOfChunkJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  constexpr uint64_t kContext = 4;
  Napi::Uint8Array bytes = BytesArg(info, 0, "bytes");
  const uint64_t lo = IntegerArg(info, 1, "bytesOffset");
  const uint64_t begin = IntegerArg(info, 2, "begin");
  const uint64_t end = IntegerArg(info, 3, "end");
  const uint64_t range_start = IntegerArg(info, 4, "rangeStart");
  const uint64_t range_end = IntegerArg(info, 5, "rangeEnd");
  const uint64_t max_offsets = IntegerArg(info, 6, "maxInvalidOffsets");
  const uint64_t hi = lo + bytes.ElementLength();
  if (range_start > begin || begin > end || end > range_end) throw Napi::RangeError::New(env, "begin..end must lie in rangeStart..rangeEnd");
  if (begin < lo || end > hi) throw Napi::RangeError::New(env, "begin..end must lie in the bytes");
  if (lo > range_start && begin - lo < kContext) throw Napi::RangeError::New(env, "the bytes must hold 4 bytes of the range before begin");
  if (hi < range_end && hi - end < kContext) throw Napi::RangeError::New(env, "the bytes must hold 4 bytes of the range after end");
  // Offsets from the chunk's first byte; the range is clipped to the bytes the chunk holds.
  const uint64_t first = std::max(lo, range_start), last = std::min(hi, range_end);
  auto job = std::make_unique<Utf8StatsJob>(begin - lo, end - lo, first - lo, last - lo,
                                            static_cast<size_t>(std::min<uint64_t>(max_offsets, 1000000)), lo);
  return StartBytesScan(env, std::move(job), bytes);
}

// openMapped(path: string, writable: boolean, failMmap: boolean): Promise<MappedFile>. The open (stat,
// open, mmap) runs on the interactive worker: a FIFO, a hung network mount or a slow disk never holds the
// JS thread.
Napi::Value OpenMappedJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "path must be a string");
  if (!info[1].IsBoolean()) throw Napi::TypeError::New(env, "writable must be a boolean");
  if (!info[2].IsBoolean()) throw Napi::TypeError::New(env, "failMmap must be a boolean");
  return StartOpen(env, info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::Boolean>().Value(),
                   info[2].As<Napi::Boolean>().Value(), [](Napi::Env env, std::unique_ptr<MappedFile> file) -> Napi::Value {
                     auto* constructor = env.GetInstanceData<Napi::FunctionReference>();
                     Napi::Value handed = Napi::External<MappedFile>::New(env, file.get());
                     Napi::Object wrapped = constructor->New({handed});
                     file.release();  // the wrapper owns it now
                     return wrapped;
                   });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InstallFaultGuard();
  Napi::Function constructor = MappedFileWrap::Define(env);
  env.SetInstanceData(new Napi::FunctionReference(Napi::Persistent(constructor)));
  exports.Set("MappedFile", constructor);
  exports.Set("openMapped", Napi::Function::New(env, OpenMappedJs, "openMapped"));
  exports.Set("evictCache", Napi::Function::New(env, EvictCacheJs, "evictCache"));
  exports.Set("utf8StatsOfChunk", Napi::Function::New(env, Utf8StatsOfChunkJs, "utf8StatsOfChunk"));
  exports.Set("utf8Implementation", Napi::String::New(env, Utf8Implementation()));
  return exports;
}

}  // namespace
}  // namespace hexmap

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return hexmap::Init(env, exports); }

NODE_API_MODULE(hexmap, InitModule)
