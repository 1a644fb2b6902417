#!/usr/bin/env bash
# `make bench`: builds the benchmark runner in release mode and runs every benchmark
# (or those named as arguments). Each prints its figure beside a same-run reference.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product footfall-bench
.build/release/footfall-bench "$@"
