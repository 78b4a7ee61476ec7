#pragma once
// harness::Address and harness::resolve: HOST and PORT as one socket address, resolved once,
// for the load generator's connections and the `load` command's first connection.
//
//   harness::Address   the sockaddr to connect to, its length, and "HOST:PORT" for messages
//   harness::resolve   getaddrinfo (numeric port, stream socket, the first answer); throws
//                      std::runtime_error("cannot resolve 'HOST': ...") when it fails

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace harness {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text;  // "HOST:PORT" ("[::1]:8080" for IPv6), for messages
};

[[nodiscard]] Address resolve(const std::string& host, std::uint16_t port);

}  // namespace harness
