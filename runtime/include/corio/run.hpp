#pragma once
// corio::run(task): the program's entry into async code (asyncio.run).
//
// Creates an EventLoop on the calling thread, runs `task` to completion, then cancels every
// task still running and runs the loop until they have finished (their cleanup runs), destroys
// any that stay stuck, joins to_thread's threads, and returns the task's value or rethrows its
// exception.
// Errors:   called while a loop is running on this thread, it throws std::logic_error (await
//           the task instead). If the task waits on something nothing can complete, it throws
//           std::runtime_error rather than hang.
// Example:  runtime/examples/hello.cpp

#include <stdexcept>
#include <utility>

#include <corio/event_loop.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>

namespace corio {

template <class T>
T EventLoop::run_until_complete(Task<T> task) {
  JoinHandle<T> handle = spawn(std::move(task));
  run_until_done(*handle.task_);
  return handle.result();
}

template <class T>
T run(Task<T> task) {
  EventLoop loop;  // throws if this thread already runs one
  JoinHandle<T> handle = loop.spawn(std::move(task));
  loop.run_until_done(*handle.task_);
  loop.shutdown();
  return handle.result();
}

}  // namespace corio
