// The short jobs a user waits for, run on the interactive worker thread
// (worker_thread.h) so the extension host's JS thread never waits on a disk:
// open (stat, open, mmap), a window copy whose pages are not all in memory,
// a write through the mapping, and refresh (fstat, remap). Each returns a
// promise; jobs run in the order they were submitted, so a read submitted
// after a write sees it.
#pragma once

#include <napi.h>

#include <functional>
#include <memory>
#include <string>

#include "mapped_file.h"

namespace hexmap {

// Turns the opened file into its JS object (addon.cc's MappedFile class); runs on the JS thread.
using WrapOpened = std::function<Napi::Value(Napi::Env, std::unique_ptr<MappedFile>)>;

Napi::Promise StartOpen(Napi::Env env, std::string path, bool writable, bool fail_mmap, WrapOpened wrap);

// Resolves to a fresh Buffer holding the bytes (a copy, never a view of the mapping).
Napi::Promise StartRead(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, uint64_t length);

// `bytes` is copied first, so the caller may reuse its array at once.
Napi::Promise StartWrite(Napi::Env env, std::shared_ptr<Mapping> mapping, uint64_t offset, const uint8_t* bytes,
                         uint64_t length);

// Resolves to the new size after `adopt` (JS thread) received the mapping to use from now on.
Napi::Promise StartRefresh(Napi::Env env, std::shared_ptr<FileHandle> file, bool writable,
                           std::shared_ptr<Mapping> current, std::function<void(std::shared_ptr<Mapping>)> adopt);

}  // namespace hexmap
