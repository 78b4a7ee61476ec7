#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <corio/async_with.hpp>
#include <corio/corio.hpp>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using corio::Task;

// A resource whose open and close both suspend, recording what happened to it.
class Resource {
 public:
  explicit Resource(std::vector<std::string>* log) : log_(log) {}
  static Task<Resource> open(std::vector<std::string>* log) {
    co_await corio::yield_now();
    log->push_back("open");
    co_return Resource{log};
  }
  Task<void> aclose() {
    co_await corio::sleep(1ms);  // cleanup may itself await, even after cancellation
    log_->push_back("close");
  }
  void use(const std::string& what) { log_->push_back(what); }

 private:
  std::vector<std::string>* log_;
};

TEST(AsyncWith, AcloseRunsAfterTheBodyOnSuccess) {
  std::vector<std::string> log;
  auto main_task = [](std::vector<std::string>* out) -> Task<int> {
    co_return co_await corio::async_with(Resource::open(out), [](Resource& r) -> Task<int> {
      r.use("body");
      co_return 7;
    });
  };
  EXPECT_EQ(corio::run(main_task(&log)), 7);
  EXPECT_EQ(log, (std::vector<std::string>{"open", "body", "close"}));
}

TEST(AsyncWith, AcloseRunsOnExceptionAndTheExceptionPropagates) {
  std::vector<std::string> log;
  auto main_task = [](std::vector<std::string>* out) -> Task<bool> {
    try {
      co_await corio::async_with(Resource::open(out), [](Resource& r) -> Task<void> {
        r.use("body");
        throw std::runtime_error("body failed");
        co_return;
      });
    } catch (const std::runtime_error&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&log)));
  EXPECT_EQ(log, (std::vector<std::string>{"open", "body", "close"}));
}

Task<void> hold_resource_forever(std::vector<std::string>* log) {
  co_await corio::async_with(Resource::open(log), [](Resource& r) -> Task<void> {
    r.use("body");
    co_await corio::sleep(24h);
  });
}

TEST(AsyncWith, AcloseRunsOnCancellation) {
  std::vector<std::string> log;
  auto main_task = [](std::vector<std::string>* out) -> Task<bool> {
    auto handle = corio::spawn(hold_resource_forever(out));
    co_await corio::sleep(2ms);
    handle.cancel();
    try {
      co_await handle;
    } catch (const corio::CancelledError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(corio::run(main_task(&log)));
  EXPECT_EQ(log, (std::vector<std::string>{"open", "body", "close"}));
}

}  // namespace
