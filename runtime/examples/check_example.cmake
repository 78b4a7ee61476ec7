# Runs one example and checks it: exit code 0, nothing on stderr, stdout equal to the expected
# file byte for byte. PASS_REGULAR_EXPRESSION alone would ignore the exit code.
#
#   cmake -DEXE=<program> -DEXPECTED=<expected/name.txt> -P check_example.cmake
if(NOT DEFINED EXE OR NOT DEFINED EXPECTED)
  message(FATAL_ERROR "usage: cmake -DEXE=<program> -DEXPECTED=<file> -P check_example.cmake")
endif()

execute_process(
  COMMAND ${EXE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors)
file(READ ${EXPECTED} expected)

set(failed FALSE)
if(NOT result STREQUAL "0")
  message("FAIL: ${EXE} exited with ${result} (expected 0)")
  set(failed TRUE)
endif()
if(NOT errors STREQUAL "")
  message("FAIL: ${EXE} wrote to stderr:\n${errors}")
  set(failed TRUE)
endif()
if(NOT actual STREQUAL expected)
  message("FAIL: stdout differs from ${EXPECTED}\n--- expected\n${expected}--- actual\n${actual}---")
  set(failed TRUE)
endif()

if(failed)
  message(FATAL_ERROR "example check failed")
endif()
message("ok: ${EXE}")
