#pragma once
// The outside programs this workload uses when they are installed (wrk, nginx), and the
// scratch directory their configuration and script files live in.
//
//   find_program(name)   the executable's path, from PATH then /usr/local/sbin and /usr/sbin
//                        (nginx lives in sbin, often not on a user's PATH); "" when absent
//   TempDir              mkdtemp under $TMPDIR (or /tmp); removed with its contents on
//                        destruction
//
// (A port for a program that binds its own socket: common/loopback_port.hpp.)

#include <string>

namespace workloads::io::http_plaintext {

std::string find_program(const std::string& name);

class TempDir {
 public:
  // Throws std::system_error when the directory cannot be created.
  explicit TempDir(const std::string& prefix);
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // Writes `text` to path()/name and returns the file's path.
  std::string write_file(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

}  // namespace workloads::io::http_plaintext
