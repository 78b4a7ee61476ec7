#pragma once
// Waiting for POSIX signals on the loop (asyncio's loop.add_signal_handler, as an awaitable).
//
//   corio::block_signals    blocks signals in the calling thread (threads created later
//                           inherit the mask): call it first thing in main
//   corio::wait_for_signal  completes when one of the signals arrives; returns its number
//
//   int main() {
//     corio::block_signals({SIGINT, SIGTERM});   // before any thread exists
//     corio::run(serve_until_signal());           // co_await corio::wait_for_signal({...})
//   }
//
// Starts:   lazily (a Task); it opens a signalfd for the set and registers it with the loop's
//           epoll, so the wait costs no thread and no polling.
// Resumes:  on the loop thread, once the signal has been taken from the process's pending set.
// Cancellation: a cancelled wait closes its signalfd; a signal that arrives afterwards stays
//           pending (blocked) until the next wait_for_signal takes it.
// Errors:   std::system_error ("corio::wait_for_signal: signalfd", ...).
// Thread safety: loop thread. The signals must be blocked in every thread of the process, or
//           one arriving would run its default action (terminate) in a thread that has them
//           unblocked: hence block_signals before creating threads (the blocking pool's too).
//           wait_for_signal also blocks them in the calling thread.
// Cost:     one signalfd and one epoll registration per wait.
// Example:  bench/serve.cpp (corio-bench serve)

#include <initializer_list>

#include <corio/task.hpp>

namespace corio {

// pthread_sigmask(SIG_BLOCK) for `signals` in the calling thread; throws std::system_error.
void block_signals(std::initializer_list<int> signals);

// Waits for one of `signals` (SIGINT, SIGTERM, ...) and returns its number.
Task<int> wait_for_signal(std::initializer_list<int> signals);

}  // namespace corio
