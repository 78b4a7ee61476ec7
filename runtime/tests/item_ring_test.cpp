// Queue's storage (detail/item_ring.hpp) against std::deque: whatever mix of pushes and pops,
// growth while the ring wraps around, items that own memory (ASan sees a leak or a double
// free) and a move that throws while the ring grows, the items come out in order, each once.
#include <cstddef>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <corio/detail/item_ring.hpp>

namespace {

using corio::detail::ItemRing;

TEST(ItemRing, MatchesADequeUnderRandomPushesAndPops) {
  ItemRing<std::unique_ptr<std::string>> ring;
  std::deque<std::string> reference;
  std::mt19937_64 random(20261205);
  std::size_t next = 0;
  for (int step = 0; step < 200'000; ++step) {
    // Mostly pushes early on, mostly pops later, so the ring grows with its head anywhere.
    const bool push = reference.empty() || random() % 100 < (step < 100'000 ? 60U : 40U);
    if (push) {
      const std::string item = "item " + std::to_string(next++);
      ring.push_back(std::make_unique<std::string>(item));
      reference.push_back(item);
    } else {
      ASSERT_EQ(*ring.front(), reference.front()) << step;
      ring.pop_front();
      reference.pop_front();
    }
    ASSERT_EQ(ring.size(), reference.size()) << step;
  }
  // The rest is destroyed with the ring (ASan checks each is freed once).
}

TEST(ItemRing, GrowsWhenTheHeadIsNotAtTheStart) {
  ItemRing<int> ring;
  for (int i = 0; i < 1024; ++i) ring.push_back(i);  // the first capacity: 4 KiB of ints
  for (int i = 0; i < 1000; ++i) ring.pop_front();
  for (int i = 1024; i < 3000; ++i) ring.push_back(i);  // wraps, then grows twice
  for (int expected = 1000; expected < 3000; ++expected) {
    ASSERT_EQ(ring.front(), expected);
    ring.pop_front();
  }
  EXPECT_TRUE(ring.empty());
}

// Copyable, and its move may throw, so the ring copies it when growing; the copy throws on
// demand.
struct Fragile {
  static inline int throw_on_copy = -1;  // the value whose copy throws
  int value;
  explicit Fragile(int v) : value(v) {}
  Fragile(const Fragile& other) : value(other.value) {
    if (value == throw_on_copy) throw std::runtime_error("copy");
  }
  Fragile(Fragile&& other) noexcept(false) : value(other.value) {}
  Fragile& operator=(const Fragile&) = default;
  ~Fragile() = default;
};

TEST(ItemRing, AThrowingCopyWhileGrowingLeavesTheRingAsItWas) {
  ItemRing<Fragile> ring;
  int pushed = 0;
  // Fill to the first capacity, so the next push must grow.
  while (true) {
    const std::size_t before = ring.size();
    Fragile::throw_on_copy = 3;
    try {
      ring.push_back(Fragile(pushed));
    } catch (const std::runtime_error&) {
      EXPECT_EQ(ring.size(), before);  // the growth failed: nothing changed
      break;
    }
    Fragile::throw_on_copy = -1;
    ++pushed;
    ASSERT_LT(pushed, 100'000) << "the ring never grew";
  }
  Fragile::throw_on_copy = -1;
  for (int expected = 0; expected < pushed; ++expected) {
    ASSERT_EQ(ring.front().value, expected);
    ring.pop_front();
  }
}

}  // namespace
