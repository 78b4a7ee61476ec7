#include "bench/progress_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace bench {
namespace {

constexpr std::string_view debug_warning = "Library was built as DEBUG";

// Columns of the terminal on stderr, so that an overwritten line never wraps (a wrapped line
// cannot be taken back with '\r').
std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Lets `display` report the context, returning what it printed on its error stream instead
// of printing it: the console reporter prints the context and the DEBUG warning there.
bool report_context_captured(benchmark::BenchmarkReporter& display,
                             const benchmark::BenchmarkReporter::Context& context,
                             std::string& printed) {
  std::ostream& real_err = display.GetErrorStream();
  std::ostringstream captured;
  display.SetErrorStream(&captured);
  const bool go_on = display.ReportContext(context);
  display.SetErrorStream(&real_err);
  printed = captured.str();
  return go_on;
}

}  // namespace

std::string format_duration(double seconds) {
  char buf[32];
  if (seconds < 99.95) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else {
    const auto whole = static_cast<long long>(std::llround(seconds));
    std::snprintf(buf, sizeof buf, "%lldm%02llds", whole / 60, whole % 60);
  }
  return buf;
}

ProgressReporter::ProgressReporter(benchmark::BenchmarkReporter& display, std::ostream& progress,
                                   Settings settings)
    : display_(display), progress_(progress), settings_(std::move(settings)) {
  SetOutputStream(&display.GetOutputStream());
  SetErrorStream(&display.GetErrorStream());
}

bool ProgressReporter::ReportContext(const Context& context) {
  std::string printed;
  const bool go_on = report_context_captured(display_, context, printed);
  std::ostream& err = display_.GetErrorStream();
  err << printed;
  if (printed.find(debug_warning) != std::string::npos && !settings_.debug_library_note.empty()) {
    err << settings_.debug_library_note << '\n';
  }
  err.flush();
  display_.GetOutputStream().flush();
  start_ = Clock::now();
  if (go_on) announce_next();
  return go_on;
}

void ProgressReporter::ReportRuns(const std::vector<Run>& report) {
  if (report.empty()) return;
  int succeeded = 0;
  for (const Run& run : report) {
    if (run.error_occurred) {
      ++failed_runs_;
    } else if (run.run_type == Run::RT_Iteration) {
      ++succeeded;
    }
  }
  const std::pair key{report.front().family_index, report.front().per_family_instance_index};
  const bool new_benchmark = key != last_reported_;
  last_reported_ = key;
  if (new_benchmark) ++finished_;
  // Google Benchmark follows the repetitions with a second call for their mean, median...
  // when at least two succeeded (ComputeStats in 1.7.1): announce the next run after that one.
  const bool aggregates_follow = report.front().run_type == Run::RT_Iteration && succeeded >= 2;

  clear_line();
  display_.ReportRuns(report);
  display_.GetOutputStream().flush();
  if (!aggregates_follow) announce_next();
}

void ProgressReporter::Finalize() {
  clear_line();
  display_.Finalize();
  display_.GetOutputStream().flush();
  std::ostringstream line;
  line << "[" << finished_ << "/" << settings_.names.size() << "] finished in "
       << format_duration(elapsed_seconds());
  if (failed_runs_ > 0) line << ", " << failed_runs_ << " failed";
  progress_ << line.str() << '\n';
  progress_.flush();
}

void ProgressReporter::announce_next() {
  const std::size_t total = settings_.names.size();
  if (finished_ >= total) return;
  const double elapsed = elapsed_seconds();
  std::string head = "[";  // appended, not "[" + ...: see quoted() in cli.cpp (GCC PR 105329)
  head += std::to_string(finished_ + 1);
  head += '/';
  head += std::to_string(total);
  head += "] ";
  std::string tail = " ... elapsed " + format_duration(elapsed);
  if (finished_ > 0) {
    // Runs differ in length (a profile's points grow), so this is a rough guide: "~".
    const double mean = elapsed / static_cast<double>(finished_);
    tail += ", ETA ~" + format_duration(mean * static_cast<double>(total - finished_));
  }
  const std::string_view name =
      settings_.names_in_order ? std::string_view(settings_.names[finished_]) : "(random order)";
  print_line(head, name, tail);
}

void ProgressReporter::print_line(const std::string& head, std::string_view name,
                                  const std::string& tail) {
  if (!settings_.overwrite) {
    progress_ << head << name << tail << '\n';
  } else {
    // Shorten the name from the left: its end (model and parameters) tells runs apart.
    const std::size_t room = terminal_columns() - 1;  // the last column would wrap on some
    const std::size_t fixed = head.size() + tail.size();
    if (fixed + name.size() > room) {
      const std::size_t keep = room > fixed + 3 ? room - fixed - 3 : 0;
      progress_ << '\r' << head << "..." << name.substr(name.size() - std::min(keep, name.size()))
                << tail << "\033[K";
    } else {
      progress_ << '\r' << head << name << tail << "\033[K";
    }
    line_shown_ = true;
  }
  progress_.flush();
}

void ProgressReporter::clear_line() {
  if (!line_shown_) return;
  progress_ << "\r\033[K";
  progress_.flush();
  line_shown_ = false;
}

double ProgressReporter::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace bench
