// Every registered server with a probe, and the client and process helpers: see
// model_servers.hpp.
#include "bench/tests/model_servers.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "harness/net/server_registry.hpp"
#include "harness/registrar.hpp"
#include "workloads/common/built_server.hpp"
#include "workloads/common/python_server.hpp"
#include "workloads/io/sleep_fanout/fork_server.hpp"
#include "workloads/registry.hpp"

extern char** environ;

namespace bench::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string http_get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

std::string fork_request(std::int64_t tasks) {
  const workloads::io::sleep_fanout::ForkRequest request{.tasks = tasks, .delay_ns = 0};
  return {reinterpret_cast<const char*>(&request), sizeof request};
}

// What each workload with a server is asked, and the --param values that keep its server fast
// (concurrency_limit answers after delay_ms, 10 by default).
struct ProbeRow {
  Probe probe;
  std::vector<std::pair<std::string, std::string>> params;
  bool one_client_at_a_time = false;
};

std::map<std::string, ProbeRow> probe_table() {
  std::map<std::string, ProbeRow> rows;
  const std::string echo = "corio-bench fault probe: 0123456789abcdef";
  rows["io/tcp_echo"] = {
      .probe = {.kind = ProbeKind::echo, .request = echo, .cheap_request = echo}};
  rows["io/http_plaintext"] = {.probe = {.kind = ProbeKind::http,
                                         .request = http_get("/plaintext"),
                                         .cheap_request = http_get("/plaintext"),
                                         .expected_body = "Hello, World!"}};
  rows["io/http_fanout"] = {.probe = {.kind = ProbeKind::http,
                                      .request = http_get("/delay?ms=0"),
                                      .cheap_request = http_get("/delay?ms=0"),
                                      .expected_body = "OK"}};
  rows["limit/concurrency_limit"] = {.probe = {.kind = ProbeKind::http,
                                               .request = http_get("/work"),
                                               .cheap_request = http_get("/work"),
                                               .expected_body = "OK"},
                                     .params = {{"delay_ms", "0"}}};
  rows["mixed/blocking_in_loop"] = {.probe = {.kind = ProbeKind::http,
                                              .request = http_get("/cheap"),
                                              .cheap_request = http_get("/cheap"),
                                              .expected_body = "ok"}};
  // One benchmark process at a time, one request at a time (fork_server.hpp); a request of 0
  // tasks forks nothing.
  rows["io/sleep_fanout"] = {.probe = {.kind = ProbeKind::fork_server,
                                       .request = fork_request(1),
                                       .cheap_request = fork_request(0)},
                             .one_client_at_a_time = true};
  return rows;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t http_answer_length(std::string_view data, std::string_view body, std::string& error) {
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (data.size() > 65536) error = "no end of the response head in 64 KiB";
    return 0;
  }
  const std::string_view head = data.substr(0, head_end + 2);
  if (!head.starts_with("HTTP/1.1 200 ")) {
    error = "not a 200 answer: " + std::string(head.substr(0, head.find('\r')));
    return 0;
  }
  std::size_t content_length = std::string_view::npos;
  for (std::size_t line = head.find("\r\n") + 2; line < head.size();) {
    const std::size_t end = head.find("\r\n", line);
    const std::string_view field = head.substr(line, end - line);
    const std::size_t colon = field.find(':');
    if (colon != std::string_view::npos && iequals(field.substr(0, colon), "content-length")) {
      std::string_view value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      const auto [stop, status] =
          std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (status != std::errc{} || stop != value.data() + value.size()) {
        error = "a malformed Content-Length: '" + std::string(value) + "'";
        return 0;
      }
    }
    line = end + 2;
  }
  if (content_length == std::string_view::npos) {
    error = "an answer without Content-Length";
    return 0;
  }
  const std::size_t total = head_end + 4 + content_length;
  if (data.size() < total) return 0;
  if (data.substr(head_end + 4, content_length) != body) {
    error = "a wrong body: '" + std::string(data.substr(head_end + 4, content_length)) + "'";
    return 0;
  }
  return total;
}

int poll_one(int fd, short events, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  pollfd p{fd, events, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
  return ready > 0 ? p.revents : 0;
}

std::string read_proc(pid_t pid, const char* file) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::size_t Probe::answer_length(std::string_view data, bool cheap, std::string& error) const {
  const std::string& sent = cheap ? cheap_request : request;
  switch (kind) {
    case ProbeKind::echo:
      if (data.size() < sent.size()) return 0;
      if (data.substr(0, sent.size()) != sent) {
        error = "a wrong echo: '" + std::string(data.substr(0, sent.size())) + "'";
        return 0;
      }
      return sent.size();
    case ProbeKind::http:
      return http_answer_length(data, expected_body, error);
    case ProbeKind::fork_server: {
      using workloads::io::sleep_fanout::ForkReply;
      using workloads::io::sleep_fanout::ForkRequest;
      if (data.size() < sizeof(ForkReply)) return 0;
      ForkReply reply;
      ForkRequest asked;
      std::memcpy(&reply, data.data(), sizeof reply);
      std::memcpy(&asked, sent.data(), sizeof asked);
      reply.error[sizeof reply.error - 1] = '\0';
      if (reply.error[0] != '\0' || reply.completed != asked.tasks) {
        error = "a fork server reply of " + std::to_string(reply.completed) + " tasks for " +
                std::to_string(asked.tasks) + ": " + reply.error;
        return 0;
      }
      return sizeof reply;
    }
  }
  return 0;
}

const std::vector<ModelServer>& model_servers() {
  static const std::vector<ModelServer> servers = [] {
    harness::Registrar registrar = harness::Registrar::servers();
    workloads::register_all(registrar);
    const std::map<std::string, ProbeRow> rows = probe_table();
    std::vector<ModelServer> list;
    for (const harness::ServerEntry& entry : harness::all_servers()) {
      ModelServer server{.workload = entry.workload, .model = entry.model};
      // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any test thread starts
      if (const char* only = std::getenv("CORIO_TEST_SERVERS");
          only != nullptr && server.name().find(only) == std::string::npos) {
        continue;
      }
      const auto row = rows.find(entry.workload);
      if (row == rows.end()) {
        server.probe_missing = true;
      } else {
        server.probe = row->second.probe;
        server.params = row->second.params;
        server.one_client_at_a_time = row->second.one_client_at_a_time;
      }
      // Prefork servers: a few workers are enough for these tests' clients (http_plaintext's
      // default is 64, and every test starts its server several times).
      if (std::ranges::find(entry.param_names, "workers") != entry.param_names.end()) {
        server.params.emplace_back("workers", "4");
      }
      list.push_back(std::move(server));
    }
    return list;
  }();
  return servers;
}

const std::vector<ModelServer>& outside_servers() {
  static const std::vector<ModelServer> servers = [] {
    const std::map<std::string, ProbeRow> rows = probe_table();
    const std::vector<std::string> every = {"py_asyncio", "py_uvloop", "py_threads", "py_processes",
                                            "go",         "go_mt",     "tokio",      "tokio_mt"};
    const std::vector<std::pair<std::string, std::vector<std::string>>> workloads = {
        {"io/tcp_echo", every},
        {"io/http_plaintext", every},
        {"mixed/blocking_in_loop", {"py_asyncio", "py_uvloop", "go", "go_mt", "tokio"}}};
    std::vector<ModelServer> list;
    for (const auto& [workload, models] : workloads) {
      for (const std::string& model : models) {
        ModelServer server{.workload = workload,
                           .model = model,
                           .probe = rows.at(workload).probe,
                           .outside = true};
        // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any test thread starts
        if (const char* only = std::getenv("CORIO_TEST_SERVERS");
            only != nullptr && server.name().find(only) == std::string::npos) {
          continue;
        }
        list.push_back(std::move(server));
      }
    }
    return list;
  }();
  return servers;
}

harness::ServerProcess start_server_process(const ModelServer& server) {
  namespace common = workloads::common;
  const std::string_view workload = server.workload;
  if (!server.outside) {
    return harness::ServerProcess::start_serve(server.workload, server.model, server.params);
  }
  // As the workload's benchmark starts it (its load_run.cpp / load.cpp), with few workers.
  if (workload == "mixed/blocking_in_loop") {
    const std::vector<std::string> args = {"--variant", "inline",    "--work",
                                           "cpu",       "--work-ms", "5"};
    return common::is_built_server(server.model)
               ? common::start_built_server(workload, server.model, args)
               : common::start_python_server(workload, server.model, args);
  }
  if (common::is_built_server(server.model)) {
    return common::start_built_server(workload, server.model, {});
  }
  const bool forks = server.model == "py_processes";
  const std::vector<std::string> args =
      forks ? std::vector<std::string>{"--workers", "4"} : std::vector<std::string>{};
  return common::start_python_server(workload, server.model, args, forks);
}

std::vector<ModelServer> every_server() {
  std::vector<ModelServer> servers = model_servers();
#ifndef CORIO_TESTS_SANITIZED
  const std::vector<ModelServer>& outside = outside_servers();
  servers.insert(servers.end(), outside.begin(), outside.end());
#endif
  return servers;
}

namespace {

// An outside server: its program as harness::ServerProcess runs it (its stderr goes to a
// memory file that ServerProcess reads back for its own messages: nothing to add here).
class OutsideServer final : public RunningServer {
 public:
  explicit OutsideServer(const ModelServer& server) {
    try {
      process_.emplace(start_server_process(server));
    } catch (const std::exception& error) {
      start_error_ = server.name() + ": " + error.what();
    }
  }
  [[nodiscard]] const std::string& start_error() const noexcept override { return start_error_; }
  [[nodiscard]] pid_t pid() const noexcept override { return process_ ? process_->pid() : -1; }
  [[nodiscard]] std::uint16_t port() const noexcept override {
    return process_ ? process_->port() : 0;
  }
  [[nodiscard]] bool running() override { return process_ && !is_gone(process_->pid()); }
  [[nodiscard]] std::string stderr_text() const override { return ""; }

 private:
  std::optional<harness::ServerProcess> process_;
  std::string start_error_;
};

}  // namespace

std::unique_ptr<RunningServer> start_server(const ModelServer& server) {
  if (server.outside) return std::make_unique<OutsideServer>(server);
  return std::make_unique<ServeChild>(CORIO_BENCH_EXE, server);
}

void for_each_in_parallel(const std::vector<ModelServer>& servers, int threads,
                          const std::function<void(const ModelServer&)>& fn) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&] {
      for (std::size_t k; (k = next.fetch_add(1)) < servers.size();) fn(servers[k]);
    });
  }
  for (std::thread& thread : pool) thread.join();
}

// --- Client ---

Client::Client(Client&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      error_(std::move(other.error_)),
      received_(std::move(other.received_)) {}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    error_ = std::move(other.error_);
    received_ = std::move(other.received_);
  }
  return *this;
}

Client::~Client() { close(); }

Client Client::connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  Client client;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    client.error_ = std::string("socket: ") + std::strerror(errno);
    return client;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS) {
    client.error_ = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return client;
  }
  if ((poll_one(fd, POLLOUT, Clock::now() + timeout) & (POLLOUT | POLLERR | POLLHUP)) == 0) {
    client.error_ = "connect: no answer within " + std::to_string(timeout.count()) + " ms";
    ::close(fd);
    return client;
  }
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) {
    client.error_ = std::string("connect: ") + std::strerror(error);
    ::close(fd);
    return client;
  }
  client.fd_ = fd;
  return client;
}

bool Client::send_all(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) {
      error_ = std::string("send: ") + std::strerror(errno);
      return false;
    }
    if (Clock::now() >= deadline) {
      error_ = "send: the server took nothing for " + std::to_string(timeout.count()) + " ms";
      return false;
    }
    poll_one(fd_, POLLOUT, deadline);
  }
  return true;
}

std::size_t Client::send_some(std::string_view bytes) {
  const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::string Client::exchange(const Probe& probe, std::chrono::milliseconds timeout, bool cheap) {
  if (!ok()) return error_.empty() ? "not connected" : error_;
  const auto deadline = Clock::now() + timeout;
  if (!send_all(cheap ? probe.cheap_request : probe.request, timeout)) return error_;
  for (;;) {
    std::string wrong;
    if (const std::size_t length = probe.answer_length(received_, cheap, wrong); length > 0) {
      received_.erase(0, length);
      return "";
    }
    if (!wrong.empty()) return wrong;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      received_.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return "the server closed the connection before answering";
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return std::string("recv: ") + std::strerror(errno);
    if (Clock::now() >= deadline) {
      return "no complete answer within " + std::to_string(timeout.count()) + " ms (" +
             std::to_string(received_.size()) + " bytes came)";
    }
    poll_one(fd_, POLLIN, deadline);
  }
}

bool Client::wait_readable(std::chrono::milliseconds timeout) {
  return (poll_one(fd_, POLLIN, Clock::now() + timeout) & (POLLIN | POLLHUP | POLLERR)) != 0;
}

bool Client::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) return true;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return true;  // a reset
    if (n < 0 && errno == EAGAIN) {
      if (Clock::now() >= deadline) return false;
      poll_one(fd_, POLLIN, deadline);
    }
  }
}

void Client::reset() noexcept {
  if (fd_ < 0) return;
  const linger abort_on_close{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  close();
}

void Client::close() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

std::string probe_once(std::uint16_t port, const Probe& probe, std::chrono::milliseconds timeout) {
  Client client = Client::connect(port, timeout);
  if (!client.ok()) return client.error();
  std::string error = client.exchange(probe, timeout);
  client.reset();  // no TIME_WAIT left behind by thousands of probes
  return error;
}

std::string probe_until(std::uint16_t port, const Probe& probe, std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::string error = probe_once(port, probe, std::max(left, 50ms));
    if (error.empty() || Clock::now() >= deadline) return error;
    std::this_thread::sleep_for(20ms);
  }
}

// --- ServeChild ---

ServeChild::ServeChild(const std::string& exe, const ModelServer& server, bool sigint_ignored) {
  std::vector<std::string> args{exe,          "serve",    server.workload, "--model",
                                server.model, "--listen", "127.0.0.1:0"};
  for (const auto& [key, value] : server.params) {
    args.emplace_back("--param");
    args.push_back(key + "=" + value);
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Under ThreadSanitizer a process that exits while it has other threads first sleeps
  // atexit_sleep_ms (1,000 ms by default, to catch races at exit), which a stop within 1 s
  // cannot absorb: the child is told not to, so that the tests time the server's own stop.
  // Nothing else in TSAN_OPTIONS changes; an uninstrumented child ignores it.
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view(*entry).starts_with("TSAN_OPTIONS=")) environment.emplace_back(*entry);
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing in the tests sets the environment
  const char* tsan_options = std::getenv("TSAN_OPTIONS");
  environment.push_back(
      "TSAN_OPTIONS=" + (tsan_options != nullptr ? std::string(tsan_options) + ":" : "") +
      "atexit_sleep_ms=0");
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    start_error_ = std::string("pipe2: ") + std::strerror(errno);
    return;
  }
  stderr_fd_ = ::memfd_create("serve-stderr", MFD_CLOEXEC);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {  // async-signal-safe calls only until exec
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction action{};
    action.sa_handler = sigint_ignored ? SIG_IGN : SIG_DFL;
    ::sigaction(SIGINT, &action, nullptr);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(stderr_fd_, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(null_fd);
  stdout_fd_ = out[0];
  if (pid_ < 0) {
    start_error_ = std::string("fork: ") + std::strerror(errno);
    return;
  }
  std::string line;
  const auto deadline = Clock::now() + 10s;
  while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
    if ((poll_one(stdout_fd_, POLLIN, deadline) & (POLLIN | POLLHUP)) == 0) continue;
    char chunk[256];
    const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    line.append(chunk, static_cast<std::size_t>(n));
  }
  const std::string expected =
      "corio-bench: serving " + server.workload + " (" + server.model + ") on 127.0.0.1:";
  if (!line.starts_with(expected) || line.find('\n') == std::string::npos) {
    start_error_ =
        server.name() + " did not start: stdout '" + line + "', stderr '" + stderr_text() + "'";
    return;
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(expected.size())));
}

ServeChild::~ServeChild() {
  if (pid_ > 0 && running()) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

bool ServeChild::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t ended = ::waitpid(pid_, &status, WNOHANG);
  if (ended == pid_) {
    pid_ = -1;  // reaped: nothing is left to stop
    return false;
  }
  return true;
}

int ServeChild::wait_for_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t ended = ::waitpid(pid_, &status, WNOHANG);
    if (ended == pid_) {
      pid_ = -1;
      return status;
    }
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(2ms);
  }
}

std::string ServeChild::stderr_text() const {
  std::string text(2000, '\0');
  const ssize_t n = ::pread(stderr_fd_, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return text;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return "killed by signal " + std::to_string(WTERMSIG(status)) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : std::string());
  }
  return "wait status " + std::to_string(status);
}

// --- /proc ---

std::vector<pid_t> process_tree(pid_t root) {
  std::multimap<pid_t, pid_t> children;  // parent -> child
  if (DIR* proc = ::opendir("/proc")) {
    while (const dirent* entry = ::readdir(proc)) {
      const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
      if (pid <= 0) continue;
      const std::string stat = read_proc(pid, "stat");
      const std::size_t paren = stat.rfind(')');
      if (paren == std::string::npos) continue;
      std::istringstream fields(stat.substr(paren + 2));
      char state = 0;
      pid_t parent = 0;
      fields >> state >> parent;
      children.emplace(parent, pid);
    }
    ::closedir(proc);
  }
  std::vector<pid_t> tree{root};
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto [first, last] = children.equal_range(tree[i]);
    for (auto it = first; it != last; ++it) tree.push_back(it->second);
  }
  return tree;
}

std::int64_t tree_rss_bytes(pid_t root) {
  std::int64_t total = 0;
  for (const pid_t pid : process_tree(root)) {
    const std::string status = read_proc(pid, "status");
    const std::size_t at = status.find("VmRSS:");
    if (at != std::string::npos) total += std::atoll(status.c_str() + at + 6) * 1024;
  }
  return total;
}

std::optional<siginfo_t> ended_unreaped(pid_t pid, std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return info;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool is_gone(pid_t pid) {
  const std::string stat = read_proc(pid, "stat");
  const std::size_t paren = stat.rfind(')');
  return paren == std::string::npos || stat.compare(paren + 2, 1, "Z") == 0 ||
         stat.compare(paren + 2, 1, "X") == 0;
}

int open_descriptors(pid_t pid, int below) {
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    count += entry->d_name[0] != '.' && std::atoi(entry->d_name) < below;
  }
  ::closedir(dir);
  return count;
}

}  // namespace bench::test
