// glibc malloc's thresholds, pinned: see malloc_policy.hpp.
#include "harness/malloc_policy.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>

namespace harness {

static_assert(kMmapThresholdBytes <= 0x7fffffff && kTrimThresholdBytes <= 0x7fffffff,
              "mallopt takes an int");

bool pin_malloc_thresholds() {
  const bool pinned = ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThresholdBytes)) == 1 &&
                      ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThresholdBytes)) == 1;
  const char* own = std::getenv("GLIBC_TUNABLES");
  if (own == nullptr) {
    ::setenv("GLIBC_TUNABLES", kMallocTunables, 0);
  } else if (std::strcmp(own, kMallocTunables) != 0) {  // the user's own: kept
    std::fprintf(stderr,
                 "corio-bench: GLIBC_TUNABLES=%s is kept for the processes started from here; "
                 "the suite's own is %s (harness/malloc_policy.hpp)\n",
                 own, kMallocTunables);
  }
  return pinned;
}

}  // namespace harness
