// The one list of every workload's models (like libuv's test-list.h): adding a model to a
// workload is one line here plus its file in workloads/<group>/<workload>/<model>.cpp.
#include "harness/workload.hpp"

namespace harness {

void register_all_workloads(Profile profile) {
  // --- runtime group: spawn, switch, gather, sync ---

  // --- runtime group: skynet, timers, task_memory ---

  (void)profile;
}

}  // namespace harness
