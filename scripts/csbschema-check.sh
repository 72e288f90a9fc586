#!/usr/bin/env bash
# Validates GeoJSON files with csbschema (the IHO B-12 validator DCDB uses) and reports which fail.
#   usage: scripts/csbschema-check.sh FILE.geojson...
# Converts nothing itself. Finds csbschema as the tests do: $WIBL_CSBSCHEMA, then PATH, then the
# virtual environment made by scripts/install-test-tools.sh. Exits 0 if every file passes, 1 if any
# fails, 2 if csbschema is missing or no file was given. Set CSBSCHEMA_VERSION to pick a schema.
set -uo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.geojson..." >&2
  exit 2
fi

tool="${WIBL_CSBSCHEMA:-}"
if [ -z "$tool" ]; then
  tool="$(command -v csbschema || true)"
fi
if [ -z "$tool" ]; then
  tool="${WIBL_TOOLS_DIR:-$HOME/.cache/wibl-tools}/csbschema-venv/bin/csbschema"
fi
if [ ! -x "$tool" ]; then
  echo "csbschema-check: csbschema not found; run scripts/install-test-tools.sh or set WIBL_CSBSCHEMA" >&2
  exit 2
fi

version_args=()
if [ -n "${CSBSCHEMA_VERSION:-}" ]; then
  version_args=(--version "$CSBSCHEMA_VERSION")
fi

passed=0
failed=0
failures=()
for file in "$@"; do
  if output="$("$tool" validate -f "$file" "${version_args[@]}" 2>&1)"; then
    echo "PASS $file"
    passed=$((passed + 1))
  else
    echo "FAIL $file"
    printf '%s\n' "$output" | sed 's/^/    /'
    failed=$((failed + 1))
    failures+=("$file")
  fi
done

echo "csbschema: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
  exit 1
fi
