#pragma once
// CORIO_SANITIZED: 1 in a build under AddressSanitizer or ThreadSanitizer, else 0. g++ says so
// with __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, clang with __has_feature. Under them corio
// bypasses its frame pool (frame_allocator.hpp), and tests that count allocations or read
// VmRSS skip or widen their bounds (the sanitizers replace malloc and keep shadow memory).

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CORIO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CORIO_SANITIZED 1
#endif
#endif
#ifndef CORIO_SANITIZED
#define CORIO_SANITIZED 0
#endif
