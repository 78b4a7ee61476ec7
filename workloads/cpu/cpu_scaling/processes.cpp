// processes: fork() a child per part; the child computes its part and writes {part, checksum}
// into a pipe shared by all children, then _exit()s; the parent reads every record until the
// pipe reports end of file (every child has exited and closed its end) and reaps each child
// with wait4, which also returns the child's context switches. That is the Unix way to run CPU
// work in parallel without threads: nothing is shared after fork but the copy-on-write pages
// (the hash buffers are built before forking, so the children only read them). A record is 16
// bytes, below PIPE_BUF, so each write is atomic and records never interleave.
//
// The children are forked from a process that may have threads (other models ran before this
// one), so a child only computes and then calls write and _exit: no locks, no allocation.
// common::fork_child sets PR_SET_PDEATHSIG, which kills a child whose parent dies; a child
// that crashed or exited with an error is reported, never waited for forever.

#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include "harness/rusage.hpp"
#include "workloads/common/child_process.hpp"
#include "workloads/cpu/cpu_scaling/kernels.hpp"
#include "workloads/cpu/cpu_scaling/params.hpp"

namespace workloads::cpu::cpu_scaling {
namespace {

struct PartRecord {
  std::int64_t part;
  std::uint64_t checksum;
};
static_assert(sizeof(PartRecord) <= PIPE_BUF, "a record must be written atomically");

enum ChildExit : std::uint8_t { sent = 0, orphaned = 1, write_failed = 2 };

[[noreturn]] void run_child(const Params& params, std::int64_t part, int write_fd) {
  const PartRecord record{
      .part = part,
      .checksum = kernels::run_part(params.kernel, params.work, part, params.workers)};
  ssize_t written = 0;
  do {
    written = ::write(write_fd, &record, sizeof record);
  } while (written < 0 && errno == EINTR);
  ::_exit(written == static_cast<ssize_t>(sizeof record) ? sent : write_failed);
}

std::string errno_text(const char* what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

}  // namespace

Result processes(const Params& params) {
  Result result;
  (void)kernels::hash_buffers();  // built here, so that no child builds its own copy
  const harness::ContextSwitches before = harness::context_switches();

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.error = errno_text("pipe2", errno);
    return result;
  }
  const int read_fd = fds[0];
  const int write_fd = fds[1];

  std::vector<pid_t> children;  // children[part]
  children.reserve(static_cast<std::size_t>(params.workers));
  for (std::int64_t part = 0; part < params.workers; ++part) {
    const pid_t pid = common::fork_child(orphaned);
    if (pid == 0) run_child(params, part, write_fd);
    if (pid < 0) {
      // The children made so far finish and are reaped below; the run fails its check.
      result.error = errno_text(("fork for part " + std::to_string(part)).c_str(), errno);
      break;
    }
    children.push_back(pid);
  }
  ::close(write_fd);  // from now on only the children hold it: EOF once the last one exits

  // Records arrive whole (atomic writes), but one read() may return several, and a short
  // one (a record split by a signal) is kept until the rest arrives.
  std::vector<bool> seen(static_cast<std::size_t>(params.workers), false);
  std::array<char, 64 * sizeof(PartRecord)> buffer;
  std::size_t buffered = 0;
  for (;;) {
    const ssize_t n = ::read(read_fd, buffer.data() + buffered, buffer.size() - buffered);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (result.error.empty()) result.error = errno_text("read from the children's pipe", errno);
      break;
    }
    if (n == 0) break;
    buffered += static_cast<std::size_t>(n);
    std::size_t used = 0;
    for (; buffered - used >= sizeof(PartRecord); used += sizeof(PartRecord)) {
      PartRecord record;
      std::memcpy(&record, buffer.data() + used, sizeof record);
      const bool valid = record.part >= 0 && record.part < params.workers &&
                         !seen[static_cast<std::size_t>(record.part)];
      if (!valid) {
        if (result.error.empty()) {
          result.error =
              "a child sent part " + std::to_string(record.part) + " twice or out of range";
        }
        continue;
      }
      seen[static_cast<std::size_t>(record.part)] = true;
      result.checksum = kernels::combine(result.checksum, record.checksum);
      ++result.parts_done;
    }
    buffered -= used;
    std::memmove(buffer.data(), buffer.data() + used, buffered);
  }
  ::close(read_fd);

  // Reap every child, whatever happened above: none is left a zombie.
  harness::ContextSwitches children_switches;
  for (std::size_t part = 0; part < children.size(); ++part) {
    const common::ChildEnd end = common::wait_for_child(children[part]);
    if (end.wait_error == 0) {
      children_switches.voluntary += end.usage.ru_nvcsw;
      children_switches.involuntary += end.usage.ru_nivcsw;
      result.cpu_time += harness::cpu_time_of(end.usage);
    }
    if (!end.succeeded() && result.error.empty()) {
      result.error = "the child for part " + std::to_string(part) + " (pid " +
                     std::to_string(children[part]) + ") " +
                     end.describe({{orphaned, "found its parent gone"},
                                   {write_failed, "could not write its result to the pipe"}});
    }
  }
  if (buffered != 0 && result.error.empty()) {
    result.error = "the children's pipe ended in the middle of a record";
  }

  const harness::ContextSwitches after = harness::context_switches();
  result.has_context_switches = true;
  result.context_switches.voluntary =
      after.voluntary - before.voluntary + children_switches.voluntary;
  result.context_switches.involuntary =
      after.involuntary - before.involuntary + children_switches.involuntary;
  result.os_workers = static_cast<std::int64_t>(children.size());
  return result;
}

}  // namespace workloads::cpu::cpu_scaling
