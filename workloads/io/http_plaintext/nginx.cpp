// nginx as the outside reference: see nginx.hpp.
#include "workloads/io/http_plaintext/nginx.hpp"

#include <utility>
#include <vector>

#include "workloads/common/loopback_port.hpp"

namespace workloads::io::http_plaintext {

std::string nginx_config(const std::string& dir, std::uint16_t port) {
  // Every path nginx would write under its compiled-in prefix (/var/lib/nginx, /var/log)
  // points into `dir`: it runs as an ordinary user. worker_connections is above the largest
  // load (256 connections) plus the listener.
  return "worker_processes 1;\n"
         "master_process off;\n"
         "daemon off;\n"
         "pid " +
         dir +
         "/nginx.pid;\n"
         "error_log " +
         dir +
         "/error.log warn;\n"
         "events {\n"
         "  worker_connections 4096;\n"
         "}\n"
         "http {\n"
         "  access_log off;\n"
         "  keepalive_requests 1000000;\n"
         "  client_body_temp_path " +
         dir +
         "/client_body;\n"
         "  proxy_temp_path " +
         dir +
         "/proxy;\n"
         "  fastcgi_temp_path " +
         dir +
         "/fastcgi;\n"
         "  uwsgi_temp_path " +
         dir +
         "/uwsgi;\n"
         "  scgi_temp_path " +
         dir +
         "/scgi;\n"
         "  server {\n"
         "    listen 127.0.0.1:" +
         std::to_string(port) +
         " backlog=4096;\n"
         "    location = /plaintext {\n"
         "      default_type text/plain;\n"
         "      return 200 \"Hello, World!\";\n"
         "    }\n"
         "  }\n"
         "}\n";
}

NginxServer NginxServer::start(const std::string& nginx_path) {
  TempDir dir("corio-bench-nginx-");
  const std::uint16_t port = common::free_loopback_port();
  const std::string config = dir.write_file("nginx.conf", nginx_config(dir.path(), port));
  // -p: the prefix for relative paths; -e: the error log used before the configuration is
  // read (the default, /var/log/nginx/error.log, is not writable by a user).
  const std::vector<std::string> argv = {nginx_path, "-p", dir.path() + "/",         "-c",
                                         config,     "-e", dir.path() + "/error.log"};
  harness::ServerProcess process = harness::ServerProcess::start_command(argv, port);
  return {std::move(dir), std::move(process)};
}

}  // namespace workloads::io::http_plaintext
