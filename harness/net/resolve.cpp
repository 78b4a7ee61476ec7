// harness::resolve: see resolve.hpp.
#include "harness/net/resolve.hpp"

#include <cstring>
#include <netdb.h>
#include <stdexcept>

namespace harness {

Address resolve(const std::string& host, std::uint16_t port) {
  Address address;
  address.text =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      status != 0) {
    throw std::runtime_error("cannot resolve '" + host + "': " + ::gai_strerror(status));
  }
  std::memcpy(&address.storage, found->ai_addr, found->ai_addrlen);
  address.length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return address;
}

}  // namespace harness
