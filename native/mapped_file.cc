#include "mapped_file.h"

#include <cstring>

#include <uv.h>

#include "engine_error.h"
#include "fault_guard.h"

#ifdef _WIN32
#include <windows.h>
#include <psapi.h>  // QueryWorkingSetEx (K32QueryWorkingSetEx, in kernel32 itself)
#include <memory>
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

// The size of the open file (regular file or block device); the platform sections define it.
static uint64_t FileSize(const FileHandle& file);

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

void MappedFile::Read(const Mapping& m, uint64_t offset, uint64_t length, uint8_t* out) {
  CheckRange(offset, length, m.size);
  if (length == 0) return;
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
  if (!Guarded(m.base, m.size, [&] { std::memcpy(out, from, length); })) throw Truncated(m.file->path, "a read");
}

void MappedFile::Write(const Mapping& m, uint64_t offset, const uint8_t* bytes, uint64_t length) {
  if (!m.writable) throw EngineError("ERR_HEXMAP_READ_ONLY", "Hexmap: " + m.file->path + " is open read-only");
  CheckRange(offset, length, m.size);
  if (length == 0) return;
  uint8_t* to = m.base + offset;
  if (!Guarded(m.base, m.size, [&] { std::memcpy(to, bytes, length); })) throw Truncated(m.file->path, "a write");
}

std::shared_ptr<Mapping> MappedFile::Adopt(std::shared_ptr<Mapping> mapping) {
  if (closed_->load()) return mapping;
  mapping_.swap(mapping);
  return mapping;
}

void MappedFile::Close() {
  if (closed_->exchange(true)) return;
  mapping_.reset();  // unmapped now, or when the last worker holding it finishes
  file_.reset();
}

std::shared_ptr<Mapping> MappedFile::Remap(const std::shared_ptr<FileHandle>& file, bool writable,
                                           const std::shared_ptr<Mapping>& current) {
  const uint64_t now = FileSize(*file);
  if (current && now == current->size) return current;
  return MapWhole(file, writable, now, false);
}

#ifndef _WIN32  // ---------------------------------------------------------------- POSIX

FileHandle::~FileHandle() {
  if (fd >= 0) ::close(fd);
}

// munmap holds the process's address-space lock while it drops every page-table entry of the view:
// tens of milliseconds for gigabytes read through it, and meanwhile any mmap or mprotect of another
// thread waits, including V8's on the extension host's JS thread. MADV_DONTNEED drops them under a
// shared lock, a few MiB at a time (the pages stay in the page cache; dirty ones are still written
// back), so the munmap that follows has almost nothing left to do.
Mapping::~Mapping() {
  if (base == nullptr) return;
  constexpr uint64_t kPiece = 4u << 20;
  for (uint64_t at = 0; size - at > kPiece; at += kPiece) madvise(base + at, kPiece, MADV_DONTNEED);
  munmap(base, size);
}

static EngineError SpecialFile(const std::string& path, const char* kind) {
  EngineError e("ERR_HEXMAP_SPECIAL_FILE", "Hexmap: " + path + " is a " + kind + ", not a file");
  e.kind = kind;
  return e;
}

// What may be opened: regular files, and block devices read-only. Checked on the path before open()
// (opening a FIFO waits for a writer, a tape device may rewind) and again on the descriptor, in case the
// path was replaced in between. The kinds match extension/engine/pathProbe.ts.
static void CheckKind(const struct stat& st, bool writable, const std::string& path) {
  if (S_ISDIR(st.st_mode)) throw EngineError("EISDIR", "EISDIR: illegal operation on a directory, open '" + path + "'", "open");
  if (S_ISREG(st.st_mode)) return;
  if (S_ISBLK(st.st_mode) && !writable) return;
  if (S_ISBLK(st.st_mode)) throw SpecialFile(path, "block device opened for writing");
  if (S_ISFIFO(st.st_mode)) throw SpecialFile(path, "FIFO");
  if (S_ISSOCK(st.st_mode)) throw SpecialFile(path, "socket");
  if (S_ISCHR(st.st_mode)) throw SpecialFile(path, "character device");
  throw SpecialFile(path, "special file");
}

static uint64_t SizeOf(int fd, const struct stat& st, const std::string& path) {
  if (!S_ISBLK(st.st_mode)) return static_cast<uint64_t>(st.st_size);
  // st_size is 0 for a device; its end is where lseek lands (BLKGETSIZE64 says the same on Linux).
  const off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) throw SystemError(errno, "lseek", path);
  return static_cast<uint64_t>(end);
}

static uint64_t FileSize(const FileHandle& file) {
  struct stat st;
  if (fstat(file.fd, &st) != 0) throw SystemError(errno, "fstat", file.path);
  CheckKind(st, false, file.path);
  return SizeOf(file.fd, st, file.path);
}

std::shared_ptr<Mapping> MappedFile::MapWhole(const std::shared_ptr<FileHandle>& file, bool writable, uint64_t size,
                                              bool fail_mmap) {
  auto mapping = std::make_shared<Mapping>();
  mapping->file = file;
  mapping->writable = writable;
  if (size == 0) return mapping;  // mmap of 0 bytes is EINVAL: an empty file has no view
  if (fail_mmap) throw SystemError(ENODEV, "mmap", file->path);
  int protection = PROT_READ | (writable ? PROT_WRITE : 0);
  void* base = mmap(nullptr, size, protection, MAP_SHARED, file->fd, 0);
  if (base == MAP_FAILED) throw SystemError(errno, "mmap", file->path);
  mapping->base = static_cast<uint8_t*>(base);
  mapping->size = size;
  return mapping;
}

std::unique_ptr<MappedFile> MappedFile::Open(const std::string& path, bool writable, bool fail_mmap) {
  InstallFaultGuard();
  // open() would stop at the NUL and open another file.
  if (path.find('\0') != std::string::npos) {
    throw EngineError("ERR_HEXMAP_NUL_IN_PATH", "Hexmap: the path contains a NUL byte");
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw SystemError(errno, "open", path);
  CheckKind(st, writable, path);
  std::unique_ptr<MappedFile> self(new MappedFile());
  self->file_ = std::make_shared<FileHandle>();
  self->file_->path = path;
  self->writable_ = writable;
  // O_NONBLOCK: should the path have become a FIFO since the stat, open returns at once instead of waiting.
  int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw SystemError(errno, "open", path);
  self->file_->fd = fd;
  if (fstat(fd, &st) != 0) throw SystemError(errno, "fstat", path);
  CheckKind(st, writable, path);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  self->mapping_ = MapWhole(self->file_, writable, SizeOf(fd, st, path), fail_mmap);
  return self;
}

bool MappedFile::Resident(const Mapping& m, uint64_t offset, uint64_t length) {
  if (length == 0 || m.base == nullptr) return true;
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t start = offset - offset % page;
  const uint64_t pages = (offset + length - start + page - 1) / page;
  unsigned char small[512];
  std::unique_ptr<unsigned char[]> large;
  unsigned char* vec = small;
  if (pages > sizeof small) {
    large.reset(new unsigned char[pages]);
    vec = large.get();
  }
  if (mincore(m.base + start, offset + length - start, vec) != 0) return false;
  for (uint64_t i = 0; i < pages; ++i) {
    if ((vec[i] & 1) == 0) return false;
  }
  return true;
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
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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

static uint64_t StatRegularFile(HANDLE h, const std::string& path) {  // (FIFOs, devices: not yet refused here)
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(h, &info)) throw SystemError(GetLastError(), "stat", path);
  if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) throw EngineError("EISDIR", "EISDIR: illegal operation on a directory, open '" + path + "'", "open");
  return (static_cast<uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
}

std::shared_ptr<Mapping> MappedFile::MapWhole(const std::shared_ptr<FileHandle>& file, bool writable, uint64_t size,
                                              bool fail_mmap) {
  auto mapping = std::make_shared<Mapping>();
  mapping->file = file;
  mapping->writable = writable;
  if (size == 0) return mapping;  // CreateFileMapping refuses empty files
  // The test seam fails the first of the two calls the way a file system that cannot map answers
  // (ERROR_NOT_SUPPORTED), so the error takes the same path as a real failure.
  HANDLE section = fail_mmap ? (SetLastError(ERROR_NOT_SUPPORTED), nullptr)
                             : CreateFileMappingW(file->handle, nullptr, writable ? PAGE_READWRITE : PAGE_READONLY, 0, 0, nullptr);
  if (section == nullptr) throw SystemError(GetLastError(), "CreateFileMapping", file->path);
  mapping->section = section;
  void* base = MapViewOfFile(section, writable ? FILE_MAP_WRITE : FILE_MAP_READ, 0, 0, 0);
  if (base == nullptr) throw SystemError(GetLastError(), "MapViewOfFile", file->path);
  mapping->base = static_cast<uint8_t*>(base);
  mapping->size = size;
  return mapping;
}

std::unique_ptr<MappedFile> MappedFile::Open(const std::string& path, bool writable, bool fail_mmap) {
  if (path.find('\0') != std::string::npos) {
    throw EngineError("ERR_HEXMAP_NUL_IN_PATH", "Hexmap: the path contains a NUL byte");
  }
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
  if (GetFileType(h) != FILE_TYPE_DISK) {
    throw EngineError("ERR_HEXMAP_SPECIAL_FILE", "Hexmap: " + path + " is not a regular file (a pipe, console or device)");
  }
  self->mapping_ = MapWhole(self->file_, writable, StatRegularFile(h, path), fail_mmap);
  return self;
}

static uint64_t FileSize(const FileHandle& file) { return StatRegularFile(file.handle, file.path); }

// A page in the process's working set is mapped in memory: touching it cannot wait on a disk. Any
// other page reads as not resident, also one the system cache holds (touching it would only be a soft
// fault, but telling the two apart costs more than the copy on the worker thread it then gets).
bool MappedFile::Resident(const Mapping& m, uint64_t offset, uint64_t length) {
  if (length == 0 || m.base == nullptr) return true;
  static const uint64_t page = [] {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return static_cast<uint64_t>(info.dwPageSize);
  }();
  const uint64_t start = offset - offset % page;
  const uint64_t pages = (offset + length - start + page - 1) / page;
  PSAPI_WORKING_SET_EX_INFORMATION small[32];
  std::unique_ptr<PSAPI_WORKING_SET_EX_INFORMATION[]> large;
  PSAPI_WORKING_SET_EX_INFORMATION* info = small;
  if (pages > sizeof small / sizeof small[0]) {
    large.reset(new PSAPI_WORKING_SET_EX_INFORMATION[pages]);
    info = large.get();
  }
  for (uint64_t i = 0; i < pages; ++i) info[i].VirtualAddress = m.base + start + i * page;
  if (!QueryWorkingSetEx(GetCurrentProcess(), info, static_cast<DWORD>(pages * sizeof *info))) return false;
  for (uint64_t i = 0; i < pages; ++i) {
    if (!info[i].VirtualAttributes.Valid) return false;
  }
  return true;
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
