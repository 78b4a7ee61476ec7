// The one list of every workload's models (like libuv's test-list.h): adding a model to a
// workload is one line here plus its file in workloads/<group>/<workload>/<model>.cpp.
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"
#include "workloads/runtime/gather/params.hpp"
#include "workloads/runtime/skynet/params.hpp"
#include "workloads/runtime/spawn/params.hpp"
#include "workloads/runtime/switch/params.hpp"
#include "workloads/runtime/sync/params.hpp"
#include "workloads/runtime/task_memory/params.hpp"
#include "workloads/runtime/timers/params.hpp"

namespace workloads {
// Each defined in workloads/<group>/<workload>/register.cpp.
void register_io_sleep_fanout(harness::Profile profile);
void register_io_sleep_fanout_servers();
void register_io_tcp_echo(harness::Profile profile);
void register_io_tcp_echo_servers();
void register_io_http_plaintext(harness::Profile profile);
void register_io_http_plaintext_servers();
void register_io_http_fanout(harness::Profile profile);
void register_io_http_fanout_servers();
void register_io_pipeline(harness::Profile profile);
void register_io_pipeline_servers();
void register_cpu_cpu_scaling(harness::Profile profile);
void register_cpu_cpu_scaling_servers();
void register_mixed_blocking_in_loop(harness::Profile profile);
void register_mixed_blocking_in_loop_servers();
void register_limit_concurrency_limit(harness::Profile profile);
void register_limit_concurrency_limit_servers();
}  // namespace workloads

namespace harness {

void register_all_workloads(Profile profile) {
  // --- io, cpu, mixed, limit: each workload's register.cpp lists its models ---
  // Registered (and so run) before the runtime group: runtime/timers leaves a million tasks'
  // frames in corio's frame pool, and every later fork() (the processes models) would copy
  // those page tables: 1,000 forks took 32 s after it instead of 0.3 s.
  workloads::register_io_sleep_fanout(profile);
  workloads::register_io_tcp_echo(profile);
  workloads::register_io_http_plaintext(profile);
  workloads::register_io_http_fanout(profile);
  workloads::register_io_pipeline(profile);
  workloads::register_cpu_cpu_scaling(profile);
  workloads::register_mixed_blocking_in_loop(profile);
  workloads::register_limit_concurrency_limit(profile);

  // --- runtime group: spawn, switch, gather, sync ---
  {
    namespace spawn = workloads::runtime::spawn;
    namespace switch_ = workloads::runtime::switch_;
    namespace gather = workloads::runtime::gather;
    namespace sync = workloads::runtime::sync;
    register_model<spawn::Workload>("corio", spawn::corio, profile);
    register_model<spawn::Workload>("asio", spawn::asio, profile);
    register_model<spawn::Workload>("libuv", spawn::libuv, profile);
    register_model<spawn::ThreadsWorkload>("threads", spawn::threads, profile);
    register_model<switch_::Workload>("corio", switch_::corio, profile);
    register_model<switch_::Workload>("asio", switch_::asio, profile);
    register_model<switch_::Workload>("libuv", switch_::libuv, profile);
    register_model<switch_::ThreadsWorkload>("threads", switch_::threads, profile);
    register_model<gather::Workload>("corio", gather::corio, profile);
    register_model<gather::Workload>("asio", gather::asio, profile);
    register_model<gather::Workload>("libuv", gather::libuv, profile);
    register_model<gather::ThreadsWorkload>("threads", gather::threads, profile);
    // libuv has no sync: workloads/runtime/sync/README.md says why.
    register_model<sync::Workload>("corio", sync::corio, profile);
    register_model<sync::Workload>("asio", sync::asio, profile);
    register_model<sync::ThreadsWorkload>("threads", sync::threads, profile);
  }

  // --- runtime group: skynet, timers, task_memory ---
  {
    namespace skynet = workloads::runtime::skynet;
    namespace timers = workloads::runtime::timers;
    namespace task_memory = workloads::runtime::task_memory;
    // libuv and threads have no skynet: workloads/runtime/skynet/README.md says why.
    register_model<skynet::Workload>("corio", skynet::corio, profile);
    register_model<skynet::Workload>("asio", skynet::asio, profile);
    register_model<timers::Workload>("corio", timers::corio, profile);
    register_model<timers::Workload>("asio", timers::asio, profile);
    register_model<timers::Workload>("libuv", timers::libuv, profile);
    register_model<timers::ThreadsWorkload>("threads", timers::threads, profile);
    register_model<task_memory::Workload>("corio", task_memory::corio, profile);
    register_model<task_memory::Workload>("asio", task_memory::asio, profile);
    register_model<task_memory::Workload>("libuv", task_memory::libuv, profile);
    register_model<task_memory::ThreadsWorkload>("threads", task_memory::threads, profile);
  }
}

void register_all_servers() {
  workloads::register_io_sleep_fanout_servers();
  workloads::register_io_tcp_echo_servers();
  workloads::register_io_http_plaintext_servers();
  workloads::register_io_http_fanout_servers();
  workloads::register_io_pipeline_servers();
  workloads::register_cpu_cpu_scaling_servers();
  workloads::register_mixed_blocking_in_loop_servers();
  workloads::register_limit_concurrency_limit_servers();
}

}  // namespace harness
