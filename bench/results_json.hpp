#pragma once
// Google Benchmark 1.7.1's JSON, assembled from runs made in separate processes.
//
//   bench::Json                 an insertion-ordered nlohmann JSON value (Google Benchmark's
//                                 key order: "name" first, counters last)
//   bench::RunRow               one repetition's row, as a child process wrote it
//   bench::repetition_rows      a benchmark's rows renumbered as repetitions 0..R-1 of R
//   bench::aggregate_rows       the mean, median, stddev and cv rows Google Benchmark
//                                 would have computed over those repetitions
//   bench::failed_row           a row for a run whose process died before writing one
//
// When every repetition of every benchmark runs in its own process (bench/isolated_runs.hpp),
// no Google Benchmark instance sees more than one repetition, so the aggregates it would write
// after them are computed here, with its rules (statistics.cc of 1.7.1): sample standard
// deviation, cv = stddev / mean, failed repetitions left out, no aggregate when fewer than two
// succeeded. Readers (plots/, compare.py) then find the layout they know.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

using Json = nlohmann::ordered_json;

// Renumbers `rows` (one per repetition, in the order they ran) as repetitions of one
// benchmark: "repetitions" = rows.size(), "repetition_index" = position.
[[nodiscard]] std::vector<Json> repetition_rows(std::vector<Json> rows);

// The aggregate rows of one benchmark's repetitions (as returned by repetition_rows), in
// Google Benchmark's order: mean, median, stddev, cv. Empty when fewer than two succeeded.
[[nodiscard]] std::vector<Json> aggregate_rows(const std::vector<Json>& rows);

// An iteration row that says the run failed, for a process that wrote none (it crashed).
[[nodiscard]] Json failed_row(const std::string& name, const std::string& message);

}  // namespace bench
