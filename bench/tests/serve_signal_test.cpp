// corio-bench serve's stop, for every registered server (the registry, not a list written
// here): with a keep-alive client connected, SIGTERM, and in a second pass SIGINT (in a third,
// SIGINT to a server started with SIGINT ignored, as `serve ... &` in a script starts it),
// makes the server stop accepting, close its connections and exit with status 0 within a
// second (serve.hpp's contract). The outside servers (the Python, Go and tokio programs, which
// the harness stops with SIGTERM) must end within a second of SIGTERM, closing their
// connections.
#include <chrono>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "bench/tests/model_servers.hpp"

namespace bench::test {
namespace {

// A failure found on a worker thread, reported on the test's thread.
struct Failures {
  std::mutex mutex;
  std::vector<std::string> lines;
  void add(std::string line) {
    const std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
  }
};

// "" when `server` stopped as promised on `signal`, else what happened.
std::string stop_with(const ModelServer& server, int signal, bool sigint_ignored) {
  ServeChild child(CORIO_BENCH_EXE, server, sigint_ignored);
  if (!child.start_error().empty()) return child.start_error();
  // A keep-alive connection that has been answered once: the server holds it open.
  Client client = Client::connect(child.port());
  if (const std::string error = client.exchange(server.probe); !error.empty()) {
    return "the probe before the signal failed: " + error;
  }
  ::kill(child.pid(), signal);
  const auto sent = std::chrono::steady_clock::now();
  const int status = child.wait_for_exit(1000ms);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - sent);
  if (status < 0) return "still running 1 s after the signal; stderr: " + child.stderr_text();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return describe_status(status) + " after " + std::to_string(took.count()) +
           " ms (expected exit status 0); stderr: " + child.stderr_text();
  }
  if (!client.wait_closed(200ms)) return "exited 0, but the client's connection stayed open";
  return "";
}

TEST(ServeSignal, EveryServerExitsZeroWithinOneSecondOfSigtermOrSigint) {
  const std::vector<ModelServer>& servers = model_servers();
  ASSERT_FALSE(servers.empty()) << "no server registered: workloads::register_all found none";
  Failures failures;
  for_each_in_parallel(servers, 4, [&failures](const ModelServer& server) {
    if (server.probe_missing) {
      failures.add(server.name() + ": no probe in bench/tests/model_servers.cpp's table");
      return;
    }
    // The third pass: SIGINT ignored when the server was started (a script's `serve ... &`).
    for (const auto& [signal, ignored] :
         {std::pair{SIGTERM, false}, std::pair{SIGINT, false}, std::pair{SIGINT, true}}) {
      if (const std::string error = stop_with(server, signal, ignored); !error.empty()) {
        failures.add(server.name() + " on " + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                     (ignored ? " (ignored at exec)" : "") + ": " + error);
      }
    }
  });
  for (const std::string& line : failures.lines) ADD_FAILURE() << line;
}

// "" when the outside server (a Python, Go or tokio program, stopped by the harness with
// SIGTERM) ended within a second of SIGTERM, with status 0 or by SIGTERM's default action
// (the Go and tokio programs: the kernel closes their sockets; harness::ServerProcess takes
// both as a clean stop), and closed its client's connection.
std::string outside_stop(const ModelServer& server) {
  std::optional<harness::ServerProcess> process;
  try {
    process.emplace(start_server_process(server));
  } catch (const std::exception& error) {
    return std::string("start: ") + error.what();
  }
  Client client = Client::connect(process->port());
  if (const std::string error = client.exchange(server.probe); !error.empty()) {
    return "the probe before the signal failed: " + error;
  }
  ::kill(process->pid(), SIGTERM);
  // The status without reaping the child: its ServerProcess reaps it when destroyed.
  const std::optional<siginfo_t> ended = ended_unreaped(process->pid(), 1000ms);
  if (!ended) return "still running 1 s after SIGTERM";
  const siginfo_t& info = *ended;
  const bool exited_zero = info.si_code == CLD_EXITED && info.si_status == 0;
  const bool ended_by_sigterm = info.si_code == CLD_KILLED && info.si_status == SIGTERM;
  if (!exited_zero && !ended_by_sigterm) {
    return info.si_code == CLD_EXITED ? "exit status " + std::to_string(info.si_status)
                                      : "killed by signal " + std::to_string(info.si_status);
  }
  if (!client.wait_closed(200ms)) return "ended, but the client's connection stayed open";
  return "";
}

TEST(ServeSignal, EveryOutsideServerEndsWithinOneSecondOfSigterm) {
#ifdef CORIO_TESTS_SANITIZED
  GTEST_SKIP() << "the outside servers are not built with the sanitizer: the release build "
                  "runs this test";
#endif
  Failures failures;
  for_each_in_parallel(outside_servers(), 3, [&failures](const ModelServer& server) {
    if (const std::string error = outside_stop(server); !error.empty()) {
      failures.add(server.name() + " on SIGTERM: " + error);
    }
  });
  for (const std::string& line : failures.lines) ADD_FAILURE() << line;
}

}  // namespace
}  // namespace bench::test
