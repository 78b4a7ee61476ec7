#pragma once
// The nine fan-out clients (client.hpp), registered as the models of a workload whose runs are
// fan-outs: io/http_fanout against its /delay server, limit/concurrency_limit against its
// capacity-C server. The two differ in their Params and in how a point becomes a FanoutSpec.
//
//   register_clients<W, SequentialW, spec>(profile)
//       registers sequential (with SequentialW's points) and the eight concurrent clients
//       (with W's), each run being run_fanout(client, spec(params))

#include "harness/workload.hpp"
#include "workloads/io/http_fanout/client.hpp"
#include "workloads/io/http_fanout/fanout_run.hpp"

namespace workloads::io::http_fanout {

namespace detail {

template <class Params, FanoutSpec (*spec)(const Params&), ClientFn client>
FanoutRun run_client(const Params& params) {
  return run_fanout(client, spec(params));
}

}  // namespace detail

template <class W, class SequentialW, FanoutSpec (*spec)(const typename W::Params&)>
void register_clients(harness::Profile profile) {
  using P = typename W::Params;
  harness::register_model<SequentialW>("sequential", detail::run_client<P, spec, sequential>,
                                       profile);
  harness::register_model<W>("corio", detail::run_client<P, spec, corio>, profile);
  harness::register_model<W>("corio_mt", detail::run_client<P, spec, corio_mt>, profile);
  harness::register_model<W>("threads", detail::run_client<P, spec, threads>, profile);
  harness::register_model<W>("thread_pool", detail::run_client<P, spec, thread_pool>, profile);
  harness::register_model<W>("processes", detail::run_client<P, spec, processes>, profile);
  harness::register_model<W>("asio", detail::run_client<P, spec, asio>, profile);
  harness::register_model<W>("asio_mt", detail::run_client<P, spec, asio_mt>, profile);
  harness::register_model<W>("libuv", detail::run_client<P, spec, libuv>, profile);
}

}  // namespace workloads::io::http_fanout
