// Turns a memory fault inside one of our own mappings into a return value.
//
// When another program truncates a mapped file, touching the vanished pages
// raises SIGBUS (Windows: an SEH exception, EXCEPTION_IN_PAGE_ERROR; under
// wine, EXCEPTION_ACCESS_VIOLATION). Uncaught, that kills the
// whole extension host. Every access to mapped memory runs through
// RunGuarded: a fault whose address lies in [base, base+length) on the
// calling thread makes RunGuarded return false; any other fault goes to the
// handler that was installed before ours (V8 uses SIGSEGV for WebAssembly).
//
// `work` must not throw and must not own objects with destructors: on a
// fault we jump out of it (POSIX: siglongjmp) without running destructors.
#pragma once

#include <cstddef>

namespace hexmap {

// Installs the SIGBUS/SIGSEGV handlers (once; later calls do nothing).
void InstallFaultGuard();

bool RunGuarded(const void* base, size_t length, void (*work)(void* context), void* context);

// Convenience for lambdas without captures that need destructors.
template <typename F>
bool Guarded(const void* base, size_t length, F&& f) {
  return RunGuarded(base, length, [](void* c) { (*static_cast<F*>(c))(); }, &f);
}

}  // namespace hexmap
