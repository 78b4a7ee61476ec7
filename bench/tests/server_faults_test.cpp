// Every server of the workloads (the registry, not a list written here, and the Python, Go and
// tokio models' programs: model_servers.hpp's every_server) under the faults a server meets in
// the field, each followed by a normal request that must be answered:
//   - a storm of 2,000 connections reset (SO_LINGER 0) mid-request and mid-response;
//   - a peer that stops reading while pipelining requests worth ~100 MB of answers: the server
//     neither buffers them all nor dies, and answers another client meanwhile;
//   - the descriptor limit (RLIMIT_NOFILE, lowered with prlimit on the running server) reached
//     by held connections, then recovered from once they close;
//   - a server child killed under load: harness::ServerProcess::stop reports "server died", no
//     process of its tree is left, and the next server of the model runs.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bench/tests/model_servers.hpp"
#include "harness/net/server_process.hpp"

namespace bench::test {
namespace {

using Clock = std::chrono::steady_clock;

// How long a server may take to answer after a fault: far beyond what a release build needs
// (milliseconds), so that a sanitized build passes (ASan's threads model takes 1.5 s to work
// through 1,000 reset connections, a thread each), while a server that stopped serving fails.
constexpr auto kRecovery = 10s;

struct Failures {
  std::mutex mutex;
  std::vector<std::string> lines;
  void add(std::string line) {
    const std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
  }
};

// Runs `fault` (which returns "" or what went wrong) on every server (every_server(): the
// registered ones and, outside a sanitized build, the Python, Go and tokio programs), a few at
// a time, each against its own server process; then asserts that the server still runs.
void on_every_server(const std::function<std::string(const ModelServer&, RunningServer&)>& fault) {
  const std::vector<ModelServer> servers = every_server();
  ASSERT_FALSE(servers.empty()) << "no server registered: workloads::register_all found none";
  Failures failures;
  for_each_in_parallel(servers, 3, [&](const ModelServer& server) {
    if (server.probe_missing) {
      failures.add(server.name() + ": no probe in bench/tests/model_servers.cpp's table");
      return;
    }
    const std::unique_ptr<RunningServer> child = start_server(server);
    if (!child->start_error().empty()) {
      failures.add(child->start_error());
      return;
    }
    std::string error = fault(server, *child);
    if (error.empty() && !child->running()) error = "the server died";
    if (!error.empty())
      failures.add(server.name() + ": " + error + " [stderr: " + child->stderr_text() + "]");
  });
  for (const std::string& line : failures.lines) ADD_FAILURE() << line;
}

std::string repeated(const std::string& request, std::size_t at_least_bytes) {
  std::string bytes;
  while (bytes.size() < at_least_bytes) bytes += request;
  return bytes;
}

// 2,000 connections reset, in batches of 50 open at once: half after half a request, half once
// the server has begun answering a pipeline of 16 KiB of requests.
std::string reset_storm(const ModelServer& server, RunningServer& child) {
  constexpr int kMidRequest = 1000;
  constexpr int kMidResponse = 1000;
  constexpr int kBatch = 50;
  const std::string& request = server.probe.cheap_request;
  const std::string half = request.substr(0, request.size() / 2);
  const std::string pipeline = repeated(request, 16 * 1024);
  for (int done = 0; done < kMidRequest; done += kBatch) {
    std::vector<Client> batch;
    for (int i = 0; i < kBatch; ++i) {
      Client client = Client::connect(child.port());
      if (!client.ok() || !client.send_all(half)) {
        return "connection " + std::to_string(done + i) + " (mid-request): " + client.error();
      }
      batch.push_back(std::move(client));
    }
    for (Client& client : batch) client.reset();
  }
  for (int done = 0; done < kMidResponse; done += kBatch) {
    std::vector<Client> batch;
    for (int i = 0; i < kBatch; ++i) {
      Client client = Client::connect(child.port());
      if (!client.ok() || !client.send_all(pipeline)) {
        return "connection " + std::to_string(done + i) + " (mid-response): " + client.error();
      }
      batch.push_back(std::move(client));
    }
    // In order, each reset as soon as its answers start: a server of one connection per
    // worker (or one in all) takes the next connection once the one before is gone.
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].wait_readable(kRecovery)) {
        return "connection " + std::to_string(done + static_cast<int>(i)) +
               " (mid-response): no answer within 10 s";
      }
      batch[i].reset();
    }
  }
  if (std::string error = probe_until(child.port(), server.probe, kRecovery); !error.empty()) {
    return "after 2,000 resets, a normal request failed: " + error;
  }
  return "";
}

TEST(ServerFaults, EveryServerSurvivesAStormOfResetsMidRequestAndMidResponse) {
  on_every_server(reset_storm);
}

// What one answer costs at most, for the ~100 MB the stalled peer asks for.
std::size_t answer_bytes(const ModelServer& server) {
  switch (server.probe.kind) {
    case ProbeKind::echo:
      return server.probe.cheap_request.size();
    case ProbeKind::http:
      return 128;  // status line, Date, Server, Content-Type, Content-Length, a short body
    case ProbeKind::fork_server:
      return 280;  // sizeof(ForkReply)
  }
  return 128;
}

std::string stalled_reader(const ModelServer& server, RunningServer& child) {
  constexpr std::size_t kAnswerBytes = 100 << 20;
  constexpr std::int64_t kMaxGrowth = 48 << 20;
  const std::int64_t rss_before = tree_rss_bytes(child.pid());
  Client stalled = Client::connect(child.port());
  if (!stalled.ok()) return stalled.error();
  const std::string chunk = repeated(server.probe.cheap_request, 64 * 1024);
  const std::size_t requests_per_chunk = chunk.size() / server.probe.cheap_request.size();
  const std::size_t chunks = kAnswerBytes / (requests_per_chunk * answer_bytes(server)) + 1;
  // Until ~100 MB of answers are asked for, or the server has taken nothing for 300 ms (it
  // stopped reading because its answers cannot be sent: the backpressure expected).
  std::size_t sent_chunks = 0;
  std::size_t offset = 0;
  while (sent_chunks < chunks) {
    const std::size_t n = stalled.send_some(std::string_view(chunk).substr(offset));
    if (n == 0) {
      pollfd p{stalled.fd(), POLLOUT, 0};
      if (::poll(&p, 1, 300) <= 0) break;
      if ((p.revents & (POLLERR | POLLHUP)) != 0) return "the server closed the stalled connection";
      continue;
    }
    offset += n;
    if (offset == chunk.size()) {
      offset = 0;
      ++sent_chunks;
    }
  }
  const std::int64_t growth = tree_rss_bytes(child.pid()) - rss_before;
  if (!child.running()) return "died while its answers piled up";
  if (growth > kMaxGrowth) {
    return "grew by " + std::to_string(growth >> 20) + " MiB while the peer did not read (" +
           std::to_string(sent_chunks) + " of " + std::to_string(chunks) +
           " 64 KiB chunks of requests taken)";
  }
  if (!server.one_client_at_a_time) {
    if (std::string error = probe_once(child.port(), server.probe, 1000ms); !error.empty()) {
      return "another client was not answered within 1 s while a peer did not read: " + error;
    }
  }
  stalled.reset();
  if (std::string error = probe_until(child.port(), server.probe, kRecovery); !error.empty()) {
    return "after the stalled peer closed, a normal request failed: " + error;
  }
  return "";
}

TEST(ServerFaults, EveryServerKeepsServingWhileAPeerStopsReading) {
  on_every_server(stalled_reader);
}

// Each process of the server's tree gets a descriptor limit of what it holds now plus a few;
// 64 client connections then hold more than that, each with a request sent; once they close,
// a normal request must be answered. A server of one process must have reached its limit
// (accept failed with EMFILE); a prefork server's workers hold one connection each, and the
// fork server one connection in all, so theirs is never reached: they are only held to
// recovering.
std::string descriptor_limit(const ModelServer& server, RunningServer& child) {
  constexpr int kSpare = 8;
  constexpr int kHeld = 64;
  const std::vector<pid_t> tree = process_tree(child.pid());
  int root_limit = 0;
  for (const pid_t pid : tree) {
    const int open = open_descriptors(pid);
    if (open < 0) continue;  // a process that has just ended
    const rlimit limit{.rlim_cur = static_cast<rlim_t>(open + kSpare),
                       .rlim_max = static_cast<rlim_t>(open + kSpare)};
    if (::prlimit(pid, RLIMIT_NOFILE, &limit, nullptr) != 0 && errno != ESRCH) {
      return std::string("prlimit: ") + std::strerror(errno);
    }
    if (pid == child.pid()) root_limit = open + kSpare;
  }
  std::vector<Client> held;
  for (int i = 0; i < kHeld; ++i) {
    Client client = Client::connect(child.port());
    if (!client.ok()) break;  // the accept queue is full: the limit is surely reached
    client.send_all(server.probe.request);
    held.push_back(std::move(client));
  }
  if (held.size() <= kSpare) return "only " + std::to_string(held.size()) + " connections made";
  std::this_thread::sleep_for(300ms);  // the server accepts until accept fails with EMFILE
  if (!child.running()) return "died at its descriptor limit";
  if (tree.size() == 1 && !server.one_client_at_a_time) {
    // One short of the limit counts as reached: libuv (the libuv and py_uvloop models) keeps a
    // reserve descriptor that it closes at EMFILE, to accept and close the pending connections,
    // and py_uvloop was seen left one below the limit by it (20 of 21, seconds later). A
    // server that stopped accepting early is far below: 8 spare descriptors, 64 connections.
    const auto deadline = Clock::now() + 1s;
    int open = open_descriptors(child.pid(), root_limit);
    while (open < root_limit - 1 && Clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      open = open_descriptors(child.pid(), root_limit);
    }
    if (open < root_limit - 1) {
      return "its descriptor limit was not reached (" + std::to_string(open) + " of " +
             std::to_string(root_limit) + " open with " + std::to_string(held.size()) +
             " connections held): the test proves nothing";
    }
  }
  for (Client& client : held) client.reset();
  if (std::string error = probe_until(child.port(), server.probe, kRecovery); !error.empty()) {
    return "once the connections over the descriptor limit closed, a normal request failed: " +
           error;
  }
  return "";
}

// Why a model is not held to recovering from its descriptor limit, when the cause is in its
// language's runtime and not in the model's code; "" otherwise.
std::string descriptor_limit_exemption(const ModelServer& server) {
  if (server.model == "py_asyncio") {
    // py_uvloop runs the same code on libuv's accept loop and recovers.
    return "CPython 3.11's asyncio keeps calling accept() after EMFILE for the rest of its "
           "backlog (4,096 here), logging a traceback and rescheduling the accept once per call "
           "(python/cpython#151615, fixed after 3.11), and serves nothing for longer than 10 s";
  }
  return "";
}

TEST(ServerFaults, EveryServerRecoversFromItsDescriptorLimit) {
#ifdef CORIO_TESTS_UBSAN_VPTR
  // UBSan checks a virtual call whose type is not in its cache by reading the object through
  // a pipe (sanitizer_common's IsAccessibleMemoryRange); at the descriptor limit pipe() fails
  // with EMFILE and UBSan reports a valid object as "invalid vptr" ("<memory cannot be
  // printed>") and halts the server. The release and tsan builds run this test.
  GTEST_SKIP() << "not under -fsanitize=vptr: UBSan needs descriptors to check a virtual call";
#endif
  std::mutex printing;
  on_every_server([&printing](const ModelServer& server, RunningServer& child) {
    if (const std::string why = descriptor_limit_exemption(server); !why.empty()) {
      const std::lock_guard lock(printing);
      std::cout << "  " << server.name() << ": not held to recovering: " << why << '\n';
      return std::string();
    }
    return descriptor_limit(server, child);
  });
}

// A load of one or two keep-alive clients on a ServerProcess, until `stop`.
void load_until(std::uint16_t port, const ModelServer& server, const std::atomic<bool>& stop,
                std::atomic<int>& answered) {
  Client client;
  while (!stop.load()) {
    if (!client.ok()) {
      client = Client::connect(port, 200ms);
      if (!client.ok()) {
        std::this_thread::sleep_for(5ms);
        continue;
      }
    }
    if (client.exchange(server.probe, 500ms).empty()) {
      ++answered;
    } else {
      client.reset();
    }
  }
}

bool wait_gone(pid_t pid, std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (!is_gone(pid)) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Kills the server (or, with `worker`, one of its worker processes) while clients load it.
std::string crash_under_load(const ModelServer& server, bool worker) {
  std::optional<harness::ServerProcess> process;
  try {
    process.emplace(start_server_process(server));
  } catch (const std::exception& error) {
    return std::string("start: ") + error.what();
  }
  const std::vector<pid_t> before_load = process_tree(process->pid());
  if (worker && before_load.size() < 2) return "";  // no worker process to crash
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < (server.one_client_at_a_time ? 1 : 2); ++i) {
    clients.emplace_back(load_until, process->port(), std::cref(server), std::cref(stop),
                         std::ref(answered));
  }
  const auto deadline = Clock::now() + 3s;
  while (answered.load() < 20 && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
  const std::vector<pid_t> tree = process_tree(process->pid());
  const pid_t victim = worker ? tree.back() : process->pid();
  ::kill(victim, SIGKILL);
  const bool root_gone = ended_unreaped(process->pid(), 2000ms).has_value();
  stop = true;
  for (std::thread& client : clients) client.join();
  if (answered.load() < 20) return "only " + std::to_string(answered.load()) + " answers before";
  if (!root_gone) return "the server did not end within 2 s of a worker's crash";
  std::string said;
  try {
    process->stop();
    return "stop() did not report the crash";
  } catch (const std::runtime_error& error) {
    said = error.what();
  }
  if (!said.starts_with("server died")) return "stop() said '" + said + "'";
  for (const pid_t pid : tree) {
    if (!wait_gone(pid, 2000ms)) return "process " + std::to_string(pid) + " outlived the crash";
  }
  // The next benchmark: a new server of the same model, loaded and stopped normally.
  try {
    harness::ServerProcess next = start_server_process(server);
    if (std::string error = probe_until(next.port(), server.probe, kRecovery); !error.empty()) {
      return "the next server did not answer: " + error;
    }
    next.stop();
  } catch (const std::exception& error) {
    return std::string("the next server: ") + error.what();
  }
  return "";
}

TEST(ServerFaults, EveryServerCrashUnderLoadIsReportedAndLeavesNoProcess) {
  const std::vector<ModelServer> servers = every_server();
  ASSERT_FALSE(servers.empty());
  Failures failures;
  for_each_in_parallel(servers, 3, [&failures](const ModelServer& server) {
    if (server.probe_missing) {
      failures.add(server.name() + ": no probe in bench/tests/model_servers.cpp's table");
      return;
    }
    for (const bool worker : {false, true}) {
      if (std::string error = crash_under_load(server, worker); !error.empty()) {
        failures.add(server.name() + (worker ? ", a worker killed: " : ", killed: ") + error);
      }
    }
  });
  for (const std::string& line : failures.lines) ADD_FAILURE() << line;
}

}  // namespace
}  // namespace bench::test
