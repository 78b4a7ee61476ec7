// The wire-level HTTP case set (http_wire_cases.hpp) against running servers:
//   - every registered io/http_plaintext server (the ones the suite puts beside nginx) passes
//     every required case and all but at most one recommended case, and keeps serving;
//   - every other registered HTTP server keeps serving through the whole set (a normal request
//     is answered after it, the process still runs): their scores are printed, not held;
//   - the outside HTTP servers (nginx when installed; the Python, Go and tokio models of
//     io/http_plaintext and mixed/blocking_in_loop) keep serving through it; their scores are
//     printed beside corio's (`corio_server_tests --gtest_filter='ServerConformance.*'` shows them
//     all; with CORIO_CONFORMANCE_VERBOSE=1 in the environment, each score's failed cases too).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/tests/http_wire_cases.hpp"
#include "bench/tests/model_servers.hpp"
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
  if (hold_to_score &&
      (result.required_passed < result.required_total ||
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
  for_each_in_parallel(
      servers, 3, [&report](const ModelServer& server) { check_registered(server, true, report); });
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

// nginx: started, scored, probed, stopped (stop() throws when it died).
void check_nginx(const std::string& path, Report& report) {
  namespace plaintext = workloads::io::http_plaintext;
  plaintext::NginxServer nginx = plaintext::NginxServer::start(path);
  const Score result = score(nginx.port(), "/plaintext");
  report.score(score_line("nginx", result));
  const std::string get = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const Probe probe{.kind = ProbeKind::http,
                    .request = get,
                    .cheap_request = get,
                    .expected_body = "Hello, World!"};
  if (const std::string error = probe_once(nginx.port(), probe); !error.empty()) {
    report.fail("nginx: after the case set, a normal request failed: " + error);
  }
  nginx.stop();
}

TEST(ServerConformance, OutsideHttpServersKeepServingThroughTheCases) {
#ifdef CORIO_TESTS_SANITIZED
  GTEST_SKIP() << "the outside servers (nginx, Python, Go, tokio) are not built with the "
                  "sanitizer: the release preset runs this test";
#endif
  Report report;
  if (const std::string nginx = workloads::io::http_plaintext::find_program("nginx");
      !nginx.empty()) {
    try {
      check_nginx(nginx, report);
    } catch (const std::exception& error) {
      report.fail(std::string("nginx: ") + error.what());
    }
  } else {
    report.score("nginx: not installed (scripts/install_deps.sh --with-tools), not scored");
  }
  std::vector<ModelServer> servers;
  for (const ModelServer& server : outside_servers()) {
    if (server.probe.kind == ProbeKind::http) servers.push_back(server);
  }
  for_each_in_parallel(servers, 3, [&report](const ModelServer& server) {
    const std::unique_ptr<RunningServer> running = start_server(server);
    if (!running->start_error().empty()) {
      report.fail(running->start_error());
      return;
    }
    const Score result = score(running->port(), probe_target(server.probe));
    report.score(score_line(server.name(), result));
    if (const std::string error = probe_once(running->port(), server.probe); !error.empty()) {
      report.fail(server.name() + ": after the case set, a normal request failed: " + error);
    } else if (!running->running()) {
      report.fail(server.name() + ": the server died");
    }
  });
  report.publish();
}

}  // namespace
}  // namespace bench::test
