#!/usr/bin/env bash
# Installs what building, serving and testing Footfall need, idempotently:
# Debian packages only when missing (one `apt-get update` at most), Python tools only
# when missing. Usage: scripts/install-prereqs.sh serve|test|bench
set -euo pipefail
purpose="${1:-test}"

apt_packages=(libsqlite3-dev zlib1g-dev libmaxminddb-dev publicsuffix)
pip_packages=()
case "$purpose" in
  serve) ;;
  # node-terser minifies the tracker (TrackerJS/build.sh); chromium + chromium-driver +
  # selenium run the real-browser tracker tests; schemathesis fuzzes the Lead API against its OpenAPI document.
  # clickhouse-server backs the ClickHouse backend's tests (scripts/clickhouse-local.sh).
  test) apt_packages+=(node-terser chromium chromium-driver clickhouse-server curl); pip_packages+=(pytest selenium schemathesis) ;;
  bench) apt_packages+=(node-terser wrk nginx-light clickhouse-server curl); pip_packages+=(duckdb requests) ;;
  *) echo "usage: $0 serve|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for package in "${pip_packages[@]}"; do
  module="${package%%[=<>]*}"
  python3 -c "import ${module//-/_}" 2>/dev/null && continue
  echo "installing Python package: $package"
  python3 -m pip install -q "$package" 2>/dev/null || python3 -m pip install -q --break-system-packages "$package"
done
