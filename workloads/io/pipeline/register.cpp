// Registers io/pipeline's models with the harness (workloads/registry.cpp calls this).
#include "harness/workload.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads {

void register_io_pipeline(harness::Profile profile) {
  namespace pipeline = io::pipeline;
  harness::register_model<pipeline::SequentialWorkload>("sequential", pipeline::sequential,
                                                        profile);
  harness::register_model<pipeline::Workload>("corio", pipeline::corio, profile);
  // corio_mt offloads only CPU work: a 1 ms wait needs no thread (corio_mt.cpp says more).
  harness::register_model<pipeline::CpuWorkload>("corio_mt", pipeline::corio_mt, profile);
  harness::register_model<pipeline::Workload>("threads", pipeline::threads, profile);
  harness::register_model<pipeline::Workload>("thread_pool", pipeline::thread_pool, profile);
  harness::register_model<pipeline::Workload>("processes", pipeline::processes, profile);
  harness::register_model<pipeline::Workload>("asio", pipeline::asio, profile);
  harness::register_model<pipeline::Workload>("asio_mt", pipeline::asio_mt, profile);
  harness::register_model<pipeline::Workload>("libuv", pipeline::libuv, profile);
}

void register_io_pipeline_servers() {}

}  // namespace workloads
