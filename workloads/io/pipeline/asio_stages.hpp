#pragma once
// What the asio and asio_mt pipelines share (they differ in the channel type and in how many
// threads run the io_context): the producer and consumer coroutines, written once over the
// channel type.
//
//   asio_stages::consume   receives until the end-of-stream message, tallying every record
//   asio_stages::produce   sends the N records (try_send first, counting each stall), then
//                          one end-of-stream message per consumer
//
// A channel has no task_done/join, and close() drops what is still buffered, so the stream
// ends the channel way: error_code eof in the message's error slot, one per consumer.

#include <cstdint>

#include "workloads/common/asio.hpp"

// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline::asio_stages {

namespace asio = boost::asio;

// The consumer's tally stays in its frame (no two threads write the same cache line per item)
// and is stored to *out when the stream ends. `what` names the model in a receive error.
template <class Channel>
asio::awaitable<void> consume(Channel* channel, Work work, Tally* out, const char* what) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  Tally tally;
  for (;;) {
    auto [error, record] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::eof) break;  // the producer's end of stream
    if (error) throw boost::system::system_error(error, what);
    if (work == Work::io) {
      timer.expires_after(kIoWait);
      co_await timer.async_wait(asio::use_awaitable);
    }
    tally.consume(record);
  }
  *out = tally;
}

// A stall is a try_send that found the channel full: the producer then co_awaits async_send,
// which completes when a receive makes room.
template <class Channel>
asio::awaitable<void> produce(Channel* channel, Params params, std::int64_t* stalls_out) {
  std::int64_t stalls = 0;
  for (std::int64_t id = 0; id < params.items; ++id) {
    const Record record = make_record(static_cast<std::uint64_t>(id));
    if (!channel->try_send(boost::system::error_code{}, record)) {
      ++stalls;
      co_await channel->async_send(boost::system::error_code{}, record, asio::use_awaitable);
    }
  }
  const boost::system::error_code end_of_stream = asio::error::eof;
  for (std::int64_t k = 0; k < params.consumers; ++k) {
    co_await channel->async_send(end_of_stream, Record{}, asio::use_awaitable);
  }
  *stalls_out = stalls;
}

}  // namespace workloads::io::pipeline::asio_stages
