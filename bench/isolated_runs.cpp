#include "bench/isolated_runs.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string_view>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "bench/cli.hpp"
#include "bench/progress_reporter.hpp"
#include "bench/results_json.hpp"

namespace bench {
namespace {

// Set by the signal handler; the child that runs when a signal arrives gets it too.
volatile std::sig_atomic_t received_signal = 0;
volatile pid_t running_child = -1;

extern "C" void forward_signal(int signal) {
  received_signal = signal;
  if (running_child > 0) ::kill(running_child, signal);
}

class SignalForwarding {
 public:
  SignalForwarding() {
    struct sigaction action{};
    action.sa_handler = forward_signal;
    ::sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(signals_); ++i) {
      ::sigaction(signals_[i], &action, &previous_[i]);
    }
  }
  ~SignalForwarding() {
    for (std::size_t i = 0; i < std::size(signals_); ++i) {
      ::sigaction(signals_[i], &previous_[i], nullptr);
    }
  }
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

 private:
  static constexpr int signals_[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction previous_[std::size(signals_)]{};
};

// Removes the folder of the children's JSON files, whatever happens.
class ScratchFolder {
 public:
  ScratchFolder() {
    const char* base = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): one thread
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/corio-bench.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(),
                              "cannot create a scratch folder from " + pattern);
    }
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// fork + exec of `argv`, stdout on /dev/null, killed if this process dies.
pid_t start_child(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  return status;
}

std::string describe_end(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::sigabbrev_np(signal);
    return "its process was killed by signal " + std::to_string(signal) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : std::string());
  }
  return "its process exited with status " + std::to_string(WEXITSTATUS(status)) +
         " without writing its results";
}

// Google Benchmark writes NaN and Infinity as bare words, which JSON (and nlohmann's parser)
// does not allow: outside strings they become null.
std::string without_bare_non_numbers(std::string text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    bool replaced = false;
    for (std::string_view word : {"-Infinity", "Infinity", "NaN"}) {
      if (std::string_view(text).substr(i, word.size()) == word) {
        out += "null";
        i += word.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

// The child's JSON, or a discarded value when it is missing or unreadable.
Json read_child_json(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Json(Json::value_t::discarded);
  std::stringstream text;
  text << file.rdbuf();
  return Json::parse(without_bare_non_numbers(text.str()), nullptr, /*allow_exceptions=*/false);
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// One line per finished run on stdout: name, repetition, real time, counters.
std::string result_line(const Json& row, int repetition, int repetitions) {
  std::string line = row.value("name", "?");
  if (repetitions > 1) {
    line += "  [" + std::to_string(repetition + 1) + "/" + std::to_string(repetitions) + "]";
  }
  if (row.value("error_occurred", false)) {
    return line + "  ERROR OCCURRED: '" + row.value("error_message", "") + "'";
  }
  if (const auto it = row.find("real_time"); it != row.end() && it->is_number()) {
    line += "  " + format_number(it->get<double>()) + " " + row.value("time_unit", "ns");
  }
  bool counters = false;
  for (const auto& [key, value] : row.items()) {
    if (!counters) {
      counters = key == "time_unit";  // Google Benchmark writes counters after the time unit
      continue;
    }
    if (value.is_number()) line += "  " + key + "=" + format_number(value.get<double>());
  }
  return line;
}

// "[i/N] name (repetition r/R) ... elapsed, ETA" on stderr; overwritten in place on a terminal.
class Progress {
 public:
  Progress(std::size_t total, bool overwrite) : total_(total), overwrite_(overwrite) {}

  void starting(std::size_t index, const std::string& name, int repetition, int repetitions,
                double eta_seconds) {
    std::string line = "[" + std::to_string(index + 1) + "/" + std::to_string(total_) + "] " + name;
    if (repetitions > 1) {
      line += " (repetition " + std::to_string(repetition + 1) + "/" + std::to_string(repetitions) +
              ")";
    }
    line += " ... elapsed " + format_duration(elapsed_seconds());
    if (eta_seconds >= 0) line += ", ETA " + format_duration(eta_seconds);
    show(line);
  }
  // Before anything else is printed: a terminal's overwritten line is cleared first.
  void clear() {
    if (overwrite_ && shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }
  void finished() {
    clear();
    std::cerr << "[" << total_ << "/" << total_ << "] finished in "
              << format_duration(elapsed_seconds()) << '\n';
  }
  [[nodiscard]] double elapsed_seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

 private:
  using Clock = std::chrono::steady_clock;
  void show(const std::string& line) {
    clear();
    std::cerr << line << (overwrite_ ? "" : "\n") << std::flush;
    shown_ = overwrite_;
  }
  std::size_t total_;
  bool overwrite_;
  bool shown_ = false;
  Clock::time_point start_ = Clock::now();
};

// The time the remaining runs will take: each benchmark's last duration when it has run
// already, else the mean duration of those that have; negative while nothing has finished.
class Estimate {
 public:
  void record(const std::string& name, double seconds) {
    last_[name] = seconds;
    total_ += seconds;
    ++count_;
  }
  [[nodiscard]] double remaining(const std::vector<std::string>& names) const {
    if (count_ == 0) return -1;
    const double mean = total_ / static_cast<double>(count_);
    double seconds = 0;
    for (const std::string& name : names) {
      const auto it = last_.find(name);
      seconds += it != last_.end() ? it->second : mean;
    }
    return seconds;
  }

 private:
  std::map<std::string, double> last_;
  double total_ = 0;
  int count_ = 0;
};

Json merged_context(Json context, const IsolatedRuns& runs, std::uint64_t seed) {
  if (!context.is_object()) context = Json::object();
  context["corio_command_line"] = runs.command_line;
  context["corio_isolation"] = "process per run";
  context["corio_repetitions"] = runs.repetitions;
  context["corio_rounds"] = runs.shuffle_rounds
                                ? "shuffled per round (seed " + std::to_string(seed) + ")"
                                : "--list order in every round";
  return context;
}

bool write_json(const std::string& path, const Json& document) {
  std::ofstream file(path, std::ios::trunc);
  file << document.dump(2) << '\n';
  return static_cast<bool>(file.flush());
}

}  // namespace

std::string exact_name_filter(const std::string& name) {
  std::string filter = "^";
  for (char c : name) {
    if (std::strchr(".[]{}()*+?^$|\\", c) != nullptr) filter += '\\';
    filter += c;
  }
  return filter + "$";
}

int run_isolated(const IsolatedRuns& runs) {
  const ScratchFolder scratch;
  const SignalForwarding forwarding;
  received_signal = 0;

  std::uint64_t seed = std::random_device{}();
  std::mt19937_64 shuffle(seed);
  const std::size_t total = runs.names.size() * static_cast<std::size_t>(runs.repetitions);
  Progress progress(total, ::isatty(STDERR_FILENO) != 0);
  Estimate estimate;

  // Rows per benchmark name, in the order their repetitions ran.
  std::map<std::string, std::vector<Json>> rows;
  Json context;
  int failed = 0;
  std::size_t index = 0;
  for (int round = 0; round < runs.repetitions && received_signal == 0; ++round) {
    std::vector<std::string> order = runs.names;
    if (runs.shuffle_rounds) std::ranges::shuffle(order, shuffle);
    for (std::size_t i = 0; i < order.size() && received_signal == 0; ++i, ++index) {
      const std::string& name = order[i];
      std::vector<std::string> remaining(order.begin() + static_cast<std::ptrdiff_t>(i),
                                         order.end());
      double eta = estimate.remaining(remaining);
      if (eta >= 0) {
        eta += estimate.remaining(runs.names) * (runs.repetitions - round - 1);
      }
      progress.starting(index, name, round, runs.repetitions, eta);

      const std::string out = scratch.path() + "/run-" + std::to_string(index) + ".json";
      std::vector<std::string> argv = {runs.executable, "--child",
                                       "--profile",     std::string(to_string(runs.profile)),
                                       "--filter",      exact_name_filter(name),
                                       "--out",         out};
      argv.insert(argv.end(), runs.child_flags.begin(), runs.child_flags.end());
      const auto started = std::chrono::steady_clock::now();
      running_child = start_child(argv);
      if (received_signal != 0) ::kill(running_child, received_signal);
      const int status = wait_for(running_child);
      running_child = -1;
      estimate.record(
          name, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      if (received_signal != 0) break;

      if (WIFEXITED(status) && WEXITSTATUS(status) == static_cast<int>(ExitCode::bad_input)) {
        progress.clear();
        std::cerr << "corio-bench: the process running " << name
                  << " refused its command line (above); stopping\n";
        return static_cast<int>(ExitCode::bad_input);
      }
      Json document = read_child_json(out);
      Json row;
      if (document.is_object() && document.contains("benchmarks") &&
          document["benchmarks"].is_array() && document["benchmarks"].size() == 1) {
        row = document["benchmarks"][0];
        if (context.is_null() && document.contains("context")) context = document["context"];
        std::filesystem::remove(out);
      } else {
        row = failed_row(name, "benchmark did not finish: " + describe_end(status));
      }
      if (row.value("error_occurred", false)) ++failed;
      progress.clear();
      if (!runs.json_to_stdout) std::cout << result_line(row, round, runs.repetitions) << std::endl;
      rows[name].push_back(std::move(row));
    }
  }
  if (received_signal != 0) {
    progress.clear();
    std::cerr << "corio-bench: interrupted by signal " << received_signal
              << "; the runs so far are not written\n";
    return 128 + received_signal;
  }
  progress.finished();

  Json document;
  document["context"] = merged_context(std::move(context), runs, seed);
  Json& benchmarks = document["benchmarks"] = Json::array();
  for (const std::string& name : runs.names) {
    const std::vector<Json> repetitions = repetition_rows(std::move(rows[name]));
    for (const Json& row : repetitions) benchmarks.push_back(row);
    for (Json& row : aggregate_rows(repetitions)) benchmarks.push_back(std::move(row));
  }
  if (!runs.out.empty() && !write_json(runs.out, document)) {
    std::cerr << "corio-bench: could not write --out '" << runs.out
              << "': " << std::generic_category().message(errno) << '\n';
    return static_cast<int>(ExitCode::run_failed);
  }
  if (runs.json_to_stdout) std::cout << document.dump(2) << std::endl;

  if (failed > 0) {
    std::cerr << "corio-bench: " << failed << " run(s) failed their check or threw "
              << "(ERROR OCCURRED above; error_message in the JSON)\n";
    return static_cast<int>(ExitCode::run_failed);
  }
  return static_cast<int>(ExitCode::success);
}

}  // namespace bench
