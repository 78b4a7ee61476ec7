// Registers io/sleep_fanout's models with the harness (workloads/registry.cpp calls this).
#include <string>

#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/io/sleep_fanout/fork_server.hpp"
#include "workloads/io/sleep_fanout/params.hpp"

namespace workloads {

void register_io_sleep_fanout(harness::Profile profile) {
  namespace fanout = io::sleep_fanout;
  using harness::register_model;
  register_model<fanout::SequentialWorkload>("sequential", fanout::sequential, profile);
  register_model<fanout::Workload>("corio", fanout::corio, profile);
  register_model<fanout::Workload>("corio_mt", fanout::corio_mt, profile);
  register_model<fanout::ThreadsWorkload>("threads", fanout::threads, profile);
  register_model<fanout::ThreadPoolWorkload>("thread_pool", fanout::thread_pool, profile);
  register_model<fanout::ProcessesWorkload>("processes", fanout::processes, profile);
  register_model<fanout::Workload>("asio", fanout::asio, profile);
  register_model<fanout::Workload>("asio_mt", fanout::asio_mt, profile);
  register_model<fanout::Workload>("libuv", fanout::libuv, profile);
}

// The processes model's fork server (fork_server.hpp), which that model starts itself.
void register_io_sleep_fanout_servers() {
  harness::register_server(std::string(io::sleep_fanout::Workload::name), "processes",
                           io::sleep_fanout::serve_fork_server);
}

}  // namespace workloads
