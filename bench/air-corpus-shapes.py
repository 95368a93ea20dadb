#!/usr/bin/env python3
"""The full report on the shapes of bench/air-corpus-shapes.txt: every folder of a checkout
that holds a reloader config (.air*.toml, air.toml, runner.conf), and the checkout's root.

Each folder of CORPUS is a checkout named owner+name. Runs `--json --no-compile` (the report
runs `go env`, `go list` without downloads, nothing the repositories name) and prints the
header (project, reloader, config, port and where it came from) and every fail/warn, then the
counts by check and problem id.

Usage: bench/air-corpus-shapes.py CORPUS [--binary target/release/reload-doctor]
"""

import argparse
import collections
import json
import os
import subprocess

CONFIG_NAMES = ("runner.conf", "air.toml")
SKIP = {".git", "node_modules", "vendor", "testdata"}


def config_folders(checkout):
    found = set()
    for here, dirs, files in os.walk(checkout):
        dirs[:] = [d for d in dirs if d not in SKIP and not d.startswith("_")]
        if any(f in CONFIG_NAMES or (f.startswith(".air") and f.endswith(".toml")) for f in files):
            found.add(os.path.relpath(here, checkout))
    return ["."] + sorted(found - {"."})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--binary", default="target/release/reload-doctor")
    args = ap.parse_args()
    kinds = collections.Counter()
    runs = 0
    for name in sorted(os.listdir(args.corpus)):
        checkout = os.path.join(args.corpus, name)
        for rel in config_folders(checkout):
            runs += 1
            out = subprocess.run(
                [args.binary, "--json", "--no-compile", "--project", os.path.join(checkout, rel)],
                capture_output=True, text=True, timeout=300,
            ).stdout
            report = json.loads(out)
            label = name if rel == "." else f"{name}/{rel}"
            if "error" in report:
                print(f"{label}: not examined: {report['error'][:160]}")
                kinds[("error", "project", None)] += 1
                continue
            p = report["project"]
            shown = os.path.relpath(p["root"], args.corpus)
            print(f"{label}: project {shown}, {p['reloader']}, port {p['port']} ({p['port_source']})")
            for check in report["checks"]:
                for f in check["findings"]:
                    if f["severity"] not in ("fail", "warn"):
                        continue
                    problem = (f.get("evidence") or {}).get("problem")
                    kinds[(f["severity"], check["id"], problem)] += 1
                    print(f"    {f['severity']} {check['id']}/{problem}: {f['message'][:220]}")
    print(f"\n{runs} reports")
    for (sev, check, problem), n in sorted(kinds.items()):
        print(f"  {sev:5} {check}/{problem}: {n}")


if __name__ == "__main__":
    main()
