#!/usr/bin/env bash
# Measures the cold start of the Lambda bootstrap on this machine: time from exec to its first
# request to the Runtime API (GET /2018-06-01/runtime/invocation/next), against a local stand-in
# for the Runtime API on 127.0.0.1 (lib/runtime_api_probe.py), plus the time to answer one S3
# test event and the peak RSS. Lambda adds its own sandbox and download time on top of this.
#
# Usage: AWS-setup/measure-cold-start.sh [BOOTSTRAP_OR_ZIP] [--handler process|submit] [--runs N] [--timeout S]
#   default input: the zip made by package.sh (WIBL_ZIP), else .build/release/bootstrap
# Exit status 2: the bootstrap never called the Runtime API (a placeholder main exits at once).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WIBL_SCRIPT=measure-cold-start
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
validate_config

command -v python3 >/dev/null 2>&1 || die "python3 not found (the local Runtime API stand-in is a Python script)"
input=""
if [[ $# -gt 0 && "$1" != -* ]]; then
  input="$1"
  shift
fi
if [[ -z "$input" ]]; then
  if [[ -f "$WIBL_ZIP" ]]; then
    input="$WIBL_ZIP"
  elif [[ -x "$WIBL_REPO_ROOT/.build/release/bootstrap" ]]; then
    input="$WIBL_REPO_ROOT/.build/release/bootstrap"
  else
    die "no bootstrap found: run AWS-setup/package.sh first, or name an executable or zip"
  fi
fi
[[ -f "$input" ]] || die "$input: no such file"
say "measuring $input"
exec python3 "$here/lib/runtime_api_probe.py" "$input" "$@"
