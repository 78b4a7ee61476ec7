#pragma once
// The workloads as corio-bench sees them: one call that registers every folder's models and
// servers (workloads/list.hpp) with a harness::Registrar.
//
//   workloads::register_all(registrar)   Registrar::benchmarks(profile) before a run,
//                                        Registrar::servers() before `serve`

#include "harness/registrar.hpp"

namespace workloads {

void register_all(harness::Registrar& registrar);

}  // namespace workloads
