// async_context_manager: `async with` through corio::async_with, blocking file I/O on a pool
// thread through corio::to_thread.
//
// Python original:
//   class AsyncFile:
//       @classmethod
//       async def open(cls, path): return cls(await asyncio.to_thread(open, path))
//       async def read(self): return await asyncio.to_thread(self.f.read)
//       async def aclose(self): await asyncio.to_thread(self.f.close); print('closed')
//       async def __aenter__(self): return self
//       async def __aexit__(self, *exc): await self.aclose()
//
//   async with await AsyncFile.open(path) as f:
//       print(await f.read())
//
// async_with(open, body) awaits `open`, runs `body(resource)`, then always awaits
// resource.aclose(): after success, after an exception (rethrown once aclose is done) and after
// cancellation. If opening fails there is nothing to close, as in Python. open(2), read(2) and
// close(2) block, so they run on to_thread's pool and the loop thread stays free.

#include <array>
#include <cerrno>
#include <cstddef>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <corio/async_with.hpp>
#include <corio/run.hpp>
#include <corio/task.hpp>
#include <corio/to_thread.hpp>

// Blocking helpers; they run on a pool thread.
int open_read_only(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
  return fd;
}

std::string read_to_end(int fd) {
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "read");
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

// A file opened for reading, with an asynchronous interface.
class File {
 public:
  static corio::Task<File> open(std::filesystem::path path) {
    // A named lambda, not a temporary inside the co_await expression: g++ 12 destroys such a
    // temporary twice when a capture has a destructor (here the path), a double free. Clang
    // is fine; runtime/examples/README.md has the details.
    auto open_file = [path] { return open_read_only(path); };
    const int fd = co_await corio::to_thread(std::move(open_file));
    co_return File{fd};
  }

  File(File&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  File& operator=(File&&) = delete;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  // A File never closed by aclose() (not opened through async_with) still releases its fd.
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }

  corio::Task<std::string> read_all() {
    const int fd = fd_;
    co_return co_await corio::to_thread([fd] { return read_to_end(fd); });
  }

  corio::Task<> aclose() {
    const int fd = std::exchange(fd_, -1);
    // close(2) releases the descriptor even when it reports an error; never retry it.
    co_await corio::to_thread([fd] {
      if (::close(fd) != 0) throw std::system_error(errno, std::generic_category(), "close");
    });
    std::cout << "  closed\n";
  }

 private:
  explicit File(int fd) noexcept : fd_(fd) {}
  int fd_;
};

// async_with's body receives the resource by reference: the resource lives in async_with's
// frame until the body and aclose() have finished (async_with.hpp).
// NOLINTBEGIN(cppcoreguidelines-avoid-reference-coroutine-parameters)
corio::Task<int> amain(std::filesystem::path path) {
  std::cout << "read through async_with:\n";
  const std::string text =
      co_await corio::async_with(File::open(path), [](File& file) -> corio::Task<std::string> {
        std::cout << "  body: reading\n";
        co_return co_await file.read_all();
      });
  std::cout << "  got " << text.size() << " bytes: " << text.substr(0, text.find('\n')) << " ...\n";

  std::cout << "the body throws:\n";
  try {
    co_await corio::async_with(File::open(path), [](File& file) -> corio::Task<> {
      const std::string content = co_await file.read_all();
      throw std::runtime_error("body failed after reading " + std::to_string(content.size()) +
                               " bytes");
    });
  } catch (const std::runtime_error& e) {
    std::cout << "  caught after aclose: " << e.what() << '\n';
  }

  std::cout << "opening fails:\n";
  try {
    co_await corio::async_with(File::open(path.string() + ".missing"),
                               [](File&) -> corio::Task<> { co_return; });
  } catch (const std::system_error& e) {
    const bool missing = e.code() == std::errc::no_such_file_or_directory;
    std::cout << "  open raised " << (missing ? "ENOENT" : e.what()) << "; nothing to close\n";
  }
  co_return 0;
}
// NOLINTEND(cppcoreguidelines-avoid-reference-coroutine-parameters)

// A uniquely named file in the temporary directory, removed when this object dies.
class TempFile {
 public:
  explicit TempFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("corio_async_context_manager_" + std::to_string(::getpid()) + ".txt")) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error("cannot write " + path_.string());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

int main() {
  const TempFile file("first line\nsecond line\n");
  return corio::run(amain(file.path()));
}
