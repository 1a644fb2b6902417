#!/usr/bin/env bash
# `make bench`: builds the benchmark runner in release mode and runs every benchmark
# (or those named as arguments; `ingest` is the load test in Benchmarks/ingest.sh).
# Each prints its figure beside a reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product footfall-bench
names=()
run_ingest=0
for name in "$@"; do
  if [ "$name" = ingest ]; then run_ingest=1; else names+=("$name"); fi
done
if [ $# -eq 0 ] || [ ${#names[@]} -gt 0 ]; then .build/release/footfall-bench "${names[@]}"; fi
if [ $# -eq 0 ] || [ $run_ingest -eq 1 ]; then Benchmarks/ingest.sh; fi
