# inservice — `make run` serves the platform locally, `make test` proves it.
# Everything the targets need is installed on first use (see `make tools`).

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
TRUNK_VERSION := 0.21.14
# trunk needs a wasm-bindgen CLI of exactly the version in the frontend's lockfile, or it downloads one.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print}' frontend/Cargo.lock)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# Every file in tests/tests is a suite: browser_*.rs and browser.rs drive Chromium, openapi.rs is the
# drift check, every other file runs against SQLite and PostgreSQL. A new file runs without an edit here.
BROWSER_SUITES := $(patsubst tests/tests/%.rs,--test %,$(sort $(wildcard tests/tests/browser*.rs)))
E2E_SUITES := $(patsubst tests/tests/%.rs,--test %,$(sort $(filter-out tests/tests/browser%.rs tests/tests/openapi.rs,$(wildcard tests/tests/*.rs))))
PG_ADMIN_URL ?= $(or $(INSERVICE_TEST_PG),postgres://postgres@127.0.0.1:5432/postgres)

.PHONY: help run build server frontend tools test fmt fmt-check clippy unit-test e2e-sqlite e2e-postgres \
        openapi openapi-check browser-test fuzz bench audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: build ## Build everything, prepare ./data (migrate + demo data) and serve on http://127.0.0.1:8080
	$(CARGO_TARGET_DIR)/release/inservice migrate
	$(CARGO_TARGET_DIR)/release/inservice seed --demo
	$(CARGO_TARGET_DIR)/release/inservice serve

build: frontend server ## Build the SPA and the release server

server:
	cargo build --release --locked -p inservice

tools: ## Install the wasm32 target, trunk and wasm-bindgen (pinned versions that build on Rust 1.95)
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || cargo install trunk --version $(TRUNK_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

frontend: tools ## Build the SPA into frontend/dist
	cd frontend && trunk build --release --locked

test: fmt-check clippy unit-test e2e-sqlite e2e-postgres fuzz openapi-check browser-test ## Every check CI runs
	@echo "make test: all checks passed"

fmt: ## Format all Rust code
	cargo fmt --all
	cd frontend && cargo fmt

fmt-check:
	cargo fmt --all --check
	cd frontend && cargo fmt --check

clippy: tools
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cd frontend && cargo clippy --locked --target wasm32-unknown-unknown -- -D warnings

unit-test: ## Unit tests of domain, persistence, api, server and migrations
	cargo test --locked --workspace --exclude inservice-e2e

e2e-sqlite: ## End-to-end HTTP tests against SQLite
	cargo test --locked -p inservice-e2e $(E2E_SUITES) -- sqlite

e2e-postgres: ## End-to-end HTTP tests against PostgreSQL (a database per test, dropped after)
	@if pg_isready -q -d "$(PG_ADMIN_URL)"; then \
	  echo "PostgreSQL reachable: running the end-to-end tests against it"; \
	  INSERVICE_TEST_PG="$(PG_ADMIN_URL)" INSERVICE_REQUIRE_PG=1 cargo test --locked -p inservice-e2e $(E2E_SUITES) -- postgres; \
	elif [ "$${INSERVICE_REQUIRE_PG:-}" = 1 ]; then \
	  echo "PostgreSQL is required (INSERVICE_REQUIRE_PG=1) but not reachable"; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL end-to-end tests (no server at $(PG_ADMIN_URL); set INSERVICE_TEST_PG)"; \
	fi

bench: ## Time course search over 100,000 courses, a 3,000-teacher registration rush and the partner exchange (200,000-record batch, retrieval, 1,000,000-row file) on PostgreSQL (BENCH_ARGS=--explain, --keep, --rush N, --no-search, --exchange N, --exchange-file N)
	@if command -v pg_isready >/dev/null && ! pg_isready -q -d "$(PG_ADMIN_URL)"; then \
	  echo "make bench needs PostgreSQL: no server at $(PG_ADMIN_URL) (start one or set INSERVICE_TEST_PG)"; exit 1; \
	fi
	INSERVICE_TEST_PG="$(PG_ADMIN_URL)" cargo run --release --locked -p inservice-e2e --bin bench -- $(BENCH_ARGS)

fuzz: ## Fuzz every API operation with schemathesis (anonymous, teacher, operator, admin): no 5xx, no schema breaks
	bash tests/fuzz/run.sh

openapi: ## Regenerate openapi/openapi.json from the code
	cargo run --locked -q -p inservice -- openapi > openapi/openapi.json

openapi-check: ## Fail if openapi/openapi.json differs from what the code generates
	cargo test --locked -p inservice-e2e --test openapi

browser-test: ## Drive the real SPA in headless Chromium (needs chromium + chromium-driver)
	@if [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/chromium ]; then \
	  $(MAKE) --no-print-directory frontend && \
	  echo "Chromium found: running the browser tests" && \
	  INSERVICE_REQUIRE_BROWSER=1 cargo test --locked -p inservice-e2e $(BROWSER_SUITES); \
	elif [ "$${INSERVICE_REQUIRE_BROWSER:-}" = 1 ]; then \
	  echo "The browser test is required but chromium/chromium-driver are missing"; exit 1; \
	else \
	  echo "SKIPPED: browser tests (apt-get install chromium chromium-driver)"; \
	fi

audit: ## Check every dependency against the RustSec advisory database (AUDIT_DB=DIR: a local copy, no fetch)
	@command -v cargo-audit >/dev/null || cargo install cargo-audit --locked
	cargo audit $(if $(AUDIT_DB),--db $(AUDIT_DB) --no-fetch,)

clean:
	cargo clean
	rm -rf frontend/dist
