#include "fault_guard.h"

#ifdef _WIN32

#include <windows.h>

// Structured exception handling (__try/__except) is a compiler feature:
// MSVC has it, and so does clang++ --target=x86_64-w64-mingw32
// -fms-extensions, which scripts/buildWin32.mjs uses. mingw g++ does not.
#if !defined(_MSC_VER) && !defined(__clang__)
#error "fault_guard.cc needs __try/__except: build for Windows with MSVC or clang (see scripts/buildWin32.mjs)"
#endif

namespace hexmap {

void InstallFaultGuard() {}  // structured exception handling needs no global setup

// A fault at an address inside our own view is ours, whatever its code:
// Windows reports a vanished or unreadable page of a mapped file as
// EXCEPTION_IN_PAGE_ERROR, wine as EXCEPTION_ACCESS_VIOLATION. For both the
// faulting address is ExceptionInformation[1]. Anything else (a fault outside
// the view, a breakpoint, a C++ exception) keeps searching outward.
static int FaultFilter(EXCEPTION_POINTERS* info, const char* base, size_t length) {
  const EXCEPTION_RECORD* record = info->ExceptionRecord;
  const DWORD code = record->ExceptionCode;
  if ((code != EXCEPTION_IN_PAGE_ERROR && code != EXCEPTION_ACCESS_VIOLATION) || record->NumberParameters < 2) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  const char* address = reinterpret_cast<const char*>(record->ExceptionInformation[1]);
  return address >= base && address < base + length ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}

bool RunGuarded(const void* base, size_t length, void (*work)(void*), void* context) {
  __try {
    work(context);
    return true;
  } __except (FaultFilter(GetExceptionInformation(), static_cast<const char*>(base), length)) {
    return false;
  }
}

}  // namespace hexmap

#else  // POSIX

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <mutex>

namespace hexmap {
namespace {

struct GuardState {
  sigjmp_buf jump;
  const char* low;
  const char* high;
  volatile sig_atomic_t active;
};

// One per thread: the main thread (reads, writes) and each libuv pool thread
// (scans) have their own jump target and their own guarded range.
thread_local GuardState t_guard;

// How many threads are inside RunGuarded right now. The handler looks at its
// thread-local state only when this is non-zero: on a thread that never ran a
// guard, the first touch of a dlopen'ed library's TLS may allocate, which a
// signal handler must not do. Lock-free atomics are async-signal-safe.
std::atomic<int> g_active_guards{0};

struct sigaction g_previous_bus;
struct sigaction g_previous_segv;
std::once_flag g_install_once;

void ChainToPrevious(int signal_number, siginfo_t* info, void* ucontext) {
  const struct sigaction& previous = signal_number == SIGBUS ? g_previous_bus : g_previous_segv;
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction != nullptr) previous.sa_sigaction(signal_number, info, ucontext);
    return;
  }
  if (previous.sa_handler == SIG_IGN) return;
  if (previous.sa_handler == SIG_DFL) {
    // Restore the default action and re-raise: the signal is blocked while we
    // run, so it is delivered (and terminates as it would have) on return. A
    // hardware fault would also simply recur on return.
    signal(signal_number, SIG_DFL);
    raise(signal_number);
    return;
  }
  previous.sa_handler(signal_number);
}

void OnFault(int signal_number, siginfo_t* info, void* ucontext) {
  if (g_active_guards.load(std::memory_order_relaxed) == 0) return ChainToPrevious(signal_number, info, ucontext);
  GuardState& guard = t_guard;
  const char* address = static_cast<const char*>(info->si_addr);
  if (guard.active && address >= guard.low && address < guard.high) {
    guard.active = 0;
    siglongjmp(guard.jump, 1);  // restores the signal mask saved by sigsetjmp
  }
  ChainToPrevious(signal_number, info, ucontext);
}

void Install() {
  struct sigaction action = {};
  action.sa_sigaction = OnFault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, &g_previous_bus);
  sigaction(SIGSEGV, &action, &g_previous_segv);
}

}  // namespace

void InstallFaultGuard() { std::call_once(g_install_once, Install); }

bool RunGuarded(const void* base, size_t length, void (*work)(void*), void* context) {
  GuardState& guard = t_guard;  // touched here first, so the handler never allocates TLS
  if (guard.active) {           // nested use is a bug; run unguarded rather than corrupt the outer jump
    work(context);
    return true;
  }
  guard.low = static_cast<const char*>(base);
  guard.high = guard.low + length;
  g_active_guards.fetch_add(1);
  if (sigsetjmp(guard.jump, 1) != 0) {  // arrived here from OnFault (which cleared guard.active)
    g_active_guards.fetch_sub(1);
    return false;
  }
  guard.active = 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  work(context);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  guard.active = 0;
  g_active_guards.fetch_sub(1);
  return true;
}

}  // namespace hexmap

#endif
