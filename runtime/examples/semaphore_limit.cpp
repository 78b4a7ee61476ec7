// semaphore_limit: corio::Semaphore caps how many jobs run at once.
//
// Python original:
//   sem = asyncio.Semaphore(3)
//
//   async def job(i):
//       async with sem:               # at most 3 jobs inside at any time
//           await asyncio.sleep(0.02)
//
//   async def main():
//       await asyncio.gather(*(job(i) for i in range(10)))
//
// Ten jobs start together; three take a permit, seven queue. Each release() hands its permit
// straight to the longest waiter, so jobs enter in the order they asked (0, 1, 2, ... 9) and the
// ten jobs take four rounds of 20 ms. `async with sem` becomes acquire() plus a guard whose
// destructor releases, so an exception or a cancellation cannot leak a permit.

#include <chrono>
#include <cstddef>
#include <iostream>
#include <utility>
#include <vector>

#include <corio/gather.hpp>
#include <corio/run.hpp>
#include <corio/semaphore.hpp>
#include <corio/sleep.hpp>
#include <corio/task.hpp>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kJobs = 10;
constexpr std::size_t kLimit = 3;
constexpr auto kJobTime = 20ms;

// Releases a permit taken by a completed acquire().
class PermitGuard {
 public:
  explicit PermitGuard(corio::Semaphore& semaphore) noexcept : semaphore_(semaphore) {}
  PermitGuard(const PermitGuard&) = delete;
  PermitGuard& operator=(const PermitGuard&) = delete;
  ~PermitGuard() { semaphore_.release(); }

 private:
  corio::Semaphore& semaphore_;
};

struct Stats {
  int running = 0;
  int max_running = 0;
  std::vector<int> start_order;
};

// The semaphore and the stats are shared, so they are passed by reference: they are amain's
// locals, and amain awaits every job before they die.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): see above
corio::Task<> job(int id, corio::Semaphore& semaphore, Stats& stats) {
  co_await semaphore.acquire();
  const PermitGuard permit(semaphore);
  stats.start_order.push_back(id);
  ++stats.running;
  if (stats.running > stats.max_running) stats.max_running = stats.running;
  co_await corio::sleep(kJobTime);
  --stats.running;
}

corio::Task<int> amain() {
  corio::Semaphore semaphore(kLimit);
  Stats stats;

  std::vector<corio::Task<>> jobs;
  jobs.reserve(kJobs);
  for (int id = 0; id < kJobs; ++id) jobs.push_back(job(id, semaphore, stats));
  const Clock::time_point start = Clock::now();
  co_await corio::gather(std::move(jobs));
  const auto elapsed = Clock::now() - start;

  std::cout << kJobs << " jobs, at most " << kLimit << " at once\n";
  std::cout << "started in order:";
  for (const int id : stats.start_order) std::cout << ' ' << id;
  std::cout << '\n';
  std::cout << "maximum observed concurrency: " << stats.max_running << '\n';
  // ceil(10 / 3) = 4 rounds; a sleep never ends early, so this holds on any machine.
  std::cout << "took at least 4 rounds of " << kJobTime.count()
            << " ms: " << (elapsed >= 4 * kJobTime ? "yes" : "no") << '\n';
  co_return 0;
}

int main() { return corio::run(amain()); }
