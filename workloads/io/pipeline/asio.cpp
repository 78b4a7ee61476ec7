// asio: one io_context run by this thread; the queue is an asio::experimental::channel of
// capacity Q (Asio's bounded queue between coroutines), the producer and the K consumers are
// coroutines started with co_spawn. A channel has no task_done/join, and close() drops what
// is still buffered, so the producer ends the stream the channel way: after the N records it
// sends K end-of-stream messages (error_code eof in the message's error slot), one per
// consumer, and each consumer returns when it receives one; run() returns when all are done.
//
// The producer and consumers are asio_stages.hpp's, shared with asio_mt. A stall is a try_send
// that found the channel full. A receive that finds a buffered message takes it without
// suspending, but its completion is posted through the io_context's queue (Asio never
// completes an async operation inline), so every item costs a trip through the scheduler,
// where corio's get() just returns. work:io waits on a steady_timer per consumer. One thread:
// tallies are plain structs, each consumer's kept in its frame and stored when it returns.

#include "workloads/common/asio.hpp"

#include <cstddef>
#include <vector>

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/experimental/channel.hpp>
#include <boost/system/error_code.hpp>

#include "workloads/io/pipeline/asio_stages.hpp"
#include "workloads/io/pipeline/params.hpp"

namespace asio = boost::asio;

namespace workloads::io::pipeline {
namespace {

using Channel = asio::experimental::channel<void(boost::system::error_code, Record)>;
using common::rethrow_if_failed;

}  // namespace

Result asio(const Params& params) {
  require_valid(params);
  asio::io_context context{common::kSingleThreadHint};
  Channel channel(context, static_cast<std::size_t>(params.capacity));
  std::vector<Tally> tallies(static_cast<std::size_t>(params.consumers));
  Result result;

  for (Tally& tally : tallies) {
    asio::co_spawn(context,
                   asio_stages::consume(&channel, params.work, &tally, "io/pipeline asio: receive"),
                   rethrow_if_failed);
  }
  asio::co_spawn(context, asio_stages::produce(&channel, params, &result.queue_full_stalls),
                 rethrow_if_failed);
  context.run();  // returns once the producer and every consumer have returned

  for (const Tally& tally : tallies) result.total += tally;
  return result;
}

}  // namespace workloads::io::pipeline
