#!/usr/bin/env bash
# Ingest under load with durable acks: wrk posts beacons to `footfall serve` (release)
# on loopback for a bounded time; the same-run reference is nginx answering `return 204`
# to the same requests (DESIGN's yardstick). Prints req/s, latency and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${FOOTFALL_BENCH_SECONDS:-10}"
connections="${FOOTFALL_BENCH_CONNECTIONS:-128}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run_wrk() { wrk -t2 -c"$connections" -d"${duration}s" --latency -s Benchmarks/ingest.lua "$1" > "$work/wrk.txt"; }
rate() { awk '/Requests\/sec/ {print $2}' "$work/wrk.txt"; }
latency() { awk -v q="$1" '$1 == q {print $2}' "$work/wrk.txt"; }

swift build -c release --product footfall > /dev/null 2>&1
footfall=.build/release/footfall
site=$($footfall site create --name Bench --domain acme.test --data "$work/data")
port=$(free_port)
$footfall serve --data "$work/data" --port "$port" --trusted-proxy 127.0.0.1/32 --log-level warning > "$work/serve.log" 2>&1 &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
FOOTFALL_BENCH_SITE=$site run_wrk "http://127.0.0.1:$port/"
ours=$(rate); p50=$(latency 50%); p99=$(latency 99%)
stored=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^footfall_events_accepted_total/ {print $2}')
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt"); non2xx=${non2xx:-0}

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 2; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log $work/access.log; client_body_temp_path $work;
  server { listen 127.0.0.1:$nginx_port; location / { return 204; } } }
CONF
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
run_wrk "http://127.0.0.1:$nginx_port/"
reference=$(rate)

echo "== ingest (wrk, $connections connections, ${duration}s, durable 202s)"
echo "  beacons: $ours req/s, p50 $p50, p99 $p99, $stored events stored, $non2xx non-2xx   [nginx return 204 + access log: $reference req/s, ratio $(python3 -c "print(f'{$ours/$reference:.2f}')")×]"
