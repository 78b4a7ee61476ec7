#pragma once
// runtime/switch's Params and Result as JSON, for the models in other languages
// (harness/external_workload.hpp): {"via": "yield", "switches": N} and
// {"steps": S, "handoffs": H}. Via is its to_string name.

#include "workloads/runtime/switch/params.hpp"

#include <nlohmann/json.hpp>

namespace workloads::runtime::switch_ {

NLOHMANN_JSON_SERIALIZE_ENUM(Via, {{Via::yield, "yield"},
                                   {Via::event, "event"},
                                   {Via::condvar, "condvar"},
                                   {Via::atomic, "atomic"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Params, via, switches)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Result, steps, handoffs)

}  // namespace workloads::runtime::switch_
