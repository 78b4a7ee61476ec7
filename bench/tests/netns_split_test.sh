#!/usr/bin/env bash
# The split-host set-up on one machine: `corio-bench serve` in one network namespace,
# `corio-bench load` in another, joined by a veth pair (10.77.0.1/24 <-> 10.77.0.2/24), so
# that the load crosses a real network interface instead of loopback. Passes when the load
# completed requests with no error. Needs root and iproute2: exits 77 (ctest: skipped)
# without them. Names are unique per run (the pid), so two runs may go in parallel, and the
# trap always removes what was made: the server, both namespaces (and with them the veth pair).
#
# Usage: netns_split_test.sh CORIO_BENCH [--help]
set -euo pipefail

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

check_prerequisites() {
  [[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces"
  command -v ip >/dev/null || skip "needs iproute2's ip"
}

SUFFIX="$$"
SERVER_NS="corio-srv-$SUFFIX"
CLIENT_NS="corio-cli-$SUFFIX"
# Interface names hold at most 15 characters.
SERVER_IF="cb${SUFFIX}s"
CLIENT_IF="cb${SUFFIX}c"
WORK_DIR=""
SERVER_PID=""

cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  ip netns del "$SERVER_NS" 2>/dev/null || true
  ip netns del "$CLIENT_NS" 2>/dev/null || true
  ip link del "$SERVER_IF" 2>/dev/null || true  # left in the root namespace if a step failed
  [[ -n $WORK_DIR ]] && rm -rf "$WORK_DIR"
}

make_network() {
  ip netns add "$SERVER_NS" || skip "ip netns add failed (no CAP_SYS_ADMIN in this container?)"
  ip netns add "$CLIENT_NS"
  ip link add "$SERVER_IF" type veth peer name "$CLIENT_IF"
  ip link set "$SERVER_IF" netns "$SERVER_NS"
  ip link set "$CLIENT_IF" netns "$CLIENT_NS"
  ip -n "$SERVER_NS" addr add 10.77.0.1/24 dev "$SERVER_IF"
  ip -n "$CLIENT_NS" addr add 10.77.0.2/24 dev "$CLIENT_IF"
  for ns in "$SERVER_NS" "$CLIENT_NS"; do ip -n "$ns" link set lo up; done
  ip -n "$SERVER_NS" link set "$SERVER_IF" up
  ip -n "$CLIENT_NS" link set "$CLIENT_IF" up
}

# Starts the server; sets SERVER_PID and PORT once it printed its serving line.
start_server() {
  ip netns exec "$SERVER_NS" "$BENCH" serve http_plaintext --model corio \
    --listen 10.77.0.1:0 >"$WORK_DIR/serve.out" 2>"$WORK_DIR/serve.err" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    if grep -q '^corio-bench: serving ' "$WORK_DIR/serve.out"; then
      PORT=$(sed -n 's/^corio-bench: serving .* on 10\.77\.0\.1:\([0-9]*\)$/\1/p' "$WORK_DIR/serve.out")
      [[ -n $PORT ]] && return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: the server did not start: $(cat "$WORK_DIR/serve.out" "$WORK_DIR/serve.err")" >&2
  exit 1
}

run_load() {
  ip netns exec "$CLIENT_NS" "$BENCH" load http_plaintext --connect "10.77.0.1:$PORT" \
    --connections 16 --duration 1 --warmup 0.2 | tee "$WORK_DIR/load.out"
  local json requests errors
  json=$(grep '^{' "$WORK_DIR/load.out")
  requests=$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$json")
  errors=$(sed -n 's/.*"errors":\([0-9]*\).*/\1/p' <<<"$json")
  if [[ -z $requests || $requests -eq 0 || $errors -ne 0 ]]; then
    echo "FAIL: requests=${requests:-?} errors=${errors:-?}" >&2
    exit 1
  fi
  # The server must still be up: a crash under load is a failure too.
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "FAIL: the server died" >&2; exit 1; }
  echo "PASS: $requests requests across namespaces, 0 errors"
}

main() {
  if [[ ${1:-} == --help || $# -ne 1 ]]; then
    usage
    [[ ${1:-} == --help ]] && exit 0
    exit 2
  fi
  check_prerequisites
  BENCH=$1
  [[ -x $BENCH ]] || { echo "FAIL: $BENCH is not an executable" >&2; exit 2; }
  trap cleanup EXIT
  trap 'exit 1' INT TERM
  WORK_DIR=$(mktemp -d)
  make_network
  start_server
  run_load
}

main "$@"
