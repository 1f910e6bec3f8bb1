// One open file and its memory mapping. Pure C++ (no Node-API): addon.cc
// wraps it for JS; async_io.cc and async_scan.cc run it on Hexmap's worker
// threads (worker_thread.h).
//
// Lifetimes: every job holds a shared_ptr to the Mapping it started with,
// so refresh() (remap) and close() never pull memory out from under a
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
  // Runs on a worker thread (it may wait on the disk). Throws EngineError (errno name + path).
  // Directories: EISDIR. FIFOs, sockets, character devices: ERR_HEXMAP_SPECIAL_FILE with the kind, found
  // before anything can block. Block devices open read-only with the device's size. `fail_mmap` makes the
  // map step fail as a file system without mapping answers (mmap: ENODEV; CreateFileMapping:
  // ERROR_NOT_SUPPORTED): the seam tests use to exercise the plain-read fallback.
  static std::unique_ptr<MappedFile> Open(const std::string& path, bool writable, bool fail_mmap);

  uint64_t size() const { return mapping_ ? mapping_->size : 0; }
  bool writable() const { return writable_; }
  bool closed() const { return closed_->load(); }
  std::shared_ptr<FileHandle> file() const { return file_; }
  std::shared_ptr<Mapping> mapping() const { return mapping_; }
  std::shared_ptr<std::atomic<bool>> closed_flag() const { return closed_; }

  // Installs the mapping a Remap made (JS thread); returns the one it replaces. Ignored after Close().
  std::shared_ptr<Mapping> Adopt(std::shared_ptr<Mapping> mapping);
  // Idempotent. Workers still holding the mapping finish on it, then it is unmapped.
  void Close();

  // The rest are static so a worker thread runs them on the Mapping / FileHandle it holds.

  // Copies [offset, offset+length) into `out` / `bytes` into the mapping. Bounds-checked against the
  // mapping; ERR_HEXMAP_TRUNCATED on a fault. Writes never grow the file.
  static void Read(const Mapping& mapping, uint64_t offset, uint64_t length, uint8_t* out);
  static void Write(const Mapping& mapping, uint64_t offset, const uint8_t* bytes, uint64_t length);
  // True when every page of the range is in memory, so a copy cannot wait on the disk. False when
  // unknown (no way to ask on this platform): the caller then copies on a worker thread.
  static bool Resident(const Mapping& mapping, uint64_t offset, uint64_t length);
  // Re-stats the file: a new mapping when the size changed, else `current`.
  static std::shared_ptr<Mapping> Remap(const std::shared_ptr<FileHandle>& file, bool writable,
                                        const std::shared_ptr<Mapping>& current);
  static void Flush(const Mapping& mapping, uint64_t offset, uint64_t length);

 private:
  MappedFile() = default;
  static std::shared_ptr<Mapping> MapWhole(const std::shared_ptr<FileHandle>& file, bool writable, uint64_t size,
                                           bool fail_mmap);

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
