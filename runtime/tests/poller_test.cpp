// corio::detail::timeout_before_slack: the epoll timeout that ends by the loop's next deadline
// although the kernel may stretch a poll-type timeout by 0.1% (0.5% niced), at most 100 ms.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/poller.hpp>

namespace corio::detail {
namespace {

constexpr std::int64_t kMaxSlackNs = 100'000'000;

// The latest end the kernel allows for a timeout of `ns` (select_estimate_accuracy).
std::int64_t latest_end(std::int64_t ns, std::int64_t divisor) {
  return ns + std::min(ns / divisor, kMaxSlackNs);
}

std::vector<std::int64_t> timeouts() {
  std::vector<std::int64_t> values;
  for (std::int64_t ns = 1; ns < 1'000'000'000'000'000; ns = ns * 3 + 7) values.push_back(ns);
  for (std::int64_t ms : {1, 10, 100, 999, 1000, 3000, 20'000, 100'000}) {
    values.push_back(ms * 1'000'000);
  }
  return values;
}

TEST(Poller, TimeoutBeforeSlackEndsByTheDeadlineDespiteTheKernelsSlack) {
  for (const std::int64_t deadline : timeouts()) {
    const std::int64_t asked = timeout_before_slack(deadline);
    EXPECT_GE(asked, 0) << deadline;
    EXPECT_LE(latest_end(asked, 1000), deadline) << deadline;  // a thread at nice 0
    EXPECT_LE(latest_end(asked, 200), deadline) << deadline;   // a niced thread
  }
}

TEST(Poller, TimeoutBeforeSlackWakesNoEarlierThanTheSlackRequires) {
  for (const std::int64_t deadline : timeouts()) {
    const std::int64_t asked = timeout_before_slack(deadline);
    EXPECT_GE(asked, deadline - std::min(deadline / 200, kMaxSlackNs)) << deadline;
  }
  // A 3 s sleep's wait ends 15 ms early at most; the second wait's slack is then <= 75 us.
  EXPECT_EQ(timeout_before_slack(3'000'000'000), 2'985'000'000);
}

TEST(Poller, TimeoutBeforeSlackKeepsNoLimitAndJustLook) {
  EXPECT_EQ(timeout_before_slack(-1), -1);
  EXPECT_EQ(timeout_before_slack(0), 0);
}

}  // namespace
}  // namespace corio::detail
