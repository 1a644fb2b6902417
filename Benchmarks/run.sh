#!/usr/bin/env bash
# `make bench`: builds the benchmark runner in release mode and runs every benchmark
# (or those named as arguments; `ingest` is the load test in Benchmarks/ingest.sh, `export`
# the CRM export against the fake HubSpot in Benchmarks/export_bench.py).
# Each prints its figure beside a reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product footfall-bench
# The leads benchmark and the export benchmark drive the release server / CLI.
if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx 'leads\|export'; then swift build -c release --product footfall; fi
export FOOTFALL_BIN="$PWD/.build/release/footfall"
names=()
run_ingest=0
run_export=0
for name in "$@"; do
  case "$name" in
    ingest) run_ingest=1 ;;
    export) run_export=1 ;;
    *) names+=("$name") ;;
  esac
done
# The ClickHouse benchmark runs against a private clickhouse-server in a temporary directory.
if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx 'clickhouse'; then
  clickhouse_dir="$(mktemp -d /tmp/footfall-clickhouse-bench.XXXXXX)"
  trap 'scripts/clickhouse-local.sh stop "$clickhouse_dir"; rm -rf "$clickhouse_dir"' EXIT
  FOOTFALL_CLICKHOUSE_URL="$(scripts/clickhouse-local.sh start "$clickhouse_dir" 18223)"
  export FOOTFALL_CLICKHOUSE_URL
fi
if [ $# -eq 0 ] || [ ${#names[@]} -gt 0 ]; then .build/release/footfall-bench "${names[@]}"; fi
if [ $# -eq 0 ] || [ $run_ingest -eq 1 ]; then Benchmarks/ingest.sh; fi
if [ $# -eq 0 ] || [ $run_export -eq 1 ]; then
  python3 Benchmarks/export_bench.py
fi
