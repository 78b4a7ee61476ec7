// libuv: one uv_loop_t and L request slots, each owning a uv_tcp_t kept alive across its
// requests, a uv_connect_t, a uv_write_t and a ResponseReader; callbacks drive each slot
// through take a request -> (connect) -> write -> read until the response is whole -> take
// the next one. The slot count is the limit, the way a libuv program bounds its work (as
// uv_queue_work's pool does): nothing waits anywhere but in the slots. A slot whose request
// fails closes its handle, and its close callback opens a new connection for the slot's next
// request. One thread: the counter and the tally are plain.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <uv.h>

#include "workloads/common/fanout_client.hpp"
#include "workloads/common/fanout_response_reader.hpp"
#include "workloads/common/libuv.hpp"

namespace workloads::common::fanout {
namespace {

using common::check_uv;

struct FanOut;

struct Slot {
  FanOut* fan_out = nullptr;
  uv_tcp_t tcp{};
  uv_connect_t connect{};
  uv_write_t write{};
  ResponseReader reader;
  Clock::time_point sent{};
  bool open = false;       // tcp is initialised and not yet closed
  bool connected = false;  // ... and its connect succeeded
  bool writing = false;    // write is in use until its callback
  bool answered = false;   // the response arrived (possibly before the write callback)
};

struct FanOut {
  const ClientJob* job = nullptr;
  uv_loop_t* loop = nullptr;
  sockaddr_in server{};
  uv_buf_t request{};
  std::int64_t next = 0;  // the index of the next request to send
  ClientResult result;
  Tally tally{result};
};

Slot& slot_of(uv_handle_t* handle) { return *static_cast<Slot*>(handle->data); }
uv_handle_t* as_handle(uv_tcp_t* tcp) { return reinterpret_cast<uv_handle_t*>(tcp); }
uv_stream_t* as_stream(uv_tcp_t* tcp) { return reinterpret_cast<uv_stream_t*>(tcp); }

void take_request(Slot& slot);

void on_close(uv_handle_t* handle) {
  Slot& slot = slot_of(handle);
  slot.open = false;
  slot.connected = false;
  take_request(slot);  // a new connection for the next request, if one is left
}

void close_slot(Slot& slot) {
  if (slot.open && !uv_is_closing(as_handle(&slot.tcp))) uv_close(as_handle(&slot.tcp), on_close);
}

void fail(Slot& slot, const std::string& what, int status) {
  slot.fan_out->tally.fail(what + ": " + uv_strerror(status));
  close_slot(slot);
}

void on_write(uv_write_t* request, int status) {
  Slot& slot = *static_cast<Slot*>(request->data);
  slot.writing = false;
  if (status < 0) {
    // Closing the handle cancels a pending write: that failure was counted already.
    if (!slot.answered && !uv_is_closing(as_handle(&slot.tcp))) fail(slot, "write", status);
    return;
  }
  if (slot.answered) take_request(slot);  // the answer overtook this callback
}

void send(Slot& slot) {
  slot.answered = false;
  slot.writing = true;
  slot.sent = Clock::now();
  const int status =
      uv_write(&slot.write, as_stream(&slot.tcp), &slot.fan_out->request, 1, on_write);
  if (status < 0) {
    slot.writing = false;
    fail(slot, "write", status);
  }
}

void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
  const std::span<char> room = slot_of(handle).reader.room();
  *buffer = uv_buf_init(room.data(), static_cast<unsigned>(room.size()));
}

void on_read(uv_stream_t* stream, ssize_t count, const uv_buf_t* /*buffer*/) {
  Slot& slot = slot_of(reinterpret_cast<uv_handle_t*>(stream));
  FanOut& fan_out = *slot.fan_out;
  if (count == 0) return;  // EAGAIN: nothing read
  if (count < 0) {
    if (count == UV_EOF) {
      fan_out.tally.fail("the server closed the connection before a whole response");
      close_slot(slot);
    } else {
      fail(slot, "read", static_cast<int>(count));
    }
    return;
  }
  const ResponseReader::State state = slot.reader.commit(static_cast<std::size_t>(count));
  if (state == ResponseReader::State::need_more) return;
  if (state == ResponseReader::State::malformed) {
    fan_out.tally.fail("malformed response: " + std::string(slot.reader.error()));
    close_slot(slot);
    return;
  }
  std::string why;
  const Outcome outcome = classify(*fan_out.job, slot.reader.status(), slot.reader.body(), &why);
  fan_out.tally.answered(outcome, slot.sent, Clock::now(), why);
  const bool keep = outcome != Outcome::failed && !slot.reader.closing();
  slot.reader.next();
  if (!keep) {
    close_slot(slot);
    return;
  }
  slot.answered = true;
  if (!slot.writing) take_request(slot);  // else on_write takes it: `write` is still in use
}

void on_connect(uv_connect_t* request, int status) {
  Slot& slot = *static_cast<Slot*>(request->data);
  if (status < 0) {
    fail(slot, "connect", status);
    return;
  }
  slot.connected = true;
  slot.fan_out->tally.connected();
  uv_tcp_nodelay(&slot.tcp, 1);
  slot.reader.reset();
  const int reading = uv_read_start(as_stream(&slot.tcp), on_alloc, on_read);
  if (reading < 0) {
    fail(slot, "uv_read_start", reading);
    return;
  }
  send(slot);
}

// The slot's next step once it is free: the next request on its connection, a new connection
// for it, or closing when no request is left.
void take_request(Slot& slot) {
  FanOut& fan_out = *slot.fan_out;
  if (fan_out.next >= fan_out.job->requests) {
    close_slot(slot);
    return;
  }
  ++fan_out.next;
  if (slot.connected) {
    send(slot);
    return;
  }
  // Only records the loop: the socket itself is made by uv_tcp_connect, whose errors count.
  uv_tcp_init(fan_out.loop, &slot.tcp);
  slot.tcp.data = &slot;
  slot.open = true;
  const int status = uv_tcp_connect(&slot.connect, &slot.tcp,
                                    reinterpret_cast<const sockaddr*>(&fan_out.server), on_connect);
  if (status < 0) fail(slot, "connect", status);
}

}  // namespace

ClientResult libuv(const ClientJob& job) {
  uv_loop_t loop;
  check_uv(uv_loop_init(&loop), "uv_loop_init");
  FanOut fan_out;
  fan_out.job = &job;
  fan_out.loop = &loop;
  check_uv(uv_ip4_addr("127.0.0.1", job.port, &fan_out.server), "uv_ip4_addr");
  // libuv takes a mutable buffer but never writes through it.
  fan_out.request =
      uv_buf_init(const_cast<char*>(job.request.data()), static_cast<unsigned>(job.request.size()));

  const auto count = static_cast<std::size_t>(job.limit);
  auto slots = std::make_unique<Slot[]>(count);
  for (std::size_t i = 0; i < count; ++i) {
    Slot& slot = slots[i];
    slot.fan_out = &fan_out;
    slot.connect.data = &slot;
    slot.write.data = &slot;
    take_request(slot);
  }
  // Returns once every slot has closed its handle: no request is left.
  uv_run(&loop, UV_RUN_DEFAULT);
  check_uv(uv_loop_close(&loop), "uv_loop_close");
  return std::move(fan_out.result);
}

}  // namespace workloads::common::fanout
