#!/bin/bash
# The long whole-project mutation loop: PROJECT_FUZZ_CASES (default 10,000) mutated project
# trees, each reported on by the release binary with --json (one in 50 also compiles; a third
# as user nobody). Counts panics, hangs over 20 s, bad output and any change to the tree.
#   bench/project-fuzz.sh
#   PROJECT_FUZZ_CASES=500 PROJECT_FUZZ_JOBS=4 FUZZ_SEED=3 bench/project-fuzz.sh
#   PROJECT_FUZZ_ONLY=1234 bench/project-fuzz.sh    # repeat one case
#   PROJECT_FUZZ_SECONDS=1800 bench/project-fuzz.sh # stop starting cases after 30 min
set -euo pipefail
cd "$(dirname "$0")/.."
export PROJECT_FUZZ_CASES=${PROJECT_FUZZ_CASES:-10000}
export PROJECT_FUZZ_JOBS=${PROJECT_FUZZ_JOBS:-4}
cargo test --release -q --test project_fuzz mutated_projects -- --nocapture 2>&1 |
    grep -vE '^(running|test |$)'
