// processes: K forked consumer processes read fixed-size records from one pipe, the parent
// produces into it, and each consumer sends its Tally back over a second pipe when the first
// one ends. This is the classic Unix pre-fork pipeline (a work pipe shared by workers, like
// xargs -P or make's jobserver): a pipe is the kernel's bounded queue, and the kernel hands
// each read(2) of one record to exactly one reader.
//
// Records are 256 bytes, below PIPE_BUF (4,096), so every write is all-or-nothing and no
// reader ever sees half a record: a consumer's read(2) of 256 bytes gets exactly one record,
// or 0 at end of stream once the parent closed its end. The pipe's capacity bounds the queue:
// F_SETPIPE_SZ asks for Q records' worth; the kernel rounds up to a power-of-two number of
// pages (16 records fill a page, the minimum) and the Result reports what it granted
// (pipe_capacity_records). Unprivileged processes may ask for up to
// /proc/sys/fs/pipe-max-size (1 MiB by default, 4,096 records); beyond that the run fails
// with F_SETPIPE_SZ's error.
//
// Stalls: the parent's write end is non-blocking, so a full pipe answers EAGAIN: that is a
// stall, and the parent then waits in poll(POLLOUT) for room. A 256-byte write lands in the
// last page while it has room, and a page is only reused once readers drained all of it, so
// with one page (Q = 16) the parent refills in bursts of 16.
//
// Crashes: a consumer that dies (signal, or a failure exit code below) is reported by the
// Result's error, with its pid and how it ended; every child is reaped; children are forked
// with common::fork_child, which sets PR_SET_PDEATHSIG(SIGKILL) so none outlives this
// process. If all consumers die, the parent's write fails with EPIPE; SIGPIPE is blocked on
// this thread while it writes (the harness runs other models in this process) and a pending
// one is consumed with sigtimedwait.
// After fork a child only makes system calls and hashes on its stack: this process has other
// threads (other models ran before), so it must not take a lock or allocate.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/types.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <vector>

#include "workloads/common/child_process.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

static_assert(sizeof(Record) <= PIPE_BUF, "a record's write must be atomic");
static_assert(std::is_trivially_copyable_v<Record> && std::is_trivially_copyable_v<Tally>);
static_assert(sizeof(Tally) <= PIPE_BUF, "a consumer's report must be written at once");

// How a consumer that did not crash says what went wrong (its exit status).
enum ConsumerExit : std::uint8_t {
  kOk = 0,
  kOrphaned = 20,       // the parent died before PR_SET_PDEATHSIG took effect
  kReadFailed = 21,     // read(2) on the records pipe failed
  kPartialRecord = 22,  // read(2) returned part of a record: the pipe's atomicity was broken
  kReportFailed = 23,   // the report could not be written whole
};

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  [[nodiscard]] int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "io/pipeline processes: pipe2");
  }
  return {.read_end = UniqueFd(fds[0]), .write_end = UniqueFd(fds[1])};
}

void sleep_io_wait() {
  timespec remaining{.tv_sec = 0,
                     .tv_nsec = static_cast<long>(std::chrono::nanoseconds(kIoWait).count())};
  while (::nanosleep(&remaining, &remaining) != 0 && errno == EINTR) {
  }
}

// The consumer process: system calls and arithmetic on its stack only (see the top comment).
[[noreturn]] void run_consumer(int records_fd, int reports_fd, Work work,
                               const sigset_t& parent_mask) {
  ::pthread_sigmask(SIG_SETMASK, &parent_mask, nullptr);
  Tally tally;
  Record record;
  for (;;) {
    const ssize_t got = ::read(records_fd, &record, sizeof record);
    if (got == static_cast<ssize_t>(sizeof record)) {
      if (work == Work::io) sleep_io_wait();
      tally.consume(record);
    } else if (got == 0) {
      break;  // the parent closed its end and the pipe is drained
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      ::_exit(got < 0 ? kReadFailed : kPartialRecord);
    }
  }
  if (::write(reports_fd, &tally, sizeof tally) != static_cast<ssize_t>(sizeof tally)) {
    ::_exit(kReportFailed);
  }
  ::_exit(kOk);
}

// Writes one record; waits in poll while the pipe is full. Returns "" or what went wrong.
std::string write_record(int fd, const Record& record, std::int64_t& stalls) {
  bool stalled = false;
  for (;;) {
    const ssize_t wrote = ::write(fd, &record, sizeof record);
    if (wrote == static_cast<ssize_t>(sizeof record)) return "";
    if (wrote >= 0) return "a record was written in part: the pipe's atomicity was broken";
    if (errno == EINTR) continue;
    if (errno == EPIPE) return "every consumer process exited before the producer was done";
    if (errno != EAGAIN) return std::string("write to the records pipe: ") + std::strerror(errno);
    if (!stalled) ++stalls;
    stalled = true;
    pollfd writable{.fd = fd, .events = POLLOUT, .revents = 0};
    while (::poll(&writable, 1, -1) < 0 && errno == EINTR) {
    }
  }
}

}  // namespace

Result processes(const Params& params) {
  require_valid(params);
  Result result;
  Pipe records = make_pipe();
  Pipe reports = make_pipe();

  const std::int64_t wanted_bytes = params.capacity * static_cast<std::int64_t>(sizeof(Record));
  const int granted = wanted_bytes > INT_MAX ? -1
                                             : ::fcntl(records.write_end.get(), F_SETPIPE_SZ,
                                                       static_cast<int>(wanted_bytes));
  if (granted < 0) {
    result.error = "F_SETPIPE_SZ to " + std::to_string(wanted_bytes) + " bytes (capacity " +
                   std::to_string(params.capacity) + " records) failed: " + std::strerror(errno) +
                   "; the limit is /proc/sys/fs/pipe-max-size";
    return result;
  }
  result.pipe_capacity_records = granted / static_cast<int>(sizeof(Record));
  const int flags = ::fcntl(records.write_end.get(), F_GETFL);
  ::fcntl(records.write_end.get(), F_SETFL, flags | O_NONBLOCK);

  sigset_t sigpipe_only;
  ::sigemptyset(&sigpipe_only);
  ::sigaddset(&sigpipe_only, SIGPIPE);
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &sigpipe_only, &old_mask);

  std::vector<pid_t> children;
  children.reserve(static_cast<std::size_t>(params.consumers));
  for (std::int64_t k = 0; k < params.consumers; ++k) {
    const pid_t pid = common::fork_child(kOrphaned);
    if (pid == 0) {
      ::close(records.write_end.get());  // else the records pipe would never reach its end
      ::close(reports.read_end.get());
      run_consumer(records.read_end.get(), reports.write_end.get(), params.work, old_mask);
    }
    if (pid < 0) {
      result.error = "fork of consumer process " + std::to_string(k + 1) + " of " +
                     std::to_string(params.consumers) + " failed: " + std::strerror(errno);
      break;
    }
    children.push_back(pid);
  }
  result.workers = static_cast<std::int64_t>(children.size());
  records.read_end.reset();  // the parent keeps only the ends it uses
  reports.write_end.reset();

  // What went wrong where; a fork failure (above) comes first, then a consumer's crash,
  // which also explains what the producer and the reports pipe saw.
  std::string producer_error;
  std::string reports_error;
  std::string consumer_error;
  if (result.error.empty()) {
    for (std::int64_t id = 0; id < params.items && producer_error.empty(); ++id) {
      producer_error =
          write_record(records.write_end.get(), make_record(static_cast<std::uint64_t>(id)),
                       result.queue_full_stalls);
    }
  }
  records.write_end.reset();  // end of stream: consumers drain the pipe, report and exit

  // An EPIPE above left a SIGPIPE pending on this thread: take it before unblocking.
  const timespec no_wait{.tv_sec = 0, .tv_nsec = 0};
  while (::sigtimedwait(&sigpipe_only, nullptr, &no_wait) == SIGPIPE) {
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);

  // Reports until every consumer has exited (each writes one, whole, then exits). One spare
  // slot lets a report too many show up as an error instead of being cut off.
  std::vector<Tally> received(children.size() + 1);
  const std::size_t expected_bytes = children.size() * sizeof(Tally);
  const std::size_t room = received.size() * sizeof(Tally);
  std::size_t bytes = 0;
  while (bytes < room) {
    char* const into = reinterpret_cast<char*>(received.data()) + bytes;
    const ssize_t got = ::read(reports.read_end.get(), into, room - bytes);
    if (got == 0) break;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      reports_error = std::string("read from the reports pipe: ") + std::strerror(errno);
      break;
    }
    bytes += static_cast<std::size_t>(got);
  }
  if (bytes > expected_bytes) {
    reports_error = "the consumer processes sent more reports than there are consumers";
  }

  for (std::size_t k = 0; k < children.size(); ++k) {
    const common::ChildEnd end = common::wait_for_child(children[k]);
    if (!end.succeeded() && consumer_error.empty()) {
      consumer_error = "consumer process " + std::to_string(k + 1) + " of " +
                       std::to_string(children.size()) + " (pid " + std::to_string(children[k]) +
                       ") " +
                       end.describe({{kOrphaned, "found its parent gone"},
                                     {kReadFailed, "failed to read the records pipe"},
                                     {kPartialRecord, "read a partial record"},
                                     {kReportFailed, "failed to write its report"}});
    }
  }
  for (const std::string* error : {&consumer_error, &producer_error, &reports_error}) {
    if (result.error.empty()) result.error = *error;
  }
  for (std::size_t k = 0; k < std::min(bytes, expected_bytes) / sizeof(Tally); ++k) {
    result.total += received[k];
  }
  return result;
}

}  // namespace workloads::io::pipeline
