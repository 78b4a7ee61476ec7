#!/usr/bin/env bash
# Tests run_all.sh's last step: a finished results folder is moved into place under a free
# name and is never lost or overwritten, also when another run takes the name in between.
#
# Usage: bash plots/tests/run_all_finish_test.sh   (ctest runs it as plots.run_all_finish)
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/../.." && pwd)
export PYTHONDONTWRITEBYTECODE=1

# shellcheck source=../../run_all.sh
source "$ROOT/run_all.sh"
trap - EXIT INT TERM HUP  # run_all.sh's own traps are for its runs, not for this test
set +e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/run_all_finish_test.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# A finished run: a temporary folder with meta.json and a result.
finished_run() {
  local tmp
  tmp=$(mktemp -d "$WORK/out/.tmp-run.XXXXXX")
  "$PY" "$PLOTS/write_meta.py" start "$tmp" --root "$ROOT" --profile quick \
    --command-line test --bench-command test --folder-name RUN >/dev/null
  echo '{"benchmarks": []}' >"$tmp/results.json"
  printf '%s\n' "$tmp"
}

# taken NAME: another run's complete folder.
taken() {
  mkdir -p -- "$WORK/out/$1"
  echo "another run" >"$WORK/out/$1/results.json"
}

PY=/usr/bin/python3
mkdir -p -- "$WORK/out"

# 1. A free name: the folder gets it.
tmp=$(finished_run)
final=$(move_into_place "$tmp" "$WORK/out" RUN) || fail "a free name: move failed"
[[ $final == "$WORK/out/RUN" && -f $final/results.json && ! -e $tmp ]] ||
  fail "a free name: ended in '$final'"
grep -q '"folder": "RUN"' "$final/meta.json" || fail "a free name: meta.json's folder is wrong"

# 2. Names taken beforehand: the next free suffix; the others are untouched.
taken RUN-2
tmp=$(finished_run)
final=$(move_into_place "$tmp" "$WORK/out" RUN) || fail "taken names: move failed"
[[ $final == "$WORK/out/RUN-3" ]] || fail "taken names: ended in '$final', expected RUN-3"
grep -q '"folder": "RUN-3"' "$final/meta.json" || fail "taken names: meta.json's folder is wrong"
[[ $(cat "$WORK/out/RUN-2/results.json") == "another run" ]] || fail "RUN-2 was overwritten"

# 3. A name taken after it was chosen (another run finishing in the same second): writing
#    meta.json for a free name N is where this run has chosen N; the other run takes N then.
real_py=$PY
PY="$WORK/py-that-races"
cat >"$PY" <<SCRIPT
#!/usr/bin/env bash
if [[ \$1 == */write_meta.py && \$2 == rename && ! -e "$WORK/raced" && ! -e "$WORK/out/\$4" ]]; then
  touch "$WORK/raced"
  mkdir -p "$WORK/out/\$4" && echo "the racing run" >"$WORK/out/\$4/results.json"
fi
exec "$real_py" "\$@"
SCRIPT
chmod +x "$PY"
taken RACE
tmp=$(finished_run)
final=$(move_into_place "$tmp" "$WORK/out" RACE) || fail "a race: move failed (the run is lost)"
[[ $final == "$WORK/out/RACE-3" && -f $final/meta.json ]] ||
  fail "a race: ended in '$final', expected RACE-3"
[[ $(cat "$WORK/out/RACE-2/results.json") == "the racing run" ]] ||
  fail "a race: the other run's folder was replaced"
PY=$real_py

if ((failures > 0)); then
  echo "run_all_finish_test: $failures check(s) failed" >&2
  exit 1
fi
echo "run_all_finish_test: 3 cases passed"
