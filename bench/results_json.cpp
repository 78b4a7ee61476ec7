#include "bench/results_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numeric>
#include <string_view>
#include <utility>

namespace bench {
namespace {

// Keys of a row that are Google Benchmark's bookkeeping; every other number is a counter.
bool is_bookkeeping(std::string_view key) {
  static constexpr std::string_view keys[] = {"name",
                                              "family_index",
                                              "per_family_instance_index",
                                              "run_name",
                                              "run_type",
                                              "repetitions",
                                              "repetition_index",
                                              "threads",
                                              "iterations",
                                              "real_time",
                                              "cpu_time",
                                              "time_unit",
                                              "error_occurred",
                                              "error_message",
                                              "aggregate_name",
                                              "aggregate_unit",
                                              "label"};
  return std::ranges::find(keys, key) != std::end(keys);
}

bool succeeded(const Json& row) { return !row.value("error_occurred", false); }

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Google Benchmark's StatisticsMedian: the middle value, or the mean of the two middle ones.
double median(std::vector<double> values) {
  std::ranges::sort(values);
  const std::size_t half = values.size() / 2;
  if (values.size() % 2 == 1) return values[half];
  return (values[half - 1] + values[half]) / 2;
}

// Sample standard deviation (n - 1), as StatisticsStdDev.
double stddev(const std::vector<double>& values) {
  const double average = mean(values);
  double squares = 0;
  for (double v : values) squares += (v - average) * (v - average);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

// stddev / mean; NaN when the mean is 0, which the JSON writer turns into null.
double coefficient_of_variation(const std::vector<double>& values) {
  return stddev(values) / mean(values);
}

struct Statistic {
  std::string_view name;
  std::string_view unit;  // Google Benchmark's aggregate_unit
  std::function<double(const std::vector<double>&)> compute;
};

}  // namespace

std::vector<Json> repetition_rows(std::vector<Json> rows) {
  const auto count = static_cast<std::int64_t>(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i]["repetitions"] = count;
    rows[i]["repetition_index"] = static_cast<std::int64_t>(i);
  }
  return rows;
}

std::vector<Json> aggregate_rows(const std::vector<Json>& rows) {
  std::vector<const Json*> ok;
  for (const Json& row : rows) {
    if (succeeded(row)) ok.push_back(&row);
  }
  if (ok.size() < 2) return {};

  // Every number the successful rows share: the two times and each counter, in row order.
  const Json& first = *ok.front();
  std::vector<std::string> keys = {"real_time", "cpu_time"};
  for (const auto& [key, value] : first.items()) {
    if (!is_bookkeeping(key) && value.is_number()) keys.push_back(key);
  }
  auto values_of = [&](const std::string& key) {
    std::vector<double> values;
    for (const Json* row : ok) {
      if (const auto it = row->find(key); it != row->end() && it->is_number()) {
        values.push_back(it->get<double>());
      }
    }
    return values;
  };

  const Statistic statistics[] = {
      {"mean", "time", mean},
      {"median", "time", [](const std::vector<double>& v) { return median(v); }},
      {"stddev", "time", stddev},
      {"cv", "percentage", coefficient_of_variation},
  };
  const std::string base = first.value("run_name", first.value("name", ""));
  std::vector<Json> aggregates;
  for (const Statistic& statistic : statistics) {
    Json row;
    row["name"] = base + "_" + std::string(statistic.name);
    row["family_index"] = first.value("family_index", 0);
    row["per_family_instance_index"] = first.value("per_family_instance_index", 0);
    row["run_name"] = base;
    row["run_type"] = "aggregate";
    row["repetitions"] = static_cast<std::int64_t>(rows.size());
    row["threads"] = first.value("threads", 1);
    row["aggregate_name"] = statistic.name;
    row["aggregate_unit"] = statistic.unit;
    row["iterations"] = static_cast<std::int64_t>(ok.size());
    for (const std::string& key : keys) {
      const std::vector<double> values = values_of(key);
      // A counter missing from some repetitions gets no statistic rather than a wrong one.
      if (values.size() != ok.size()) continue;
      row[key] = statistic.compute(values);
      if (key == "cpu_time") row["time_unit"] = first.value("time_unit", "ns");
    }
    aggregates.push_back(std::move(row));
  }
  return aggregates;
}

Json failed_row(const std::string& name, const std::string& message) {
  Json row;
  row["name"] = name;
  row["run_name"] = name;
  row["run_type"] = "iteration";
  row["repetitions"] = 1;
  row["repetition_index"] = 0;
  row["threads"] = 1;
  row["error_occurred"] = true;
  row["error_message"] = message;
  return row;
}

}  // namespace bench
