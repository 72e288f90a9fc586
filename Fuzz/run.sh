#!/bin/sh
# Builds the libFuzzer harness and fuzzes the WIBL decoder/encoder. See README.md.
# Usage: Fuzz/run.sh [extra libFuzzer flags]   (MAX_TIME=seconds, default 600)
set -eu
cd "$(dirname "$0")"
swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
mkdir -p corpus/work corpus/seeds ../testdata/fuzz
# Seeds: the first 2 KiB of every test file (short inputs keep executions fast), Fuzz/seeds/,
# and every input that ever crashed.
for f in ../testdata/wibl/*.wibl; do head -c 2048 "$f" > "corpus/seeds/$(basename "$f")"; done
cp seeds/*.wibl corpus/seeds/   # a hand-made file with every packet type
for f in ../testdata/fuzz/*; do
    if [ -f "$f" ] && [ "$(basename "$f")" != README.md ]; then cp "$f" corpus/seeds/; fi
done
exec nice .build/release/FuzzWIBLDecode corpus/work corpus/seeds \
    -max_len=4096 -artifact_prefix=../testdata/fuzz/ -print_final_stats=1 \
    -max_total_time="${MAX_TIME:-600}" "$@"
