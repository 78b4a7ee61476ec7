// corio-bench serve: corio's HTTP server helper on one loop, stopped by SIGINT or SIGTERM.
#include "harness/serve.hpp"

#include <csignal>
#include <exception>
#include <iostream>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <corio/corio.hpp>

namespace harness {
namespace {

constexpr std::string_view kAcceptedWorkloads = "http_plaintext";
constexpr std::string_view kAcceptedModels = "corio";

std::string error(const std::string& text) { return "corio-bench: serve: " + text; }

// "65535" -> 65535; nullopt for anything but 1 to 5 digits up to 65535.
std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

corio::Task<void> serve_until_signal(corio::net::TcpListener listener) {
  auto server = corio::spawn(corio::net::http::serve(std::move(listener)));
  co_await corio::wait_for_signal({SIGINT, SIGTERM});
  // Stop accepting and cancel every connection task (no drain: see http_server.hpp).
  server.cancel();
  try {
    co_await server;
  } catch (const corio::CancelledError&) {
  }
}

}  // namespace

ServeParse parse_serve_args(const std::vector<std::string>& args) {
  ServeParse result;
  ServeOptions& options = result.options;
  std::optional<std::string> listen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string name = arg;
    std::optional<std::string> value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (name == "--model" || name == "--listen") {
      if (!value) {
        if (i + 1 >= args.size()) {
          result.error =
              error(name + " needs a value (" +
                    (name == "--model" ? std::string("accepted: ") + std::string(kAcceptedModels)
                                       : std::string("HOST:PORT")) +
                    ")");
          return result;
        }
        value = args[++i];
      }
      if (name == "--model") {
        options.model = *value;
      } else {
        listen = *value;
      }
    } else if (arg.starts_with("-")) {
      result.error = error("unknown option '" + arg + "' (accepted: --model, --listen)");
      return result;
    } else if (options.workload.empty()) {
      options.workload = arg;
    } else {
      result.error =
          error("unexpected argument '" + arg + "' after workload '" + options.workload + "'");
      return result;
    }
  }
  if (options.workload != kAcceptedWorkloads) {
    result.error =
        options.workload.empty()
            ? error("which workload? (accepted: " + std::string(kAcceptedWorkloads) + ")")
            : error("unknown workload '" + options.workload +
                    "' (accepted: " + std::string(kAcceptedWorkloads) + ")");
    return result;
  }
  if (options.model.empty()) options.model = std::string(kAcceptedModels);
  if (options.model != kAcceptedModels) {
    result.error = error("unknown model '" + options.model +
                         "' (accepted: " + std::string(kAcceptedModels) + ")");
    return result;
  }
  if (!listen) {
    result.error = error("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:8080)");
    return result;
  }
  const auto colon = listen->rfind(':');
  std::optional<std::uint16_t> port;
  if (colon != std::string::npos && colon > 0)
    port = parse_port(std::string_view(*listen).substr(colon + 1));
  if (!port) {
    result.error = error("--listen '" + *listen +
                         "' is not HOST:PORT with PORT 0..65535 (e.g. 127.0.0.1:8080)");
    return result;
  }
  options.host = listen->substr(0, colon);
  // "[::1]:8080": the brackets only delimit the address.
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.port = *port;
  return result;
}

int run_serve(const ServeOptions& options) {
  // Before any thread exists (the loop's blocking pool starts lazily), so that every thread
  // inherits the mask and the signals reach only the signalfd.
  corio::block_signals({SIGINT, SIGTERM});
  corio::EventLoop loop;
  corio::net::TcpListener listener;
  try {
    listener = corio::net::TcpListener::bind(options.host, options.port);
  } catch (const std::system_error& e) {
    std::cerr << "corio-bench: serve: cannot listen on " << options.host << ':' << options.port
              << ": " << e.code().message() << '\n';
    return 2;
  }
  const std::uint16_t port = listener.local_port();
  std::cout << "corio-bench: serving " << options.workload << " (" << options.model << ") on "
            << options.host << ':' << port << std::endl;  // flushed: scripts wait for it
  loop.run_until_complete(serve_until_signal(std::move(listener)));
  loop.shutdown();
  return 0;
}

}  // namespace harness
