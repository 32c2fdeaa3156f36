#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: the same fuzz targets as the fuzz-libfuzzer
# preset, with the flags the infrastructure gives ($CC, $CXX, $CFLAGS, $CXXFLAGS
# carry the sanitizer and coverage instrumentation; $LIB_FUZZING_ENGINE links
# the engine). Each target ships with its seed corpus, its dictionary and an
# .options file (the per-input timeout of the fuzz-smoke tests). The build tree
# goes to $WORK (base-builder's scratch folder), not into the source tree.
# Tested by fuzz/cflite_build_test.py (ctest -L cflite).
build="${WORK:-$PWD}/build"
cmake -S "$SRC/echo-conformance" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DECHO_BUILD_TESTS=OFF -DECHO_MAN_PAGES=OFF \
  -DECHO_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$build" --target fuzzers -j"$(nproc)"

corpora="$SRC/echo-conformance/corpora"
for binary in "$build"/bin/*_fuzzer; do
  target=$(basename "$binary")
  cp "$binary" "$OUT/"
  if [ -d "$corpora/$target" ]; then
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$corpora/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" . -x '.*' -x '*/.*' -x 'regressions/*')
  fi
  {
    echo "[libfuzzer]"
    echo "timeout = 10"
    if [ -f "$corpora/$target.dict" ]; then
      cp "$corpora/$target.dict" "$OUT/$target.dict"
      echo "dict = $target.dict"
    fi
  } > "$OUT/$target.options"
done
