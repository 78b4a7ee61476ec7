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

TEST(TimerQueueTest, ParkedTimersGetTheirDeadlineAtCommitInTheOrderTheyWereParked) {
  std::vector<TimerNode> nodes(5);
  TimerQueue queue;
  nodes[0].deadline_ns = 7;  // in the lane already: an absolute deadline
  queue.add(nodes[0]);
  const std::int64_t durations[] = {0, 5, 3, 5, 9};
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    nodes[i].deadline_ns = durations[i];
    EXPECT_FALSE(queue.add_after(nodes[i]));
    EXPECT_TRUE(nodes[i].queued());
  }
  queue.remove(nodes[4]);  // cancelled while parked: never fires
  EXPECT_FALSE(nodes[4].queued());
  EXPECT_EQ(queue.size(), 4U);
  EXPECT_TRUE(queue.has_pending());
  EXPECT_EQ(queue.pop_expired(1'000), &nodes[0]) << "parked timers are not due before commit";
  EXPECT_EQ(queue.pop_expired(1'000), nullptr);

  queue.commit_pending(100);
  EXPECT_FALSE(queue.has_pending());
  EXPECT_EQ(queue.size(), 3U);
  EXPECT_EQ(nodes[1].deadline_ns, 105);
  EXPECT_EQ(nodes[2].deadline_ns, 103);
  EXPECT_EQ(queue.next_deadline(), 103);
  EXPECT_EQ(queue.pop_expired(104), &nodes[2]);
  EXPECT_EQ(queue.pop_expired(104), nullptr);
  EXPECT_EQ(queue.pop_expired(105), &nodes[1]);  // equal deadlines: the first parked first
  EXPECT_EQ(queue.pop_expired(105), &nodes[3]);
  EXPECT_TRUE(queue.empty());
}

TEST(TimerQueueTest, AParkedTimerRemovedAfterCommitLeavesTheQueue) {
  std::vector<TimerNode> nodes(3);
  TimerQueue queue;
  for (TimerNode& node : nodes) {
    node.deadline_ns = 10;
    EXPECT_FALSE(queue.add_after(node));
  }
  queue.commit_pending(0);
  queue.remove(nodes[1]);
  EXPECT_FALSE(nodes[1].queued());
  EXPECT_EQ(queue.pop_expired(10), &nodes[0]);
  EXPECT_EQ(queue.pop_expired(10), &nodes[2]);
  EXPECT_TRUE(queue.empty());
}

}  // namespace
