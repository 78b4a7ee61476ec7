#pragma once
// The benchmark function of every io/http_plaintext row: start a server, load it, stop it.
// Rows differ only in which server they start (a model's, or nginx) and which generator
// loads it (the suite's, or wrk), so the code is written once and instantiated per row.
//
//   Loader                      generator (harness::run_load, http_get) or wrk
//   measure(server, loader, p)  the body: one server, one load phase, one Result
//   measure_row<"corio", L>     a plain function for harness::register_model
//   Tools                       where wrk and nginx are ("" when not installed)

#include <cstdint>
#include <string>
#include <string_view>

#include "workloads/common/server_models.hpp"
#include "workloads/io/http_plaintext/params.hpp"

namespace workloads::io::http_plaintext {

enum class Loader : std::uint8_t { generator, wrk };

struct Tools {
  std::string wrk;
  std::string nginx;
  // Looked up once per process (PATH, then /usr/local/sbin and /usr/sbin).
  static const Tools& installed();
};

// Starts `server` (a model's server through harness::ServerProcess::start_serve, or "nginx"),
// loads it as `params` says with `loader`, stops it, and returns the load's figures with the
// server's usage. A server that died before it was stopped is recorded in
// Result::server_error; a server that cannot start, or a wrk that fails, throws.
Result measure(std::string_view server, Loader loader, const Params& params);

// One instance per row (common::ServerName, workloads/common/server_models.hpp).
template <common::ServerName S, Loader L>
Result measure_row(const Params& params) {
  return measure(S.view(), L, params);
}

}  // namespace workloads::io::http_plaintext
