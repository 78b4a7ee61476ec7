#pragma once
// runtime/skynet's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"leaves": L} and {"sum": S}.

#include "workloads/runtime/skynet/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::skynet {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, leaves)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Result, sum)

}  // namespace workloads::runtime::skynet
