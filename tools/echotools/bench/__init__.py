"""tools/bench-peers as modules of one purpose each.

  loads.py        the loads (echo-bench arguments, unit) and what a run's figure is
  placement.py    CPU lists and where servers and load generators run (--server-cpus, ...)
  sampler.py      a server tree's CPU time, sampled from /proc while echo-bench runs
  contenders.py   starting the reference server, the yardstick and the peers
  measure.py      one echo-bench run; yardstick-client and iperf3 calibration; idle connections
  figures.py      medians, CPU per message, the load-generator-bound (†) rule, target ratios
  markdown.py     the Markdown report, the log lines and the headline;  chart.py: the SVG
  main.py         the command line and the order of the runs
"""
