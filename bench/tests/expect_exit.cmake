# Runs EXE with the arguments after "--" and fails unless it exits with status EXPECTED.
# Status 2 (refused input) must also come with exactly one line on stderr, as DESIGN.md asks.
#
# Usage: cmake -DEXE=<program> -DEXPECTED=<status> -P expect_exit.cmake -- ARGS...
set(args "")
set(after_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_separator)
    list(APPEND args "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_separator TRUE)
  endif()
endforeach()

execute_process(COMMAND "${EXE}" ${args}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "${EXPECTED}")
  message(FATAL_ERROR "corio-bench ${args}: exit status ${status}, expected ${EXPECTED}\n"
                      "stdout:\n${out}\nstderr:\n${err}")
endif()
if(EXPECTED EQUAL 2)
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1 OR NOT err MATCHES "^corio-bench: ")
    message(FATAL_ERROR "corio-bench ${args}: stderr should be one 'corio-bench: ...' line, "
                        "got:\n${err}")
  endif()
endif()
message(STATUS "corio-bench ${args}: exit ${status}; stderr: ${err}")
