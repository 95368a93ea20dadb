#!/usr/bin/env bash
# The largest Go source a report reads (just under the 10 MiB cap, checks' files::MAX_BYTES):
# a generated main.go of `var eN = os.Getenv("XN_PORT")` lines, issue 20's input. Times
# `--only signals --no-compile` (the port scan and the signal scan of every report) RUNS
# times with /usr/bin/time and prints user+sys CPU seconds, wall seconds and peak RSS.
#   bench/large-source.sh               # RUNS=5, the release build of this checkout
#   BIN=/path/to/reload-doctor RUNS=3 bench/large-source.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN="${CARGO_TARGET_DIR:-target}/release/reload-doctor"
fi
project=$(mktemp -d /tmp/rd-bench-large.XXXXXX)
trap 'rm -rf "$project"' EXIT INT TERM
printf 'module example.com/large\n\ngo 1.22\n' >"$project/go.mod"
python3 - "$project/main.go" <<'PY'
import sys
cap = 10 << 20
out = ['package main', '', 'import "os"', '']
size = sum(len(l) + 1 for l in out) + len('\nfunc main() {}\n')
i = 0
while True:
    line = 'var e%d = os.Getenv("X%d_PORT")' % (i, i)
    if size + len(line) + 1 > cap - 64:
        break
    out.append(line)
    size += len(line) + 1
    i += 1
out += ['', 'func main() {}', '']
open(sys.argv[1], 'w').write('\n'.join(out))
print('main.go: %d lines of os.Getenv, %d bytes (cap %d)' % (i, size, cap))
PY
echo "run  cpu_s  wall_s  peak_MiB"
for run in $(seq "$RUNS"); do
    /usr/bin/time -f "$run  %U %S %e %M" -o "$project/time" \
        "$BIN" --project "$project" --only signals --no-compile >/dev/null
    read -r n user sys wall kb <"$project/time"
    awk -v n="$n" -v u="$user" -v s="$sys" -v w="$wall" -v k="$kb" \
        'BEGIN { printf "%-4s %6.2f %7.2f %9.1f\n", n, u + s, w, k / 1024 }'
done
