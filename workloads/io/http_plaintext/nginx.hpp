#pragma once
// nginx as the outside reference: one nginx process answering GET /plaintext with the same
// 200 text/plain "Hello, World!", configured as TechEmpower's nginx entry is (keep-alive,
// no access log), but with one worker, like the corio model's one thread.
//
//   nginx_config(dir, port)   the configuration text (files under dir, 127.0.0.1:port)
//   NginxServer::start(path)  writes the configuration into a new temporary directory, runs
//                             nginx with it as a harness::ServerProcess, and waits until it
//                             accepts connections; stop() ends it; the directory is removed
//                             when the NginxServer is destroyed
//
// `master_process off`: the one worker is the whole server, so that (1) the process the
// harness measures (RSS, context switches) is the one that serves, as for our models, and
// (2) it dies with the benchmark (PR_SET_PDEATHSIG reaches it), whereas a worker under a
// master killed with SIGKILL would live on as an orphan. A master only supervises and reloads;
// it takes no part in serving.

#include <cstdint>
#include <string>

#include "harness/net/server_process.hpp"
#include "workloads/io/http_plaintext/tools.hpp"

namespace workloads::io::http_plaintext {

std::string nginx_config(const std::string& dir, std::uint16_t port);

class NginxServer {
 public:
  static NginxServer start(const std::string& nginx_path);

  [[nodiscard]] std::uint16_t port() const noexcept { return process_.port(); }
  // As harness::ServerProcess::stop: throws when nginx died before it was stopped.
  harness::ServerUsage stop() { return process_.stop(); }

 private:
  NginxServer(TempDir dir, harness::ServerProcess process)
      : dir_(std::move(dir)), process_(std::move(process)) {}
  TempDir dir_;  // declared first: removed after the process has ended
  harness::ServerProcess process_;
};

}  // namespace workloads::io::http_plaintext
