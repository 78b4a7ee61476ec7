#pragma once
// The benchmark function of every io/tcp_echo model: start the model's server in its own
// process, load it with the suite's generator, stop it. The models differ only in the server
// they start, so the code is written once and instantiated per model name.
//
//   measure(model, params)    the body: one server, one load phase, one Result
//   measure_model<"corio">    a plain function for harness::register_model

#include <string_view>

#include "workloads/common/server_models.hpp"
#include "workloads/io/tcp_echo/params.hpp"

namespace workloads::io::tcp_echo {

// Starts `model`'s server (harness::ServerProcess::start_serve), runs harness::run_load on it
// as `params` says, stops it and returns the load report's figures with the server's usage.
// A server that died before it was stopped is recorded in Result::server_error.
Result measure(std::string_view model, const Params& params);

// One instance per model name (common::ServerName, workloads/common/server_models.hpp).
template <common::ServerName M>
Result measure_model(const Params& params) {
  return measure(M.view(), params);
}

}  // namespace workloads::io::tcp_echo
