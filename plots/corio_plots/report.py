"""REPORT.md and report.html: the summary (decision table and answers, summary.py) first,
then the run, the findings computed from the data grouped by workload with their takeaways
first, and a section per workload with its chart and table.

Every workload of schema.WORKLOADS that the results hold gets a section; one they do not hold
gets a line under "Not in this run", and a run that failed its check gets a line under
"Failed runs". Nothing missing raises: a report of a partial run is a shorter report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corio_plots import (blocking_cdf, bytes_per_task, concurrency_limit, cpu_scaling, generic,
                         http_fanout, languages, pipeline, runtime_cost, scale_to_failure,
                         schema, sleep_fanout, summary, throughput)
from corio_plots.document import (Block, Bullets, Chart, Heading, Para, TableBlock,
                                  to_markdown)
from corio_plots.load import REAL_TIME_NS, Results
from corio_plots.stats import SPREAD_KIND, UNSTABLE_SPREAD
from corio_plots.table import Table

# Every chart the report can draw, by file stem (each written as .png and .svg).
CHART_STEMS: tuple[str, ...] = (
    sleep_fanout.STEM, scale_to_failure.STEM, cpu_scaling.STEM, throughput.STEMS["io/tcp_echo"],
    throughput.STEMS["io/http_plaintext"], http_fanout.STEM, pipeline.STEM, blocking_cdf.STEM,
    concurrency_limit.STEM, runtime_cost.STEM, bytes_per_task.STEM,
)


@dataclass
class Part:
    """What one workload (or chart) contributes to the report."""

    heading: str
    what: str = ""
    charts: list[tuple[str, str]] = field(default_factory=list)  # (stem, alt text)
    tables: list[Table] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # stem -> one line under the chart: what it shows, computed from its data (module.shows)
    shows: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    markdown: str
    charts: list[Path]
    findings: list[str]
    notes: list[str]
    blocks: list[Block] = field(default_factory=list)  # what REPORT.md and report.html render
    answers: list[summary.Answer] = field(default_factory=list)
    columns: list[summary.Column] = field(default_factory=list)


def _workload_part(key: str) -> Part:
    w = schema.WORKLOAD_BY_KEY[key]
    return Part(heading=f"{w.title} (`{key}`)", what=w.what)


def _charted(results: Results, charts_dir: Path, written: list[Path], key: str, module: Any,
             compute: Callable[[], Any], alt: str, stem: str) -> Part | None:
    """A workload with a chart module: compute, draw, findings, table."""
    if not results.measurements(key):
        return None
    part = _workload_part(key)
    data = compute()
    # compute() returns None when nothing can be drawn, or data whose ``empty`` is true when
    # it can say why (its notes).
    if data is None or getattr(data, "empty", False):
        part.notes.append(f"{key}: no run of it succeeded with the counters its chart needs; "
                          "chart skipped")
        part.notes += getattr(data, "notes", [])
        table = generic.table(results, key)
        if table:
            part.tables.append(table)
        return part
    written += module.draw(data, charts_dir)
    part.charts.append((stem, alt))
    if hasattr(module, "shows"):
        part.shows[stem] = module.shows(data)
    part.findings += module.findings(data)
    part.tables.append(module.table(data))
    part.notes += data.notes
    return part


def _plain(results: Results, key: str, what: str = "") -> Part | None:
    """A workload without a chart: its table and, given what it moves, a ranking by the
    counter generic.RANKED_BY names for it."""
    table = generic.table(results, key)
    if table is None:
        return None
    part = _workload_part(key)
    part.tables.append(table)
    counter = generic.ranked_counter(results, key) if what else None
    if counter:
        part.findings += generic.ranking_findings(results, key, counter, what)
        part.notes += generic.ranking_notes(results, key, counter)
    return part


def _parts(results: Results, charts_dir: Path, written: list[Path]) -> list[tuple[str, list[Part]]]:
    def charted(key: str, module: Any, compute: Callable[[], Any], alt: str,
                stem: str) -> Part | None:
        return _charted(results, charts_dir, written, key, module, compute, alt, stem)

    groups: list[tuple[str, list[Part | None]]] = [
        ("Concurrency vs parallelism", [
            charted(sleep_fanout.KEY, sleep_fanout, lambda: sleep_fanout.compute(results),
                    "wall time vs tasks, log-log, with the ideal lines and where each model "
                    "stopped", sleep_fanout.STEM),
            _scale_part(results, charts_dir, written),
            charted(cpu_scaling.KEY, cpu_scaling, lambda: cpu_scaling.compute(results),
                    "speed-up vs workers per kernel, ideal line and core count", cpu_scaling.STEM),
        ]),
        ("Servers and clients", [
            *[charted(key, throughput, lambda key=key: throughput.compute(results, key),
                      "requests per second against p99 latency per model, one panel per "
                      "connection count", throughput.STEMS[key])
              for key in throughput.KEYS],
            charted(http_fanout.KEY, http_fanout, lambda: http_fanout.compute(results),
                    "throughput and p99 vs the concurrency limit L per model, with L / D",
                    http_fanout.STEM),
            charted(pipeline.KEY, pipeline, lambda: pipeline.compute(results),
                    "items per second vs consumers per queue capacity and model", pipeline.STEM),
        ]),
        ("Blocking the loop", [
            charted(blocking_cdf.KEY, blocking_cdf, lambda: blocking_cdf.compute(results),
                    "latency percentiles of the cheap requests on a log tail, per model and "
                    "variant", blocking_cdf.STEM),
        ]),
        ("Limiting concurrency", [
            charted(concurrency_limit.KEY, concurrency_limit,
                    lambda: concurrency_limit.compute(results),
                    "throughput, p99, client memory and errors vs concurrency limit with "
                    "Little's law and the 503 mode",
                    concurrency_limit.STEM),
        ]),
        ("The cost of each model", _runtime_parts(results, charts_dir, written)),
        ("Across languages", [_languages_part(results)]),
    ]
    return [(title, [p for p in parts if p is not None]) for title, parts in groups]


def _scale_part(results: Results, charts_dir: Path, written: list[Path]) -> Part | None:
    """Scale to failure: sleep_fanout's sweep as wall time and memory vs N, with the stops."""
    data = scale_to_failure.compute(results)
    if data is None:
        return None
    written += scale_to_failure.draw(data, charts_dir)
    return Part(heading="Scale to failure",
                what="how many concurrent sleeping tasks each model takes, their wall time "
                     "and memory, and where and why each model stopped",
                charts=[(scale_to_failure.STEM, "wall time and peak memory vs N, log-log, "
                                                "with where each model stopped")],
                tables=[scale_to_failure.table(data)],
                findings=scale_to_failure.findings(data), notes=data.notes,
                shows={scale_to_failure.STEM: scale_to_failure.shows(data)})


def _languages_part(results: Results) -> Part | None:
    """corio beside Python, Go and tokio: each headline figure as a same-run ratio."""
    data = languages.compute(results)
    if data is None or data.empty:
        return None
    return Part(heading="corio beside Python, Go and tokio",
                what="each workload's headline figure for the models in other languages, "
                     "as the model's figure over corio's in the same run (12x on a cost: "
                     "twelve times corio's; 0.5x on requests/s: half of corio's)",
                tables=[languages.table(data)], findings=languages.findings(data),
                notes=data.notes)


def _runtime_parts(results: Results, charts_dir: Path, written: list[Path]) -> list[Part | None]:
    parts: list[Part | None] = []
    cost = runtime_cost.compute(results)
    if cost is not None:
        drawn = runtime_cost.draw(cost, charts_dir)
        written += drawn or []
        parts.append(Part(heading="Cost per operation",
                          what="what one operation costs, in ns (1e9 / items_per_second); "
                               "skynet by its total time; timers by each timer's lateness past "
                               "its own deadline and by the overshoot (entry to last wake-up, "
                               "minus the sleep)",
                          charts=[(runtime_cost.STEM, "cost per operation per model, dots on "
                                                      "a log scale")]
                          if drawn else [],
                          findings=runtime_cost.findings(cost), notes=cost.notes,
                          shows={runtime_cost.STEM: runtime_cost.shows(cost)}))
    memory = bytes_per_task.compute(results)
    if memory is not None:
        written += bytes_per_task.draw(memory, charts_dir)
        parts.append(Part(heading="Bytes per task",
                          what="resident memory one waiting task (or thread) holds",
                          charts=[(bytes_per_task.STEM, "bytes per task per model, dots on a "
                                                        "log scale")],
                          tables=[bytes_per_task.table(memory)],
                          findings=bytes_per_task.findings(memory), notes=memory.notes,
                          shows={bytes_per_task.STEM: bytes_per_task.shows(memory)}))
    for w in schema.WORKLOADS:
        if w.key.startswith("runtime/"):
            parts.append(_plain(results, w.key))
    return parts


def _value(meta: dict[str, Any], *path: str) -> Any:
    node: Any = meta
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def summary_table(results: Results, meta: dict[str, Any]) -> Table:
    """Machine and run summary: meta.json first, Google Benchmark's context as fallback."""
    ctx = results.context

    def pick(meta_path: tuple[str, ...], ctx_key: str | None = None) -> str:
        value = _value(meta, *meta_path)
        if value in (None, "") and ctx_key:
            value = ctx.get(ctx_key)
        return "–" if value in (None, "") else str(value)

    t = Table(["", ""], numeric=False)
    cpus = pick(("cpu", "count"), "num_cpus")
    model = pick(("cpu", "model"))
    mhz = ctx.get("mhz_per_cpu")
    t.add("host", pick(("host",), "host_name"))
    t.add("CPU", f"{model}, {cpus} CPUs" + (f" at {mhz} MHz" if mhz else ""))
    t.add("kernel", pick(("kernel",)))
    t.add("compiler", pick(("build", "compiler"), schema.CONTEXT_COMPILER))
    t.add("build type and flags", f"{pick(('build', 'type'), schema.CONTEXT_BUILD_TYPE)}, "
          f"`{pick(('build', 'cxx_flags'), schema.CONTEXT_CXX_FLAGS)}`")
    t.add("Boost / libuv / Google Benchmark",
          f"{pick(('versions', 'boost'), schema.CONTEXT_BOOST_VERSION)} / "
          f"{pick(('versions', 'libuv'), schema.CONTEXT_LIBUV_VERSION)} / "
          f"{pick(('versions', 'google_benchmark'), schema.CONTEXT_BENCHMARK_VERSION)}")
    revision = _value(meta, "git", "revision")
    dirty = _value(meta, "git", "dirty")
    t.add("git revision", "–" if not revision else
          f"`{str(revision)[:12]}`" + (" (uncommitted changes)" if dirty else ""))
    t.add("profile", pick(("profile",), schema.CONTEXT_PROFILE))
    command = _value(meta, "command_line")
    t.add("command", f"`{command}`" if command else "–")
    t.add("started / finished (UTC)", f"{pick(('start_time',), 'date')} / {pick(('end_time',))}")
    ms = results.measurements()
    failed = sum(1 for m in ms if m.error)
    t.add("benchmarks", f"{len(ms)} measured ({len(results.rows)} JSON rows), {failed} failed")
    return t


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def reading_guide(results: Results) -> list[str]:
    """How to read the figures, computed from the run: repetitions, spread, unstable rows."""
    counts = results.repetition_counts()
    repeated = {n: c for n, c in counts.items() if n >= 2}
    single = sum(c for n, c in counts.items() if n < 2)
    aggregates_only = counts.get(0, 0)
    pct = f"{UNSTABLE_SPREAD * 100:.0f}%"
    lines: list[str] = []
    if repeated:
        reps = ", ".join(f"{_plural(c, 'measurement')} of {n} repetitions"
                         for n, c in repeated.items())
        lines.append(f"Every figure of a repeated measurement ({reps}) is the median over its "
                     f"repetitions with its spread, the {SPREAD_KIND} of the repetitions (with "
                     "so few repetitions an interquartile range would say no more); tables "
                     f"write median ({SPREAD_KIND}), charts draw the {SPREAD_KIND} as error bars "
                     "and findings quote the median. A value whose max - min exceeds "
                     f"{pct} of its median is marked unstable. A finding ranks two models only "
                     f"when their {SPREAD_KIND} intervals do not overlap; when they overlap it "
                     "says they are within noise, and each ranking says whether its order "
                     "holds across repetitions.")
        unstable = [m for m in results.measurements() if m.error is None and
                    (st := m.stat(REAL_TIME_NS)) is not None and st.unstable]
        lines.append(f"{_plural(len(unstable), 'measurement')} of this run "
                     + ("is" if len(unstable) == 1 else "are")
                     + f" unstable by real time (max - min above {pct} of the median)"
                     + (": " + ", ".join(f"`{m.name.base}`" for m in unstable[:5])
                        + (", ..." if len(unstable) > 5 else "") if unstable else "") + ".")
    if single:
        what = ("Every figure" if not repeated else
                f"The figures of the other {_plural(single, 'measurement')}")
        lines.append(f"{what} {'is a single sample' if not repeated else 'are single samples'} "
                     "(one repetition): there is no spread, nothing can be marked unstable and "
                     "no ranking can be checked across repetitions; findings that rank say "
                     "\"single sample\". The full profile repeats each network, CPU, mixed and "
                     "limit benchmark.")
    if aggregates_only:
        lines.append(f"{_plural(aggregates_only, 'measurement')} came with aggregate rows only "
                     "(no iteration row per repetition): their figure is Google Benchmark's "
                     "median, counted above as a single sample since its spread is unknown.")
    return lines


def _summary_blocks(results: Results, cols: list[summary.Column],
                    answers: list[summary.Answer]) -> list[Block]:
    """The summary: the decision table, the answers, then how to read the table."""
    blocks: list[Block] = [Heading(2, "Summary", anchor="summary")]
    if cols:
        blocks.append(TableBlock(summary.decision_table(cols), role="summary"))
    else:
        blocks.append(Para("No decision table: the run holds no workload with a headline "
                           "figure."))
    blocks += [Heading(3, "Answers", anchor="answers"),
               Bullets([f"**{a.question}** {a.text}" for a in answers])]
    if cols:
        blocks += [Heading(3, "Reading the table", anchor="reading-the-table"),
                   Para(summary.legend(cols))]
    return blocks


# Parts without a workload key whose takeaway is a headline column's ranking.
_TAKEAWAY_COLUMN = {"Cost per operation": "runtime/spawn"}


def _part_key(p: Part) -> str:
    if "(`" in p.heading and p.heading.endswith("`)"):
        return p.heading.rsplit("(`", 1)[1][:-2]
    return _TAKEAWAY_COLUMN.get(p.heading, "")


def _takeaways(p: Part, cols: list[summary.Column], answers: list[summary.Answer]) -> list[str]:
    """What a part's findings add up to: the summary's answers about its workload, then its
    headline ranking."""
    key = _part_key(p)
    if not key:
        return []
    out = [f"**Takeaway:** {a.text}" for a in answers if a.workload == key
           and not a.text.startswith("Not answered")]
    col = next((c for c in cols if c.key == key), None)
    if col is not None and len(col.stats) > 1:
        rk = summary.ranks(col)
        ranked = ", ".join(f"{m} {col.fmt(s.median)} ({rk[m].text})" for m, s in col.ordered())
        out.append(f"**Headline**, {col.definition}: {ranked}.")
    return out


def build(results: Results, meta: dict[str, Any] | None, charts_dir: Path,
          meta_note: str | None = None) -> Report:
    """Draws every chart the results allow into charts_dir and returns REPORT.md's text and
    its blocks (report.html is rendered from the same blocks).

    Chart links in the text are relative: REPORT.md is written next to charts/.
    """
    meta = meta or {}
    written: list[Path] = []
    groups = _parts(results, charts_dir, written)
    present = set(results.workload_keys())
    rel = charts_dir.name
    cols = summary.columns(results)
    answers = summary.answers(results, cols)

    folder = meta.get("folder") or results.path.parent.name
    blocks: list[Block] = [
        Heading(1, "corio-bench report"),
        Para(f"Results folder `{folder}`. Every number below is computed from `results.json` "
             "in this folder; `meta.json` records how it was produced."),
    ]
    blocks += _summary_blocks(results, cols, answers)
    blocks += [Heading(2, "Machine and run", anchor="machine"),
               TableBlock(summary_table(results, meta))]
    lib_build = results.context.get("library_build_type")
    if lib_build == "debug":
        blocks.append(Para("Google Benchmark reports `library_build_type: debug`: that is how "
                           "libbenchmark itself was built, which concerns its own timing loop, "
                           "not the suite, whose build type and flags are in the table above."))
    blocks.append(Heading(2, "Reading the figures", anchor="reading"))
    blocks += [Para(line) for line in reading_guide(results)]

    all_findings = [f for _, parts in groups for p in parts for f in p.findings]
    blocks.append(Heading(2, "Findings", anchor="findings"))
    items: list[str | tuple[str, list[str]]] = []
    for _, parts in groups:
        for p in parts:
            if p.findings:
                items.append((f"**{p.heading.split(' (`')[0]}**",
                              _takeaways(p, cols, answers) + p.findings))
    if not all_findings:
        items.append("No finding: the run holds no workload with enough data.")
    blocks.append(Bullets(items))

    notes: list[str] = []
    if meta_note:
        notes.append(meta_note)
    for title, parts in groups:
        if not parts:
            continue
        blocks.append(Heading(2, title))
        for p in parts:
            blocks.append(Heading(3, p.heading))
            if p.what:
                blocks.append(Para(p.what[0].upper() + p.what[1:] + "."))
            for stem, alt in p.charts:
                blocks.append(Chart(stem, alt))
                if p.shows.get(stem):
                    blocks.append(Para(f"**What this shows:** {p.shows[stem]}"))
            blocks += [TableBlock(t) for t in p.tables]
            notes += p.notes

    missing = [w for w in schema.WORKLOADS if w.key not in present]
    unknown = [k for k in results.workload_keys() if k not in schema.WORKLOAD_BY_KEY]
    for key in unknown:
        table = generic.table(results, key)
        blocks.append(Heading(3, f"Other workload `{key}`"))
        if table:
            blocks.append(TableBlock(table))
    blocks.append(Heading(2, "Notes", anchor="notes"))
    if missing:
        blocks += [Para("Not in this run (filtered out, not built, or not yet written); "
                        "skipped:"),
                   Bullets([f"`{w.key}`: {w.what}" for w in missing])]
    failures = results.failures()
    if failures:
        blocks += [Para("Failed runs (their check failed; left out of charts and findings):"),
                   Bullets([f"`{m.name.base}`: {m.error}" for m in failures])]
    if results.ignored:
        blocks += [Para("Ignored rows whose names do not read group/workload/model:"),
                   Bullets([f"`{name}`" for name in dict.fromkeys(results.ignored)])]
    if notes:
        blocks += [Para("Remarks:"), Bullets(list(notes))]
    if not (missing or failures or results.ignored or notes):
        blocks.append(Para("Every workload ran and every run passed its check."))
    return Report(markdown=to_markdown(blocks, rel).rstrip("\n") + "\n", charts=written,
                  findings=all_findings,
                  notes=[*notes, *(f"not in this run: {w.key}" for w in missing)],
                  blocks=blocks, answers=answers, columns=cols)
