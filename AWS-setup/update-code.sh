#!/usr/bin/env bash
# Uploads a new deployment package to the three functions, and nothing else: each function gets the
# zip only if its SHA-256 (or the architecture) differs from what it runs. Functions must
# exist (deploy.sh). Usage: AWS-setup/package.sh && AWS-setup/update-code.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=steps/40-functions.sh
source "$here/steps/40-functions.sh"

[[ $# -eq 0 ]] || die "update-code.sh takes no arguments"
require_cli
validate_config
require_zip
preflight
ensure_code "$PROCESS_FUNCTION"
ensure_code "$SUBMIT_FUNCTION"
ensure_code "$RECONCILE_FUNCTION"
say "done"
