#pragma once
// The benchmark function of every io/idle_connections row: start one of io/http_plaintext's
// servers, hold N idle keep-alive connections to it, read its memory, answer K new clients,
// stop it. Rows differ only in the server they start, so the body is written once and
// instantiated per row (as io/http_plaintext's rows are).
//
//   measure(model, params)   the body
//   measure_row<"corio">     a plain function for harness::register_model

#include <string_view>

#include "workloads/common/server_models.hpp"
#include "workloads/io/idle_connections/params.hpp"

namespace workloads::io::idle_connections {

// Starts io/http_plaintext's `model` server as a child process (harness::ServerProcess), and
// measures as params.hpp says. A server that dies is Result::server_error; one that cannot
// start throws.
Result measure(std::string_view model, const Params& params);

template <common::ServerName S>
Result measure_row(const Params& params) {
  return measure(S.view(), params);
}

}  // namespace workloads::io::idle_connections
