#!/usr/bin/env bash
# Installs the Debian packages the suite builds, tests and plots with, skipping those present.
#
# Usage: scripts/install_deps.sh [--check] [--with-references] [--with-tools]
#   --check            only report what is missing (exit 1 if anything is), install nothing
#   --with-references  also the outside references io/http_plaintext measures beside the
#                      models (wrk, nginx): ./run_all.sh asks for them
#   --with-tools       the references and the developer tools (hyperfine, clang-format-19,
#                      clang-tidy-19, valgrind, strace)
#
# Run as root it installs with apt-get, non-interactively. Run as another user with something
# missing, it names the packages and the command to install them, and exits 1.
set -euo pipefail

# chromium: plots.report_html_chromium opens report.html in it, headless (a test, not a viewer).
# python3-uvloop, python3-aiohttp: the py_* models; golang-go, cargo, rustc, librust-tokio-dev:
# the go and tokio models, built offline against Debian's crate directory (.cargo/config.toml).
readonly REQUIRED=(
  cmake g++ clang lld libclang-rt-14-dev ninja-build pkg-config
  libbenchmark-dev libbenchmark-tools libgtest-dev libgmock-dev
  libboost1.81-dev libuv1-dev nlohmann-json3-dev
  python3 python3-matplotlib python3-scipy chromium
  python3-uvloop python3-aiohttp python3-numpy
  golang-go cargo rustc librust-tokio-dev librust-serde-json-dev
)
# Without them the suite runs and its tests pass; the wrk_* and nginx rows are not registered.
readonly REFERENCES=(wrk nginx-light)
readonly DEVELOPER_TOOLS=(hyperfine clang-format-19 clang-tidy-19 valgrind strace)

# Debian 12's python3-scipy depends (through python3-pythran) on libboost-dev, which means
# Boost 1.74 and conflicts with libboost1.81-dev. Scipy never uses Boost at run time, so a local
# equivs package named libboost-dev that depends on libboost1.81-dev satisfies both.
install_boost_shim() {
  dpkg-query -W -f='${Status}' libboost-dev 2>/dev/null | grep -q '^install ok installed$' && return 0
  apt-get install -y -qq --no-install-recommends equivs libboost1.81-dev >/dev/null
  local dir
  dir=$(mktemp -d)
  cat >"$dir/libboost-dev.control" <<'CONTROL'
Section: libdevel
Priority: optional
Standards-Version: 4.6.2
Package: libboost-dev
Version: 1.81.0~corio1
Depends: libboost1.81-dev
Description: local shim: Boost 1.81 headers satisfy libboost-dev
 Lets python3-scipy (via python3-pythran) install beside libboost1.81-dev.
CONTROL
  (cd "$dir" && equivs-build libboost-dev.control >/dev/null)
  dpkg -i "$dir"/libboost-dev_*.deb >/dev/null
  rm -rf "$dir"
}

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
      printf '%s\n' "$pkg"
    fi
  done
}

main() {
  local check_only=0 with_references=0 with_tools=0 arg
  for arg in "$@"; do
    case "$arg" in
      --check) check_only=1 ;;
      --with-references) with_references=1 ;;
      --with-tools) with_references=1 with_tools=1 ;;
      -h | --help) usage; exit 0 ;;
      *) echo "install_deps.sh: unknown option '$arg' (accepted: --check, --with-references, --with-tools, --help)" >&2; exit 2 ;;
    esac
  done

  local wanted=("${REQUIRED[@]}")
  ((with_references)) && wanted+=("${REFERENCES[@]}")
  ((with_tools)) && wanted+=("${DEVELOPER_TOOLS[@]}")
  local missing
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if ((${#missing[@]} == 0)); then
    echo "install_deps.sh: all ${#wanted[@]} packages present"
    return 0
  fi
  if ((check_only)); then
    echo "install_deps.sh: missing: ${missing[*]}" >&2
    return 1
  fi
  if ((EUID != 0)); then
    echo "install_deps.sh: missing packages: ${missing[*]}" >&2
    echo "install_deps.sh: install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "install_deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  install_boost_shim
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install_deps.sh: installed ${#missing[@]} packages"
}

main "$@"
