"""The fuzz-* tools as modules of one purpose each.

  targets.py     target names: `address` and `address_fuzzer` both name fuzz/address_fuzzer.cc
  stats.py       progress from libFuzzer status lines and AFL++ fuzzer_stats (exec/s, coverage)
  signature.py   a crash's signature (sanitizer type + top project frames), for deduplication
  corpus.py      corpus folders and adding inputs named by SHA-256
  build.py       checking the engine, building a preset, whether a build has sanitizers
  triage.py      reproducing, minimising and filing crashes
  engines.py     running libFuzzer (-fork) and AFL++ (-M/-S, CMPLOG), merging corpora
  state.py       WORKDIR/state.json and the per-target progress series
  overnight.py   tools/fuzz-overnight;  report.py: tools/fuzz-report
  coverage.py    tools/fuzz-coverage;  corpus_add.py: tools/fuzz-corpus-add
  seeds.py       tools/fuzz-seeds
"""
