#pragma once
// io/pipeline: a producer -> a bounded queue of Q items -> K consumers (the asyncio tutorial's
// Queue example: the producer puts items, workers get, process, task_done; main joins).
//
//   Work, Params, Result   one parameter point and what a model returns
//   Record                 one item: a 256-byte record (its id and a payload made from it)
//   make_record, Tally     the producer's item and a consumer's work and running checksum
//   Workload               the harness contract for the queue models (every work kind)
//   CpuWorkload            the same without the io points (corio_mt: see its file)
//   SequentialWorkload     one loop, no queue: the baseline (consumers:1/capacity:0)
//   PythonWorkload         the Python models' points (py_*.py, json.hpp): fewer work:cpu items
//
// Two kinds of work per item:
//   work:cpu  the consumer hashes the record (FNV-1a over its 256 bytes, a chain of 256
//             dependent multiplies: 350-400 ns here). The queue hand-off costs the same order
//             or more, so this kind measures it: lock + condvar vs a coroutine switch vs a pipe
//             write and read.
//   work:io   the consumer first waits 1 ms (the tutorial's `await asyncio.sleep(...)`: an
//             I/O call), each model in its own way (a timer, a blocking sleep), then hashes.
//             Hand-off costs vanish next to the wait; what shows is that K consumers overlap K
//             waits (about K items per ms), and a pool sized to the cores does not. 1 ms per
//             item is why the io points move 40-50x fewer items.
//
// A record is 256 bytes so that the processes model can bound its pipe at Q records: a
// pipe's capacity is a power-of-two number of 4 KiB pages, so 16 records fill one page and
// 1,024 fill 64 (and 256 <= PIPE_BUF keeps each record's write atomic). Every model moves the
// same 256-byte records.
//
// Counters: queue_full_stalls (times the producer found the queue full and had to wait; each
// model counts it where its producer waits: a put that suspends, a condvar wait, EAGAIN on the
// pipe, a failed try_send, a ring found full), workers (threads or processes that ran the
// consumers' work), and for processes pipe_capacity_records (what the kernel made of Q).
//
// check() verifies each item was consumed exactly once: the count, the sum of the ids and the
// sum of the records' hashes (computed once per item count and cached).

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/bad_input.hpp"
#include "harness/workload.hpp"

namespace workloads::io::pipeline {

enum class Work : std::uint8_t { cpu, io };

inline std::string_view to_string(Work work) { return work == Work::cpu ? "cpu" : "io"; }

// The wait of one work:io item.
inline constexpr std::chrono::milliseconds kIoWait{1};

struct Params {
  std::int64_t consumers = 1;  // K
  std::int64_t capacity = 1;   // Q, in items; 0 for sequential (no queue)
  std::int64_t items = 0;      // N
  Work work = Work::cpu;
};

// One item. Trivially copyable, so it can go through a pipe as it is.
struct Record {
  std::uint64_t id = 0;
  std::array<std::uint64_t, 31> payload{};
};
static_assert(sizeof(Record) == 256);

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The producer's item `id`: its payload is a pseudo-random stream seeded by the id.
inline Record make_record(std::uint64_t id) {
  Record record;
  record.id = id;
  std::uint64_t state = id;
  for (std::uint64_t& word : record.payload) word = splitmix64(state);
  return record;
}

// FNV-1a over the record's 256 bytes: the work of a work:cpu item. Each step depends on the
// last, so neither the compiler nor the CPU can shorten it.
inline std::uint64_t hash_record(const Record& record) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::uint64_t word) {
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (word >> (8 * byte)) & 0xffU;
      hash *= 0x100000001b3ULL;
    }
  };
  mix(record.id);
  for (const std::uint64_t word : record.payload) mix(word);
  return hash;
}

// What consumers did; each keeps its own and the model adds them up at the end. Sums wrap.
struct Tally {
  std::int64_t consumed = 0;
  std::uint64_t id_sum = 0;
  std::uint64_t checksum = 0;

  // The consumer's work on one record (after a work:io item's wait).
  void consume(const Record& record) { add(record.id, hash_record(record)); }
  // For a model that hashed the record elsewhere (corio_mt hashes on a worker).
  void add(std::uint64_t id, std::uint64_t hash) {
    ++consumed;
    id_sum += id;
    checksum += hash;
  }
  Tally& operator+=(const Tally& other) {
    consumed += other.consumed;
    id_sum += other.id_sum;
    checksum += other.checksum;
    return *this;
  }
};

struct Result {
  Tally total;
  std::int64_t queue_full_stalls = 0;
  std::int64_t workers = 1;                // threads or processes that ran the consumers' work
  std::int64_t pipe_capacity_records = 0;  // processes only: the pipe's capacity in records
  // Set when the model could not run every consumer (a thread or fork refused, a consumer
  // process that crashed): check() reports it.
  std::string error;
};

Result sequential(const Params& params);
Result corio(const Params& params);
Result corio_mt(const Params& params);
Result threads(const Params& params);
Result thread_pool(const Params& params);
Result processes(const Params& params);
Result asio(const Params& params);
Result asio_mt(const Params& params);
Result libuv(const Params& params);

// Models call this first; the points below always pass.
inline void require_valid(const Params& params, bool needs_queue = true) {
  if (params.items < 1 || params.consumers < 1 || (needs_queue && params.capacity < 1)) {
    throw harness::BadInput(
        "corio-bench: io/pipeline needs items >= 1, consumers >= 1 and "
        "capacity >= 1 (got items:" +
        std::to_string(params.items) + " consumers:" + std::to_string(params.consumers) +
        " capacity:" + std::to_string(params.capacity) + ")");
  }
}

// Sum of hash_record(make_record(id)) over id < items, computed once per item count (100,000
// items take about 40 ms) because check() runs after every call.
inline std::uint64_t expected_checksum(std::int64_t items) {
  static std::mutex mutex;
  static std::map<std::int64_t, std::uint64_t> cache;
  const std::lock_guard lock(mutex);
  const auto [slot, inserted] = cache.try_emplace(items, 0);
  if (inserted) {
    for (std::int64_t id = 0; id < items; ++id) {
      slot->second += hash_record(make_record(static_cast<std::uint64_t>(id)));
    }
  }
  return slot->second;
}

struct Workload {
  using Params = pipeline::Params;
  using Result = pipeline::Result;

  static constexpr std::string_view name = "io/pipeline";

  // cpu: K = 1 (no parallelism), 4, 16 (full also 64) consumers on a queue of 16 (the
  // producer waits every few items) or 1,024 (it runs far ahead). io: K = 16 (full also 4 and
  // 64) waits overlap; Q = 16 is enough, as consumers are the bottleneck.
  static std::vector<Params> points(harness::Profile profile) {
    const bool quick = profile == harness::Profile::quick;
    const std::int64_t cpu_items = quick ? 20'000 : 100'000;
    const std::int64_t io_items = quick ? 500 : 2'000;
    std::vector<std::int64_t> cpu_consumers{1, 4, 16};
    std::vector<std::int64_t> io_consumers{16};
    if (!quick) {
      cpu_consumers.push_back(64);
      io_consumers = {4, 16, 64};
    }
    std::vector<Params> points;
    for (const std::int64_t consumers : cpu_consumers) {
      for (const std::int64_t capacity : {16, 1024}) {
        points.push_back(
            {.consumers = consumers, .capacity = capacity, .items = cpu_items, .work = Work::cpu});
      }
    }
    for (const std::int64_t consumers : io_consumers) {
      points.push_back(
          {.consumers = consumers, .capacity = 16, .items = io_items, .work = Work::io});
    }
    return points;
  }

  static std::string label(const Params& params) {
    return "consumers:" + std::to_string(params.consumers) +
           "/capacity:" + std::to_string(params.capacity) +
           "/items:" + std::to_string(params.items) +
           "/work:" + std::string(to_string(params.work));
  }

  static std::string check(const Params& params, const Result& result) {
    if (!result.error.empty()) return result.error;
    const Tally& total = result.total;
    if (total.consumed != params.items) {
      return std::to_string(total.consumed) + " items consumed, expected " +
             std::to_string(params.items);
    }
    const auto n = static_cast<std::uint64_t>(params.items);
    if (const std::uint64_t expected = n * (n - 1) / 2; total.id_sum != expected) {
      return "the consumed ids summed to " + std::to_string(total.id_sum) + ", expected " +
             std::to_string(expected) + " (an item was consumed twice and another never)";
    }
    if (const std::uint64_t expected = expected_checksum(params.items);
        total.checksum != expected) {
      return "checksum " + std::to_string(total.checksum) + ", expected " +
             std::to_string(expected) + " (a record was corrupted on its way)";
    }
    return "";
  }

  static double items(const Params& params) { return static_cast<double>(params.items); }

  static void counters(const Params& params, const Result& result, harness::Counters& counters) {
    if (params.capacity > 0) {
      counters.set("queue_full_stalls", static_cast<double>(result.queue_full_stalls));
    }
    counters.set("workers", static_cast<double>(result.workers));
    if (result.pipe_capacity_records > 0) {
      counters.set("pipe_capacity_records", static_cast<double>(result.pipe_capacity_records));
    }
  }
};

// corio_mt offloads the hashing to a ThreadPool; a 1 ms wait needs no thread, so its io points
// would be corio's (see corio_mt.cpp).
struct CpuWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    std::vector<Params> points;
    for (const Params& params : Workload::points(profile)) {
      if (params.work == Work::cpu) points.push_back(params);
    }
    return points;
  }
};

// No queue and one consumer: each item is made and consumed in turn.
struct SequentialWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    const bool quick = profile == harness::Profile::quick;
    return {{.consumers = 1, .capacity = 0, .items = quick ? 20'000 : 100'000, .work = Work::cpu},
            {.consumers = 1, .capacity = 0, .items = quick ? 500 : 2'000, .work = Work::io}};
  }
};

// The Python models (py_*.py): making a record (31 splitmix64 steps on Python ints) and
// hashing it (256 FNV-1a steps) take about 27 us of CPU per item in CPython, 70 times the C++
// cost, so work:cpu moves 5,000 items in quick (0.14 s a call) and 50,000 in full (1.4 s);
// work:io keeps the C++ sizes, as its 1 ms waits dominate. Same K and Q as Workload.
struct PythonWorkload : Workload {
  static std::vector<Params> points(harness::Profile profile) {
    const std::int64_t cpu_items = profile == harness::Profile::quick ? 5'000 : 50'000;
    std::vector<Params> points = Workload::points(profile);
    for (Params& params : points) {
      if (params.work == Work::cpu) params.items = cpu_items;
    }
    return points;
  }
};

}  // namespace workloads::io::pipeline
