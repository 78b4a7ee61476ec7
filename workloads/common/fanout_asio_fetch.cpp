// Asio's limited fan-out: L coroutines started with co_spawn, each owning one tcp::socket
// kept alive across its requests and a ResponseReader, taking request indices from a shared
// counter. Asio has no semaphore; L sessions that pull work are its idiom for "at most L in
// flight" (the same shape as Beast's HTTP crawler example), and the session count is the
// limit by construction. Errors come back as error codes (redirect_error), not exceptions: a
// refused or reset connection is an expected outcome, counted, and the session connects again.
//
// With several threads on the io_context (asio_mt) a session needs no strand: it is one
// coroutine, so its handlers never run concurrently. Only the counter (atomic) and the tally
// (a mutex, taken only with more than one thread, never across a co_await) are shared.

#include "workloads/common/fanout_asio_fetch.hpp"

#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "workloads/common/asio.hpp"
// Asio's other headers after common/asio.hpp: see its note on GCC's -Wnull-dereference.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/write.hpp>

#include "workloads/common/fanout_response_reader.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;

namespace workloads::common::fanout {
namespace {

struct Shared {
  const ClientJob* job = nullptr;
  bool threaded = false;              // more than one thread runs the io_context
  std::atomic<std::int64_t> next{0};  // the index of the next request to send
  std::mutex mutex;                   // guards result and tally when threaded
  ClientResult result;
  Tally tally{result};

  [[nodiscard]] std::unique_lock<std::mutex> lock() {
    return threaded ? std::unique_lock(mutex) : std::unique_lock<std::mutex>();
  }
};

asio::awaitable<void> session(Shared* shared) {
  const ClientJob& job = *shared->job;
  tcp::socket socket(co_await asio::this_coro::executor);
  const tcp::endpoint server(asio::ip::address_v4::loopback(), job.port);
  ResponseReader reader;
  boost::system::error_code error;

  while (shared->next.fetch_add(1, std::memory_order_relaxed) < job.requests) {
    if (!socket.is_open()) {
      co_await socket.async_connect(server, asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        socket.close();
        const auto lock = shared->lock();
        shared->tally.fail("connect: " + error.message());
        continue;
      }
      socket.set_option(tcp::no_delay(true), error);
      reader.reset();
      const auto lock = shared->lock();
      shared->tally.connected();
    }

    const Clock::time_point sent = Clock::now();
    co_await asio::async_write(socket, asio::buffer(job.request),
                               asio::redirect_error(asio::use_awaitable, error));
    std::string failure = error ? "write: " + error.message() : std::string();
    while (failure.empty()) {
      const std::span<char> room = reader.room();
      const std::size_t count = co_await socket.async_read_some(
          asio::buffer(room.data(), room.size()), asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        failure = error == asio::error::eof
                      ? std::string("the server closed the connection before a whole response")
                      : "read: " + error.message();
        break;
      }
      const ResponseReader::State state = reader.commit(count);
      if (state == ResponseReader::State::need_more) continue;
      if (state == ResponseReader::State::malformed) {
        failure = "malformed response: " + std::string(reader.error());
        break;
      }
      const Clock::time_point arrived = Clock::now();
      std::string why;
      const Outcome outcome = classify(job, reader.status(), reader.body(), &why);
      {
        const auto lock = shared->lock();
        shared->tally.answered(outcome, sent, arrived, why);
      }
      if (outcome == Outcome::failed || reader.closing()) socket.close();
      reader.next();
      break;
    }
    if (!failure.empty()) {
      socket.close();
      const auto lock = shared->lock();
      shared->tally.fail(failure);
    }
  }
}

}  // namespace

ClientResult asio_fetch_all(const ClientJob& job, unsigned threads) {
  Shared shared;
  shared.job = &job;
  shared.threaded = threads > 1;
  // One thread: the UNSAFE hint drops the scheduler's and reactor's locking (the documented
  // single-threaded fast path); more: the hint is the thread count.
  asio::io_context context(threads > 1 ? static_cast<int>(threads)
                                       : BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);
  for (std::int64_t i = 0; i < job.limit; ++i) {
    asio::co_spawn(context, session(&shared), [](const std::exception_ptr& error) {
      if (error) std::rethrow_exception(error);
    });
  }
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) helpers.emplace_back([&context] { context.run(); });
  context.run();  // returns when every session has ended
  for (std::thread& helper : helpers) helper.join();
  return std::move(shared.result);
}

}  // namespace workloads::common::fanout
