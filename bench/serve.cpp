// corio-bench serve: any registered server (harness/net/server_registry.hpp) on a socket this
// code binds. See serve.hpp.
#include "bench/serve.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <exception>
#include <iostream>
#include <map>
#include <netdb.h>
#include <optional>
#include <set>
#include <string_view>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "bench/cli.hpp"
#include "bench/options.hpp"
#include "harness/bad_input.hpp"
#include "harness/net/host_port.hpp"
#include "harness/net/server_registry.hpp"

namespace bench {
namespace {

std::string error(const std::string& text) { return "corio-bench: serve: " + text; }

// SIGTERM's and SIGINT's handler (serve.hpp): the process ends with status 0 at once, and the
// kernel closes the listening socket and every connection as it goes. _exit is
// async-signal-safe, whatever thread of whichever model takes the signal; nothing is
// flushed (the serving line was, and a server writes nothing else on stdout).
extern "C" void stop_serving(int /*signal*/) { ::_exit(0); }

// Installed over whatever the process inherited: SIG_DFL would end it by the signal (143, 130),
// and a shell script's `corio-bench serve ... &` starts it with SIGINT ignored, so it would not
// stop on SIGINT at all. A model that waits for these signals itself (common::
// supervise_workers: blocked, then sigwaitinfo) still gets them first: a blocked signal is never
// delivered to a handler. Forked workers inherit the handler, so a stopped worker exits 0 too.
void exit_zero_on_stop_signals() {
  struct sigaction action{};
  action.sa_handler = stop_serving;
  ::sigemptyset(&action.sa_mask);
  for (const int signal : {SIGTERM, SIGINT}) ::sigaction(signal, &action, nullptr);
}

// The serve command line. The setters write into `options` and `listen`, which must outlive
// the table; --listen is parsed once every argument is read, so that a later one replaces an
// earlier one, even a malformed one.
OptionTable serve_table(ServeOptions& options, std::string& listen) {
  return OptionTable{
      .command = "corio-bench serve",
      .options =
          {
              {.name = "--model",
               .value_name = "MODEL",
               .help = "the model whose server runs (default corio; listed below)",
               .set = [&options](std::string_view model) -> std::string {
                 if (model.empty()) {
                   return "--model needs a name (corio-bench serve --help lists the servers)";
                 }
                 options.model = model;
                 return "";
               }},
              {.name = "--listen",
               .value_name = "HOST:PORT",
               .help = "the address to serve on; port 0 picks a free one",
               .missing = "--listen HOST:PORT is required (e.g. --listen 127.0.0.1:8080)",
               .set = store_into(listen)},
              {.name = "--param",
               .value_name = "KEY=VALUE",
               .help = "a parameter of the server, by the names listed below; each once",
               .repeatable = true,
               .set = [&options](std::string_view param) -> std::string {
                 const auto eq = param.find('=');
                 if (eq == std::string_view::npos || eq == 0) {
                   return "--param " + quoted(param) + " is not KEY=VALUE";
                 }
                 options.params.emplace_back(param.substr(0, eq), param.substr(eq + 1));
                 return "";
               }},
              {.name = "--help",
               .short_name = "-h",
               .takes = Takes::nothing,
               .help = "print this help",
               .ends_parsing = true,
               .set = set_true(options.help)},
          },
      .positional =
          OptionSpec{.name = "WORKLOAD",
                     .help = "a network workload (listed below); its group may be left out\n"
                             "(tcp_echo for io/tcp_echo)",
                     .missing = "which workload? (corio-bench serve --help lists the servers)",
                     .set = store_into(options.workload)},
  };
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::vector<std::string> registered_workloads() {
  std::vector<std::string> names;
  for (const harness::ServerEntry& entry : harness::all_servers()) {
    if (std::ranges::find(names, entry.workload) == names.end()) names.push_back(entry.workload);
  }
  return names;
}

bool same_workload(const std::string& registered, const std::string& asked) {
  if (registered == asked) return true;
  const auto slash = registered.find('/');
  return slash != std::string::npos && registered.compare(slash + 1, std::string::npos, asked) == 0;
}

// The entry the options name, or the one line saying what is accepted instead.
const harness::ServerEntry* find_entry(const ServeOptions& options, std::string& refusal) {
  std::vector<std::string> models;
  std::string workload;
  for (const harness::ServerEntry& entry : harness::all_servers()) {
    if (!same_workload(entry.workload, options.workload)) continue;
    workload = entry.workload;
    models.push_back(entry.model);
  }
  if (models.empty()) {
    const std::vector<std::string> workloads = registered_workloads();
    refusal = error("unknown workload '" + options.workload + "' (accepted: " +
                    (workloads.empty() ? "none, no server is registered" : join(workloads)) + ")");
    return nullptr;
  }
  const harness::ServerEntry* entry = harness::find_server(options.workload, options.model);
  if (entry == nullptr) {
    refusal = error("no server of model '" + options.model + "' for " + workload +
                    " (accepted: " + join(models) + ")");
    return nullptr;
  }
  std::set<std::string> seen;
  for (const auto& [key, value] : options.params) {
    if (std::ranges::find(entry->param_names, key) == entry->param_names.end()) {
      refusal = error(
          "unknown --param '" + key + "' for " + entry->workload + " (" + entry->model +
          ") (accepted: " +
          (entry->param_names.empty() ? std::string("none") : join(entry->param_names)) + ")");
      return nullptr;
    }
    if (!seen.insert(key).second) {
      refusal = error("--param " + key + " is given twice");
      return nullptr;
    }
  }
  return entry;
}

// The listening socket serve.hpp describes; -1 with `refusal` set when the address cannot be
// bound.
int bind_listener(const std::string& host, std::uint16_t port, std::uint16_t& bound_port,
                  std::string& refusal) {
  const std::string where =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      status != 0) {
    refusal = error("cannot listen on " + where + ": " + ::gai_strerror(status));
    return -1;
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  // SO_REUSEPORT only after bind(): bound with it, this socket would join a group another
  // server on the port had made, instead of being refused with EADDRINUSE.
  const bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 &&
                  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) == 0 &&
                  ::listen(fd, 4096) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
  const int saved_errno = errno;
  ::freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    refusal =
        error("cannot listen on " + where + ": " + std::generic_category().message(saved_errno) +
              (saved_errno == EADDRINUSE ? " (another server holds the port; port 0 picks a "
                                           "free one)"
                                         : ""));
    return -1;
  }
  const std::uint16_t network_port = local.ss_family == AF_INET6
                                         ? reinterpret_cast<const sockaddr_in6&>(local).sin6_port
                                         : reinterpret_cast<const sockaddr_in&>(local).sin_port;
  bound_port = ntohs(network_port);
  return fd;
}

}  // namespace

ServeParse parse_serve_args(const std::vector<std::string>& args) {
  ServeParse result;
  ServeOptions& options = result.options;
  std::string listen;
  const TableParse parsed = serve_table(options, listen).parse(args);
  if (!parsed.ok() || options.help) {
    result.error = parsed.error;
    return result;
  }
  const std::optional<harness::HostPort> address = harness::parse_host_port(listen);
  if (!address) {
    result.error = error("--listen " + quoted(listen) +
                         " is not HOST:PORT with PORT 0..65535 (e.g. 127.0.0.1:8080)");
    return result;
  }
  options.host = address->host;
  options.port = address->port;
  return result;
}

int run_serve(const ServeOptions& options) {
  std::string refusal;
  const harness::ServerEntry* entry = find_entry(options, refusal);
  if (entry == nullptr) {
    std::cerr << refusal << '\n';
    return exit_status(ExitCode::bad_input);
  }
  harness::ServerContext context;
  context.listen_fd = bind_listener(options.host, options.port, context.port, refusal);
  if (context.listen_fd < 0) {
    std::cerr << refusal << '\n';
    return exit_status(ExitCode::bad_input);
  }
  context.workload = entry->workload;
  context.model = entry->model;
  context.host = options.host;
  for (const auto& [key, value] : options.params) context.params[key] = value;
  // A peer's reset must not end a server that writes with write() (libuv does).
  std::signal(SIGPIPE, SIG_IGN);
  exit_zero_on_stop_signals();
  try {
    entry->serve(context);
  } catch (const harness::BadInput& e) {
    std::cerr << e.what() << '\n';
    return exit_status(ExitCode::bad_input);
  } catch (const std::exception& e) {
    std::cerr << error(entry->workload + " (" + entry->model + "): " + e.what()) << '\n';
    return exit_status(ExitCode::run_failed);
  }
  return exit_status(ExitCode::success);
}

int serve_command(const std::vector<std::string>& args) {
  const ServeParse parsed = parse_serve_args(args);
  if (parsed.options.help) {
    std::cout << serve_usage();
    return exit_status(ExitCode::success);
  }
  if (!parsed.ok()) {
    std::cerr << parsed.error << '\n';
    return exit_status(ExitCode::bad_input);
  }
  return run_serve(parsed.options);
}

std::string serve_synopsis(std::string_view lead) {
  ServeOptions scratch;  // the table's setters need somewhere to write; nothing is parsed
  std::string listen;
  return serve_table(scratch, listen).synopsis(lead);
}

std::string serve_usage() {
  ServeOptions scratch;  // the table's setters need somewhere to write; nothing is parsed
  std::string listen;
  const OptionTable table = serve_table(scratch, listen);
  std::string text = table.synopsis() +
                     "\n"
                     "Runs one model's server of a network workload on HOST:PORT (port 0 picks a "
                     "free one)\n"
                     "until SIGTERM or SIGINT, for wrk or `corio-bench load` (from this host or "
                     "another).\n"
                     "Once it accepts connections it prints\n"
                     "  corio-bench: serving WORKLOAD (MODEL) on HOST:PORT\n"
                     "\n" +
                     table.help() +
                     "\n"
                     "Exit status: 2 unknown name or parameter, or the address cannot be bound; "
                     "3 the server\n"
                     "failed.\n"
                     "\n"
                     "Servers (workload: models; parameters):\n";
  std::map<std::string, std::vector<const harness::ServerEntry*>> by_workload;
  for (const harness::ServerEntry& entry : harness::all_servers())
    by_workload[entry.workload].push_back(&entry);
  if (by_workload.empty()) text += "  (none registered)\n";
  for (const auto& [workload, entries] : by_workload) {
    text += "  " + workload + ":";
    for (const harness::ServerEntry* entry : entries) {
      text += " " + entry->model;
      if (!entry->param_names.empty()) text += " [" + join(entry->param_names) + "]";
    }
    text += "\n";
  }
  return text;
}

}  // namespace bench
