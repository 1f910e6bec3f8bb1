// One open file and its memory mapping. Pure C++ (no Node-API): addon.cc
// wraps it for JS, async_scan.cc scans it on libuv pool threads.
//
// Lifetimes: a scan or a flush holds a shared_ptr to the Mapping it started
// with, so refresh() (remap) and close() never pull memory out from under a
// running worker; the last holder unmaps and closes the descriptor.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace hexmap {

// The OS file descriptor / handle, closed when the last owner lets go.
struct FileHandle {
#ifdef _WIN32
  void* handle = nullptr;
#else
  int fd = -1;
#endif
  std::string path;
  ~FileHandle();
};

// One view of the whole file as it was when mapped. size 0: no view (nothing may be mapped for 0 bytes).
struct Mapping {
  uint8_t* base = nullptr;
  uint64_t size = 0;
  bool writable = false;
  std::shared_ptr<FileHandle> file;
#ifdef _WIN32
  void* section = nullptr;
#endif
  ~Mapping();
};

class MappedFile {
 public:
  // Throws EngineError (errno name + path). Directories: EISDIR; other non-regular files: ERR_HEXMAP_NOT_A_FILE.
  static std::unique_ptr<MappedFile> Open(const std::string& path, bool writable);

  uint64_t size() const { return mapping_ ? mapping_->size : 0; }
  bool writable() const { return writable_; }
  bool closed() const { return closed_->load(); }
  const std::string& path() const { return file_->path; }
  std::shared_ptr<Mapping> mapping() const { return mapping_; }
  std::shared_ptr<std::atomic<bool>> closed_flag() const { return closed_; }

  // Copies [offset, offset+length) into `out`. Bounds-checked; ERR_HEXMAP_TRUNCATED on a fault.
  void Read(uint64_t offset, uint64_t length, uint8_t* out) const;
  // Copies `bytes` into the mapping at `offset`. Never grows the file.
  void Write(uint64_t offset, const uint8_t* bytes, uint64_t length);
  // Re-stats the file; remaps when the size changed. Returns the new size.
  uint64_t Refresh();
  // Idempotent. Workers still holding the mapping finish on it, then it is unmapped.
  void Close();

  // Static so a pool thread can run it on the mapping it holds.
  static void Flush(const Mapping& mapping, uint64_t offset, uint64_t length);

 private:
  MappedFile() = default;
  void CheckUsable() const;
  std::shared_ptr<Mapping> MapWhole(uint64_t size) const;

  std::shared_ptr<FileHandle> file_;
  std::shared_ptr<Mapping> mapping_;
  bool writable_ = false;
  std::shared_ptr<std::atomic<bool>> closed_ = std::make_shared<std::atomic<bool>>(false);
};

// Drops the file's clean pages from the OS cache (posix_fadvise DONTNEED). False where unsupported.
bool EvictCache(const std::string& path);

// Largest single read/write, mirrored from MAX_READ in byteSource.ts.
constexpr uint64_t kMaxTransfer = 16u << 20;

}  // namespace hexmap
