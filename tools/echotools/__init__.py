"""echotools: the Python side of echo-conformance's tools, as a package.

The programs in tools/ (bench-peers, compare-peers, peers/start-peer, fuzz-overnight,
fuzz-report, fuzz-coverage, fuzz-corpus-add, fuzz-seeds) are launchers of a few lines
that put tools/ on sys.path and call a main() here. Standard library only.

  paths.py, cli.py    where the checkout is; the one-line "tool: message" exit 2
  listening.py        reads a server's "listening tcp ADDR" lines within a deadline
  proc.py             /proc readers: status fields, process trees, CPU ticks, descriptors
  peers.py            the third-party echo servers (tools/peers/), started on loopback
  compare_peers.py    tools/compare-peers;  start_peer.py: tools/peers/start-peer
  bench/              tools/bench-peers: loads, placement, sampling, runs, figures, rendering
  fuzz/               the fuzz-* tools: target names, engines, crash triage, corpora, reports
  tests/              unit tests of the pure parts (python3 -m unittest discover, via ctest)

Example:
    import sys; sys.path.insert(0, "tools")
    from echotools.bench.placement import cpu_set, cpu_list
    cpu_list(cpu_set("0-2,5"))   # "0,1,2,5"
"""
