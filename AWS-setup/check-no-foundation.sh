#!/usr/bin/env bash
# Fails if an executable links full Foundation or ICU, which the Lambda package must not carry
# (issue 11: 34 MB of ICU data came in through swift-crypto 3.x's `import Foundation`):
#   - a NEEDED shared library libFoundation*, lib_FoundationICU* or libicu*;
#   - symbols of the ICU data (icudt<N>_dat), FoundationInternationalization or _FoundationICU,
#     looked up with nm when the binary has a symbol table, and as byte strings when it is stripped
#     (the ICU data package keeps its name "icudt<N>l" and Swift metadata keeps module names).
# FoundationEssentials alone is fine (linked statically, or libFoundationEssentials.so): it has no ICU data.
# Usage: AWS-setup/check-no-foundation.sh BINARY     (exit 0 = no Foundation/ICU)
# Called from check-bootstrap.sh (owner: issue10ops); standalone so both can change independently.
set -euo pipefail

me="check-no-foundation"
fail() {
  printf '[%s] FAIL: %s\n' "$me" "$*" >&2
  exit 1
}
[[ $# -eq 1 ]] || fail "usage: check-no-foundation.sh BINARY"
bin="$1"
[[ -f "$bin" ]] || fail "$bin: no such file"
for tool in readelf nm grep; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: install binutils (apt-get install binutils)"
done

problems=()
while read -r lib; do
  case "$lib" in
    libFoundationEssentials*) ;; # no ICU data: fine
    libFoundation* | lib_FoundationICU* | libicu*) problems+=("needs shared library $lib") ;;
  esac
done < <(readelf -d "$bin" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

pattern='icudt[0-9]+_dat|FoundationInternationalization|_FoundationICU'
if symbols="$(nm "$bin" 2>/dev/null)" && [[ -n "$symbols" ]]; then
  found="$(grep -E -o "$pattern" <<<"$symbols" | sort | uniq -c | sort -rn | head -5 | awk '{print $2 " (" $1 " symbols)"}' | paste -sd, - || true)"
  [[ -z "$found" ]] || problems+=("has symbols of full Foundation/ICU: $found")
fi
# Stripped or not: the bytes themselves.
strings_found="$(grep -a -o -E 'icudt[0-9]+l|FoundationInternationalization|_FoundationICU' "$bin" | sort -u | paste -sd, - || true)"
[[ -z "$strings_found" ]] || problems+=("contains full Foundation/ICU data or metadata: $strings_found")

if ((${#problems[@]})); then
  for p in "${problems[@]}"; do printf '[%s] FAIL: %s: %s\n' "$me" "$bin" "$p" >&2; done
  exit 1
fi
printf '[%s] ok: %s links no full Foundation and no ICU (%s bytes)\n' "$me" "$bin" "$(stat -c %s "$bin")"
