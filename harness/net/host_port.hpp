#pragma once
// harness::HostPort and harness::parse_host_port: the "HOST:PORT" of `serve --listen` and
// `load --connect`. "[::1]:8080" gives host "::1" (the brackets only delimit an IPv6
// address); PORT is 1 to 5 decimal digits up to 65535 (0 included: the caller refuses it
// where it means nothing). nullopt for anything else (no colon, empty host or port).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace harness {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

inline std::optional<HostPort> parse_host_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return HostPort{.host = std::string(host), .port = static_cast<std::uint16_t>(value)};
}

}  // namespace harness
