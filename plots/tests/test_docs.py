"""plots/README.md documents the counter contract: every counter of schema.py is in it."""

import unittest

from corio_plots import report, schema
from tests.helpers import PLOTS


class Docs(unittest.TestCase):
    def test_readme_lists_every_counter(self) -> None:
        text = (PLOTS / "README.md").read_text(encoding="utf-8")
        for counter in schema.COUNTERS:
            with self.subTest(counter=counter):
                self.assertIn(f"`{counter}`", text)

    def test_results_readme_lists_every_chart(self) -> None:
        text = (PLOTS.parent / "results" / "README.md").read_text(encoding="utf-8")
        for stem in report.CHART_STEMS:
            with self.subTest(stem=stem):
                self.assertIn(f"`{stem}`", text)


if __name__ == "__main__":
    unittest.main()
