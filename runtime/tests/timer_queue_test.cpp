// The loop's timer queue (detail/timer_queue.hpp) against a reference model: whatever mix of
// in-order timers (the lane), out-of-order ones (the heap) and cancellations, timers come out
// in (deadline, insertion) order, each exactly once, and removed ones never.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <corio/detail/timer_queue.hpp>

namespace {

using corio::detail::TimerNode;
using corio::detail::TimerQueue;

struct Model {
  // (deadline, insertion order) -> node index
  std::map<std::pair<std::int64_t, std::uint64_t>, std::size_t> order;
};

void expect_pops_match(TimerQueue& queue, Model& model, std::vector<TimerNode>& nodes,
                       std::vector<std::uint64_t>& added_at, std::int64_t now) {
  while (TimerNode* node = queue.pop_expired(now)) {
    ASSERT_FALSE(model.order.empty());
    const auto first = model.order.begin();
    const auto index = static_cast<std::size_t>(node - nodes.data());
    ASSERT_EQ(index, first->second) << "popped out of order";
    ASSERT_LE(node->deadline_ns, now);
    ASSERT_FALSE(node->queued());
    model.order.erase(first);
    added_at[index] = 0;
  }
  if (!model.order.empty()) EXPECT_GT(model.order.begin()->first.first, now);
  ASSERT_EQ(queue.size(), model.order.size());
}

void run_random_schedule(std::uint32_t seed, int in_order_percent, int cancel_percent) {
  std::mt19937 random(seed);
  constexpr std::size_t kNodes = 20'000;
  std::vector<TimerNode> nodes(kNodes);
  std::vector<std::uint64_t> added_at(kNodes, 0);  // insertion order + 1; 0: not queued
  TimerQueue queue;
  Model model;
  std::uint64_t insertions = 0;
  std::int64_t now = 0;
  std::int64_t last_in_order = 0;
  for (int step = 0; step < 200'000; ++step) {
    const auto index = static_cast<std::size_t>(random() % kNodes);
    TimerNode& node = nodes[index];
    const auto roll = static_cast<int>(random() % 100);
    if (added_at[index] != 0) {
      if (roll < cancel_percent) {
        model.order.erase({node.deadline_ns, added_at[index]});
        queue.remove(node);
        ASSERT_FALSE(node.queued());
        added_at[index] = 0;
      }
    } else if (roll < in_order_percent) {
      last_in_order = std::max(last_in_order, now) + static_cast<std::int64_t>(random() % 3);
      node.deadline_ns = last_in_order;  // ties included
      added_at[index] = ++insertions;
      queue.add(node);
      model.order[{node.deadline_ns, insertions}] = index;
    } else {
      node.deadline_ns = now + static_cast<std::int64_t>(random() % 1000);
      added_at[index] = ++insertions;
      queue.add(node);
      model.order[{node.deadline_ns, insertions}] = index;
    }
    if (step % 97 == 0) {
      now += static_cast<std::int64_t>(random() % 50);
      expect_pops_match(queue, model, nodes, added_at, now);
      if (!model.order.empty()) {
        ASSERT_EQ(queue.next_deadline(), model.order.begin()->first.first);
      }
    }
  }
  now += 1'000'000;
  expect_pops_match(queue, model, nodes, added_at, now);
  EXPECT_TRUE(queue.empty());
}

TEST(TimerQueueTest, InOrderTimersFireInOrder) { run_random_schedule(1, 100, 0); }
TEST(TimerQueueTest, MixedOrderTimersFireInDeadlineThenInsertionOrder) {
  run_random_schedule(2, 50, 0);
}
TEST(TimerQueueTest, CancellationsInBothLanesLeaveNoTrace) { run_random_schedule(3, 70, 40); }
TEST(TimerQueueTest, MostlyCancelledLongTimeoutsAreCompacted) { run_random_schedule(4, 95, 90); }

TEST(TimerQueueTest, EqualDeadlinesAcrossLaneAndHeapKeepInsertionOrder) {
  std::vector<TimerNode> nodes(4);
  TimerQueue queue;
  nodes[0].deadline_ns = 10;  // lane
  nodes[1].deadline_ns = 5;   // heap: before the lane's last
  nodes[2].deadline_ns = 10;  // lane (ties with the last)
  nodes[3].deadline_ns = 5;   // heap
  for (TimerNode& node : nodes) queue.add(node);
  EXPECT_EQ(queue.next_deadline(), 5);
  const std::vector<int> expected = {1, 3, 0, 2};
  for (const int index : expected) {
    TimerNode* node = queue.pop_expired(10);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node - nodes.data(), index);
  }
  EXPECT_EQ(queue.pop_expired(10), nullptr);
}

}  // namespace
