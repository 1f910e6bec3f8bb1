#include "worker_thread.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace hexmap {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProgressEvery = std::chrono::milliseconds(50);

struct Entry {
  Task* task;
  napi_threadsafe_function deliver;
  Clock::time_point last_report;
};

// One call into JS: a progress report, or the final settle.
struct Message {
  Task* task;
  bool final;
};

void CallJs(napi_env raw_env, napi_value, void*, void* data) {
  auto* message = static_cast<Message*>(data);
  Task* task = message->task;
  const bool final = message->final;
  delete message;
  if (raw_env == nullptr) {  // the environment is going away: nothing to call, nobody to tell
    if (final) delete task;
    return;
  }
  Napi::Env env(raw_env);
  Napi::HandleScope scope(env);
  try {
    if (final) task->Settle(env); else task->Report(env);
  } catch (const Napi::Error& e) {
    // A progress callback threw: surface it as an uncaught exception, as a JS callback would.
    if (final) delete task;
    e.ThrowAsJavaScriptException();
    return;
  }
  if (final) delete task;
}

// The background thread runs scans, which use a whole core for seconds: at a lower priority (nice 10),
// so the extension host's JS thread and the libuv pool win the CPU whenever they compete for it. On an
// idle core this changes nothing; on a machine busy with other work the scan yields most of its share
// and takes longer, which is the price of never making the rest of the editor wait. (At nice 5, scans
// on a loaded 2-core machine pushed fs.promises.stat past 200 ms.)
void LowerPriority() {
#if defined(__linux__)
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);  // Linux: nice applies per thread
#elif defined(_WIN32)
  // Windows: two steps below normal, as nice 10 is on Linux. (THREAD_MODE_BACKGROUND_BEGIN would also
  // drop the thread's disk priority to very low, so a scan of a cold file could stall behind any other
  // I/O; the CPU is what the JS thread competes for.)
  SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_LOWEST);
#endif
}

class DropTask : public Task {
 public:
  DropTask(std::shared_ptr<void> a, std::shared_ptr<void> b) : a_(std::move(a)), b_(std::move(b)) {}
  bool Step() override {
    a_.reset();
    b_.reset();
    return true;
  }
  void Settle(Napi::Env) override {}

 private:
  std::shared_ptr<void> a_, b_;
};

}  // namespace

struct WorkerThread::Impl {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Entry> queue;

  void Post(Entry& e, bool final) {
    auto* message = new Message{e.task, final};
    // The queue is unlimited, so a non-blocking call fails only while the environment closes. The task
    // is then left to die with it: its JS references must not be destroyed off the JS thread.
    if (napi_call_threadsafe_function(e.deliver, message, napi_tsfn_nonblocking) != napi_ok) delete message;
    if (final) napi_release_threadsafe_function(e.deliver, napi_tsfn_release);
  }

  void Run() {
    for (;;) {
      Entry e;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return !queue.empty(); });
        e = queue.front();
        queue.pop_front();
      }
      if (e.task->Step()) {
        Post(e, true);
        continue;
      }
      const auto now = Clock::now();
      if (e.task->WantsProgress() && now - e.last_report >= kProgressEvery) {
        e.last_report = now;
        Post(e, false);
      }
      std::lock_guard<std::mutex> lock(mutex);
      queue.push_back(e);  // round-robin: every other job gets a step before this one's next
    }
  }
};

WorkerThread::WorkerThread(bool background) : impl_(new Impl()) {
  // Detached and never destroyed: it lives as long as the process, like the libuv pool it replaces.
  std::thread([impl = impl_, background] {
    if (background) LowerPriority();
    impl->Run();
  }).detach();
}

WorkerThread& WorkerThread::Interactive() {
  static WorkerThread* thread = new WorkerThread(false);
  return *thread;
}

WorkerThread& WorkerThread::Sync() {
  static WorkerThread* thread = new WorkerThread(false);
  return *thread;
}

WorkerThread& WorkerThread::Background() {
  static WorkerThread* thread = new WorkerThread(true);
  return *thread;
}

void WorkerThread::Submit(Napi::Env env, std::unique_ptr<Task> task) {
  napi_threadsafe_function deliver = nullptr;
  napi_value name = Napi::String::New(env, "hexmap:task");
  napi_status status = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr,
                                                       CallJs, &deliver);
  NAPI_THROW_IF_FAILED_VOID(env, status);
  Entry e{task.release(), deliver, Clock::now()};
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->queue.push_back(e);
  }
  impl_->wake.notify_one();
}

}  // namespace hexmap

namespace hexmap {

void DropOnWorker(Napi::Env env, std::shared_ptr<void> a, std::shared_ptr<void> b) {
  if (!a && !b) return;
  WorkerThread::Interactive().Submit(env, std::make_unique<DropTask>(std::move(a), std::move(b)));
}

}  // namespace hexmap
