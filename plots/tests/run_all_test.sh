#!/usr/bin/env bash
# Tests run_all.sh's command line without building or running anything: every bad input exits 2
# with one line on stderr and creates nothing; report and compare work on fixture folders.
#
# Usage: bash plots/tests/run_all_test.sh   (ctest runs it as plots.run_all_args)
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
RUN_ALL="$ROOT/run_all.sh"
FIXTURES="$HERE/fixtures"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/run_all_test.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
export PYTHONDONTWRITEBYTECODE=1

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Snapshot of what must not change: the default results folder (its entries, hidden ones too)
# and the scratch folder where --out points.
snapshot() { (ls -A "$ROOT/results" 2>/dev/null; ls -A "$WORK") | sort; }

# expect STATUS LINES -- ARGS...: run_all.sh ARGS exits STATUS; with LINES=1, stderr is exactly
# one line and stdout is empty; nothing new appears in results/ or in $WORK.
expect() {
  local want=$1 lines=$2
  shift 3
  checks=$((checks + 1))
  local before after status=0
  before=$(snapshot)
  "$RUN_ALL" "$@" >"$WORK/.out" 2>"$WORK/.err" || status=$?
  local out err
  out=$(cat "$WORK/.out")
  err=$(cat "$WORK/.err")
  rm -f -- "$WORK/.out" "$WORK/.err"
  after=$(snapshot)
  if [[ $status != "$want" ]]; then
    fail "run_all.sh $* exited $status, expected $want (stderr: $err)"
    return
  fi
  if [[ $lines == 1 ]]; then
    [[ -z $out ]] || fail "run_all.sh $*: printed on stdout: $out"
    [[ $(printf '%s\n' "$err" | grep -c .) == 1 ]] ||
      fail "run_all.sh $*: stderr is not one line: $err"
    [[ $err == run_all.sh:* || $err == make_report:* || $err == compare_gate:* ]] ||
      fail "run_all.sh $*: stderr does not say who speaks: $err"
  fi
  [[ $before == "$after" ]] ||
    fail "run_all.sh $*: created files: $(diff <(echo "$before") <(echo "$after") || true)"
}

folder() {  # folder NAME FIXTURE: a results folder holding FIXTURE as results.json
  mkdir -p -- "$WORK/$1"
  cp -- "$FIXTURES/$2" "$WORK/$1/results.json"
}

touch "$WORK/a-file"

# The run command: every bad option is refused before anything is built or written.
expect 2 1 -- --profile bogus
expect 2 1 -- --profile=bogus
expect 2 1 -- --profile
expect 2 1 -- --repetitions 0
expect 2 1 -- --repetitions -3
expect 2 1 -- --repetitions abc
expect 2 1 -- --repetitions 1.5
expect 2 1 -- --repetitions ""
expect 2 1 -- --filter ""
expect 2 1 -- --out "$WORK/a-file"
expect 2 1 -- --out "$WORK/new-folder" --profile bogus
expect 2 1 -- --bogus
expect 2 1 -- stray-argument
expect 0 0 -- --help
grep -q "^Usage:" <("$RUN_ALL" --help) || fail "--help shows no Usage"

# report DIR
folder corrupt corrupt_truncated.json
folder nobench no_benchmarks.json
expect 2 1 -- report
expect 2 1 -- report "$WORK/missing"
expect 2 1 -- report "$WORK/a-file"
expect 2 1 -- report "$WORK/corrupt"
expect 2 1 -- report "$WORK/nobench"
folder valid valid.json
# report DIR --open: bad input is refused before anything is drawn or opened.
expect 2 1 -- report --open
expect 2 1 -- report --open --open
expect 2 1 -- report "$WORK/valid" --open=yes
expect 2 1 -- report "$WORK/valid" --opne
expect 2 1 -- report "$WORK/valid" -o
expect 2 1 -- report "$WORK/valid" "$WORK/valid" --open
expect 2 1 -- report "$WORK/missing" --open
expect 2 1 -- report --open "$WORK/corrupt"
[[ ! -e $WORK/valid/report.html && ! -e $WORK/valid/charts ]] ||
  fail "report with bad arguments wrote into the folder"
checks=$((checks + 1))
"$RUN_ALL" report "$WORK/valid" >/dev/null || fail "report on the valid fixture failed"
[[ -s $WORK/valid/REPORT.md && -f $WORK/valid/charts/sleep_fanout.png &&
  -s $WORK/valid/report.html ]] || fail "report wrote no REPORT.md, report.html or charts"

# --open with a display: the first opener found gets the page's absolute path (a stub
# xdg-open records it); without a display: the path and "no browser found", exit 0.
mkdir -p "$WORK/openers"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\n' "$WORK/opened" >"$WORK/openers/xdg-open"
chmod +x "$WORK/openers/xdg-open"
checks=$((checks + 1))
status=0
open_out=$(DISPLAY=:99 PATH="$WORK/openers:$PATH" "$RUN_ALL" report "$WORK/valid" --open \
  2>&1) || status=$?
[[ $status == 0 && $(cat "$WORK/opened" 2>/dev/null) == "$WORK/valid/report.html" ]] ||
  fail "report --open did not open report.html with xdg-open (status $status): $open_out"
[[ $open_out == *"opened $WORK/valid/report.html with xdg-open"* ]] ||
  fail "report --open does not say what it opened: $open_out"
checks=$((checks + 1))
rm -f -- "$WORK/opened"
status=0
open_out=$(env -u DISPLAY -u WAYLAND_DISPLAY PATH="$WORK/openers:$PATH" "$RUN_ALL" report \
  --open "$WORK/valid" 2>&1) || status=$?
[[ $status == 0 && ! -e $WORK/opened ]] ||
  fail "report --open without a display: status $status, or it tried to open"
[[ $open_out == *"no browser found"*"$WORK/valid/report.html"* ]] ||
  fail "report --open without a display does not name the page: $open_out"
checks=$((checks + 1))
status=0
DISPLAY=:99 PATH="$WORK/openers:$PATH" "$RUN_ALL" report "$WORK/corrupt" --open \
  >/dev/null 2>&1 || status=$?
[[ $status == 2 && ! -e $WORK/opened ]] ||
  fail "report --open on a corrupt folder: status $status, or it opened something"

# compare OLD NEW [--fail-over PCT] [--strict] [--gbench]
# regressed.json: corio's spawn 30% slower over 3 repetitions (items_per_second -23.1%).
folder old valid.json
folder new regressed.json
folder other partial_runtime.json
expect 2 1 -- compare "$WORK/old"
expect 2 1 -- compare "$WORK/old" "$WORK/missing"
expect 2 1 -- compare "$WORK/old" "$WORK/corrupt"
expect 2 1 -- compare "$WORK/old" "$WORK/nobench"
expect 2 1 -- compare "$WORK/old" "$WORK/new" --fail-over
expect 2 1 -- compare "$WORK/old" "$WORK/new" --fail-over ten
expect 2 1 -- compare "$WORK/old" "$WORK/new" --fail-over=ten
expect 2 1 -- compare "$WORK/old" "$WORK/new" --fail-over -5
expect 2 1 -- compare "$WORK/old" "$WORK/new" --bogus
expect 2 1 -- compare "$WORK/old" "$WORK/new" --strict=yes
expect 2 1 -- compare "$WORK/old" "$WORK/new" "$WORK/other"
expect 2 1 -- compare "$WORK/old" "$WORK/corrupt" --gbench

# instructions [--filter REGEX] [--out FILE] [--baseline FILE] [--fail-over PCT]: refused
# before anything is built or run (bench/tests/instructions_test.py counts for real).
expect 2 1 -- instructions --frobnicate
expect 2 1 -- instructions --fail-over -5
expect 2 1 -- instructions --baseline "$WORK/no-such-file.json"
expect 1 0 -- compare "$WORK/old" "$WORK/new" --fail-over 10
expect 1 0 -- compare "$WORK/old" "$WORK/new" --fail-over=10
expect 0 0 -- compare "$WORK/old" "$WORK/new" --fail-over 40
expect 1 0 -- compare "$WORK/old" "$WORK/new"                  # default threshold: 10%
expect 0 0 -- compare "$WORK/new" "$WORK/old"                  # faster: never a failure
expect 0 0 -- compare "$WORK/old" "$WORK/old"
expect 0 0 -- compare "$WORK/old" "$WORK/old" --strict
expect 0 0 -- compare "$WORK/other" "$WORK/old"                # rows only in NEW
expect 0 0 -- compare "$WORK/old" "$WORK/new" --help
checks=$((checks + 1))
gate_output=$("$RUN_ALL" compare "$WORK/old" "$WORK/new" 2>&1 || true)
[[ $gate_output == *'compare_gate: FAIL: 1 significant regression worse than 10%'* ]] ||
  fail "compare does not fail at its default threshold: $gate_output"
last=$(tail -n 1 <<<"$gate_output")
[[ $last == '  runtime/spawn/corio/tasks:100000 items_per_second: 32.3 M/s'* ]] ||
  fail "compare does not name the slower benchmark last"
[[ $gate_output != *'Benchmark'*'Time'*'CPU'* ]] ||
  fail "compare printed compare.py's table without --gbench"
checks=$((checks + 1))
self_output=$("$RUN_ALL" compare "$WORK/old" "$WORK/old" 2>&1 || true)
marked=$(grep -cE '^[+!?-] ' <<<"$self_output" || true)
unchanged=$(grep -cE '^~ ' <<<"$self_output" || true)
[[ $marked == 0 && $unchanged -gt 100 ]] ||
  fail "compare of a run with itself marks a line other than ~"
if [[ -f /usr/share/benchmark/compare.py ]]; then
  checks=$((checks + 1))
  status=0
  gbench_output=$("$RUN_ALL" compare "$WORK/old" "$WORK/new" --gbench 2>&1) || status=$?
  [[ $status == 1 ]] || fail "compare --gbench exited $status, expected 1"
  [[ $gbench_output == *'Benchmark'*'Time'*'CPU'* ]] ||
    fail "compare --gbench printed no compare.py table"
  last=$(tail -n 1 <<<"$gbench_output")
  [[ $last == '  runtime/spawn/corio/tasks:100000 items_per_second'* ]] ||
    fail "compare --gbench does not name the slower benchmark last"
fi

# The five steps end to end, with stubs for install_deps.sh, cmake and corio-bench in a scratch
# copy of the repository (the real ones take minutes): a results folder appears only when
# complete; a failed check or Ctrl-C leaves nothing behind and stops the benchmark.
make_stub_repo() {
  local repo="$WORK/repo"
  mkdir -p "$repo/scripts" "$repo/build/release/bench" "$WORK/bin"
  cp -- "$RUN_ALL" "$repo/run_all.sh"
  ln -s -- "$ROOT/plots" "$repo/plots"
  printf '#!/bin/sh\necho "install_deps.sh: all packages present"\n' \
    >"$repo/scripts/install_deps.sh"
  printf '#!/bin/sh\necho "stub cmake $*"\n' >"$WORK/bin/cmake"
  cat >"$repo/build/release/bench/corio-bench" <<STUB
#!/usr/bin/env bash
# Stub: STUB_MODE=ok writes the valid fixture to --out; fail exits 3; hang sleeps.
out=""
while ((\$# > 0)); do [[ \$1 == --out ]] && out=\$2; shift; done
echo "[1/2] runtime/spawn/corio ... 0.1 s, ETA 0.1 s" >&2
case \${STUB_MODE:-ok} in
  ok) cp "$FIXTURES/valid.json" "\$out"; echo "[2/2] done" >&2 ;;
  fail) echo "check failed: woke 999 of 1000 waiters" >&2; exit 3 ;;
  hang) echo \$\$ >"$WORK/bench.pid"; sleep 60 ;;
esac
STUB
  chmod +x "$repo/scripts/install_deps.sh" "$WORK/bin/cmake" \
    "$repo/build/release/bench/corio-bench"
}
make_stub_repo
stub_path="$WORK/bin:$PATH"

checks=$((checks + 1))
status=0
run_output=$(PATH=$stub_path STUB_MODE=ok "$WORK/repo/run_all.sh" --profile quick \
  --out "$WORK/runs" 2>&1) || status=$?
runs=("$WORK"/runs/*/)
if [[ $status != 0 || ${#runs[@]} != 1 || ! -d ${runs[0]} ]]; then
  fail "stub run: status $status, folders: ${runs[*]}; output: $run_output"
else
  for f in results.json meta.json REPORT.md charts/sleep_fanout.svg charts/runtime_cost.png; do
    [[ -s ${runs[0]}$f ]] || fail "stub run: ${runs[0]}$f missing"
  done
  for step in 1 2 3 4 5; do
    [[ $run_output == *"[$step/5] "*"elapsed)"* ]] || fail "stub run: no [$step/5] step line"
  done
  [[ $run_output == *"[3/5] [1/2] runtime/spawn/corio"* ]] ||
    fail "stub run: corio-bench progress not passed through with the step prefix"
  [[ $run_output == *"results in $WORK/runs/"* ]] || fail "stub run: does not say where"
  grep -q '"command_line": ".*run_all.sh --profile quick --out' "${runs[0]}meta.json" ||
    fail "stub run: meta.json lacks the command line"
  grep -q '"end_time": "20' "${runs[0]}meta.json" || fail "stub run: meta.json has no end time"
  hidden=("$WORK"/runs/.[!.]*)
  [[ ! -e ${hidden[0]} ]] || fail "stub run: left ${hidden[*]}"
fi

# An existing folder is never overwritten: occupy the names the run may pick (this second and
# the next few), each holding a file that must survive.
checks=$((checks + 1))
host=$(hostname -s 2>/dev/null || uname -n)
host=${host//[^A-Za-z0-9._-]/-}
now=$(date -u +%s)
for offset in 0 1 2 3 4 5; do
  taken="$WORK/taken/$(date -u -d "@$((now + offset))" +%Y%m%dT%H%M%SZ)-$host"
  mkdir -p "$taken"
  echo keep >"$taken/mine"
done
status=0
PATH=$stub_path STUB_MODE=ok "$WORK/repo/run_all.sh" --profile quick --out "$WORK/taken" \
  >"$WORK/taken.log" 2>&1 || status=$?
suffixed=("$WORK"/taken/*-2/)
[[ $status == 0 && -d ${suffixed[0]} && -f ${suffixed[0]}results.json ]] ||
  fail "existing folder: status $status, no -2 folder ($(cat "$WORK/taken.log"))"
kept=$(find "$WORK/taken" -name mine -exec cat {} + | sort | uniq -c | tr -s ' ')
[[ $kept == " 6 keep" ]] || fail "existing folder: an existing folder was touched ($kept)"
grep -q "\"folder\": \"$(basename "${suffixed[0]}")\"" "${suffixed[0]}meta.json" ||
  fail "existing folder: meta.json does not name the -2 folder"

checks=$((checks + 1))
status=0
PATH=$stub_path STUB_MODE=fail "$WORK/repo/run_all.sh" --profile quick --out "$WORK/runs" \
  >"$WORK/fail.log" 2>&1 || status=$?
[[ $status == 3 ]] || fail "failed check: exit $status, expected 3"
entries=("$WORK"/runs/* "$WORK"/runs/.[!.]*)
[[ ${#entries[@]} == 2 && ! -e ${entries[1]} ]] || fail "failed check: left ${entries[*]}"

checks=$((checks + 1))
rm -f -- "$WORK/bench.pid"
# A background job of a script starts with SIGINT ignored; --default-signal gives run_all.sh
# the SIGINT a terminal's Ctrl-C would deliver.
PATH=$stub_path STUB_MODE=hang env --default-signal=INT "$WORK/repo/run_all.sh" --profile quick \
  --out "$WORK/runs" >"$WORK/hang.log" 2>&1 &
runner=$!
for _ in $(seq 100); do [[ -s $WORK/bench.pid ]] && break; sleep 0.1; done
kill -INT "$runner"
for _ in $(seq 100); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$runner" 2>/dev/null; then
  fail "Ctrl-C: run_all.sh still runs 10 s after SIGINT"
  kill -TERM "$runner"
fi
status=0
wait "$runner" || status=$?
bench_pid=$(cat "$WORK/bench.pid" 2>/dev/null || echo "")
[[ $status == 130 ]] || fail "Ctrl-C: exit $status, expected 130"
if [[ -z $bench_pid ]] || kill -0 "$bench_pid" 2>/dev/null; then
  fail "Ctrl-C: corio-bench did not start or still runs (pid '$bench_pid')"
  [[ -n $bench_pid ]] && kill -TERM "$bench_pid"
fi
entries=("$WORK"/runs/* "$WORK"/runs/.[!.]*)
[[ ${#entries[@]} == 2 && ! -e ${entries[1]} ]] || fail "Ctrl-C: left ${entries[*]}"
grep -q "interrupted by SIGINT" "$WORK/hang.log" || fail "Ctrl-C: no 'interrupted' line"

if ((failures > 0)); then
  echo "run_all_test: $failures of $checks checks failed" >&2
  exit 1
fi
echo "run_all_test: all $checks checks passed"
