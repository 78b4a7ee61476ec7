"""corio_plots: charts and the Markdown report from a corio-bench results folder.

Modules (one job each):

  load       reads and validates results.json (Google Benchmark 1.7.1 JSON) into Measurements
  names      parses benchmark names: group/workload/model/key:value/...
  schema     the counter contract the workloads follow, and the workload list
  colors     one fixed colour and marker per model, shared by every chart
  units      number formatting for tables and findings (31 ns, 1,000 s, 13x)
  figure     matplotlib set-up (Agg backend, sizes) and saving PNG + SVG
  sleep_fanout, cpu_scaling, concurrency_limit, throughput, runtime_cost, bytes_per_task,
  blocking_cdf
             one module per chart: compute() (pure), findings(), table(), draw()
  generic    tables for workloads that have no chart of their own
  report     REPORT.md: run summary, a section per workload, findings, notes
  meta       meta.json of a results folder (machine, build, command line, times)
  compare_gate
             exits 1 when a workload's headline figure got significantly worse (one-sided
             Mann-Whitney U over repetitions) by more than a percentage
  cli        make_report entry point (plots/make_report.py)
"""
