#!/usr/bin/env bash
# Median latency a request gains through `run --proxy`: 300 requests direct to a loopback app
# and 300 through the proxy on one keep-alive connection (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --quiet --bin reload-doctor added_latency_per_request_is_small -- --ignored --nocapture 2>&1 \
  | grep -E "median direct|test result"
