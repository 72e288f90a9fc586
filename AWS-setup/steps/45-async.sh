#!/usr/bin/env bash
# Step 4b: how Lambda invokes each function asynchronously (S3 events, the schedule): at most
# WIBL_ASYNC_RETRY_ATTEMPTS retries, events at most WIBL_ASYNC_MAX_EVENT_AGE seconds old, and an
# event that still fails goes to the failed-events queue instead of being dropped (cloud.md 8.3).
# The function's role may sqs:SendMessage to that queue (step 2). Sourced by deploy.sh; can run alone.
set -euo pipefail

ASYNC_QUERY='[to_string(MaximumRetryAttempts),to_string(MaximumEventAgeInSeconds),DestinationConfig.OnFailure.Destination,to_string(DestinationConfig.OnSuccess.Destination)]'

# ensure_async_config FUNCTION
ensure_async_config() {
  local name="$1" expected had=0
  expected="$WIBL_ASYNC_RETRY_ATTEMPTS"$'\t'"$WIBL_ASYNC_MAX_EVENT_AGE"$'\t'"$FAILED_EVENTS_QUEUE_ARN"$'\t'"null"
  if probe 'ResourceNotFoundException' lambda get-function-event-invoke-config --function-name "$name" \
    --query "$ASYNC_QUERY" --output text; then
    had=1
    if [[ "$PROBE_OUT" == "$expected" ]]; then
      unchanged "function $name: $WIBL_ASYNC_RETRY_ATTEMPTS retries, events up to $WIBL_ASYNC_MAX_EVENT_AGE s, failures -> $FAILED_EVENTS_QUEUE"
      return
    fi
    # delete + put rather than update: a put replaces every field, so nothing stale survives
    run "remove the asynchronous invocation settings of $name" lambda delete-function-event-invoke-config \
      --function-name "$name"
  fi
  run "asynchronous invocation settings of $name" lambda put-function-event-invoke-config --function-name "$name" \
    --maximum-retry-attempts "$WIBL_ASYNC_RETRY_ATTEMPTS" --maximum-event-age-in-seconds "$WIBL_ASYNC_MAX_EVENT_AGE" \
    --destination-config "{\"OnFailure\":{\"Destination\":$(json_string "$FAILED_EVENTS_QUEUE_ARN")}}"
  local report=created
  ((had == 0)) || report=updated
  "$report" "function $name: $WIBL_ASYNC_RETRY_ATTEMPTS retries, events up to $WIBL_ASYNC_MAX_EVENT_AGE s, failures -> $FAILED_EVENTS_QUEUE"
}

step_async() {
  say "step: asynchronous invocation"
  ensure_async_config "$PROCESS_FUNCTION"
  ensure_async_config "$SUBMIT_FUNCTION"
  ensure_async_config "$RECONCILE_FUNCTION"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_async
fi
