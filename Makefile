# Footfall: `make serve` runs the product, `make test` runs every test.
# Each target installs its own prerequisites first (idempotent).

PORT ?= 8080
FOOTFALL_DATA ?= ./footfall-data
# The private clickhouse-server `make test` starts for the ClickHouse backend's tests.
CLICKHOUSE_TEST_DIR ?= /tmp/footfall-clickhouse-test

.PHONY: serve test build-tests clickhouse-test-server test-swift test-tracker test-e2e bench tracker

serve:
	scripts/install-prereqs.sh serve
	swift build -c release --product footfall
	.build/release/footfall serve --demo --port $(PORT) --data $(FOOTFALL_DATA)

test:
	scripts/install-prereqs.sh test
	status=0; $(MAKE) test-swift test-tracker test-e2e || status=$$?; \
	scripts/clickhouse-local.sh stop $(CLICKHOUSE_TEST_DIR); exit $$status

# One debug build with tests enabled serves the Swift tests and the end-to-end binary
# (a separate `--product` build would recompile everything without -enable-testing).
build-tests:
	swift build --build-tests

# The ClickHouse backend's tests run against a private clickhouse-server on loopback
# (Debian's 18.16, port 18123), started here if it is not running yet; `make test` stops it.
clickhouse-test-server:
	$(eval export FOOTFALL_CLICKHOUSE_URL := $(shell scripts/clickhouse-local.sh start $(CLICKHOUSE_TEST_DIR) 18123))
	@test -n "$(FOOTFALL_CLICKHOUSE_URL)" || { echo "clickhouse-server did not start" >&2; exit 1; }

test-swift: build-tests clickhouse-test-server
	swift test --skip-build

test-tracker:
	node --test TrackerJS/test/*.test.js
	TrackerJS/build.sh --check

test-e2e: build-tests clickhouse-test-server
	scripts/embed-openapi.sh --check
	FOOTFALL_BIN=$(CURDIR)/.build/debug/footfall python3 -m pytest -q Tests/EndToEnd

# `make bench NAME…` runs only the named benchmarks (e.g. `make bench export`).
BENCH_NAMES := $(filter-out bench,$(MAKECMDGOALS))
bench:
	scripts/install-prereqs.sh bench
	Benchmarks/run.sh $(BENCH_NAMES)
ifneq ($(filter bench,$(MAKECMDGOALS)),)
$(BENCH_NAMES): ; @:
endif

tracker:
	TrackerJS/build.sh
