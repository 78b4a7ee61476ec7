// corio-bench load: see load.hpp.
#include "bench/load.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "bench/cli.hpp"
#include "bench/options.hpp"
#include "harness/bad_input.hpp"
#include "harness/net/host_port.hpp"
#include "harness/net/resolve.hpp"

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

// "--size '0' is not a number of bytes from 1 to 268435456": a value refused by its option.
std::string not_a(std::string_view option, std::string_view value, std::string_view what) {
  return std::string(option) + " " + quoted(value) + " is not " + std::string(what);
}

// What the load command line says before its options can be checked against each other.
struct LoadArgs {
  LoadCommand command;
  // Parsed once every argument is read, so that a later --connect replaces an earlier one,
  // even a malformed one.
  std::string connect;
  bool size_given = false;    // refused with http_plaintext
  bool target_given = false;  // refused with tcp_echo
};

// --duration, --warmup, --timeout: up to 1e6 s; more than 0 unless `zero_allowed`.
OptionSpec seconds_option(const std::string& name, std::string help, nanoseconds& target,
                          bool zero_allowed) {
  return {.name = name,
          .value_name = "SECONDS",
          .help = std::move(help),
          .set = [name, &target, zero_allowed](std::string_view value) -> std::string {
            const auto number = parse_number(value);
            if (!number || *number < 0 || (*number == 0 && !zero_allowed) || *number > 1e6) {
              return not_a(name, value,
                           zero_allowed ? "a number of seconds >= 0" : "a number of seconds > 0");
            }
            target = seconds(*number);
            return "";
          }};
}

// What no single option can check: the options against the workload, and --connect; returns
// the refusal or "". Fills in the address.
std::string check_together(LoadArgs& args) {
  harness::LoadOptions& o = args.command.options;
  if (args.target_given && o.protocol == harness::LoadProtocol::echo) {
    return error("--target is for http_plaintext, not tcp_echo (--size sets the message)");
  }
  if (args.size_given && o.protocol == harness::LoadProtocol::http_get) {
    return error("--size is for tcp_echo, not http_plaintext (--target sets the path)");
  }
  const std::optional<harness::HostPort> address = harness::parse_host_port(args.connect);
  if (!address || address->port == 0) {
    return error("--connect " + quoted(args.connect) +
                 " is not HOST:PORT with PORT 1..65535 (e.g. 10.0.0.2:8080)");
  }
  o.host = address->host;
  o.port = address->port;
  return "";
}

// The load command line. The setters write into `args`, which must outlive the table.
OptionTable load_table(LoadArgs& args) {
  harness::LoadOptions& o = args.command.options;
  return OptionTable{
      .command = "corio-bench load",
      .options =
          {
              {.name = "--connect",
               .value_name = "HOST:PORT",
               .help = "the server's address (as `serve` printed it)",
               .missing = "--connect HOST:PORT is required (the address `corio-bench serve` "
                          "printed)",
               .set = store_into(args.connect)},
              {.name = "--connections",
               .value_name = "C",
               .help = "connections kept open (default 64)",
               .set = [&o](std::string_view value) -> std::string {
                 const auto count = parse_whole(value);
                 if (!count || *count < 1 || *count > kMaxConnections) {
                   return not_a("--connections", value, "a whole number from 1 to 1000000");
                 }
                 o.connections = static_cast<int>(*count);
                 return "";
               }},
              seconds_option("--duration", "the recorded time (default 10)", o.duration, false),
              seconds_option("--warmup", "load before recording, not counted (default 1)", o.warmup,
                             true),
              {.name = "--rate",
               .value_name = "RPS",
               .help = "0: closed loop, each connection sends when answered (default); > 0:\n"
                       "open loop, requests due at RPS per second in total, latency counted\n"
                       "from the due time (no coordinated omission)",
               .set = [&o](std::string_view value) -> std::string {
                 const auto number = parse_number(value);
                 if (!number || *number < 0 || (*number > 0 && *number < 1e-3)) {
                   return not_a("--rate", value,
                                "0 (closed loop) or a number of requests per second >= 0.001");
                 }
                 o.rate_per_second = *number;
                 return "";
               }},
              {.name = "--size",
               .value_name = "BYTES",
               .help = "tcp_echo's message size (default 64)",
               .set = [&args, &o](std::string_view value) -> std::string {
                 const auto bytes = parse_whole(value);
                 if (!bytes || *bytes < 1 || *bytes > (256LL << 20)) {
                   return not_a("--size", value, "a number of bytes from 1 to 268435456");
                 }
                 args.size_given = true;
                 o.message_bytes = static_cast<std::size_t>(*bytes);
                 return "";
               }},
              {.name = "--target",
               .value_name = "PATH",
               .help = "http_plaintext's path (default /plaintext)",
               .set = [&args, &o](std::string_view path) -> std::string {
                 if (path.empty() || path.front() != '/' ||
                     path.find_first_of(" \r\n\t") != std::string_view::npos) {
                   return not_a("--target", path, "a path starting with '/' without blanks");
                 }
                 args.target_given = true;
                 o.target = path;
                 return "";
               }},
              seconds_option("--timeout", "a request unanswered this long is an error (default 10)",
                             o.request_timeout, false),
              {.name = "--help",
               .short_name = "-h",
               .takes = Takes::nothing,
               .help = "print this help",
               .ends_parsing = true,
               .set = set_true(args.command.help)},
          },
      .positional =
          OptionSpec{.name = "WORKLOAD",
                     .help =
                         "tcp_echo (echo --size bytes, different bytes per request; an answer\n"
                         "other than those bytes is an error) or http_plaintext (keep-alive GET\n"
                         "of --target; a status other than 200, or for /plaintext a body other\n"
                         "than \"Hello, World!\", is an error)",
                     .missing = "which workload? (accepted: tcp_echo, http_plaintext)",
                     .set = [&args, &o](std::string_view workload) -> std::string {
                       if (workload == "tcp_echo" || workload == "io/tcp_echo") {
                         args.command.workload = "io/tcp_echo";
                         o.protocol = harness::LoadProtocol::echo;
                       } else if (workload == "http_plaintext" || workload == "io/http_plaintext") {
                         args.command.workload = "io/http_plaintext";
                         o.protocol = harness::LoadProtocol::http_get;
                       } else {
                         return "unknown workload " + quoted(workload) +
                                " (accepted: tcp_echo, http_plaintext)";
                       }
                       return "";
                     }},
  };
}

// One connection, made and closed, so that a wrong address or a server that is not there is
// refused as bad input before any load. "" when it connected, else why not.
std::string try_connect(const std::string& host, std::uint16_t port) {
  harness::Address address;
  try {
    address = harness::resolve(host, port);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  const int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int result = fd < 0 ? errno : 0;
  if (fd >= 0 &&
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
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
  LoadArgs read;
  harness::LoadOptions& o = read.command.options;
  // The command line's defaults, for a run against another host: longer than a benchmark's.
  o.duration = std::chrono::seconds(10);
  o.warmup = std::chrono::seconds(1);
  LoadParse result;
  result.error = load_table(read).parse(args).error;
  if (result.ok() && !read.command.help) result.error = check_together(read);
  result.command = std::move(read.command);
  return result;
}

int load_command(const std::vector<std::string>& args) {
  const LoadParse parsed = parse_load_args(args);
  if (parsed.command.help) {
    std::cout << load_usage();
    return exit_status(ExitCode::success);
  }
  if (!parsed.ok()) {
    std::cerr << parsed.error << '\n';
    return exit_status(ExitCode::bad_input);
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
    return exit_status(ExitCode::bad_input);
  }
  harness::LoadReport report;
  try {
    report = run_load(o);
  } catch (const harness::BadInput& e) {
    std::cerr << e.what() << '\n';
    return exit_status(ExitCode::bad_input);
  } catch (const std::exception& e) {
    std::cerr << error(e.what()) << '\n';
    return exit_status(ExitCode::run_failed);
  }
  print_report(command, connect, report);
  return exit_status(report.completed > 0 ? ExitCode::success : ExitCode::run_failed);
}

std::string load_usage() {
  LoadArgs scratch;  // the table's setters need somewhere to write; nothing is parsed
  const OptionTable table = load_table(scratch);
  return table.synopsis() + R"(
Loads a server started elsewhere (corio-bench serve WORKLOAD ... on another host, or any
server of the same protocol) with the suite's load generator, on one thread.

)" + table.help() +
         R"(
Prints a summary (requests/s, latency p50/p90/p99/p99.9/max, errors by kind), then one JSON
line.
Exit status: 0 done; 2 bad input or the first connection failed (nothing was run);
             3 no request succeeded, or the generator failed.
)";
}

std::string load_synopsis(std::string_view lead) {
  LoadArgs scratch;  // the table's setters need somewhere to write; nothing is parsed
  return load_table(scratch).synopsis(lead);
}

}  // namespace bench
