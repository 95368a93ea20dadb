#!/usr/bin/env bash
# Side by side on the same fixture and .air.toml: save-to-serving latency (median and p95),
# the same minus the build, and processes left behind, for reload-doctor run, air v1.67.4 and
# codegangsta/gin. The peers are installed with `go install` into a temporary GOBIN that is
# removed afterwards. Not part of CI.
#
#   bench/peers.sh            # 10 rounds = 20 saves per tool
#   ROUNDS=5 TOOLS="ours air gin" bench/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-10}
# gin is not in the default set: it predates Go modules, and the module proxy reachable here
# refuses the version listing its dependencies (codegangsta/envy) need, so it cannot be built.
TOOLS=${TOOLS:-"ours air"}
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/reload-doctor"
work=$(mktemp -d /tmp/rd-peers.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOBIN=$work/bin PATH=$work/bin:$PATH
for tool in $TOOLS; do
  case $tool in
    air) go install github.com/air-verse/air@v1.67.4 ;;
    # The module proxy serves gin only by its pseudo-version (the repository has no tags).
    gin) go install github.com/codegangsta/gin@v0.0.0-20211113050330-71f90109db02 ;;
  esac
done
for tool in $TOOLS; do
  project=$work/project-$tool
  cp -r fixtures/stdlib-healthy "$project"
  cp bench/peer.air.toml "$project/.air.toml"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" verify --json --with "$tool" --rounds "$ROUNDS" --port "$port" --project "$project" > "$work/$tool.json" || true
done
python3 - "$work" $TOOLS <<'PY'
import json, statistics, sys
work, tools = sys.argv[1], sys.argv[2:]
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print(f"{'tool':6} {'saves':>5} {'serving median':>15} {'p95':>8} {'minus build, median':>20} {'left behind':>12}")
for t in tools:
    v = json.load(open(f"{work}/{t}.json"))
    ok = [s for s in v["saves"] if s["ok"]]
    serving = [s["serving_ms"] for s in ok]
    minus = [s["serving_ms"] - s["built_ms"] for s in ok if s["built_ms"] is not None]
    if not serving:
        print(f"{t:6} failed at {v['failure']}"); continue
    m = f"{statistics.median(minus):.0f} ms" if minus else "n/a"
    print(f"{t:6} {len(serving):5} {statistics.median(serving):12.0f} ms {pct(serving, 95):5.0f} ms {m:>20} {len(v['left_behind']):12}")
    if v["failure"]:
        print(f"       then failed: {v['failure']}")
PY
