#!/bin/sh
# Installs reload-doctor, a static Linux binary from a GitHub release, checksum verified.
#
#   curl -fsSL https://github.com/OWNER/REPO/releases/latest/download/install.sh | sh
#   sh install.sh -b /usr/local/bin -v v0.2.0
#
# -b DIR  install into DIR (default: ~/.local/bin)
# -v TAG  the release to install (default: the latest)
# RELOAD_DOCTOR_DOWNLOAD_URL  where the releases are (default: the repository's GitHub
#         releases): TAG's files are read from URL/download/TAG/, the latest's from
#         URL/latest/download/, as GitHub lays them out; for a mirror or a test.
set -eu

# The GitHub repository: the release workflow writes it into the install.sh it attaches.
repo=
bindir=
version=latest

say() { printf 'reload-doctor install: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}
usage() {
	echo 'usage: install.sh [-b DIR] [-v TAG]  (default: ~/.local/bin, the latest release)'
}

while getopts b:v:h opt; do
	case $opt in
	b) bindir=$OPTARG ;;
	v) version=$OPTARG ;;
	h)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	usage >&2
	exit 2
fi

if [ -z "$bindir" ]; then
	[ -n "${HOME:-}" ] || die "HOME is not set: name the folder with -b DIR"
	bindir=$HOME/.local/bin
fi

base=${RELOAD_DOCTOR_DOWNLOAD_URL:-}
if [ -z "$base" ]; then
	[ -n "$repo" ] || die "this install.sh does not say where reload-doctor is published: use the one attached to a release, or set RELOAD_DOCTOR_DOWNLOAD_URL"
	base=https://github.com/$repo/releases
fi
base=${base%/}

os=$(uname -s)
[ "$os" = Linux ] || die "the release binaries are for Linux, this is $os: build from source (cargo install --locked --path .)"
arch=$(uname -m)
case $arch in
x86_64 | amd64) target=x86_64-unknown-linux-musl ;;
aarch64 | arm64) target=aarch64-unknown-linux-musl ;;
*) die "no release binary for the architecture $arch (there are x86_64 and aarch64): build from source (cargo install --locked --path .)" ;;
esac
asset=reload-doctor-$target

if [ "$version" = latest ]; then
	url=$base/latest/download
	missing="has the repository a release yet?"
else
	url=$base/download/$version
	missing="is $version a release? the tags are at $base"
fi

# download URL FILE
download() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL -o "$2" "$1" || die "could not download $1 ($missing)"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1" || die "could not download $1 ($missing)"
	else
		die "neither curl nor wget is installed: install one of them"
	fi
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d ' ' -f 1
	else
		die "neither sha256sum nor shasum is installed: the download cannot be verified"
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "downloading $asset ($version) from $url"
download "$url/$asset" "$tmp/$asset"
download "$url/sha256sums.txt" "$tmp/sha256sums.txt"

# A line of sha256sums.txt is "HASH  NAME" ("HASH *NAME" in binary mode).
expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/sha256sums.txt")
[ -n "$expected" ] || die "sha256sums.txt of $version lists no $asset: nothing was installed"
actual=$(sha256 "$tmp/$asset")
[ "$actual" = "$expected" ] || die "checksum mismatch for $asset: sha256sums.txt says $expected, the download is $actual; nothing was installed"

mkdir -p "$bindir" || die "could not create $bindir: choose another folder with -b DIR"
bindir=$(cd "$bindir" && pwd)
chmod 755 "$tmp/$asset"
# Copied beside the target, then renamed over it: a running reload-doctor keeps its file.
cp "$tmp/$asset" "$bindir/.reload-doctor.new" ||
	die "cannot write to $bindir: choose another folder with -b DIR (or run as a user who may write there)"
mv -f "$bindir/.reload-doctor.new" "$bindir/reload-doctor"
say "installed $("$bindir/reload-doctor" --version) as $bindir/reload-doctor"

case :${PATH:-}: in
*:"$bindir":*) ;;
*)
	say "$bindir is not on your PATH; add it, then open a new shell:"
	export_line="export PATH=\"$bindir:\$PATH\""
	printf "  bash:  echo '%s' >> ~/.bashrc\n" "$export_line" >&2
	printf "  zsh:   echo '%s' >> ~/.zshrc\n" "$export_line" >&2
	printf '  fish:  fish_add_path %s\n' "$bindir" >&2
	;;
esac
