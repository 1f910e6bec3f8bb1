#include "mapped_file.h"

#include <cstring>

#include <uv.h>

#include "engine_error.h"
#include "fault_guard.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#endif

namespace hexmap {

std::string ErrnoName(int system_error) {
  return uv_err_name(uv_translate_sys_error(system_error));
}

EngineError SystemError(int system_error, const char* syscall, const std::string& path) {
  std::string name = ErrnoName(system_error);
  std::string message = name + ": " + uv_strerror(uv_translate_sys_error(system_error)) + ", " + syscall + " '" + path + "'";
  return EngineError(name, message, syscall);
}

static EngineError Truncated(const std::string& path, const char* what) {
  return EngineError("ERR_HEXMAP_TRUNCATED",
                     std::string("Hexmap: ") + path + " was truncated by another program (" + what + " touched a vanished page)");
}

// Reads at least this long ask the kernel to read ahead the whole range first.
constexpr uint64_t kPrefetchFrom = 16u << 10;

static void CheckRange(uint64_t offset, uint64_t length, uint64_t size) {
  if (offset > size || length > size - offset) throw EngineError("ERR_OUT_OF_RANGE", "range is outside the mapped file");
  if (length > kMaxTransfer) throw EngineError("ERR_OUT_OF_RANGE", "length exceeds 16 MiB");
}

void MappedFile::CheckUsable() const {
  if (closed_->load()) throw EngineError("ERR_HEXMAP_CLOSED", "Hexmap: " + file_->path + " is closed");
}

void MappedFile::Read(uint64_t offset, uint64_t length, uint8_t* out) const {
  CheckUsable();
  CheckRange(offset, length, size());
  if (length == 0) return;
  const Mapping& m = *mapping_;
  const uint8_t* from = m.base + offset;
#ifndef _WIN32
  if (length >= kPrefetchFrom) {
    // One readahead request for the whole window: on a cold cache the copy then waits for one batch of
    // I/O instead of faulting page by page (~15x faster cold); on a warm one it costs a few microseconds.
    static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t start = offset - offset % page;
    madvise(m.base + start, offset + length - start, MADV_WILLNEED);
  }
#else
  if (length >= kPrefetchFrom) {
    // The same single read-ahead request as madvise(MADV_WILLNEED) on POSIX. Only a hint: a failure
    // (older Windows, wine) leaves the copy to fault the pages in one by one.
    WIN32_MEMORY_RANGE_ENTRY range = {const_cast<uint8_t*>(from), static_cast<SIZE_T>(length)};
    PrefetchVirtualMemory(GetCurrentProcess(), 1, &range, 0);
  }
#endif
  if (!Guarded(m.base, m.size, [&] { std::memcpy(out, from, length); })) throw Truncated(file_->path, "a read");
}

void MappedFile::Write(uint64_t offset, const uint8_t* bytes, uint64_t length) {
  CheckUsable();
  if (!writable_) throw EngineError("ERR_HEXMAP_READ_ONLY", "Hexmap: " + file_->path + " is open read-only");
  CheckRange(offset, length, size());
  if (length == 0) return;
  Mapping& m = *mapping_;
  uint8_t* to = m.base + offset;
  if (!Guarded(m.base, m.size, [&] { std::memcpy(to, bytes, length); })) throw Truncated(file_->path, "a write");
}

void MappedFile::Close() {
  if (closed_->exchange(true)) return;
  mapping_.reset();  // unmapped now, or when the last worker holding it finishes
  file_.reset();
}

#ifndef _WIN32  // ---------------------------------------------------------------- POSIX

FileHandle::~FileHandle() {
  if (fd >= 0) ::close(fd);
}

Mapping::~Mapping() {
  if (base != nullptr) munmap(base, size);
}

static uint64_t StatRegularFile(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) throw SystemError(errno, "fstat", path);
  if (S_ISDIR(st.st_mode)) throw EngineError("EISDIR", "EISDIR: illegal operation on a directory, open '" + path + "'", "open");
  if (!S_ISREG(st.st_mode)) throw EngineError("ERR_HEXMAP_NOT_A_FILE", "Hexmap: " + path + " is not a regular file");
  return static_cast<uint64_t>(st.st_size);
}

std::shared_ptr<Mapping> MappedFile::MapWhole(uint64_t size) const {
  auto mapping = std::make_shared<Mapping>();
  mapping->file = file_;
  mapping->writable = writable_;
  if (size == 0) return mapping;  // mmap of 0 bytes is EINVAL: an empty file has no view
  int protection = PROT_READ | (writable_ ? PROT_WRITE : 0);
  void* base = mmap(nullptr, size, protection, MAP_SHARED, file_->fd, 0);
  if (base == MAP_FAILED) throw SystemError(errno, "mmap", file_->path);
  mapping->base = static_cast<uint8_t*>(base);
  mapping->size = size;
  return mapping;
}

std::unique_ptr<MappedFile> MappedFile::Open(const std::string& path, bool writable) {
  InstallFaultGuard();
  std::unique_ptr<MappedFile> self(new MappedFile());
  self->file_ = std::make_shared<FileHandle>();
  self->file_->path = path;
  self->writable_ = writable;
  // O_RDWR on a directory fails with EISDIR; read-only opens of one succeed and fstat says so.
  int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw SystemError(errno, "open", path);
  self->file_->fd = fd;
  self->mapping_ = self->MapWhole(StatRegularFile(fd, path));
  return self;
}

uint64_t MappedFile::Refresh() {
  CheckUsable();
  uint64_t now = StatRegularFile(file_->fd, file_->path);
  if (now != size()) mapping_ = MapWhole(now);
  return now;
}

void MappedFile::Flush(const Mapping& m, uint64_t offset, uint64_t length) {
  if (m.base != nullptr && length > 0) {
    // msync wants a page-aligned start.
    static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    uint64_t start = offset - offset % page;
    if (msync(m.base + start, offset + length - start, MS_SYNC) != 0) throw SystemError(errno, "msync", m.file->path);
  }
  // msync writes the pages; fsync also makes the file's metadata durable.
#ifdef __APPLE__
  // On macOS fsync only hands the data to the drive, which may keep it in its volatile cache;
  // F_FULLFSYNC asks the drive to write it out. File systems that refuse it (some network and FAT
  // volumes) get the plain fsync below.
  if (fcntl(m.file->fd, F_FULLFSYNC) == 0) return;
#endif
  if (fsync(m.file->fd) != 0) throw SystemError(errno, "fsync", m.file->path);
}

bool EvictCache(const std::string& path) {
#ifdef POSIX_FADV_DONTNEED
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  fdatasync(fd);  // dirty pages cannot be dropped: write them back first
  bool ok = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
  ::close(fd);
  return ok;
#else
  (void)path;
  return false;
#endif
}

#else  // ---------------------------------------------------------------------------- Windows
// Cross-built by scripts/buildWin32.mjs and tested under wine (test/wine).
// The view is mapped whole (64-bit offsets: files over 4 GiB need no
// high/low DWORD split when the view starts at 0 and spans the file). A
// file cannot be truncated while a view of it exists on Windows, but
// in-page errors (network drives, failing disks) still go through
// RunGuarded. Paths arrive as UTF-8 and go to the wide (UTF-16) APIs. The
// sharing mode lets other programs read, write, rename and delete the file
// while Hexmap has it open, as they could on POSIX.

static std::wstring Widen(const std::string& utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring wide(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), wide.data(), n);
  return wide;
}

FileHandle::~FileHandle() {
  if (handle != nullptr && handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
}

Mapping::~Mapping() {
  if (base != nullptr) UnmapViewOfFile(base);
  if (section != nullptr) CloseHandle(section);
}

static uint64_t StatRegularFile(HANDLE h, const std::string& path) {
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(h, &info)) throw SystemError(GetLastError(), "stat", path);
  if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) throw EngineError("EISDIR", "EISDIR: illegal operation on a directory, open '" + path + "'", "open");
  return (static_cast<uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
}

std::shared_ptr<Mapping> MappedFile::MapWhole(uint64_t size) const {
  auto mapping = std::make_shared<Mapping>();
  mapping->file = file_;
  mapping->writable = writable_;
  if (size == 0) return mapping;  // CreateFileMapping refuses empty files
  HANDLE section = CreateFileMappingW(file_->handle, nullptr, writable_ ? PAGE_READWRITE : PAGE_READONLY, 0, 0, nullptr);
  if (section == nullptr) throw SystemError(GetLastError(), "CreateFileMapping", file_->path);
  mapping->section = section;
  void* base = MapViewOfFile(section, writable_ ? FILE_MAP_WRITE : FILE_MAP_READ, 0, 0, 0);
  if (base == nullptr) throw SystemError(GetLastError(), "MapViewOfFile", file_->path);
  mapping->base = static_cast<uint8_t*>(base);
  mapping->size = size;
  return mapping;
}

std::unique_ptr<MappedFile> MappedFile::Open(const std::string& path, bool writable) {
  std::unique_ptr<MappedFile> self(new MappedFile());
  self->file_ = std::make_shared<FileHandle>();
  self->file_->path = path;
  self->writable_ = writable;
  // FILE_FLAG_BACKUP_SEMANTICS lets a directory open, so it gets the EISDIR error below, as on POSIX.
  HANDLE h = CreateFileW(Widen(path).c_str(), GENERIC_READ | (writable ? GENERIC_WRITE : 0),
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (h == INVALID_HANDLE_VALUE) throw SystemError(GetLastError(), "open", path);
  self->file_->handle = h;
  // Pipes, consoles and devices (\\.\pipe\x, CON, NUL) open too, but have no size and no view.
  if (GetFileType(h) != FILE_TYPE_DISK) throw EngineError("ERR_HEXMAP_NOT_A_FILE", "Hexmap: " + path + " is not a regular file");
  self->mapping_ = self->MapWhole(StatRegularFile(h, path));
  return self;
}

uint64_t MappedFile::Refresh() {
  CheckUsable();
  uint64_t now = StatRegularFile(file_->handle, file_->path);
  if (now != size()) mapping_ = MapWhole(now);
  return now;
}

void MappedFile::Flush(const Mapping& m, uint64_t offset, uint64_t length) {
  if (m.base != nullptr && length > 0 && !FlushViewOfFile(m.base + offset, static_cast<SIZE_T>(length))) {
    throw SystemError(GetLastError(), "FlushViewOfFile", m.file->path);
  }
  if (!FlushFileBuffers(m.file->handle)) throw SystemError(GetLastError(), "FlushFileBuffers", m.file->path);
}

bool EvictCache(const std::string&) { return false; }

#endif

}  // namespace hexmap
