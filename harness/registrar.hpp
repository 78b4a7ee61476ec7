#pragma once
// What a workload folder registers itself with: its models (Google Benchmark runs) and its
// servers (for `corio-bench serve`), in one function per folder,
// `workloads::<group>::<workload>::register_workload(harness::Registrar&)`, listed once in
// workloads/list.hpp.
//
//   harness::Registrar              handed to every folder's register_workload
//   Registrar::model<W>(name, fn)   one model of workload W (harness/workload.hpp's contract)
//   Registrar::external<W>(command) one model of W in another language, run as a child
//                                   process (harness/external_workload.hpp)
//   Registrar::server(...)          one server function (harness/net/server_registry.hpp's)
//   Registrar::profile()            quick or full, for folders whose model list depends on it
//   Registrar::registers_benchmarks()  whether model() registers anything (else server() does)
//   Registrar::note(workload, text) a sentence for the user about rows not registered (a tool
//                                   not installed), said by corio-bench when it runs or lists
//                                   rows of that workload: never before a refusal's one line
//
// A registrar registers either the benchmarks or the servers, never both: `serve` needs no
// benchmark, and a run needs no server table (a model that starts a server runs `serve` in a
// child process, which registers the servers there). The folder lists everything either way.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/external_model.hpp"
#include "harness/external_workload.hpp"
#include "harness/net/server_registry.hpp"
#include "harness/workload.hpp"

namespace harness {

class Registrar {
 public:
  // The benchmarks of `profile`'s points; servers are ignored.
  [[nodiscard]] static Registrar benchmarks(Profile profile) { return Registrar(profile, true); }
  // The servers; models are ignored.
  [[nodiscard]] static Registrar servers() { return Registrar(Profile::quick, false); }

  [[nodiscard]] Profile profile() const { return profile_; }
  // For a folder with work to skip when its models are not wanted (probing for tools).
  [[nodiscard]] bool registers_benchmarks() const { return benchmarks_; }

  template <class W>
  void model(std::string_view name, typename W::Result (*fn)(const typename W::Params&)) {
    if (benchmarks_) register_model<W>(name, fn, profile_);
  }

  // W's Params and Result convert to and from JSON (the folder's json.hpp).
  template <class W>
  void external(const ExternalCommand& command) {
    if (benchmarks_) register_external_model<W>(command, profile_);
  }

  struct Note {
    std::string workload;  // e.g. "io/http_plaintext"
    std::string text;      // one sentence, without the "corio-bench: " prefix
  };
  // Collected rather than printed: registration runs before the command line is checked, and
  // a refused command line gets one line on stderr, its own.
  void note(std::string_view workload, std::string text) {
    if (benchmarks_) notes_.push_back({std::string(workload), std::move(text)});
  }
  [[nodiscard]] const std::vector<Note>& notes() const { return notes_; }

  // `param_names`: the `--param` names the server accepts (the harness refuses others).
  void server(std::string_view workload, std::string model, ServerFn serve,
              std::vector<std::string> param_names = {}) {
    if (!benchmarks_) {
      register_server(std::string(workload), std::move(model), serve, std::move(param_names));
    }
  }

 private:
  Registrar(Profile profile, bool benchmarks) : profile_(profile), benchmarks_(benchmarks) {}

  Profile profile_;
  bool benchmarks_;
  std::vector<Note> notes_;
};

}  // namespace harness
