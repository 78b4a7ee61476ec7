#pragma once
// The nine fan-out clients (fanout_client.hpp), registered as the models of a workload whose runs
// are fan-outs: io/http_fanout against its /delay server, limit/concurrency_limit against its
// capacity-C server. The two differ in their Params and in how a point becomes a FanoutSpec.
//
//   register_clients<W, SequentialW, spec>(registrar)
//       registers sequential (with SequentialW's points) and the eight concurrent clients
//       (with W's), each run being run_fanout(client, spec(params))

#include "harness/registrar.hpp"
#include "workloads/common/fanout_client.hpp"
#include "workloads/common/fanout_run.hpp"

namespace workloads::common::fanout {

namespace detail {

template <class Params, FanoutSpec (*spec)(const Params&), ClientFn client>
FanoutRun run_client(const Params& params) {
  return run_fanout(client, spec(params));
}

}  // namespace detail

template <class W, class SequentialW, FanoutSpec (*spec)(const typename W::Params&)>
void register_clients(harness::Registrar& registrar) {
  using P = typename W::Params;
  registrar.model<SequentialW>("sequential", detail::run_client<P, spec, sequential>);
  registrar.model<W>("corio", detail::run_client<P, spec, corio>);
  registrar.model<W>("corio_mt", detail::run_client<P, spec, corio_mt>);
  registrar.model<W>("threads", detail::run_client<P, spec, threads>);
  registrar.model<W>("thread_pool", detail::run_client<P, spec, thread_pool>);
  registrar.model<W>("processes", detail::run_client<P, spec, processes>);
  registrar.model<W>("asio", detail::run_client<P, spec, asio>);
  registrar.model<W>("asio_mt", detail::run_client<P, spec, asio_mt>);
  registrar.model<W>("libuv", detail::run_client<P, spec, libuv>);
}

}  // namespace workloads::common::fanout
