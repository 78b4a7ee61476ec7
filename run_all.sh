#!/usr/bin/env bash
# run_all.sh: from a fresh clone to a results folder with charts and a report, in one command.
#
# Usage:
#   ./run_all.sh [--profile quick|full] [--filter REGEX] [--out DIR] [--repetitions N]
#       [1/5] install missing dependencies (scripts/install_deps.sh --with-references)
#       [2/5] configure and build the release preset
#       [3/5] run corio-bench (profile full unless told otherwise)
#       [4/5] draw the charts, write REPORT.md and report.html (plots/)
#       [5/5] settle meta.json and move the folder to DIR/<UTC timestamp>-<host>/
#   ./run_all.sh report DIR [--open]
#       re-draw DIR/charts/, DIR/REPORT.md and DIR/report.html from DIR/results.json;
#       --open shows report.html with xdg-open, sensible-browser or chromium (the first
#       found, given a display); without one it prints the file's path and says so (exit 0)
#   ./run_all.sh compare OLD NEW [--fail-over PCT] [--strict] [--gbench]
#       compare each workload's headline figures in OLD/results.json and NEW/results.json,
#       each in its own direction (requests/s, items/s: higher is better; p99, wall time,
#       bytes: lower), with a one-sided Mann-Whitney U test over the repetitions (p <= 0.05,
#       which needs 3 repetitions a side); exit 1 when one got significantly worse by more
#       than PCT percent (--fail-over; default 10: a shared VM's noise alone moves figures by
#       5-20%). Marks: ~ no significant change, + better, - worse within PCT, ! worse beyond PCT
#       (fails), ? too few repetitions to test and worse beyond PCT (a warning; --strict makes
#       it fail). Rows only in OLD or NEW, failed rows, zero or missing values are listed.
#       --gbench first prints Google Benchmark's compare.py table (real and CPU time only).
#   ./run_all.sh instructions [--filter REGEX] [--out FILE.json] [--baseline FILE.json]
#                             [--fail-over PCT]
#       instructions per operation of the single-threaded runtime benchmarks (spawn, switch,
#       gather, sync, skynet for corio, asio, libuv), counted by valgrind's callgrind inside
#       each model's function: exact where wall time is noise, for a CI gate. --baseline: exit
#       1 when a figure grew by more than PCT percent (default 2) over an earlier --out file.
#       Builds the release preset first if needed (bench/instructions.py says more).
#
# Options:
#   --profile quick|full   quick: minutes, for CI; full: the real numbers (default)
#   --filter REGEX         run only the benchmarks whose name matches (corio-bench --filter)
#   --out DIR              where results folders go (default: results/)
#   --repetitions N        repeat each benchmark N times (error bars; default: the profile's)
#   -h, --help             this text
#
# Exit status: 0 done; 1 compare found a regression; 2 bad input (unknown option, bad value,
# missing or corrupt results folder, no Python with matplotlib): one line, nothing written;
# 3 a step failed (dependencies, build, a benchmark failed its check or crashed, plotting).
# A results folder is written under DIR/.tmp-* and renamed only when complete; on failure or
# Ctrl-C the temporary folder is removed and any running benchmark is stopped.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly ROOT
readonly PROG=run_all.sh
readonly STEPS=5
readonly BENCH="$ROOT/build/release/bench/corio-bench"
readonly PLOTS="$ROOT/plots"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the source tree

PROFILE=full
FILTER=""
OUT_DIR="$ROOT/results"
REPETITIONS=""
PY=""
TMP_DIR=""     # the results folder being written; removed on exit unless renamed
SCRATCH=""     # private temporary files (the output pipe)
CHILD_PID=""   # the running step's process group, stopped on exit
START_SECONDS=$SECONDS
readonly CALLER_PWD=$PWD

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# One line on stderr, nothing written, exit 2.
bad_input() {
  echo "$PROG: $*" >&2
  exit 2
}

# One line on stderr, exit 3 (the EXIT trap removes the temporary folder).
step_failed() {
  echo "$PROG: $*" >&2
  exit 3
}

elapsed() {
  local s=$((SECONDS - START_SECONDS))
  printf '%d:%02d:%02d' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
}

# "[i/5] message (0:01:23 elapsed)"
say() {
  local step=$1
  shift
  printf '[%s/%s] %s (%s elapsed)\n' "$step" "$STEPS" "$*" "$(elapsed)"
}

stop_child() {
  [[ -n $CHILD_PID ]] || return 0
  # The child leads its own process group (setsid): stop it and everything it started.
  kill -TERM -- "-$CHILD_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 -- "-$CHILD_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$CHILD_PID" 2>/dev/null || true
  wait "$CHILD_PID" 2>/dev/null || true
  CHILD_PID=""
}

on_exit() {
  local status=$?
  trap - EXIT INT TERM
  stop_child
  if [[ -n $TMP_DIR && -d $TMP_DIR ]]; then
    rm -rf -- "$TMP_DIR"
    echo "$PROG: removed the unfinished results folder $TMP_DIR" >&2
  fi
  [[ -n $SCRATCH ]] && rm -rf -- "$SCRATCH"
  exit "$status"
}

on_signal() {
  echo "$PROG: interrupted by SIG$1; stopping" >&2
  exit "$2"
}

trap on_exit EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# run_step PREFIX CMD...: runs CMD in its own process group (so the EXIT trap can stop it and
# its children), stdout and stderr merged and each line prefixed with PREFIX. Returns CMD's
# exit status.
run_step() {
  local prefix=$1
  shift
  [[ -n $SCRATCH ]] || SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/run_all.XXXXXX")
  local pipe="$SCRATCH/output"
  rm -f -- "$pipe"
  mkfifo -- "$pipe"
  awk -v prefix="$prefix" '{ print prefix " " $0; fflush() }' <"$pipe" &
  local printer=$!
  setsid "$@" >"$pipe" 2>&1 </dev/null &
  CHILD_PID=$!
  local status=0
  wait "$CHILD_PID" || status=$?
  CHILD_PID=""
  wait "$printer" || true
  return "$status"
}

# The first of /usr/bin/python3, python3 that can import matplotlib (a pyenv python3 on PATH
# usually cannot; Debian's can once python3-matplotlib is installed).
pick_python() {
  local candidate
  for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import matplotlib' >/dev/null 2>&1; then
      PY=$(command -v "$candidate")
      return 0
    fi
  done
  bad_input "no python3 can import matplotlib; install python3-matplotlib" \
    "(sudo scripts/install_deps.sh) and re-run"
}

is_positive_integer() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

# A results folder given on the command line: must exist and hold results.json.
check_results_dir() {
  local dir=$1
  [[ -d $dir ]] || bad_input "$dir: no such results folder (give a folder written by $PROG)"
  [[ -f $dir/results.json ]] ||
    bad_input "$dir: no results.json in it (give a folder written by $PROG)"
}

# ---------------------------------------------------------------------------------------------
# ./run_all.sh [options]: the five steps

parse_run_args() {
  while (($# > 0)); do
    local arg=$1 value=""
    case $arg in
      --profile=* | --filter=* | --out=* | --repetitions=*)
        value=${arg#*=}
        arg=${arg%%=*}
        ;;
      --profile | --filter | --out | --repetitions)
        (($# >= 2)) || bad_input "$arg needs a value (see $PROG --help)"
        value=$2
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) bad_input "unknown option '$arg' (accepted: --profile, --filter, --out," \
        "--repetitions, --help; commands: report, compare, instructions)" ;;
    esac
    shift
    case $arg in
      --profile)
        [[ $value == quick || $value == full ]] ||
          bad_input "--profile '$value' is not a profile (accepted: quick, full)"
        PROFILE=$value
        ;;
      --filter)
        [[ -n $value ]] || bad_input "--filter needs a non-empty regular expression"
        FILTER=$value
        ;;
      --out)
        [[ -n $value ]] || bad_input "--out needs a folder"
        [[ ! -e $value || -d $value ]] || bad_input "--out '$value' exists and is not a folder"
        OUT_DIR=$(realpath -m -- "$value")
        ;;
      --repetitions)
        is_positive_integer "$value" ||
          bad_input "--repetitions '$value' is not a positive integer (e.g. --repetitions 3)"
        REPETITIONS=$value
        ;;
    esac
  done
}

step_dependencies() {
  # With the outside references (wrk, nginx): the reference run has their rows.
  say 1 "dependencies: scripts/install_deps.sh --with-references"
  run_step "[1/5]" "$ROOT/scripts/install_deps.sh" --with-references ||
    step_failed "[1/5] dependencies are missing or failed to install (see above);" \
      "install them as root with scripts/install_deps.sh --with-references, then re-run"
  pick_python
  say 1 "dependencies ready; plotting with $PY"
}

step_build() {
  say 2 "configure and build: cmake --preset release && cmake --build --preset release"
  run_step "[2/5]" cmake --preset release ||
    step_failed "[2/5] cmake --preset release failed (see above)"
  run_step "[2/5]" cmake --build --preset release ||
    step_failed "[2/5] the release build failed (see above)"
  [[ -x $BENCH ]] || step_failed "[2/5] the build did not produce $BENCH"
  say 2 "built $BENCH"
}

step_bench() {
  local stamp host name
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  host=$(hostname -s 2>/dev/null || uname -n)
  host=${host//[^A-Za-z0-9._-]/-}
  name="$stamp-$host"
  mkdir -p -- "$OUT_DIR"
  TMP_DIR=$(mktemp -d "$OUT_DIR/.tmp-$name.XXXXXX")
  FINAL_NAME=$name

  local cmd=("$BENCH" --profile "$PROFILE")
  [[ -n $FILTER ]] && cmd+=(--filter "$FILTER")
  [[ -n $REPETITIONS ]] && cmd+=(--repetitions "$REPETITIONS")
  cmd+=(--out "$TMP_DIR/results.json")
  local bench_line
  printf -v bench_line '%q ' "${cmd[@]}"
  "$PY" "$PLOTS/write_meta.py" start "$TMP_DIR" --root "$ROOT" --profile "$PROFILE" \
    --command-line "$COMMAND_LINE" --bench-command "${bench_line% }" --folder-name "$name" ||
    step_failed "[3/5] could not write meta.json in $TMP_DIR"

  local shown="corio-bench --profile $PROFILE"
  [[ -n $FILTER ]] && shown+=" --filter $FILTER"
  [[ -n $REPETITIONS ]] && shown+=" --repetitions $REPETITIONS"
  say 3 "$shown"
  local status=0
  run_step "[3/5]" "${cmd[@]}" || status=$?
  case $status in
    0) ;;
    2) bad_input "[3/5] corio-bench rejected its input (see the line above); nothing was kept" ;;
    3) step_failed "[3/5] a benchmark failed its check (see above); nothing was kept" ;;
    *) step_failed "[3/5] corio-bench stopped with status $status (a crash?); nothing was kept" ;;
  esac
  [[ -s $TMP_DIR/results.json ]] || step_failed "[3/5] corio-bench wrote no results.json"
  "$PY" "$PLOTS/write_meta.py" finish "$TMP_DIR" \
    --cmake-cache "$ROOT/build/release/CMakeCache.txt" ||
    step_failed "[3/5] could not complete meta.json"
  say 3 "benchmarks done"
}

step_report() {
  say 4 "charts, REPORT.md and report.html"
  run_step "[4/5]" "$PY" "$PLOTS/make_report.py" "$TMP_DIR" ||
    step_failed "[4/5] drawing the charts or writing the report failed (see above)"
}

# move_into_place TMP OUT NAME: renames the finished folder TMP to OUT/NAME, or OUT/NAME-2,
# -3, ... when a name is taken, and prints the final path. Each attempt is one
# renameat2(RENAME_NOREPLACE) (GNU mv -n does that), so a folder that appears between choosing
# a name and moving is never replaced, and the finished run is never lost: on any other failure
# TMP stays where it is.
move_into_place() {
  local tmp=$1 out=$2 base=$3 name=$3 n=2
  while :; do
    "$PY" "$PLOTS/write_meta.py" rename "$tmp" "$name" || return 1
    mv -T -n -- "$tmp" "$out/$name" || return 1
    if [[ ! -e $tmp ]]; then
      printf '%s\n' "$out/$name"
      return 0
    fi
    name="$base-$n"  # taken: mv -n left everything where it was
    n=$((n + 1))
  done
}

step_finish() {
  say 5 "meta.json and the results folder"
  local final
  if ! final=$(move_into_place "$TMP_DIR" "$OUT_DIR" "$FINAL_NAME"); then
    local kept=$TMP_DIR
    TMP_DIR=""  # a finished run is kept, never removed
    step_failed "[5/5] could not move the finished run into $OUT_DIR; it is kept in $kept"
  fi
  TMP_DIR=""
  say 5 "done"
  echo "$PROG: results in ${final#"$CALLER_PWD"/}/ (REPORT.md, report.html, charts/, results.json, meta.json)"
}

cmd_run() {
  parse_run_args "$@"
  printf -v COMMAND_LINE '%q ' "$0" "$@"
  COMMAND_LINE=${COMMAND_LINE% }
  # cmake finds CMakePresets.json in the current folder; --out is already absolute.
  cd -- "$ROOT"
  step_dependencies
  step_build
  step_bench
  step_report
  step_finish
}

# ---------------------------------------------------------------------------------------------
# ./run_all.sh report DIR [--open]

# open_report FILE: shows FILE with the first of xdg-open, sensible-browser, chromium found,
# when there is a display to show it on; otherwise prints where it is. Never fails the command.
open_report() {
  local page=$1 opener
  if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    echo "$PROG: no browser found: no display (DISPLAY and WAYLAND_DISPLAY are unset); open" \
      "$page yourself"
    return 0
  fi
  for opener in xdg-open sensible-browser chromium; do
    command -v "$opener" >/dev/null 2>&1 || continue
    if [[ $opener == xdg-open ]]; then
      # xdg-open hands the file to the desktop's browser and returns.
      "$opener" "$page" >/dev/null 2>&1 </dev/null || continue
    else
      # A browser itself runs until closed: detached, so the command returns.
      setsid "$opener" "$page" >/dev/null 2>&1 </dev/null &
    fi
    echo "$PROG: opened $page with $opener"
    return 0
  done
  echo "$PROG: no browser found (tried xdg-open, sensible-browser, chromium); open $page yourself"
}

cmd_report() {
  local dirs=() open=0
  while (($# > 0)); do
    case $1 in
      -h | --help) usage; exit 0 ;;
      --open) open=1 ;;
      -*) bad_input "unknown option '$1' for report (accepted: --open)" ;;
      *) dirs+=("$1") ;;
    esac
    shift
  done
  ((${#dirs[@]} == 1)) || bad_input "report takes one results folder: $PROG report DIR [--open]"
  check_results_dir "${dirs[0]}"
  pick_python
  local status=0
  "$PY" "$PLOTS/make_report.py" "${dirs[0]}" || status=$?
  case $status in
    0) ;;
    2) exit 2 ;;  # make_report printed the one line
    *) step_failed "drawing the charts or writing the report failed (see above)" ;;
  esac
  if ((open)); then
    open_report "$(realpath -- "${dirs[0]}")/report.html"
  fi
}

# ---------------------------------------------------------------------------------------------
# ./run_all.sh compare OLD NEW [--fail-over PCT] [--strict] [--gbench]

find_compare_py() {
  local path
  path=$(dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$' | head -n 1 || true)
  [[ -n $path ]] || path=/usr/share/benchmark/compare.py
  [[ -f $path ]] || bad_input "--gbench: compare.py not found: install libbenchmark-tools" \
    "(sudo scripts/install_deps.sh), or compare without --gbench"
  printf '%s\n' "$path"
}

cmd_compare() {
  local dirs=() gate_args=() gbench=0 fail_over
  while (($# > 0)); do
    case $1 in
      --fail-over=* | --fail-over)
        if [[ $1 == *=* ]]; then
          fail_over=${1#*=}
        else
          (($# >= 2)) || bad_input "--fail-over needs a percentage (e.g. --fail-over 10)"
          fail_over=$2
          shift
        fi
        [[ $fail_over =~ ^[0-9]+([.][0-9]+)?$ ]] ||
          bad_input "--fail-over '$fail_over' is not a percentage (e.g. --fail-over 10)"
        gate_args+=(--fail-over "$fail_over")
        ;;
      --strict) gate_args+=(--strict) ;;
      --gbench) gbench=1 ;;
      -h | --help) usage; exit 0 ;;
      -*) bad_input "unknown option '$1' for compare (accepted: --fail-over PCT, --strict," \
        "--gbench)" ;;
      *) dirs+=("$1") ;;
    esac
    shift
  done
  ((${#dirs[@]} == 2)) || bad_input "compare takes two results folders: $PROG compare OLD NEW" \
    "[--fail-over PCT] [--strict] [--gbench]"
  check_results_dir "${dirs[0]}"
  check_results_dir "${dirs[1]}"
  pick_python
  "$PY" -c 'import scipy.stats' >/dev/null 2>&1 ||
    bad_input "compare needs scipy: install python3-scipy (sudo scripts/install_deps.sh)"
  if ((gbench)); then
    local compare_py
    compare_py=$(find_compare_py)
    # Both files must load before compare.py prints anything (it would trace back on them).
    "$PY" "$PLOTS/compare_gate.py" "${dirs[0]}" "${dirs[1]}" --check-only || exit 2
    local color=()
    [[ -t 1 ]] || color=(--no-color)
    "$PY" "$compare_py" "${color[@]}" benchmarks "${dirs[0]}/results.json" \
      "${dirs[1]}/results.json" || bad_input "compare.py failed on these folders (see above)"
    echo
  fi
  local status=0
  "$PY" "$PLOTS/compare_gate.py" "${dirs[0]}" "${dirs[1]}" "${gate_args[@]}" || status=$?
  exit "$status"
}

cmd_instructions() {
  local arg
  for arg in "$@"; do
    [[ $arg == -h || $arg == --help ]] && { usage; exit 0; }
  done
  command -v valgrind >/dev/null 2>&1 ||
    bad_input "instructions needs valgrind: install it (sudo scripts/install_deps.sh --with-tools)"
  local python=/usr/bin/python3
  [[ -x $python ]] || python=python3
  "$python" "$ROOT/bench/instructions.py" --check-args "$@" || exit $?
  if [[ ! -x $BENCH ]]; then
    echo "$PROG: instructions: building $BENCH first (cmake --preset release)" >&2
    { cmake --preset release && cmake --build --preset release; } >&2 ||
      step_failed "instructions: the release build failed (see above)"
  fi
  local status=0
  "$python" "$ROOT/bench/instructions.py" --bench "$BENCH" "$@" || status=$?
  exit "$status"
}

main() {
  case ${1:-} in
    report) shift; cmd_report "$@" ;;
    compare) shift; cmd_compare "$@" ;;
    instructions) shift; cmd_instructions "$@" ;;
    *) cmd_run "$@" ;;
  esac
}

# Sourced (by the tests) it only defines its functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
