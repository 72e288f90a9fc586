#!/usr/bin/env bash
# Runs every test of wibl-swift on this machine, installing what they need first:
#   1. the Swift test suite, against a real moto_server with SigV4 checking (started here) and the
#      csbschema validator;
#   2. the AWS-setup script tests (deploy / redeploy / teardown against moto, shellcheck);
#   3. the bootstrap packaging check for Amazon Linux 2023 (glibc ≤ 2.34, allowed libraries only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-test-tools.sh
export WIBL_CSBSCHEMA="${WIBL_TOOLS_DIR:-$HOME/.cache/wibl-tools}/csbschema-venv/bin/csbschema"

echo "== style: swift format lint; the module graph (imports, layering, no Foundation in pure modules)"
swift format lint --strict -r Sources Tests
python3 scripts/module-graph.py --check

echo "== swift build"
swift build

moto_state="$(mktemp -d "${TMPDIR:-/tmp}/wibl-moto.XXXXXX")"
cleanup() { scripts/moto.sh stop "$moto_state" >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/moto.sh start "$moto_state"
set -a
# shellcheck disable=SC1091
source "$moto_state/env"
set +a

echo "== swift test"
swift test

echo "== AWS-setup tests"
AWS-setup/tests/run.sh

echo "== bootstrap packaging check"
AWS-setup/package.sh
