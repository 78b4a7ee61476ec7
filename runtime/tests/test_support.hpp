#pragma once
// Helpers shared by the runtime tests.
//
//   Counted      counts live instances, so a test can assert every destructor ran
//   current_loop the running loop, asserting there is one

#include <gtest/gtest.h>

#include <corio/corio.hpp>

namespace corio::testing {

// Construct one in a coroutine frame; `Counted::alive` tells whether its destructor has run.
struct Counted {
  static inline int alive = 0;
  static inline int destroyed = 0;
  Counted() { ++alive; }
  Counted(const Counted&) { ++alive; }
  Counted& operator=(const Counted&) = default;
  ~Counted() {
    --alive;
    ++destroyed;
  }
  static void reset() {
    alive = 0;
    destroyed = 0;
  }
};

inline EventLoop& current_loop() {
  EventLoop* loop = EventLoop::current();
  EXPECT_NE(loop, nullptr);
  return *loop;
}

}  // namespace corio::testing
