// The one error type of the native core (mapped_file, async_scan). It carries
// a stable code that the JS layer keeps: an errno name (ENOENT, EACCES,
// EISDIR, ENOSPC...) or ERR_HEXMAP_*. addon.cc turns it into a JS Error with
// .code, .syscall and .path; mappedSource.ts turns that into a HexmapError.
#pragma once

#include <stdexcept>
#include <string>

namespace hexmap {

struct EngineError : std::runtime_error {
  EngineError(std::string code, const std::string& message, std::string syscall = "")
      : std::runtime_error(message), code(std::move(code)), syscall(std::move(syscall)) {}
  std::string code;
  std::string syscall;
  std::string kind;  // ERR_HEXMAP_SPECIAL_FILE: what the path is ("FIFO", "socket", "character device", ...)
};

// "ENOENT" for ENOENT (or a Windows error code's libuv equivalent).
std::string ErrnoName(int system_error);

// An EngineError for a failed system call on `path`, from errno / GetLastError().
EngineError SystemError(int system_error, const char* syscall, const std::string& path);

}  // namespace hexmap
