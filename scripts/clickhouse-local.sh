#!/usr/bin/env bash
# Starts (or stops) a private clickhouse-server on loopback for tests and benchmarks: its own
# data directory, HTTP port and log, no system service. Prints the store URL to use with
# `footfall serve --store` and FOOTFALL_CLICKHOUSE_URL.
# Usage: scripts/clickhouse-local.sh start|stop [DIR] [HTTP_PORT]
set -euo pipefail
action="${1:?usage: $0 start|stop [DIR] [HTTP_PORT]}"
dir="${2:-/tmp/footfall-clickhouse}"
port="${3:-18123}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$action" in
  stop)
    [ -f "$dir/server.pid" ] && kill "$(cat "$dir/server.pid")" 2>/dev/null || true
    rm -f "$dir/server.pid"
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop [DIR] [HTTP_PORT]" >&2; exit 2 ;;
esac

if curl -fsS "http://127.0.0.1:$port/ping" >/dev/null 2>&1; then
  echo "clickhouse://127.0.0.1:$port/footfall"
  exit 0
fi
command -v clickhouse-server >/dev/null || { echo "clickhouse-server is not installed (apt-get install clickhouse-server)" >&2; exit 1; }

mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/server.err.log</errorlog></logger>
    <http_port>$port</http_port>
    <tcp_port>$((port + 1))</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <!-- keep_alive_timeout stays at its default (3 s), as on a customer's server: the client's
         pool closes idle connections first (ClickHouseClient.poolIdleTimeout). -->
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>268435456</mark_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
XML
cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
        <profile>default</profile><quota>default</quota></default></users>
    <quotas><default></default></quotas>
</yandex>
XML
clickhouse-server --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1 &
echo $! > "$dir/server.pid"
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/ping" >/dev/null 2>&1; then
    echo "clickhouse://127.0.0.1:$port/footfall"
    exit 0
  fi
  sleep 0.2
done
echo "clickhouse-server did not answer on 127.0.0.1:$port; see $dir/server.err.log" >&2
tail -20 "$dir/server.err.log" "$dir/stdout.log" >&2 || true
exit 1
