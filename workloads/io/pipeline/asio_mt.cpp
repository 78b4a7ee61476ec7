// asio_mt: one io_context run by N threads (N = hardware threads), Asio's multi-threaded
// layout; the queue is an asio::experimental::concurrent_channel of capacity Q (the channel
// with a mutex inside, safe to use from any thread). The producer and the K consumers
// (asio_stages.hpp, shared with asio) are coroutines co_spawned on the io_context without a
// strand, since each is one coroutine and the channel is their only shared state; any of the
// N threads may resume any of them. The stream ends as in asio: after N records the producer
// sends K end-of-stream messages (eof in the error slot), one per consumer.
//
// A stall is a try_send that found the channel full; the producer then co_awaits async_send.
// Each hand-off takes the channel's mutex and posts the completion to the io_context, whose
// threads wait on a condition variable (or epoll) when idle: the lock-and-wake cost of
// threads, paid through Asio's scheduler. work:io waits on a steady_timer per consumer.
// Each consumer keeps its Tally in its frame and stores it when it returns, so no two threads
// write the same cache line per item; the threads' join makes the stores visible.
//
// A coroutine that throws stops the io_context (the others could otherwise wait forever on a
// channel nobody serves); the first exception is rethrown after the threads are joined.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "workloads/common/asio.hpp"

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/system/error_code.hpp>

#include "workloads/io/pipeline/asio_stages.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace asio = boost::asio;

namespace workloads::io::pipeline {
namespace {

using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code, Record)>;

// The first exception any coroutine ended with; stops the io_context when one arrives.
class FirstFailure {
 public:
  explicit FirstFailure(asio::io_context& context) : context_(&context) {}
  void operator()(const std::exception_ptr& error) {
    if (!error) return;
    {
      const std::lock_guard lock(mutex_);
      if (!first_) first_ = error;
    }
    context_->stop();
  }
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  asio::io_context* context_;
  std::mutex mutex_;
  std::exception_ptr first_;
};

}  // namespace

Result asio_mt(const Params& params) {
  require_valid(params);
  const int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  asio::io_context context{threads};
  Channel channel(context, static_cast<std::size_t>(params.capacity));
  std::vector<Tally> tallies(static_cast<std::size_t>(params.consumers));
  Result result;
  FirstFailure failure(context);
  const auto report = [&failure](const std::exception_ptr& error) { failure(error); };

  for (Tally& tally : tallies) {
    asio::co_spawn(
        context,
        asio_stages::consume(&channel, params.work, &tally, "io/pipeline asio_mt: receive"),
        report);
  }
  asio::co_spawn(context, asio_stages::produce(&channel, params, &result.queue_full_stalls),
                 report);

  // Fewer threads than asked when the OS refuses one: the pipeline still runs, on those started.
  result.workers = common::run_on_threads(context, threads, &result.error);
  failure.rethrow();

  for (const Tally& tally : tallies) result.total += tally;
  return result;
}

}  // namespace workloads::io::pipeline
