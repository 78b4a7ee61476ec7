"""meta: CPU model parsing and what finish() takes from the run's context."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

from corio_plots import meta
from tests.helpers import PLOTS, VALID


class Meta(unittest.TestCase):
    def tmp(self) -> Path:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def test_cpu_model_from_cpuinfo(self) -> None:
        path = self.tmp() / "cpuinfo"
        path.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                        "model name\t: AMD EPYC 7B13\n", encoding="utf-8")
        self.assertEqual(meta.cpu_model(path), "AMD EPYC 7B13")
        self.assertIsNone(meta.cpu_model(path.parent / "missing"))

    def test_start_then_finish_fills_every_field(self) -> None:
        folder = self.tmp()
        started = meta.start(folder, PLOTS.parent, "quick", "./run_all.sh --profile quick",
                             "corio-bench --profile quick")
        context = json.loads(VALID.read_text(encoding="utf-8"))["context"]
        done = meta.finish(started, context)
        self.assertEqual(done["profile"], "quick")
        self.assertEqual(done["build"]["compiler"], "GNU 12.2.0")
        self.assertEqual(done["build"]["cxx_flags"], "-O2 -DNDEBUG")
        self.assertEqual(done["versions"]["google_benchmark"], "1.7.1")
        self.assertEqual(done["google_benchmark_library_build_type"], "debug")
        self.assertGreaterEqual(done["cpu"]["count"], 1)
        self.assertIn("revision", done["git"])
        self.assertTrue(done["end_time"].endswith("Z"))
        path = meta.write(folder, done)
        self.assertEqual(json.loads(path.read_text(encoding="utf-8"))["folder"], folder.name)

    def test_rename_records_the_final_name(self) -> None:
        folder = self.tmp()
        meta.write(folder, {"folder": "old"})
        self.assertEqual(meta.main(["rename", str(folder), "20250101T000000Z-vm-2"]), 0)
        written = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.assertEqual(written["folder"], "20250101T000000Z-vm-2")

    def test_finish_falls_back_to_the_cmake_cache(self) -> None:
        cache = self.tmp() / "CMakeCache.txt"
        cache.write_text("CMAKE_BUILD_TYPE:STRING=Release\n"
                         "CMAKE_CXX_COMPILER:FILEPATH=/usr/bin/g++\n"
                         "CMAKE_CXX_FLAGS_RELEASE:STRING=-O2 -DNDEBUG\n", encoding="utf-8")
        done = meta.finish({"versions": {}}, {}, cache)
        self.assertEqual(done["build"]["type"], "Release")
        self.assertEqual(done["build"]["compiler"], "/usr/bin/g++")
        self.assertEqual(done["build"]["cxx_flags"], "-O2 -DNDEBUG")


if __name__ == "__main__":
    unittest.main()
