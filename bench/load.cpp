// corio-bench load: see load.hpp.
#include "bench/load.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fcntl.h>
#include <iostream>
#include <netdb.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <string_view>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "harness/bad_input.hpp"
#include "bench/cli.hpp"
#include "harness/net/host_port.hpp"

namespace bench {
namespace {

using std::chrono::duration;
using std::chrono::duration_cast;
using std::chrono::nanoseconds;

constexpr auto kFirstConnectTimeout = std::chrono::seconds(5);
constexpr int kMaxConnections = 1'000'000;

std::string error(const std::string& text) { return "corio-bench: load: " + text; }

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<long long> parse_whole(std::string_view text) {
  long long value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

nanoseconds seconds(double value) { return duration_cast<nanoseconds>(duration<double>(value)); }

// One connection, made and closed, so that a wrong address or a server that is not there is
// refused as bad input before any load. "" when it connected, else why not.
std::string try_connect(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      status != 0) {
    return std::string("cannot resolve '") + host + "': " + ::gai_strerror(status);
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int result = fd < 0 ? errno : 0;
  if (fd >= 0 && ::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    result = errno;
    if (result == EINPROGRESS) {
      pollfd ready{.fd = fd, .events = POLLOUT, .revents = 0};
      const auto wait_ms =
          static_cast<int>(std::chrono::milliseconds(kFirstConnectTimeout).count());
      if (::poll(&ready, 1, wait_ms) == 1) {
        socklen_t length = sizeof result;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0) result = errno;
      } else {
        result = ETIMEDOUT;
      }
    }
  }
  ::freeaddrinfo(found);
  if (fd >= 0) ::close(fd);
  return result == 0 ? std::string() : std::generic_category().message(result);
}

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, R"(\u%04x)", static_cast<unsigned>(c));
      quoted += escaped;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

std::string microseconds(std::int64_t ns) {
  std::ostringstream text;
  text.setf(std::ios::fixed);
  text.precision(ns < 10'000 ? 2 : ns < 100'000 ? 1 : 0);
  text << static_cast<double>(ns) / 1e3 << " us";
  return text.str();
}

void print_report(const LoadCommand& command, const std::string& connect,
                  const harness::LoadReport& report) {
  const harness::LoadOptions& o = command.options;
  const harness::LatencyHistogram& latency = report.latency;
  const double elapsed = duration<double>(report.elapsed).count();
  std::ostringstream human;
  human << "corio-bench load: " << command.workload << " on " << connect << ", " << o.connections
        << " connection" << (o.connections == 1 ? "" : "s") << ", ";
  if (o.rate_per_second > 0) {
    human << "open loop at " << o.rate_per_second << " requests/s";
  } else {
    human << "closed loop";
  }
  human << ", " << elapsed << " s after " << duration<double>(o.warmup).count()
        << " s of warm-up\n";
  human.setf(std::ios::fixed);
  human.precision(1);
  human << "  requests  " << report.completed << " (" << report.requests_per_second()
        << "/s), errors " << report.errors;
  if (report.errors > 0) {
    human << " (" << report.errors_summary() << "; first: " << report.first_error << ")";
  }
  human << "\n  latency   p50 " << microseconds(latency.percentile_ns(50)) << ", p90 "
        << microseconds(latency.percentile_ns(90)) << ", p99 "
        << microseconds(latency.percentile_ns(99)) << ", p99.9 "
        << microseconds(latency.percentile_ns(99.9)) << ", max " << microseconds(latency.max_ns())
        << "\n";
  std::cout << human.str();

  std::ostringstream json;
  json.precision(12);
  json << "{\"workload\":" << json_string(command.workload)
       << ",\"connect\":" << json_string(connect) << ",\"connections\":" << o.connections
       << ",\"rate_per_second\":" << o.rate_per_second
       << ",\"warmup_s\":" << duration<double>(o.warmup).count()
       << ",\"duration_s\":" << duration<double>(o.duration).count() << ",\"elapsed_s\":" << elapsed
       << ",\"requests\":" << report.completed << ",\"errors\":" << report.errors
       << ",\"first_error\":" << json_string(report.first_error)
       << ",\"requests_per_second\":" << report.requests_per_second()
       << ",\"latency_ns\":{\"p50\":" << latency.percentile_ns(50)
       << ",\"p90\":" << latency.percentile_ns(90) << ",\"p99\":" << latency.percentile_ns(99)
       << ",\"p99_9\":" << latency.percentile_ns(99.9) << ",\"max\":" << latency.max_ns()
       << ",\"mean\":" << static_cast<std::int64_t>(latency.mean_ns()) << "}}\n";
  std::cout << json.str() << std::flush;
}

}  // namespace

LoadParse parse_load_args(const std::vector<std::string>& args) {
  LoadParse result;
  LoadCommand& command = result.command;
  harness::LoadOptions& o = command.options;
  // The command line's defaults, for a run against another host: longer than a benchmark's.
  o.duration = std::chrono::seconds(10);
  o.warmup = std::chrono::seconds(1);
  std::optional<std::string> connect;
  std::optional<std::string> size;
  std::optional<std::string> target;
  std::string workload;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto [name_part, value_part] = split_option(arg);
    const std::string name(name_part);
    std::optional<std::string> value(value_part);
    if (arg == "--help" || arg == "-h") {
      command.help = true;
      return result;
    }
    static constexpr std::string_view kOptions[] = {"--connect", "--connections", "--duration",
                                                    "--warmup",  "--rate",        "--size",
                                                    "--target",  "--timeout"};
    if (std::ranges::find(kOptions, name) == std::end(kOptions)) {
      if (arg.starts_with("-")) {
        result.error =
            error("unknown option '" + arg +
                  "' (accepted: --connect, --connections, --duration, --warmup, --rate, --size, "
                  "--target, --timeout, --help)");
        return result;
      }
      if (!workload.empty()) {
        result.error = error("unexpected argument '" + arg + "' after workload '" + workload + "'");
        return result;
      }
      workload = arg;
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        result.error = error(name + " needs a value (corio-bench load --help)");
        return result;
      }
      value = args[++i];
    }
    auto refuse = [&](const std::string& what) {
      result.error = error(name + " '" + *value + "' is not " + what);
    };
    if (name == "--connect") {
      connect = *value;
    } else if (name == "--connections") {
      const auto count = parse_whole(*value);
      if (!count || *count < 1 || *count > kMaxConnections) {
        refuse("a whole number from 1 to 1000000");
        return result;
      }
      o.connections = static_cast<int>(*count);
    } else if (name == "--duration" || name == "--warmup" || name == "--timeout") {
      const auto number = parse_number(*value);
      const bool zero_allowed = name == "--warmup";
      if (!number || *number < 0 || (*number == 0 && !zero_allowed) || *number > 1e6) {
        refuse(zero_allowed ? "a number of seconds >= 0" : "a number of seconds > 0");
        return result;
      }
      (name == "--duration" ? o.duration
       : name == "--warmup" ? o.warmup
                            : o.request_timeout) = seconds(*number);
    } else if (name == "--rate") {
      const auto number = parse_number(*value);
      if (!number || *number < 0 || (*number > 0 && *number < 1e-3)) {
        refuse("0 (closed loop) or a number of requests per second >= 0.001");
        return result;
      }
      o.rate_per_second = *number;
    } else if (name == "--size") {
      const auto bytes = parse_whole(*value);
      if (!bytes || *bytes < 1 || *bytes > (256LL << 20)) {
        refuse("a number of bytes from 1 to 268435456");
        return result;
      }
      size = *value;
      o.message_bytes = static_cast<std::size_t>(*bytes);
    } else {  // --target
      if (value->empty() || value->front() != '/' ||
          value->find_first_of(" \r\n\t") != std::string::npos) {
        refuse("a path starting with '/' without blanks");
        return result;
      }
      target = *value;
      o.target = *value;
    }
  }

  constexpr std::string_view kAccepted = "tcp_echo, http_plaintext";
  if (workload.empty()) {
    result.error = error(std::string("which workload? (accepted: ") + std::string(kAccepted) + ")");
    return result;
  }
  if (workload == "tcp_echo" || workload == "io/tcp_echo") {
    command.workload = "io/tcp_echo";
    o.protocol = harness::LoadProtocol::echo;
    if (target) {
      result.error =
          error("--target is for http_plaintext, not tcp_echo (--size sets the message)");
      return result;
    }
  } else if (workload == "http_plaintext" || workload == "io/http_plaintext") {
    command.workload = "io/http_plaintext";
    o.protocol = harness::LoadProtocol::http_get;
    if (size) {
      result.error = error("--size is for tcp_echo, not http_plaintext (--target sets the path)");
      return result;
    }
  } else {
    result.error =
        error("unknown workload '" + workload + "' (accepted: " + std::string(kAccepted) + ")");
    return result;
  }
  if (!connect) {
    result.error =
        error("--connect HOST:PORT is required (the address `corio-bench serve` printed)");
    return result;
  }
  const std::optional<harness::HostPort> address = harness::parse_host_port(*connect);
  if (!address || address->port == 0) {
    result.error = error("--connect '" + *connect +
                         "' is not HOST:PORT with PORT 1..65535 (e.g. 10.0.0.2:8080)");
    return result;
  }
  o.host = address->host;
  o.port = address->port;
  return result;
}

int load_command(const std::vector<std::string>& args) {
  const LoadParse parsed = parse_load_args(args);
  if (parsed.command.help) {
    std::cout << load_usage();
    return 0;
  }
  if (!parsed.ok()) {
    std::cerr << parsed.error << '\n';
    return 2;
  }
  const LoadCommand& command = parsed.command;
  const harness::LoadOptions& o = command.options;
  const std::string connect =
      (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" +
      std::to_string(o.port);
  if (const std::string why = try_connect(o.host, o.port); !why.empty()) {
    std::cerr << error("cannot connect to " + connect + ": " + why +
                       " (is `corio-bench serve` running there?)")
              << '\n';
    return 2;
  }
  harness::LoadReport report;
  try {
    report = run_load(o);
  } catch (const harness::BadInput& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << error(e.what()) << '\n';
    return 3;
  }
  print_report(command, connect, report);
  return report.completed > 0 ? 0 : 3;
}

std::string load_usage() {
  return R"(Usage: corio-bench load WORKLOAD --connect HOST:PORT [--connections C] [--duration SECONDS]
                        [--warmup SECONDS] [--rate RPS] [--size BYTES] [--target PATH]
                        [--timeout SECONDS]

Loads a server started elsewhere (corio-bench serve WORKLOAD ... on another host, or any
server of the same protocol) with the suite's load generator, on one thread.

  WORKLOAD            tcp_echo (echo --size bytes, different bytes per request; an answer
                      other than those bytes is an error) or http_plaintext (keep-alive GET
                      of --target; a status other than 200, or for /plaintext a body other
                      than "Hello, World!", is an error)
  --connect HOST:PORT the server's address (as `serve` printed it)
  --connections C     connections kept open (default 64)
  --duration SECONDS  the recorded time (default 10)
  --warmup SECONDS    load before recording, not counted (default 1)
  --rate RPS          0: closed loop, each connection sends when answered (default); > 0:
                      open loop, requests due at RPS per second in total, latency counted
                      from the due time (no coordinated omission)
  --size BYTES        tcp_echo's message size (default 64)
  --target PATH       http_plaintext's path (default /plaintext)
  --timeout SECONDS   a request unanswered this long is an error (default 10)

Prints a summary (requests/s, latency p50/p90/p99/p99.9/max, errors by kind), then one JSON
line.
Exit status: 0 done; 2 bad input or the first connection failed (nothing was run);
             3 no request succeeded, or the generator failed.
)";
}

}  // namespace bench
