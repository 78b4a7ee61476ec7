#pragma once
// libuv as the suite's libuv models use it: a failed call turned into an exception, and the
// end of a loop whose handles are still open.
//
//   workloads::common::check_uv     throws std::runtime_error("<what>: <libuv's message>") when
//                                   a libuv call returned an error (a negative status)
//   workloads::common::close_loop   closes every handle still open on a loop, runs the loop
//                                   until their close callbacks have run, then uv_loop_close
//
// A loop whose callbacks closed every handle already (timers that close themselves) needs no
// close_loop: check_uv(uv_loop_close(&loop), "uv_loop_close") is its end.

#include <stdexcept>
#include <string>
#include <uv.h>

namespace workloads::common {

// Inline: it sits in set-up loops (uv_timer_start for every timer) that the harness times.
inline void check_uv(int status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string(what) + ": " + uv_strerror(status));
}

// For a loop that uv_run has left with handles still open (stopped, not closed): each is
// closed without a close callback, so none may own memory that a callback should free.
// Throws (check_uv) if the loop is still busy after that, e.g. a request still in flight.
void close_loop(uv_loop_t& loop);

}  // namespace workloads::common
