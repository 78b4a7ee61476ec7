// processes: L forked worker processes, each with its own blocking kept-alive connection,
// taking request indices from one shared pipe and writing one record per request to one
// shared results pipe (multiprocessing.Pool(L).imap with a session per worker, written with
// fork and pipes). The worker count is the limit: L processes, L connections.
//
// Why pipes work here: the parent writes all R indices (4 bytes each) into the task pipe and
// closes it before forking, so a worker reading 4 bytes always gets one whole index (every
// write and every read is 4 bytes) and reads end of file when the work is gone. A record is
// smaller than PIPE_BUF, so each write() of one is atomic and records from different workers
// never interleave. The parent reads records until every worker has closed its end, then
// reaps every worker with waitpid: a worker that crashed (no "done" record, or a signal)
// makes the run fail with the worker's fate and the number of requests it took with it.
//
// Forking from a process that may have threads (other models ran before): a worker only makes
// system calls and uses allocation-free code (BlockingConnection, ResponseParser, classify
// without a reason text), then _exit()s, so no lock another thread held at fork time is ever
// needed. It dies with the parent (PR_SET_PDEATHSIG). Failure texts cross the pipe as views of
// static strings: a forked child has the parent's address space, so the views stay valid.

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

#include "workloads/common/fanout_blocking_connection.hpp"
#include "workloads/common/fanout_client.hpp"

namespace workloads::common::fanout {
namespace {

enum class RecordKind : std::uint8_t { ok, rejected, failed_io, failed_answer, done };

// One worker -> parent message; written whole by one write() (atomic: below PIPE_BUF).
struct Record {
  RecordKind kind = RecordKind::done;
  std::int32_t status = 0;         // failed_answer: the HTTP status
  std::int64_t index = -1;         // the request's index; -1 for done
  std::int64_t latency_ns = 0;     // ok, rejected: written -> answered
  std::int64_t arrived_ns = 0;     // ok, rejected: Clock time of the answer
  std::int64_t connections = 0;    // done: connections the worker opened
  std::int64_t private_bytes = 0;  // done: the worker's private memory, when measured
  BlockingFailure failure;         // failed_io
  std::uint32_t body_size = 0;     // failed_answer: the body's first bytes
  std::array<char, 48> body{};
};
static_assert(sizeof(Record) <= PIPE_BUF, "a record must be written atomically");

std::int64_t to_ns(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

bool write_record(int fd, const Record& record) {
  for (;;) {
    const ssize_t count = ::write(fd, &record, sizeof record);
    if (count == static_cast<ssize_t>(sizeof record)) return true;
    if (count < 0 && errno == EINTR) continue;
    return false;  // the parent is gone
  }
}

// Private_Clean + Private_Dirty of /proc/self/smaps_rollup: the pages only this process
// holds (its copies of pages written since the fork, plus what it allocated). Its RSS would
// count the pages it still shares with the parent too. Allocation-free; 0 when unreadable.
std::int64_t private_bytes() {
  const int fd = ::open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::array<char, 4096> text{};
  std::size_t size = 0;
  for (;;) {
    const ssize_t count = ::read(fd, text.data() + size, text.size() - size);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    size += static_cast<std::size_t>(count);
    if (size == text.size()) break;  // the two lines come first: the rest is not needed
  }
  ::close(fd);
  const std::string_view all(text.data(), size);
  std::int64_t total_kb = 0;
  for (const std::string_view key : {"Private_Clean:", "Private_Dirty:"}) {
    const std::size_t at = all.find(key);
    if (at == std::string_view::npos) continue;
    std::int64_t kb = 0;
    for (std::size_t i = at + key.size(); i < all.size() && all[i] != '\n'; ++i) {
      if (all[i] >= '0' && all[i] <= '9') kb = kb * 10 + (all[i] - '0');
    }
    total_kb += kb;
  }
  return total_kb * 1024;
}

// The worker's whole life, in the child. Never returns.
[[noreturn]] void work(const ClientJob& job, pid_t parent, int tasks, int records) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the parent died before the line above

  BlockingConnection connection;
  BlockingFailure failure;
  Record done;
  std::int32_t index = 0;
  for (;;) {
    const ssize_t count = ::read(tasks, &index, sizeof index);
    if (count < 0 && errno == EINTR) continue;
    if (count != static_cast<ssize_t>(sizeof index)) break;  // end of file: no work left

    Record record;
    record.index = index;
    if (!connection.is_open()) {
      if (!connection.connect(job.port, failure)) {
        record.kind = RecordKind::failed_io;
        record.failure = failure;
        if (!write_record(records, record)) ::_exit(1);
        continue;
      }
      ++done.connections;
    }
    const Clock::time_point sent = Clock::now();
    if (!connection.exchange(job.request, failure)) {
      record.kind = RecordKind::failed_io;
      record.failure = failure;
    } else {
      const Clock::time_point arrived = Clock::now();
      const ResponseReader& response = connection.response();
      record.latency_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(arrived - sent).count();
      switch (classify(job, response.status(), response.body(), nullptr)) {
        case Outcome::ok:
          record.kind = RecordKind::ok;
          break;
        case Outcome::rejected:
          record.kind = RecordKind::rejected;
          break;
        case Outcome::failed:
          record.kind = RecordKind::failed_answer;
          record.status = response.status();
          record.body_size =
              static_cast<std::uint32_t>(std::min(response.body().size(), record.body.size()));
          std::memcpy(record.body.data(), response.body().data(), record.body_size);
          connection.close();
          break;
      }
      record.arrived_ns = to_ns(arrived);
    }
    if (!write_record(records, record)) ::_exit(1);
  }
  connection.close();
  if (job.measure_workers) done.private_bytes = private_bytes();
  ::_exit(write_record(records, done) ? 0 : 1);
}

// What became of a reaped worker, or "" when it exited normally.
std::string fate(pid_t pid, int status) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  const std::string who = "worker process " + std::to_string(pid);
  if (WIFSIGNALED(status)) {
    return who + " was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return who + " exited with status " + std::to_string(WEXITSTATUS(status));
}

bool read_record(int fd, Record& record) {
  auto* bytes = reinterpret_cast<char*>(&record);  // NOLINT: a trivially copyable struct
  std::size_t filled = 0;
  while (filled < sizeof record) {
    const ssize_t count = ::read(fd, bytes + filled, sizeof record - filled);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    filled += static_cast<std::size_t>(count);
  }
  return true;
}

// Kills and reaps whatever workers are left if the parent leaves early (an exception).
class Workers {
 public:
  Workers() = default;
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() {
    for (const pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (const pid_t pid : pids_) {
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  void add(pid_t pid) { pids_.push_back(pid); }
  [[nodiscard]] std::size_t size() const noexcept { return pids_.size(); }
  // Reaps every worker; returns the first abnormal fate, or "".
  std::string reap_all() {
    std::string first;
    for (const pid_t pid : pids_) {
      int status = 0;
      pid_t reaped = 0;
      while ((reaped = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
      }
      if (reaped != pid) {
        if (first.empty()) first = "waitpid(" + std::to_string(pid) + "): " + strerror(errno);
        continue;
      }
      if (std::string what = fate(pid, status); first.empty()) first = std::move(what);
    }
    pids_.clear();
    return first;
  }

 private:
  std::vector<pid_t> pids_;
};

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_.data(), O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(), "pipe2");
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_read();
    close_write();
  }
  [[nodiscard]] int read_end() const noexcept { return fds_[0]; }
  [[nodiscard]] int write_end() const noexcept { return fds_[1]; }
  void close_read() noexcept {
    if (fds_[0] >= 0) ::close(std::exchange(fds_[0], -1));
  }
  void close_write() noexcept {
    if (fds_[1] >= 0) ::close(std::exchange(fds_[1], -1));
  }

 private:
  std::array<int, 2> fds_{-1, -1};
};

// Writes every index into the task pipe, growing it first when R indices exceed its size.
std::string fill_tasks(Pipe& tasks, std::int64_t requests) {
  const auto bytes = static_cast<std::int64_t>(sizeof(std::int32_t)) * requests;
  if (bytes > ::fcntl(tasks.write_end(), F_GETPIPE_SZ) &&
      ::fcntl(tasks.write_end(), F_SETPIPE_SZ, static_cast<int>(bytes)) < bytes) {
    return "the task pipe cannot hold " + std::to_string(requests) +
           " request indices (/proc/sys/fs/pipe-max-size is too small)";
  }
  std::vector<std::int32_t> indices(static_cast<std::size_t>(requests));
  for (std::int64_t i = 0; i < requests; ++i) {
    indices[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
  }
  const auto size = static_cast<std::size_t>(bytes);
  std::size_t written = 0;
  const auto* data = reinterpret_cast<const char*>(indices.data());  // NOLINT: raw bytes
  while (written < size) {
    const ssize_t count = ::write(tasks.write_end(), data + written, size - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return std::string("writing the task pipe: ") + strerror(errno);
    written += static_cast<std::size_t>(count);
  }
  return "";
}

}  // namespace

ClientResult processes(const ClientJob& job) {
  ClientResult result;
  Tally tally(result);
  if (job.requests > INT32_MAX) {
    tally.fail("processes: at most 2^31 - 1 requests (indices are 4 bytes)");
    return result;
  }
  Pipe tasks;
  Pipe records;
  if (std::string error = fill_tasks(tasks, job.requests); !error.empty()) {
    tally.fail(error);
    return result;
  }
  tasks.close_write();  // the workers read end of file once every index is taken

  const pid_t parent = ::getpid();
  Workers workers;
  std::string refused;
  for (std::int64_t i = 0; i < job.limit; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) work(job, parent, tasks.read_end(), records.write_end());
    if (pid < 0) {
      refused = "the OS refused worker process " + std::to_string(i + 1) + " of " +
                std::to_string(job.limit) + " (fork: " + strerror(errno) + ")";
      break;
    }
    workers.add(pid);
  }
  records.close_write();  // end of file once every worker has exited
  tasks.close_read();

  std::vector<bool> answered(static_cast<std::size_t>(job.requests), false);
  std::int64_t done_records = 0;
  Record record;
  while (read_record(records.read_end(), record)) {
    if (record.kind == RecordKind::done) {
      ++done_records;
      result.connections += record.connections;
      result.worker_private_bytes += record.private_bytes;
      continue;
    }
    if (record.index < 0 || record.index >= job.requests ||
        answered[static_cast<std::size_t>(record.index)]) {
      tally.fail("a worker reported request " + std::to_string(record.index) +
                 ", which was not one it could have taken");
      continue;
    }
    answered[static_cast<std::size_t>(record.index)] = true;
    // CLOCK_MONOTONIC is one clock for every process: the workers' times compare with ours.
    const auto arrived = Clock::time_point(std::chrono::nanoseconds(record.arrived_ns));
    const auto sent = arrived - std::chrono::nanoseconds(record.latency_ns);
    switch (record.kind) {
      case RecordKind::ok:
        tally.answered(Outcome::ok, sent, arrived);
        break;
      case RecordKind::rejected:
        tally.answered(Outcome::rejected, sent, arrived);
        break;
      case RecordKind::failed_io:
        tally.fail(describe(record.failure));
        break;
      case RecordKind::failed_answer: {
        std::string why;
        classify(job, record.status, std::string_view(record.body.data(), record.body_size), &why);
        tally.fail(why);
        break;
      }
      case RecordKind::done:
        break;
    }
  }
  const auto forked = static_cast<std::int64_t>(workers.size());
  const std::string crashed = workers.reap_all();

  const std::int64_t lost = job.requests - (result.ok + result.rejected + result.failed);
  if (!refused.empty()) {
    result.failed += std::max<std::int64_t>(lost, 1);
    result.first_error = refused;
  } else if (!crashed.empty() || done_records != forked || lost > 0) {
    result.failed += lost;
    result.first_error = (crashed.empty() ? std::string("a worker process ended early") : crashed) +
                         "; " + std::to_string(lost) + " requests were lost with it";
  }
  return result;
}

}  // namespace workloads::common::fanout
