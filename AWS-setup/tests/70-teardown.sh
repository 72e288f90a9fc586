#!/usr/bin/env bash
# Group 7: teardown.sh.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail
need_moto

cli s3api put-object --bucket "$staging" --key keep/readme.txt --body "$work/h.c" >/dev/null 2>&1 ||
  cli s3api put-object --bucket "$staging" --key keep/readme.txt --body "$WIBL_ZIP" >/dev/null
if run_script "$work/teardown1.log" "$setup/teardown.sh"; then
  not_ok "teardown refuses a non-empty bucket" "$(cat "$work/teardown1.log")"
else
  check_contains "teardown refuses a non-empty bucket" "not empty: $staging" "$(cat "$work/teardown1.log")"
fi
# counts: buckets roles functions log-groups parameters queues rules
counts() {
  # shellcheck disable=SC2016  # JMESPath literals, not shell expansions
  echo "$(cli s3api list-buckets --query 'length(Buckets)' --output text) $(cli iam list-roles --query 'length(Roles)' --output text) $(cli lambda list-functions --query 'length(Functions)' --output text) $(cli logs describe-log-groups --query 'length(logGroups)' --output text) $(cli ssm describe-parameters --query 'length(Parameters)' --output text) $(cli sqs list-queues --query 'length(QueueUrls || `[]`)' --output text) $(cli events list-rules --query 'length(Rules)' --output text)"
}
check "the refused teardown deleted nothing" "2 3 3 3 1 1 1" "$(counts)"
if run_script "$work/teardown2.log" "$setup/teardown.sh" --force; then ok "teardown.sh --force succeeds"; else not_ok "teardown.sh --force succeeds" "$(cat "$work/teardown2.log")"; fi
check "no bucket, role, function, log group, parameter, queue or rule left" "0 0 0 0 0 0 0" "$(counts)"
if run_script "$work/teardown3.log" "$setup/teardown.sh"; then ok "a second teardown is a no-op"; else not_ok "a second teardown is a no-op" "$(cat "$work/teardown3.log")"; fi

if grep -rqF "$PROVIDER_AUTH" "$work"/*.log; then not_ok "no script output shows the provider token"; else ok "no script output shows the provider token"; fi
