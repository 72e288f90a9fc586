#!/bin/sh
# Builds the bundle fuzzers and runs one of them. See README.md.
# Usage: Fuzz/Bundle/run.sh tar|gzip [extra libFuzzer flags]   (MAX_TIME=seconds, default 300)
set -eu
cd "$(dirname "$0")"
target="${1:-tar}"
[ "$#" -gt 0 ] && shift
case "$target" in
    tar) product=FuzzTar ;;
    gzip) product=FuzzGzip ;;
    *) echo "usage: $0 tar|gzip [libFuzzer flags]" >&2; exit 64 ;;
esac
swift build -c release --product "$product" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
mkdir -p "corpus/$target" seeds ../../testdata/fuzz-bundle
# Seeds: small archives made by the system tar in each format (and their gzip), every earlier finding.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/logs"
head -c 700 ../../testdata/wibl/synth-v1_0.wibl > "$tmp/logs/wibl-raw.0"
printf '{"files": 1}' > "$tmp/logs/catalog.jsn"
for format in gnu pax ustar; do
    tar --format="$format" -cf "seeds/$format.tar" -C "$tmp" logs
    gzip -9 -c "seeds/$format.tar" > "seeds/$format.tgz"
done
for f in ../../testdata/fuzz-bundle/*; do [ -f "$f" ] && cp "$f" seeds/; done
exec nice ".build/release/$product" "corpus/$target" seeds \
    -max_len=8192 -artifact_prefix=../../testdata/fuzz-bundle/ -print_final_stats=1 \
    -max_total_time="${MAX_TIME:-300}" "$@"
