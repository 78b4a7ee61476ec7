#pragma once
// corio: asyncio's model in C++20. This header gives the whole public API:
//
//   Task<T>, run, EventLoop                  task.hpp, run.hpp, event_loop.hpp
//   spawn, JoinHandle<T>                     spawn.hpp
//   sleep, yield_now                         sleep.hpp
//   gather, wait_for, TaskGroup              gather.hpp, wait_for.hpp, task_group.hpp
//   CancelledError, TimeoutError             errors.hpp
//   Queue<T>, Semaphore, Mutex, Event        queue.hpp, semaphore.hpp, mutex.hpp, event.hpp
//   Generator<T>, async_with, to_thread      generator.hpp, async_with.hpp, to_thread.hpp
//   net::TcpListener, net::TcpStream         net/tcp.hpp
//   net::http::serve, net::http::Client      net/http_server.hpp, net/http_client.hpp
//   wait_for_signal, block_signals           signal.hpp
//
// runtime/README.md describes the loop's behaviour and costs; runtime/examples/ shows each.

#include <corio/async_with.hpp>
#include <corio/errors.hpp>
#include <corio/event.hpp>
#include <corio/event_loop.hpp>
#include <corio/gather.hpp>
#include <corio/generator.hpp>
#include <corio/mutex.hpp>
#include <corio/net/http_client.hpp>
#include <corio/net/http_server.hpp>
#include <corio/net/tcp.hpp>
#include <corio/queue.hpp>
#include <corio/run.hpp>
#include <corio/run_sharded.hpp>
#include <corio/semaphore.hpp>
#include <corio/signal.hpp>
#include <corio/sleep.hpp>
#include <corio/spawn.hpp>
#include <corio/task.hpp>
#include <corio/task_group.hpp>
#include <corio/thread_pool.hpp>
#include <corio/to_thread.hpp>
#include <corio/wait_for.hpp>
