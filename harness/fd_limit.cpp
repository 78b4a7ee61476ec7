// The open-descriptor limit: see fd_limit.hpp.
#include "harness/fd_limit.hpp"

#include <sys/resource.h>

namespace harness {

std::int64_t raise_descriptor_limit() noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur != limit.rlim_max) {
    const rlim_t soft = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = soft;
  }
  return limit.rlim_cur == RLIM_INFINITY ? std::int64_t{1} << 30
                                         : static_cast<std::int64_t>(limit.rlim_cur);
}

std::string descriptor_shortfall(std::int64_t connections) {
  const std::int64_t allowed = raise_descriptor_limit();
  const std::int64_t needed = connections + kSpareDescriptors;
  if (needed <= allowed) return "";
  return std::to_string(connections) + " connections need " + std::to_string(needed) +
         " descriptors and the hard limit (ulimit -Hn) is " + std::to_string(allowed) +
         ": raise it (ulimit -Hn, /etc/security/limits.conf) or use fewer connections";
}

}  // namespace harness
