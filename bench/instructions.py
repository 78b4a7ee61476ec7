#!/usr/bin/python3
"""Instructions per operation of the CPU-bound runtime benchmarks, counted by callgrind.

Wall time on a shared 2-core VM moves by 10-30% from run to run; the number of instructions a
model executes per operation does not (callgrind counts them exactly, to well under 0.1% between
runs here). This is the figure a fork's CI can gate on:

    ./run_all.sh instructions [--filter REGEX] [--out FILE.json] [--baseline FILE.json]
                              [--fail-over PCT] [--bench PATH]

For each selected benchmark, corio-bench runs in one process under
`valgrind --tool=callgrind --collect-atstart=no --toggle-collect=<model function>`: only the
instructions executed inside the model's function (and everything it calls: the loop, the
allocator, the kernel-call wrappers, not the harness, not the result check) are counted. The
model function of `runtime/<workload>/<model>/...` is `workloads::runtime::<workload>::<model>`
(runtime/switch's namespace is `switch_`). Only the first call of that function is counted
(callgrind dumps a part after each call: `--dump-after`), divided by the operations of one call
(the benchmark's items per call). Google Benchmark calls the model once or several times,
depending on how long the first call took, and later calls are 0.1-0.2% cheaper than the first
(lazy symbol binding, the frame pool's first chunks): an average over the calls would move with
the machine's speed, the first call does not.

Output: one line per benchmark, and with --out a JSON object
{"valgrind": VERSION, "benchmarks": {NAME: {"instructions": N, "calls": N, "operations": N,
"instructions_per_op": X}}}. With --baseline, a figure that grew by more than --fail-over
percent (default 2) is a regression: exit 1. Exit 2 on bad input (one line), 3 when a run failed.
Only single-threaded models are selected by default: a thread's instructions depend on how
often it spun or slept, which is timing, not code.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_FILTER = r"^runtime/(spawn|switch|gather|sync|skynet)/(corio|asio|libuv)/"
DEFAULT_FAIL_OVER = 2.0


class BadInput(Exception):
    """One line for the user; exit status 2."""


class RunFailed(Exception):
    """A benchmark did not run or did not pass its check; exit status 3."""


def model_function(name: str) -> str:
    """`runtime/switch/corio/...` -> the callgrind pattern of the model's function."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != "runtime":
        raise BadInput(f"instructions: {name} is not a runtime benchmark "
                       "(only runtime/<workload>/<model>/... rows have a model function to count)")
    workload = "switch_" if parts[1] == "switch" else parts[1]
    return f"workloads::runtime::{workload}::{parts[2]}(*"


def list_benchmarks(bench: str, filter_regex: str) -> list[str]:
    listed = subprocess.run([bench, "--profile", "quick", "--list", "--filter", filter_regex],
                            capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        message = (listed.stderr.strip().splitlines() or ["no message"])[-1]
        raise BadInput(f"instructions: {message}")
    names = [line.strip() for line in listed.stdout.splitlines() if line.strip()]
    if not names:
        raise BadInput(f"instructions: --filter {filter_regex!r} selects no benchmark")
    return names


def callgrind_totals(profile: str, pattern: str) -> tuple[int, int]:
    """(instructions collected, calls of the function `pattern` names) from a callgrind file.

    The calls are counted, not assumed: a part dumped after the first call must hold one. Callgrind
    names a function in full once ("cfn=(12) name") and by its number after that ("cfn=(12)");
    each call site's "calls=N" line follows its cfn line.
    """
    prefix = pattern.rstrip("*")
    ids: set[str] = set()
    instructions = calls = 0
    callee = ""
    for line in profile.splitlines():
        if line.startswith(("fn=", "cfn=")):
            number, _, function = line.partition("=")[2].partition(" ")
            if function.startswith(prefix):
                ids.add(number)
            callee = number if line.startswith("cfn=") else ""
        elif line.startswith("calls=") and callee in ids:
            calls += int(line.split()[0].removeprefix("calls="))
        elif line.startswith("totals:"):
            instructions = int(line.split()[1])
    return instructions, calls


def count_one(bench: str, name: str, workdir: Path) -> dict:
    """Runs `name` once under callgrind; its instructions, operations and their ratio."""
    out_file = workdir / "callgrind.out"
    json_file = workdir / "run.json"
    # The dump pattern is spelled differently from the toggle pattern: given the same string
    # twice, callgrind 3.19 toggles but never dumps.
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}",
               "--collect-atstart=no", f"--toggle-collect={model_function(name)}",
               f"--dump-after=*{model_function(name)}",
               bench, "--in-process", "--profile", "quick",
               "--filter", "^" + re.escape(name) + "$", "--out", str(json_file)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        tail = " | ".join(run.stderr.strip().splitlines()[-3:])
        raise RunFailed(f"instructions: {name} failed under callgrind (exit {run.returncode}): "
                        f"{tail}")
    row = next(b for b in json.loads(json_file.read_text())["benchmarks"]
               if b.get("run_type", "iteration") == "iteration")
    seconds = row["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[row["time_unit"]]
    operations_per_call = round(row.get("items_per_second", 0.0) * seconds)
    first_call = out_file.with_name(out_file.name + ".1")  # the part dumped after call 1
    instructions, calls = (callgrind_totals(first_call.read_text(), model_function(name))
                           if first_call.exists() else (0, 0))
    operations = calls * operations_per_call
    if instructions == 0 or operations == 0 or calls != 1:
        raise RunFailed(f"instructions: {name}: nothing counted in the first call of "
                        f"{model_function(name)} ({instructions} instructions, {calls} calls, "
                        f"{operations} operations); is the model function named after the model?")
    return {"instructions": instructions, "calls": calls, "operations": operations,
            "instructions_per_op": instructions / operations}


def compare(figures: dict, baseline_path: Path, fail_over: float) -> list[str]:
    """The regressions against a baseline file, as lines; also lines for rows it lacks."""
    try:
        baseline = json.loads(baseline_path.read_text())["benchmarks"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInput(f"instructions: --baseline {baseline_path}: not an instructions file "
                       f"written by --out ({error})") from None
    lines = []
    for name, figure in figures.items():
        old = baseline.get(name)
        if old is None:
            continue
        change = (figure["instructions_per_op"] / old["instructions_per_op"] - 1) * 100
        if change > fail_over:
            lines.append(f"{name}: {old['instructions_per_op']:.1f} -> "
                         f"{figure['instructions_per_op']:.1f} instructions/op (+{change:.1f}%, "
                         f"over {fail_over:g}%)")
    return lines


def valgrind_version() -> str:
    return subprocess.run(["valgrind", "--version"], capture_output=True, text=True,
                          check=False).stdout.strip()


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a refusal is one line (the suite's rule for bad input), not usage + error."""

    def error(self, message: str):
        raise BadInput(f"instructions: {message} (see ./run_all.sh instructions --help)")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = OneLineParser(prog="run_all.sh instructions",
                           description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", default="build/release/bench/corio-bench",
                        help="the corio-bench binary (default: %(default)s)")
    parser.add_argument("--filter", default=DEFAULT_FILTER,
                        help="benchmarks to count, a regex (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--baseline", type=Path, help="an earlier --out file to gate against")
    parser.add_argument("--fail-over", type=float, default=DEFAULT_FAIL_OVER,
                        help="percent growth that is a regression (default: %(default)s)")
    # run_all.sh asks first, so that a wrong option is refused before it builds corio-bench.
    parser.add_argument("--check-args", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fail_over < 0:
        raise BadInput(f"instructions: --fail-over {args.fail_over:g} is negative "
                       "(a percentage >= 0)")
    if args.out is not None and args.out.exists():
        raise BadInput(f"instructions: --out {args.out} exists; nothing overwritten "
                       "(choose another name or remove it)")
    if args.baseline is not None and not args.baseline.is_file():
        raise BadInput(f"instructions: --baseline {args.baseline} does not exist")
    if args.check_args:
        return args
    if not os.access(args.bench, os.X_OK):
        raise BadInput(f"instructions: {args.bench} is not an executable corio-bench "
                       "(build it first: cmake --workflow --preset ci)")
    if shutil.which("valgrind") is None:
        raise BadInput("instructions: valgrind not found (Debian package valgrind: "
                       "scripts/install_deps.sh --with-tools installs it)")
    return args


def main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
        if args.check_args:
            return 0
        names = list_benchmarks(args.bench, args.filter)
        for name in names:
            model_function(name)  # every row countable before the first one is counted
        figures = {}
        with tempfile.TemporaryDirectory(prefix="corio-instructions-") as workdir:
            for index, name in enumerate(names, 1):
                print(f"[{index}/{len(names)}] {name} ...", file=sys.stderr, flush=True)
                figures[name] = count_one(args.bench, name, Path(workdir))
                figure = figures[name]
                print(f"{figure['instructions_per_op']:12.1f} instructions/op  "
                      f"({figure['instructions']:,} over {figure['operations']:,} ops)  {name}",
                      flush=True)
        regressions = compare(figures, args.baseline, args.fail_over) if args.baseline else []
        if args.out is not None:
            document = {"valgrind": valgrind_version(), "benchmarks": figures}
            args.out.write_text(json.dumps(document, indent=1) + "\n")
        for line in regressions:
            print(f"instructions: regression: {line}", file=sys.stderr)
        return 1 if regressions else 0
    except BadInput as error:
        print(f"run_all.sh: {error}", file=sys.stderr)
        return 2
    except RunFailed as error:
        print(f"run_all.sh: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
