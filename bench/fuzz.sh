#!/bin/bash
# The long parser fuzz run: FUZZ_CASES executions (default 1,000,000) of every parser that
# reads untrusted input, in release. Prints one line per parser: executions, panics, time,
# executions/s and the slowest single input; then how the work grows on the input families
# that were once quadratic (engine::growth: CPU time at 10n over n). Inputs that panic are written to
# FUZZ_CRASH_DIR (default a new temp folder): add them to fuzz/corpus/<parser>/ with the fix.
#   bench/fuzz.sh                 # 1,000,000 each, seed 1
#   FUZZ_CASES=5000000 FUZZ_SEED=7 bench/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_CASES=${FUZZ_CASES:-1000000}
export FUZZ_CRASH_DIR=${FUZZ_CRASH_DIR:-$(mktemp -d -t reload-doctor-fuzz-XXXXXX)}
jobs=${FUZZ_JOBS:-2}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --release -q -p reload-doctor-checks --test parser_fuzz -- \
    --nocapture --test-threads="$jobs" >"$log" 2>&1 || status=1
cargo test --release -q -p reload-doctor-runner proxy::fuzz -- --nocapture >>"$log" 2>&1 || status=1
echo "parser          executions  panics    time      rate          slowest input"
grep -o 'FUZZ .*' "$log" | sed 's/^FUZZ //' | sort
echo
echo "input family           ten times the input: times the work (linear ~10, quadratic ~100)"
grep -o 'LINEAR .*' "$log" | sed 's/^LINEAR //' | sort
if [ $status -ne 0 ]; then
    grep -E 'panicked|first panic' "$log" || true
    echo "failing inputs in $FUZZ_CRASH_DIR"
fi
exit $status
