#pragma once
// The benchmark function of every io/tcp_echo model: start the model's server in its own
// process, load it with the suite's generator, stop it. The models differ only in the server
// they start, so the code is written once and instantiated per model name.
//
//   measure(model, params)    the body: one server, one load phase, one Result
//   measure_model<"corio">    a plain function for harness::register_model

#include <cstddef>
#include <string_view>

#include "workloads/io/tcp_echo/params.hpp"

namespace workloads::io::tcp_echo {

// Starts `model`'s server (harness::ServerProcess::start_serve), runs harness::run_load on it
// as `params` says, stops it and returns the load report's figures with the server's usage.
// A server that died before it was stopped is recorded in Result::server_error.
Result measure(std::string_view model, const Params& params);

// A model name as a template argument: register_model takes a plain function pointer, which
// cannot carry the name at run time.
template <std::size_t N>
struct ModelName {
  constexpr ModelName(const char (&text)[N]) {  // NOLINT(google-explicit-constructor)
    for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
  }
  [[nodiscard]] constexpr std::string_view view() const { return {chars, N - 1}; }
  char chars[N]{};
};

template <ModelName M>
Result measure_model(const Params& params) {
  return measure(M.view(), params);
}

}  // namespace workloads::io::tcp_echo
