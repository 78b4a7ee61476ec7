// Every workload folder, one line each: CORIO_WORKLOAD(group, name) stands for the folder
// workloads/<group>/<name>/ and its `workloads::<group>::<name>::register_workload` (runtime/
// switch's namespace is `switch_`: `switch` is a keyword). Adding a workload is its folder
// plus one line here; its CMakeLists.txt is found by workloads/CMakeLists.txt.
//
// The order is the order of `corio-bench --list` and of a run. The io, cpu, mixed and limit
// groups come before the runtime group: run in one process (`--in-process`), runtime/timers
// leaves a million tasks' frames in corio's frame pool, and every later fork() (the processes
// models) would copy those page tables: 1,000 forks took 32 s after it instead of 0.3 s.
//
// No include guard: workloads/registry.cpp includes this file twice with two meanings of
// CORIO_WORKLOAD (declare, then call).
CORIO_WORKLOAD(io, sleep_fanout)
CORIO_WORKLOAD(io, tcp_echo)
CORIO_WORKLOAD(io, http_plaintext)
CORIO_WORKLOAD(io, idle_connections)
CORIO_WORKLOAD(io, http_fanout)
CORIO_WORKLOAD(io, pipeline)
CORIO_WORKLOAD(cpu, cpu_scaling)
CORIO_WORKLOAD(mixed, blocking_in_loop)
CORIO_WORKLOAD(limit, concurrency_limit)
CORIO_WORKLOAD(runtime, spawn)
CORIO_WORKLOAD(runtime, switch_)
CORIO_WORKLOAD(runtime, gather)
CORIO_WORKLOAD(runtime, sync)
CORIO_WORKLOAD(runtime, skynet)
CORIO_WORKLOAD(runtime, timers)
CORIO_WORKLOAD(runtime, task_memory)
