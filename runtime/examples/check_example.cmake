# Runs one example and checks it: exit code 0, nothing on stderr, stdout equal to the expected
# file byte for byte. PASS_REGULAR_EXPRESSION alone would ignore the exit code.
#
#   cmake -DEXE=<program> [-DARGS=<arg;arg...>] -DEXPECTED=<expected/name.txt> \
#         -P check_example.cmake
#
# ARGS is a list given to the program, e.g. "-X;dev;python/hello.py" when EXE is python3.
if(NOT DEFINED EXE OR NOT DEFINED EXPECTED)
  message(FATAL_ERROR
    "usage: cmake -DEXE=<program> [-DARGS=<arg;arg...>] -DEXPECTED=<file> -P check_example.cmake")
endif()

set(command ${EXE} ${ARGS})
list(JOIN command " " shown)  # for the messages: "python3 -X dev hello.py", not "-X;dev;..."

execute_process(
  COMMAND ${command}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors)
file(READ ${EXPECTED} expected)

set(failed FALSE)
if(NOT result STREQUAL "0")
  message("FAIL: ${shown} exited with ${result} (expected 0)")
  set(failed TRUE)
endif()
if(NOT errors STREQUAL "")
  message("FAIL: ${shown} wrote to stderr:\n${errors}")
  set(failed TRUE)
endif()
if(NOT actual STREQUAL expected)
  message("FAIL: stdout differs from ${EXPECTED}\n--- expected\n${expected}--- actual\n${actual}---")
  set(failed TRUE)
endif()

if(failed)
  message(FATAL_ERROR "example check failed")
endif()
message("ok: ${shown}")
