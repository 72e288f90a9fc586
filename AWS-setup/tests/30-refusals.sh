#!/usr/bin/env bash
# Group 3: deploy.sh refuses bad settings with a clear message, and creates nothing.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail
need_moto

# expect_refusal NAME MESSAGE ENV... : deploy.sh with ENV fails and prints MESSAGE
expect_refusal() {
  local name="$1" message="$2"
  shift 2
  if run_script "$work/refusal.log" env "$@" "$setup/deploy.sh"; then
    not_ok "deploy refuses: $name" "it succeeded: $(cat "$work/refusal.log")"
  else
    check_contains "deploy refuses: $name" "$message" "$(cat "$work/refusal.log")"
  fi
}
expect_refusal "no AWS CLI" "AWS CLI '/nonexistent/aws' not found" WIBL_AWS_CLI=/nonexistent/aws
expect_refusal "no credentials" "no usable AWS credentials" -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY
expect_refusal "credentials of another account" "refusing to touch the wrong account" WIBL_ACCOUNT_ID=000000000000
expect_refusal "no provider id" "WIBL_PROVIDER_ID is not set" WIBL_PROVIDER_ID=
expect_refusal "no zip" "run AWS-setup/package.sh first" WIBL_ZIP="$work/missing.zip"
expect_refusal "no token" "no DCDB provider auth token" PROVIDER_AUTH= WIBL_PROVIDER_AUTH_FILE="$work/missing-token.txt"
expect_refusal "bad memory size" "WIBL_LAMBDA_MEMORY 'lots'" WIBL_LAMBDA_MEMORY=lots
expect_refusal "too many asynchronous retries" "WIBL_ASYNC_RETRY_ATTEMPTS '3' must be 0, 1 or 2" WIBL_ASYNC_RETRY_ATTEMPTS=3
expect_refusal "event age out of range" "WIBL_ASYNC_MAX_EVENT_AGE '59'" WIBL_ASYNC_MAX_EVENT_AGE=59
expect_refusal "bad schedule" "WIBL_RECONCILE_SCHEDULE 'every 5 minutes'" "WIBL_RECONCILE_SCHEDULE=every 5 minutes"
expect_refusal "bad parameter name" "WIBL_PROVIDER_AUTH_PARAMETER 'no-slash'" WIBL_PROVIDER_AUTH_PARAMETER=no-slash
# shellcheck disable=SC2016  # JMESPath literals, not shell expansions
check "the refusals created nothing" "0 0 0 0 0" \
  "$(cli s3api list-buckets --query 'length(Buckets)' --output text) $(cli iam list-roles --query 'length(Roles)' --output text) $(cli ssm describe-parameters --query 'length(Parameters)' --output text) $(cli sqs list-queues --query 'length(QueueUrls || `[]`)' --output text) $(cli events list-rules --query 'length(Rules)' --output text)"
if grep -rq "$PROVIDER_AUTH" "$work"/*.log; then not_ok "no log shows the provider token"; fi

