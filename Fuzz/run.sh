#!/bin/sh
# Builds the libFuzzer harnesses and runs one of them. See README.md.
# Usage: Fuzz/run.sh [decode|convert|json] [extra libFuzzer flags]
#   MAX_TIME=seconds (default 600); MAX_LEN=bytes (default 4096 for decode, 1 MiB otherwise);
#   NICE=n (default 10); NO_BUILD=1 skips the build.
set -eu
cd "$(dirname "$0")"
harness=decode
case "${1:-}" in
    decode | convert | json) harness="$1"; shift ;;
esac
if [ "${NO_BUILD:-0}" != 1 ]; then
    swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
fi
mkdir -p ../testdata/fuzz
seeds="corpus/$harness-seeds"
work="corpus/$harness-work"
mkdir -p "$seeds" "$work"
case "$harness" in
    decode)
        binary=FuzzWIBLDecode
        max_len="${MAX_LEN:-4096}"
        # The first 2 KiB of every test file (short inputs keep executions fast), Fuzz/seeds/.
        for f in ../testdata/wibl/*.wibl; do head -c 2048 "$f" > "$seeds/$(basename "$f")"; done
        cp seeds/*.wibl "$seeds/"
        ;;
    convert)
        binary=FuzzWIBLConvert
        max_len="${MAX_LEN:-1048576}"
        # Whole test files (up to 1 MiB), and their first 4 KiB / 64 KiB for speed.
        for f in ../testdata/wibl/*.wibl ../testdata/streaming/*.wibl seeds/*.wibl; do
            [ -f "$f" ] || continue
            b="$(basename "$f" .wibl)"
            head -c "$max_len" "$f" > "$seeds/$b.wibl"
            head -c 4096 "$f" > "$seeds/$b-4k.wibl"
            head -c 65536 "$f" > "$seeds/$b-64k.wibl"
        done
        ;;
    json)
        binary=FuzzJSON
        max_len="${MAX_LEN:-1048576}"
        # JSON texts of the repository: configurations, metadata, events, and the starts of documents.
        find .. \( -name '.build*' -o -path ../Fuzz/corpus \) -prune -o \
            -name '*.json' -size -1024k -print | while read -r f; do
            cp "$f" "$seeds/$(echo "$f" | tr '/.' '__').json"
        done
        for f in ../testdata/wibl/*.geojson; do head -c 8192 "$f" > "$seeds/$(basename "$f")-8k"; done
        printf '{"properties":{"a":1,"b":[1,2.5,-0.0,1e300,"\\u00e9\\ud83d\\ude00"],"a":null}}' > "$seeds/dup.json"
        ;;
esac
# Every input that ever crashed or was slow, whichever harness found it.
for f in ../testdata/fuzz/*; do
    if [ -f "$f" ] && [ "$(basename "$f")" != README.md ]; then cp "$f" "$seeds/"; fi
done
exec nice -n "${NICE:-10}" ".build/release/$binary" "$work" "$seeds" \
    -max_len="$max_len" -artifact_prefix="../testdata/fuzz/$harness-" -print_final_stats=1 \
    -report_slow_units=1 -timeout=20 -rss_limit_mb=4096 -max_total_time="${MAX_TIME:-600}" "$@"
