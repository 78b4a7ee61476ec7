// libuv: one loop on this thread, the producer and the K consumers as callbacks around a ring
// of Q records that lives in the loop's data. libuv has no queue type and no coroutines, so a
// bounded queue between callbacks is what a libuv program writes by hand:
//
//   producer  a uv_idle_t callback: it fills the ring until it is full or all N are made. A
//             full ring is a stall: the producer stops its idle handle and is restarted (from
//             the next loop iteration on) by the first consumer that takes a record.
//   consumers K state machines. A consumer with nothing to do waits in a FIFO list; when the
//             producer has filled the ring it hands records to waiting consumers by calling
//             them. work:cpu: a consumer hashes records inline until the ring is empty (what
//             corio's get() does when records are there), then waits again. work:io: a
//             consumer takes one record and starts its own uv_timer_t for the 1 ms wait; the
//             timer's callback hashes it and takes the next record, or waits.
//
// Why not uv_queue_work (libuv's answer for CPU work): its thread pool is process-wide, sized
// once by UV_THREADPOOL_SIZE (4 by default) before first use, so K could not vary, and its
// queue is libuv's own, unbounded: neither K nor Q would be this workload's. The in-loop ring
// is libuv's equivalent of corio's and asio's single-thread models, and costs about one loop
// iteration (an epoll_wait with a zero timeout, while the idle handle is active) per Q
// records. The loop runs until no handle is active: the producer stopped after the last
// record and no timer is pending. One thread: tallies are plain structs.

#include "workloads/common/libuv.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <uv.h>
#include <vector>

#include "workloads/io/pipeline/params.hpp"

namespace workloads::io::pipeline {
namespace {

using common::check_uv;

struct Pipeline;

struct Consumer {
  uv_timer_t timer;  // work:io: this consumer's wait; timer.data points back here
  Pipeline* pipeline = nullptr;
  Record record;  // work:io: the record being waited on
  Tally tally;
};

struct Pipeline {
  Params params;
  std::vector<Record> ring;  // Q slots
  std::size_t head = 0;
  std::size_t count = 0;
  std::int64_t produced = 0;
  std::int64_t stalls = 0;
  bool producer_stalled = false;
  uv_idle_t producer;
  std::deque<Consumer*> waiting;  // consumers with nothing to do, first come first served

  Record take() {
    Record record = ring[head];
    head = (head + 1) % ring.size();
    --count;
    if (producer_stalled) {  // a slot is free again: produce in the next iteration
      producer_stalled = false;
      uv_idle_start(&producer, on_produce);  // fails only for a null callback
    }
    return record;
  }

  // Gives the consumer work from the ring, or puts it on the waiting list.
  void serve(Consumer& consumer) {
    if (count == 0) {
      waiting.push_back(&consumer);
      return;
    }
    if (params.work == Work::cpu) {
      while (count > 0) consumer.tally.consume(take());
      waiting.push_back(&consumer);
    } else {
      consumer.record = take();
      const auto wait_ms = static_cast<std::uint64_t>(kIoWait.count());
      // Fails only for a null callback or a closing handle; nothing thrown through libuv.
      uv_timer_start(&consumer.timer, on_waited, wait_ms, 0);
    }
  }

  static void on_produce(uv_idle_t* idle) {
    auto& self = *static_cast<Pipeline*>(idle->data);
    while (self.produced < self.params.items && self.count < self.ring.size()) {
      self.ring[(self.head + self.count) % self.ring.size()] =
          make_record(static_cast<std::uint64_t>(self.produced));
      ++self.count;
      ++self.produced;
    }
    uv_idle_stop(idle);
    if (self.produced < self.params.items) {  // the ring is full: wait for a consumer
      ++self.stalls;
      self.producer_stalled = true;
    }
    while (self.count > 0 && !self.waiting.empty()) {
      Consumer* consumer = self.waiting.front();
      self.waiting.pop_front();
      self.serve(*consumer);
    }
  }

  static void on_waited(uv_timer_t* timer) {
    auto& consumer = *static_cast<Consumer*>(timer->data);
    consumer.tally.consume(consumer.record);
    consumer.pipeline->serve(consumer);
  }
};

}  // namespace

Result libuv(const Params& params) {
  require_valid(params);
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");

  Pipeline pipeline;
  pipeline.params = params;
  pipeline.ring.resize(static_cast<std::size_t>(params.capacity));
  // Handles must not move while the loop knows them: the consumers live in one fixed array.
  const auto consumer_count = static_cast<std::size_t>(params.consumers);
  auto consumers = std::make_unique<Consumer[]>(consumer_count);
  for (std::size_t k = 0; k < consumer_count; ++k) {
    Consumer& consumer = consumers[k];
    consumer.pipeline = &pipeline;
    uv_timer_init(&loop, &consumer.timer);
    consumer.timer.data = &consumer;
    pipeline.waiting.push_back(&consumer);
  }
  uv_idle_init(&loop, &pipeline.producer);
  pipeline.producer.data = &pipeline;
  check_uv(uv_idle_start(&pipeline.producer, Pipeline::on_produce), "uv_idle_start");

  uv_run(&loop, UV_RUN_DEFAULT);  // returns when the producer is done and no timer is pending
  common::close_loop(loop);

  Result result;
  result.queue_full_stalls = pipeline.stalls;
  for (std::size_t k = 0; k < consumer_count; ++k) result.total += consumers[k].tally;
  return result;
}

}  // namespace workloads::io::pipeline
