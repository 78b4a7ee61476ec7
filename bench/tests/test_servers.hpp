#pragma once
// Servers the harness tests start through ServerProcess: corio_bench_tests runs itself as
// `corio_bench_tests serve test/echo --model MODEL ...` (test_main.cpp), the way corio-bench
// runs its workloads' servers, with these registered instead.
//
//   test/echo blocking          echoes on every connection (a thread each)
//   test/echo with_param        the same, after reading --param delay_ms (an integer 0..1000)
//   test/echo exit_after_ready  prints the serving line, then exits 0: a server that died
//   test/echo sibling           binds a second SO_REUSEPORT socket to its port first (the
//                               contract multi-loop models rely on), then echoes
//   test/echo stderr_line       writes a line on stderr, then echoes like blocking
//   test/echo touch_memory      touches --param mib (default 64) MiB, then echoes
//   test/echo prefork_memory    forks --param workers (default 2) children that touch --param
//                               mib (default 32) MiB each and wait; ready once all have

namespace harness::test {

void register_test_servers();

}  // namespace harness::test
