#pragma once
// harness::BadInput: the user asked for something impossible (unknown name, 0 connections, a
// port in use). corio-bench prints what() as one line and exits 2, before any work.

#include <stdexcept>

namespace harness {

class BadInput : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace harness
