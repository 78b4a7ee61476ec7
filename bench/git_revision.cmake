# Writes OUT, a header defining bench::build_info::git_revision for the checkout SOURCE_DIR:
# `git describe --always --dirty`, or "" when git, the repository or a first commit is missing.
#
# Run by the corio_git_revision target at every build rather than once at configure time, so
# that a results file never names a revision older than the binary; the file is rewritten
# only when the text changes, so an unchanged revision recompiles nothing.
#
# Usage: cmake -DSOURCE_DIR=<checkout> -DOUT=<header> -P git_revision.cmake
set(revision "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
    OUTPUT_VARIABLE described
    RESULT_VARIABLE status
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET)
  if(status EQUAL 0)
    set(revision "${described}")
  endif()
endif()

set(text "#pragma once
// Generated at build time by bench/git_revision.cmake.
//
//   bench::build_info::git_revision  \"\" when not built from a git checkout with a commit

#include <string_view>

namespace bench::build_info {
inline constexpr std::string_view git_revision = \"${revision}\";
}  // namespace bench::build_info
")

set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
