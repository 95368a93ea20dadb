#!/usr/bin/env bash
# Check out the repositories of a corpus list (`owner/name commit` lines, `#` comments) into
# DEST/owner+name, each at its listed commit, with `git clone` and `git checkout`. Their files
# are other projects' code: they stay in DEST and never go into this repository.
#
# Usage: bench/air-corpus-fetch.sh LIST DEST [URL_TEMPLATE] [owner/name ...]
#   URL_TEMPLATE: where to clone from; {repo} is owner/name, {dir} is owner+name
#                 (default https://github.com/{repo}.git; a local mirror works too).
#   owner/name ...: only these repositories of LIST (default: all of them).
# A repository already checked out at its commit is left as it is; one that cannot be cloned
# or lacks the commit is reported and skipped.
set -u
list=${1:?usage: $0 LIST DEST [URL_TEMPLATE] [owner/name ...]}
dest=${2:?usage: $0 LIST DEST [URL_TEMPLATE] [owner/name ...]}
github='https://github.com/{repo}.git'
template=${3:-$github}
shift $(( $# < 3 ? $# : 3 ))
mkdir -p "$dest"
ok=0 failed=0
while read -r repo commit _; do
    case "$repo" in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$repo"; then
        continue
    fi
    dir=${repo/\//+}
    url=${template//\{repo\}/$repo}
    url=${url//\{dir\}/$dir}
    out="$dest/$dir"
    if [ "$(git -C "$out" rev-parse HEAD 2>/dev/null)" = "$commit" ]; then
        ok=$((ok + 1))
        continue
    fi
    rm -rf "$out"
    # No hooks, no submodules, no LFS smudge: nothing from the repository runs here.
    if GIT_LFS_SKIP_SMUDGE=1 git -c core.hooksPath=/dev/null clone --quiet --no-checkout "$url" "$out" 2>/dev/null \
        && git -C "$out" -c core.hooksPath=/dev/null checkout --quiet "$commit" 2>/dev/null; then
        ok=$((ok + 1))
    else
        echo "skipped $repo: cannot clone $url at $commit" >&2
        rm -rf "$out"
        failed=$((failed + 1))
    fi
done < "$list"
echo "$ok checked out in $dest, $failed skipped"
