#!/usr/bin/env bash
# Ingest under load with durable acks: wrk posts a realistic beacon mix (Benchmarks/ingest.lua,
# visits from Fixtures/) to `footfall serve` (release) on loopback for a bounded time; the same-run
# reference is nginx answering `return 204` (+ access log) to the same requests (DESIGN's
# yardstick), and a bare SwiftNIO server answering 202 with no work (the HTTP floor). Prints
# req/s, p50/p99, peak RSS for both, the ratios, events stored vs 202s sent, the same load on a fresh server with a small --max-held-events (memory bound), then the
# writer alone beside the SQLite floor (footfall-bench writer), also in this run.
# wrk, nginx and footfall share the machine's cores, as do any other builds running.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${FOOTFALL_BENCH_SECONDS:-10}"
connections="${FOOTFALL_BENCH_CONNECTIONS:-128}"
durability="${FOOTFALL_BENCH_DURABILITY:-full}"
scratch="${FOOTFALL_BENCH_SCRATCH:-.build}"  # SwiftPM scratch path of the release build
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run_wrk() { wrk -t2 -c"$connections" -d"${duration}s" --latency -s Benchmarks/ingest.lua "$1" > "$work/wrk.txt"; }
rate() { awk '/Requests\/sec/ {print $2}' "$work/wrk.txt"; }
latency() { awk -v q="$1" '$1 == q {print $2}' "$work/wrk.txt"; }
# Peak resident set (VmHWM, MB) of the given processes, summed.
peak_rss() { local kb=0; for pid in "$@"; do kb=$((kb + $(awk '/VmHWM/ {print $2}' "/proc/$pid/status"))); done; echo $((kb / 1024)); }

swift build -c release --scratch-path "$scratch" --product footfall > /dev/null 2>&1
swift build -c release --scratch-path "$scratch" --product footfall-bench > /dev/null 2>&1
footfall=$scratch/release/footfall
site=$($footfall site create --name Bench --domain acme.com --data "$work/data")
port=$(free_port)
$footfall serve --data "$work/data" --port "$port" --trusted-proxy 127.0.0.1/32 --durability "$durability" \
  --ip-rate 0 --log-level warning > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
sent_ok() { local sent non2xx; sent=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt"); echo $((sent - ${non2xx:-0})); }
FOOTFALL_BENCH_SITE=$site run_wrk "http://127.0.0.1:$port/"
ours=$(rate); p50=$(latency 50%); p99=$(latency 99%); acked=$(sent_ok)
# The same connections, each pausing between requests (at random, `pace` ms on average) so
# the offered load is about half of the rate just measured: the latency a site sees when
# ingest is not saturated.
pace=$(python3 -c "print(max(1, round(2 * $connections * 1000 / $ours)))")
FOOTFALL_BENCH_SITE=$site FOOTFALL_BENCH_DELAY_MS=$pace run_wrk "http://127.0.0.1:$port/"
half=$(rate); half_p50=$(latency 50%); half_p99=$(latency 99%); acked=$((acked + $(sent_ok)))
sleep 1
# The durability floor of a 202: one fsync of a small append on the data directory's file
# system (a group commit does at least one), timed here with nothing else writing.
fsync_ms=$(python3 - "$work/fsync-probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
samples = []
for _ in range(300):
    start = time.perf_counter(); os.write(fd, b"x" * 4096); os.fsync(fd); samples.append((time.perf_counter() - start) * 1000)
samples.sort()
print(f"p50 {samples[150]:.2f}ms, p99 {samples[296]:.2f}ms")
PY
)
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
stored=$(awk '/^footfall_events_accepted_total/ {print $2}' <<< "$metrics")
# Beacons answered 202 but not stored on purpose (a few corpus User-Agents judge as bots).
dropped=$(awk '/^footfall_events_dropped_total/ {n += $2} END {print n + 0}' <<< "$metrics")
our_rss=$(peak_rss "$server_pid")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

# Memory bound: a fresh server whose sessionizer holds at most $max_held events, at full load.
max_held="${FOOTFALL_BENCH_MAX_HELD:-50000}"
capped_site=$($footfall site create --name Bench --domain acme.com --data "$work/capped")
capped_port=$(free_port)
$footfall serve --data "$work/capped" --port "$capped_port" --trusted-proxy 127.0.0.1/32 --durability "$durability" \
  --ip-rate 0 --max-held-events "$max_held" --log-level warning > "$work/capped.log" 2>&1 &
capped_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$capped_port/healthz" > /dev/null && break; sleep 0.1; done
FOOTFALL_BENCH_SITE=$capped_site run_wrk "http://127.0.0.1:$capped_port/"
capped=$(rate)
capped_stored=$(curl -s "http://127.0.0.1:$capped_port/metrics" | awk '/^footfall_events_accepted_total/ {print $2}')
capped_rss=$(peak_rss "$capped_pid")
kill "$capped_pid"; wait "$capped_pid" 2>/dev/null || true

# The HTTP floor: a bare SwiftNIO server with the pipeline ingest uses, answering 202 with no
# work (footfall-bench http-floor), under the same requests.
floor_port=$(free_port)
$scratch/release/footfall-bench http-floor "$floor_port" > "$work/floor.log" 2>&1 &
floor_pid=$!
for _ in $(seq 100); do curl -sf -X POST "http://127.0.0.1:$floor_port/e" > /dev/null && break; sleep 0.1; done
FOOTFALL_BENCH_SITE=$site run_wrk "http://127.0.0.1:$floor_port/"
floor=$(rate); floor_p99=$(latency 99%)
kill "$floor_pid"; wait "$floor_pid" 2>/dev/null || true

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
reference=$(rate); ref_p50=$(latency 50%); ref_p99=$(latency 99%)
nginx_rss=$(peak_rss $(pgrep -f "nginx.*$work/nginx.conf"))

echo "== ingest (wrk, $connections connections, ${duration}s, --durability $durability, one site, 20k visitors at a time)"
echo "  footfall: $ours req/s, p50 $p50, p99 $p99"
echo "  footfall at half load (each connection pausing ${pace} ms on average, at random): $half req/s, p50 $half_p50, p99 $half_p99"
echo "  footfall peak RSS after both runs: ${our_rss} MB (${stored:-0} events; the sessionizer holds each until its visit is final)"
echo "  footfall with --max-held-events $max_held (a fresh server, full load): $capped req/s, peak RSS ${capped_rss} MB after ${capped_stored:-0} events (visitors idle longest released: their later beacons join no visit)"
echo "  fsync of a 4 KB append on the same file system (each durable 202 waits for one): $fsync_ms"
echo "  nginx return 204 + access log: $reference req/s, p50 $ref_p50, p99 $ref_p99, peak RSS ${nginx_rss} MB"
echo "  ratio footfall/nginx: $(python3 -c "print(f'{$ours/$reference:.2f}')")×"
echo "  bare SwiftNIO HTTP/1 answering 202, no work (the HTTP floor): $floor req/s, p99 $floor_p99 ($(python3 -c "print(f'{$floor/$reference:.2f}')")× nginx; footfall/floor $(python3 -c "print(f'{$ours/$floor:.2f}')")×)"
echo "  202s sent (both runs): $acked, events stored: ${stored:-0}, dropped by the pipeline (bots): $dropped"
$scratch/release/footfall-bench writer
