// The table behind `corio-bench serve`: see server_registry.hpp.
#include "harness/net/server_registry.hpp"

#include <charconv>
#include <iostream>
#include <utility>

#include "harness/bad_input.hpp"

namespace harness {
namespace {

std::vector<ServerEntry>& registry() {
  static std::vector<ServerEntry> entries;
  return entries;
}

// "io/tcp_echo" matches "io/tcp_echo" and "tcp_echo".
bool workload_matches(const std::string& registered, const std::string& asked) {
  if (registered == asked) return true;
  const auto slash = registered.find('/');
  return slash != std::string::npos && registered.compare(slash + 1, std::string::npos, asked) == 0;
}

}  // namespace

std::int64_t ServerContext::int_param(const std::string& name, std::int64_t fallback,
                                      std::int64_t min, std::int64_t max) const {
  const auto found = params.find(name);
  if (found == params.end()) return fallback;
  const std::string& text = found->second;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    throw BadInput("corio-bench: serve: --param " + name + "=" + text + " is not an integer in [" +
                   std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return value;
}

std::string ServerContext::string_param(const std::string& name,
                                        const std::string& fallback) const {
  const auto found = params.find(name);
  return found == params.end() ? fallback : found->second;
}

void ServerContext::ready() {
  if (ready_) return;
  ready_ = true;
  // Flushed: the parent (ServerProcess) and scripts wait for this line.
  std::cout << "corio-bench: serving " << workload << " (" << model << ") on " << host << ':'
            << port << std::endl;
}

void register_server(std::string workload, std::string model, ServerFn serve,
                     std::vector<std::string> param_names) {
  registry().push_back(
      ServerEntry{std::move(workload), std::move(model), serve, std::move(param_names)});
}

const ServerEntry* find_server(const std::string& workload, const std::string& model) {
  for (const ServerEntry& entry : registry()) {
    if (entry.model == model && workload_matches(entry.workload, workload)) return &entry;
  }
  return nullptr;
}

const std::vector<ServerEntry>& all_servers() { return registry(); }

}  // namespace harness
