// Placeholder until the load generator lands (see load_generator.hpp).
#include "harness/net/load_generator.hpp"

#include <stdexcept>

namespace harness {

LoadReport run_load(const LoadOptions& /*options*/) {
  throw std::runtime_error("the load generator is not implemented yet");
}

}  // namespace harness
