#!/usr/bin/env bash
# Measures the cold start of the Lambda bootstrap on this machine: time from exec to its first
# request to the Runtime API (GET /2018-06-01/runtime/invocation/next), against the project's local
# Runtime API on 127.0.0.1 (WIBLTestSupport's LocalRuntimeAPI, run by the `runtime-api-probe`
# executable of this package, built here when missing), plus the time to answer one S3 test event
# and the peak RSS. Lambda adds its own sandbox and download time on top of this.
#
# Usage: AWS-setup/measure-cold-start.sh [BOOTSTRAP_OR_ZIP] [--handler process|submit] [--runs N] [--timeout S]
#   default input: the zip made by package.sh (WIBL_ZIP), else .build/release/bootstrap
# Exit status 2: the bootstrap never called the Runtime API (a placeholder main exits at once);
# 3: it reported an initialisation error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WIBL_SCRIPT=measure-cold-start
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
validate_config

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

# A zip is unpacked as Lambda does (into its own folder, like /var/task).
bootstrap="$input"
if unzip -Z1 "$input" >/dev/null 2>&1; then
  unzip -Z1 "$input" | grep -x bootstrap >/dev/null || die "$input has no 'bootstrap' at its root"
  unzip -q -o "$input" -d "$WIBL_TMP/task" || die "cannot unpack $input"
  bootstrap="$WIBL_TMP/task/bootstrap"
  chmod 755 "$bootstrap"
fi

probe="$WIBL_REPO_ROOT/.build/debug/runtime-api-probe"
if [[ ! -x "$probe" ]]; then
  say "building runtime-api-probe (swift build --product runtime-api-probe)"
  (cd "$WIBL_REPO_ROOT" && swift build --product runtime-api-probe >"$WIBL_TMP/probe-build.log" 2>&1) ||
    die "cannot build runtime-api-probe: $(tail -5 "$WIBL_TMP/probe-build.log")"
fi
# not exec: the EXIT trap removes the unpacked zip afterwards
"$probe" "$bootstrap" "$@"
