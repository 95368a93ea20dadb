#!/usr/bin/env bash
# Issue 6's comparison in one run: reload latency (bench/peers.sh), bursts, load and leftovers
# (bench/peers-load.py), and the report on a 20,000-directory tree (bench/report-20k.sh).
# Installs air v1.67.4 into temporary folders; not part of CI. gin is left out by default:
# see bench/peers.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== save to serving (20 saves each)"; bench/peers.sh
echo; echo "== bursts, load through each proxy, leftovers"; python3 bench/peers-load.py
echo; echo "== reload-doctor report on 20,000 directories"; bench/report-20k.sh 10
