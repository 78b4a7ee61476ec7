#!/usr/bin/python3
"""Runs each corio example and its asyncio original and prints a Markdown table of both.

For every example in CMakeLists.txt's CORIO_EXAMPLES, the C++ program
(<build-dir>/runtime/examples/example_<name>) and the Python program (python/<name>.py, run by
Debian's /usr/bin/python3 without -X dev, as a user runs it) are run R times each, alternately,
the first of each pair swapped every round so neither always runs on a warmer machine. Every
run is a fresh process, and each repetition runs each program twice:

- a timed run, spawned directly: wall time from just before posix_spawn to os.wait4's return,
  so it includes start-up (exec, dynamic loading, and for Python the interpreter and its
  imports), which is much of what these sub-second programs cost;
- a memory run, started through /bin/sh (see LAUNCHER for why): peak RSS is the program's
  ru_maxrss from os.wait4.

Every run's stdout must equal the example's expected file and its stderr must be empty, as in
the ctest checks; otherwise the script stops with one line saying which.

    /usr/bin/python3 runtime/examples/compare_languages.py --build-dir build/release -r 5
"""

import argparse
import ctypes
import datetime
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
REPO_ROOT = EXAMPLES_DIR.parent.parent
PROGRAM = "compare_languages.py"


class Failure(Exception):
    """A problem reported as one line on stderr, with exit status 1."""


@dataclass
class Samples:
    """One program's figures over the repetitions."""

    walls_s: list[float] = field(default_factory=list)  # from the timed runs
    max_rss_kib: list[int] = field(default_factory=list)  # from the memory runs (Linux: KiB)


def example_names() -> list[str]:
    """The examples in CMakeLists.txt's set(CORIO_EXAMPLES ...): the one list of them."""
    text = (EXAMPLES_DIR / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"set\(CORIO_EXAMPLES\s+([^)]*)\)", text)
    if not match:
        raise Failure(f"no set(CORIO_EXAMPLES ...) in {EXAMPLES_DIR / 'CMakeLists.txt'}")
    return match.group(1).split()


@dataclass
class Program:
    argv: list[str]
    label: str  # for messages: example_hello, python/hello.py
    expected: Path  # the file its stdout must equal
    test: str  # the ctest that shows how the output differs


def expected_file(name: str, language: str) -> Path:
    """expected/python/<name>.txt where asyncio's output differs, else expected/<name>.txt."""
    python_specific = EXAMPLES_DIR / "expected" / "python" / f"{name}.txt"
    if language == "asyncio" and python_specific.exists():
        return python_specific
    return EXAMPLES_DIR / "expected" / f"{name}.txt"


# Why the memory runs start the program through /bin/sh. A child's ru_maxrss is never below the
# peak RSS of the process it was forked from: on exec the kernel folds the old address space's
# high-water mark into the process's maxrss, and a child made by posix_spawn (vfork) or fork
# starts in this script's address space or a copy of it. Spawned directly from here, /bin/true
# reports 9 MiB, and 111 MiB once this script holds 100 MiB, so every figure would be this
# script's size. So a shell (a small address space) forks the program in the background and
# exits at once, and this script, a child subreaper (prctl(2) PR_SET_CHILD_SUBREAPER), adopts
# the orphan and reaps it with os.wait4: its ru_maxrss is then its own (/bin/true reports under
# 1 MiB). The shell prints the pid on fd 3 and closes fd 3 for the program, so reading fd 3 to
# its end waits only for the shell. The shell costs a few ms of start-up, which is why the wall
# times come from separate, directly spawned runs.
LAUNCHER = '"$@" 3>&- & echo $! >&3'
PR_SET_CHILD_SUBREAPER = 36


def become_child_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise Failure(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")


def start_through_shell(argv: list[str], actions: list[tuple]) -> int:
    """Starts argv as an orphan forked by /bin/sh (see LAUNCHER) and returns its pid."""
    pid_reader, pid_writer = os.pipe()
    shell = os.posix_spawn(
        "/bin/sh",
        ["/bin/sh", "-c", LAUNCHER, "sh", *argv],
        os.environ,
        file_actions=[*actions, (os.POSIX_SPAWN_DUP2, pid_writer, 3)],
    )
    os.close(pid_writer)
    with os.fdopen(pid_reader, "rb") as pid_pipe:
        pid_text = pid_pipe.read().decode().strip()
    _, shell_status = os.waitpid(shell, 0)
    if shell_status != 0 or not pid_text.isdigit():
        raise Failure(f"/bin/sh could not start {argv[0]} (wait status {shell_status})")
    return int(pid_text)


def run_checked(program: Program, through_shell: bool) -> tuple[float, int]:
    """Runs the program once with stdout and stderr in temporary files, reaps it and checks it.

    Returns its wall time in seconds (meaningful for a direct run) and its ru_maxrss in KiB
    (meaningful for a run through the shell)."""
    argv, label = program.argv, program.label
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        start = time.perf_counter()
        if through_shell:
            pid = start_through_shell(argv, actions)
        else:
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall_s = time.perf_counter() - start

        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        how = f"was killed by signal {-code}" if code < 0 else f"exited with {code}"
        # The last stderr line: a Python traceback ends with the exception and its message.
        last_line = stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no stderr)"]
        raise Failure(f"{label} {how}: {last_line[0]}")
    if stderr:
        first_line = stderr.decode(errors="replace").strip().splitlines()[0]
        raise Failure(f"{label} wrote to stderr: {first_line}")
    if stdout != program.expected.read_bytes():
        relative = program.expected.relative_to(EXAMPLES_DIR)
        raise Failure(
            f"{label}: stdout differs from {relative} (`ctest -R '^{program.test}$'` shows how)"
        )
    return wall_s, usage.ru_maxrss


def wall_cell(samples: Samples) -> str:
    walls_ms = [wall_s * 1000 for wall_s in samples.walls_s]
    return f"{statistics.median(walls_ms):.1f} ms ({min(walls_ms):.1f}–{max(walls_ms):.1f})"


def rss_mib(samples: Samples) -> float:
    return statistics.median(samples.max_rss_kib) / 1024


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parse_arguments(known: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Run each corio example (C++) and its asyncio original (Python) R times, "
        "alternately, and print a Markdown table of their wall times and peak RSS. Every run's "
        "output is checked against the example's expected file.",
    )
    parser.add_argument(
        "examples",
        nargs="*",
        metavar="EXAMPLE",
        help=f"examples to run (default: all): {', '.join(known)}",
    )
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=REPO_ROOT / "build" / "release",
        help="CMake build directory holding runtime/examples/example_<name> "
        "(default: build/release in the repository)",
    )
    parser.add_argument(
        "-r",
        "--repetitions",
        type=positive_int,
        default=5,
        help="runs of each program (default: 5)",
    )
    parser.add_argument(
        "--python",
        default="/usr/bin/python3",
        help="interpreter for the Python programs (default: /usr/bin/python3, Debian's)",
    )
    arguments = parser.parse_args()
    unknown = [name for name in arguments.examples if name not in known]
    if unknown:
        parser.error(f"unknown example '{unknown[0]}'; known: {', '.join(known)}")
    return arguments


def main() -> int:
    known = example_names()
    arguments = parse_arguments(known)
    names = arguments.examples or known
    build_dir = arguments.build_dir

    if not (build_dir / "CMakeCache.txt").exists():
        raise Failure(
            f"{build_dir} is not a CMake build directory; configure one with: "
            f"cmake --preset release (build/release), or "
            f"cmake -S {REPO_ROOT} -B {build_dir} -DCMAKE_BUILD_TYPE=Release"
        )
    binaries = {name: build_dir / "runtime" / "examples" / f"example_{name}" for name in names}
    missing = [name for name, path in binaries.items() if not os.access(path, os.X_OK)]
    if missing:
        targets = " ".join(f"example_{name}" for name in missing)
        raise Failure(
            f"{binaries[missing[0]]} is missing; build it with: "
            f"cmake --build {build_dir} -j2 --target {targets}"
        )
    if not os.access(arguments.python, os.X_OK):
        raise Failure(f"{arguments.python} is missing (Debian: apt-get install python3)")

    become_child_subreaper()
    programs = {}
    for name in names:
        script = EXAMPLES_DIR / "python" / f"{name}.py"
        programs[name] = {
            "corio": Program(
                [str(binaries[name])], f"example_{name}", expected_file(name, "corio"),
                f"example.{name}",
            ),
            "asyncio": Program(
                [arguments.python, str(script)], f"python/{name}.py",
                expected_file(name, "asyncio"), f"example_py.{name}",
            ),
        }

    samples = {name: {"corio": Samples(), "asyncio": Samples()} for name in names}
    for round_index in range(arguments.repetitions):
        order = ("corio", "asyncio") if round_index % 2 == 0 else ("asyncio", "corio")
        for name in names:
            for language in order:
                wall_s, _ = run_checked(programs[name][language], through_shell=False)
                samples[name][language].walls_s.append(wall_s)
            for language in order:
                _, max_rss_kib = run_checked(programs[name][language], through_shell=True)
                samples[name][language].max_rss_kib.append(max_rss_kib)

    print(
        f"Whole-program wall time, start-up included (exec and loading; for asyncio the "
        f"interpreter start-up and imports too): median of {arguments.repetitions} runs "
        f"(min–max), each a fresh process timed from spawn to exit. Peak RSS: ru_maxrss from "
        f"os.wait4, median of {arguments.repetitions} other runs, started through /bin/sh so "
        f"that the figure is the program's own, not this script's size. asyncio: "
        f"`{arguments.python} python/<name>.py` (Python {platform.python_version()}, no -X dev). "
        f"Ratio: asyncio / corio."
    )
    print()
    print("| example | corio wall (median, min–max) | asyncio wall (median, min–max) "
          "| corio peak RSS | asyncio peak RSS | ratio (wall; RSS) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        corio, asyncio_samples = samples[name]["corio"], samples[name]["asyncio"]
        wall_ratio = statistics.median(asyncio_samples.walls_s) / statistics.median(corio.walls_s)
        rss_ratio = rss_mib(asyncio_samples) / rss_mib(corio)
        print(
            f"| {name} | {wall_cell(corio)} | {wall_cell(asyncio_samples)} "
            f"| {rss_mib(corio):.1f} MiB | {rss_mib(asyncio_samples):.1f} MiB "
            f"| {wall_ratio:.2f}x; {rss_ratio:.1f}x |"
        )
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print()
    print(f"Measured {now}: Linux {platform.release()}, {os.cpu_count()} CPUs.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"{PROGRAM}: {failure}", file=sys.stderr)
        sys.exit(1)
