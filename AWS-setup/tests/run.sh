#!/usr/bin/env bash
# Tests of the AWS-setup scripts against a local moto_server (IAM, S3, Lambda, CloudWatch Logs,
# STS, SSM, SQS, EventBridge; no Docker: functions are created, never invoked), started here on a
# free 127.0.0.1 port. One file per group, run in this order in one shell (later groups use what
# earlier ones deployed):
#   10-shellcheck.sh   shellcheck on every script, bash shebang, strict mode;
#   20-packaging.sh    check-bootstrap.sh, package.sh (--binary, reproducible zip), measure-cold-start.sh;
#   30-refusals.sh     refusals with a clear message (no CLI, no credentials, wrong account, no
#                      provider id, no token, no zip, bad parameters), and nothing created by them;
#   40-deploy.sh       deploy.sh, then every resource checked with the AWS CLI, with EXACT
#                      least-privilege policies; the token only in the SSM SecureString;
#   50-idempotence.sh  deploy.sh again: no change reported, same snapshot of every resource;
#   60-drift.sh        drift repair, and update-code.sh;
#   70-teardown.sh     teardown.sh refuses a non-empty bucket, --force removes everything, again a no-op.
# lib/harness.sh holds the helpers. Tools come from scripts/install-test-tools.sh (the one
# installer). Usage: AWS-setup/tests/run.sh [GROUP-FILE...]   (default: all, in order)
# Ends with "N passed, M failed"; exit status 1 if anything failed.
set -euo pipefail
tests="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
setup="$(cd "$tests/.." && pwd)"

"$setup/../scripts/install-test-tools.sh" >/dev/null
# shellcheck source=lib/harness.sh
source "$tests/lib/harness.sh"

groups=("$@")
((${#groups[@]})) || groups=("$tests"/[0-9][0-9]-*.sh)
for group in "${groups[@]}"; do
  echo "# ${group##*/}"
  # shellcheck source=/dev/null
  source "$group"
done
summary
