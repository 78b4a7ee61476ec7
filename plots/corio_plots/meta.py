"""meta.json of a results folder: how the numbers were produced.

Written in three steps by run_all.sh:

  write_meta.py start DIR --root REPO --profile P --command-line "..." --bench-command "..."
      before corio-bench runs: git revision and dirty flag, host, kernel, CPU model and
      count, profile, both command lines, start time.
  write_meta.py finish DIR [--cmake-cache build/release/CMakeCache.txt]
      when corio-bench has finished: compiler, flags, build type and the Boost, libuv and
      Google Benchmark versions from results.json's context (corio_* keys), falling back to
      the CMake cache and dpkg when the context lacks them; end time (the benchmarks' end).
  write_meta.py rename DIR NAME
      the folder's final name, when it differs from the one given to start.

Fields (every one present; null when unknown):
  schema, folder, profile, command_line, bench_command, start_time, end_time (ISO 8601 UTC;
  from start of the run to the end of the benchmarks),
  host, kernel, cpu {model, count (usable: nproc), online}, git {revision, dirty},
  build {type, compiler, cxx_flags, source}, versions {boost, libuv, google_benchmark, python,
  matplotlib, source}, google_benchmark_library_build_type.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from corio_plots import schema

META_FILE = "meta.json"
SCHEMA_VERSION = 1


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _run(*cmd: str, cwd: Path | None = None) -> str | None:
    """stdout of a command, stripped; None when it fails or is missing."""
    try:
        out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=20,
                             check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def git_info(root: Path) -> dict[str, Any]:
    """HEAD's revision (None before the first commit) and whether tracked or new files
    differ from it. results/ is left out: a run writes there while it runs."""
    revision = _run("git", "rev-parse", "HEAD", cwd=root)
    status = _run("git", "status", "--porcelain", "--", ".", ":(exclude)results", cwd=root)
    return {"revision": revision or None, "dirty": None if status is None else bool(status)}


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """The CPU's marketing name: 'model name' on x86, 'Model'/'Hardware' on Arm."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for key in ("model name", "Model", "Hardware", "cpu model"):
        for line in text.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip() == key and value.strip():
                return value.strip()
    return None


def start(folder: Path, root: Path, profile: str, command_line: str,
          bench_command: str, folder_name: str | None = None) -> dict[str, Any]:
    """Everything known before the benchmark runs. folder_name: the name the folder will
    have once complete (it is written under a temporary one)."""
    return {
        "schema": SCHEMA_VERSION,
        "folder": folder_name or folder.name,
        "profile": profile,
        "command_line": command_line,
        "bench_command": bench_command,
        "start_time": utc_now(),
        "end_time": None,
        "host": socket.gethostname(),
        "kernel": platform.release(),
        "cpu": {"model": cpu_model(), "count": len(os.sched_getaffinity(0)),
                "online": os.cpu_count()},
        "git": git_info(root),
        "build": {"type": None, "compiler": None, "cxx_flags": None, "source": None},
        "versions": {"boost": None, "libuv": None, "google_benchmark": None,
                     "python": platform.python_version(), "matplotlib": _matplotlib_version(),
                     "source": None},
        "google_benchmark_library_build_type": None,
    }


def _matplotlib_version() -> str | None:
    try:
        import matplotlib
    except ImportError:
        return None
    return str(matplotlib.__version__)


def _cmake_cache(path: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if path is None or not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith(("#", "//")):
            values[key.partition(":")[0]] = value
    return values


def _dpkg_version(package: str) -> str | None:
    return _run("dpkg-query", "-W", "-f=${Version}", package) or None


def finish(meta: dict[str, Any], context: dict[str, Any],
           cmake_cache: Path | None = None) -> dict[str, Any]:
    """Adds what the run itself reported (results.json's context) and the end time."""
    meta = dict(meta)
    build = {
        "type": context.get(schema.CONTEXT_BUILD_TYPE),
        "compiler": context.get(schema.CONTEXT_COMPILER),
        "cxx_flags": context.get(schema.CONTEXT_CXX_FLAGS),
        "source": "results.json context",
    }
    if not all(build[k] for k in ("type", "compiler")):
        cache = _cmake_cache(cmake_cache)
        build_type = cache.get("CMAKE_BUILD_TYPE")
        build["type"] = build["type"] or build_type
        build["compiler"] = build["compiler"] or cache.get("CMAKE_CXX_COMPILER")
        if build["cxx_flags"] is None and build_type:
            flags = [cache.get("CMAKE_CXX_FLAGS", ""),
                     cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "")]
            build["cxx_flags"] = " ".join(f for f in flags if f) or None
        build["source"] = "CMake cache (the context lacked corio_* keys)" if cache else None
    versions = dict(meta.get("versions") or {})
    versions.update({
        "boost": context.get(schema.CONTEXT_BOOST_VERSION),
        "libuv": context.get(schema.CONTEXT_LIBUV_VERSION),
        "google_benchmark": context.get(schema.CONTEXT_BENCHMARK_VERSION),
        "source": "results.json context",
    })
    fallbacks = {"boost": "libboost1.81-dev", "libuv": "libuv1-dev",
                 "google_benchmark": "libbenchmark-dev"}
    if not all(versions[k] for k in fallbacks):
        for key, package in fallbacks.items():
            versions[key] = versions[key] or _dpkg_version(package)
        versions["source"] = "dpkg (the context lacked corio_* keys)"
    meta["build"] = build
    meta["versions"] = versions
    meta["google_benchmark_library_build_type"] = context.get("library_build_type")
    if not meta.get("profile"):
        meta["profile"] = context.get(schema.CONTEXT_PROFILE)
    meta["end_time"] = utc_now()
    return meta


def write(folder: Path, meta: dict[str, Any]) -> Path:
    """Writes folder/meta.json whole (temporary file, then rename)."""
    path = folder / META_FILE
    tmp = folder / f".{META_FILE}.tmp"
    tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="write_meta.py",
                                     description="Write meta.json of a results folder.")
    sub = parser.add_subparsers(dest="step", required=True)
    p_start = sub.add_parser("start", help="before the run: machine, git, command lines")
    p_start.add_argument("folder", type=Path)
    p_start.add_argument("--root", type=Path, required=True, help="the repository")
    p_start.add_argument("--profile", required=True)
    p_start.add_argument("--command-line", required=True)
    p_start.add_argument("--bench-command", required=True)
    p_start.add_argument("--folder-name", help="the folder's final name (default: its name)")
    p_finish = sub.add_parser("finish", help="after the run: build and versions, end time")
    p_finish.add_argument("folder", type=Path)
    p_finish.add_argument("--cmake-cache", type=Path)
    p_rename = sub.add_parser("rename", help="record the folder's final name")
    p_rename.add_argument("folder", type=Path)
    p_rename.add_argument("name")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"write_meta: {args.folder}: no such folder", file=sys.stderr)
        return 2
    if args.step == "start":
        write(args.folder, start(args.folder, args.root, args.profile, args.command_line,
                                 args.bench_command, args.folder_name))
        return 0
    try:
        meta = json.loads((args.folder / META_FILE).read_text(encoding="utf-8"))
        results = (json.loads((args.folder / "results.json").read_text(encoding="utf-8"))
                   if args.step == "finish" else {})
    except (OSError, json.JSONDecodeError) as e:
        print(f"write_meta: {args.folder}: cannot read meta.json or results.json ({e})",
              file=sys.stderr)
        return 2
    if args.step == "rename":
        meta["folder"] = args.name
        write(args.folder, meta)
        return 0
    context = results.get("context") if isinstance(results, dict) else None
    write(args.folder, finish(meta, context if isinstance(context, dict) else {},
                              args.cmake_cache))
    return 0
