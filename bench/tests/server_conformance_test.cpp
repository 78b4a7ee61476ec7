// The wire-level HTTP case set (http_wire_cases.hpp) against running servers:
//   - every registered io/http_plaintext server (the ones the suite puts beside nginx) passes
//     every required case and all but at most one recommended case, and keeps serving;
//   - every other registered HTTP server keeps serving through the whole set (a normal request
//     is answered after it, the process still runs): their scores are printed, not held;
//   - the outside servers of io/http_plaintext (nginx when installed, the Python, Go and tokio
//     models) keep serving through it and stop cleanly; their scores are printed beside
//     corio's (`corio_server_tests --gtest_filter='ServerConformance.*'` shows them all;
//     with CORIO_CONFORMANCE_VERBOSE=1 in the environment, each score's failed cases too).
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/tests/http_wire_cases.hpp"
#include "bench/tests/model_servers.hpp"
#include "harness/net/server_process.hpp"
#include "workloads/common/built_server.hpp"
#include "workloads/common/python_server.hpp"
#include "workloads/io/http_plaintext/nginx.hpp"
#include "workloads/io/http_plaintext/tools.hpp"

namespace bench::test {
namespace {

constexpr int kRecommendedMisses = 1;  // issue 14: at least 14 of 15 recommended

// The path a server answers GET with 200: the probe's request line's target.
std::string probe_target(const Probe& probe) {
  const std::size_t start = probe.request.find(' ') + 1;
  return probe.request.substr(start, probe.request.find(' ', start) - start);
}

struct Report {
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::string> scores;
  void fail(std::string line) {
    const std::lock_guard lock(mutex);
    failures.push_back(std::move(line));
  }
  void score(std::string line) {
    const std::lock_guard lock(mutex);
    scores.push_back(std::move(line));
  }
  void publish() {
    for (const std::string& line : scores) std::cout << "  " << line << '\n';
    for (const std::string& line : failures) ADD_FAILURE() << line;
  }
};

std::string failure_lines(const Score& result) {
  std::string text;
  for (const std::string& failure : result.failures) text += "\n    " + failure;
  return text;
}

// "name: required 62/62, recommended 15/15", and the failed cases when asked for.
std::string score_line(const std::string& name, const Score& result) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing sets the environment while tests run
  const bool verbose = std::getenv("CORIO_CONFORMANCE_VERBOSE") != nullptr;
  return name + ": " + result.summary() + (verbose ? failure_lines(result) : "");
}

// The case set against a registered server; `hold_to_score` also asks for its score.
void check_registered(const ModelServer& server, bool hold_to_score, Report& report) {
  ServeChild child(CORIO_BENCH_EXE, server);
  if (!child.start_error().empty()) {
    report.fail(server.name() + ": " + child.start_error());
    return;
  }
  const Score result = score(child.port(), probe_target(server.probe));
  report.score(score_line(server.name(), result));
  if (hold_to_score && (result.required_passed < result.required_total ||
                        result.recommended_passed < result.recommended_total - kRecommendedMisses)) {
    report.fail(server.name() + ": " + result.summary() + failure_lines(result));
  }
  if (const std::string error = probe_once(child.port(), server.probe); !error.empty()) {
    report.fail(server.name() + ": after the case set, a normal request failed: " + error +
                " [stderr: " + child.stderr_text() + "]");
  } else if (!child.running()) {
    report.fail(server.name() + ": the server died [stderr: " + child.stderr_text() + "]");
  }
}

std::vector<ModelServer> http_servers(bool plaintext) {
  std::vector<ModelServer> chosen;
  for (const ModelServer& server : model_servers()) {
    if (server.probe.kind == ProbeKind::http &&
        (server.workload == "io/http_plaintext") == plaintext) {
      chosen.push_back(server);
    }
  }
  return chosen;
}

TEST(ServerConformance, EveryHttpPlaintextServerPassesTheRequiredAndRecommendedCases) {
  const std::vector<ModelServer> servers = http_servers(true);
  ASSERT_FALSE(servers.empty()) << "no io/http_plaintext server registered";
  Report report;
  for_each_in_parallel(servers, 3, [&report](const ModelServer& server) {
    check_registered(server, true, report);
  });
  report.publish();
}

TEST(ServerConformance, EveryOtherHttpServerKeepsServingThroughTheCases) {
  const std::vector<ModelServer> servers = http_servers(false);
  ASSERT_FALSE(servers.empty()) << "no HTTP server registered beside io/http_plaintext's";
  Report report;
  for_each_in_parallel(servers, 3, [&report](const ModelServer& server) {
    check_registered(server, false, report);
  });
  report.publish();
}

// One outside server: started, scored, probed, stopped (stop() throws when it died).
template <typename Server>
void check_outside(const std::string& name, Server server, Report& report) {
  const std::string target = "/plaintext";
  const Score result = score(server.port(), target);
  report.score(score_line(name, result));
  const Probe probe{.kind = ProbeKind::http,
                    .request = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    .expected_body = "Hello, World!"};
  if (const std::string error = probe_once(server.port(), probe); !error.empty()) {
    report.fail(name + ": after the case set, a normal request failed: " + error);
  }
  try {
    server.stop();
  } catch (const std::exception& error) {
    report.fail(name + ": " + error.what());
  }
}

TEST(ServerConformance, OutsideHttpPlaintextServersKeepServingThroughTheCases) {
#ifdef CORIO_TESTS_SANITIZED
  GTEST_SKIP() << "the outside servers (nginx, Python, Go, tokio) are not built with the "
                  "sanitizer: the release preset runs this test";
#endif
  namespace plaintext = workloads::io::http_plaintext;
  const std::string workload = "io/http_plaintext";
  Report report;
  if (const std::string nginx = plaintext::find_program("nginx"); !nginx.empty()) {
    try {
      check_outside("nginx", plaintext::NginxServer::start(nginx), report);
    } catch (const std::exception& error) {
      report.fail(std::string("nginx: ") + error.what());
    }
  } else {
    report.score("nginx: not installed (scripts/install_deps.sh --with-tools), not scored");
  }
  for (const char* model : {"py_asyncio", "py_uvloop", "py_threads", "py_processes"}) {
    const bool forks = std::string(model) == "py_processes";
    const std::vector<std::string> args =
        forks ? std::vector<std::string>{"--workers", "4"} : std::vector<std::string>{};
    try {
      check_outside(model, workloads::common::start_python_server(workload, model, args, forks),
                    report);
    } catch (const std::exception& error) {
      report.fail(std::string(model) + ": " + error.what());
    }
  }
  for (const char* model : {"go", "go_mt", "tokio", "tokio_mt"}) {
    try {
      check_outside(model, workloads::common::start_built_server(workload, model, {}), report);
    } catch (const std::exception& error) {
      report.fail(std::string(model) + ": " + error.what());
    }
  }
  report.publish();
}

}  // namespace
}  // namespace bench::test
