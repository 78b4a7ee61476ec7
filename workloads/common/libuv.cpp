#include "workloads/common/libuv.hpp"

#include <uv.h>

namespace workloads::common {

void close_loop(uv_loop_t& loop) {
  // uv_walk skips libuv's internal handles (the loop's own signal watcher): uv_loop_close
  // closes those.
  uv_walk(
      &loop,
      [](uv_handle_t* handle, void* /*arg*/) {
        if (uv_is_closing(handle) == 0) uv_close(handle, nullptr);
      },
      nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);  // runs the close callbacks
  check_uv(uv_loop_close(&loop), "uv_loop_close");
}

}  // namespace workloads::common
