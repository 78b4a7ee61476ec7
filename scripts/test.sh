#!/usr/bin/env bash
# Builds and runs every test: the release build (unit tests, examples, harness and plotting
# tests), then the runtime's tests and examples again under ASan+UBSan and under TSan.
#
# Usage: scripts/test.sh [--presets LIST] [--skip-deps] [--help]
#   --presets LIST  comma-separated workflow presets to run (default: ci,asan,tsan;
#                   ci = release configure + build + test)
#   --skip-deps     do not check/install Debian packages first
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

run_workflow() {
  local preset=$1 started=$SECONDS
  echo "== test.sh: workflow '$preset' (configure, build, test)"
  if ! cmake --workflow --preset "$preset"; then
    echo "test.sh: workflow '$preset' failed (see the output above)" >&2
    return 1
  fi
  echo "== test.sh: workflow '$preset' passed in $((SECONDS - started)) s"
}

main() {
  local presets="ci,asan,tsan" skip_deps=0
  while (($# > 0)); do
    case "$1" in
      --presets)
        [[ $# -ge 2 && -n "$2" ]] || { echo "test.sh: --presets needs a list, e.g. ci,asan" >&2; exit 2; }
        presets=$2
        shift 2
        ;;
      --skip-deps) skip_deps=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) echo "test.sh: unknown option '$1' (accepted: --presets LIST, --skip-deps, --help)" >&2; exit 2 ;;
    esac
  done
  local preset
  IFS=',' read -r -a preset_list <<<"$presets"
  for preset in "${preset_list[@]}"; do
    case "$preset" in
      ci | asan | tsan) ;;
      *) echo "test.sh: unknown preset '$preset' (accepted: ci, asan, tsan)" >&2; exit 2 ;;
    esac
  done
  ((skip_deps)) || scripts/install_deps.sh
  for preset in "${preset_list[@]}"; do run_workflow "$preset"; done
  echo "== test.sh: all workflows passed: ${presets}"
}

main "$@"
