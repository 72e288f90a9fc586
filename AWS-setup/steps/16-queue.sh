#!/usr/bin/env bash
# Step 1c: the deployment's failed-events SQS queue, the on-failure destination of every
# function's asynchronous invocations: an event whose invocation still fails after Lambda's
# retries lands here (with the error and the number of attempts) instead of being dropped.
# Messages are kept 14 days, the most SQS allows. Sourced by deploy.sh; can also be run alone.
set -euo pipefail

QUEUE_RETENTION_SECONDS=1209600

step_queue() {
  say "step: failed-events queue"
  local url
  if probe 'NonExistentQueue|QueueDoesNotExist' sqs get-queue-url --queue-name "$FAILED_EVENTS_QUEUE" \
    --query QueueUrl --output text; then
    url="$PROBE_OUT"
    probe 'a^' sqs get-queue-attributes --queue-url "$url" --attribute-names MessageRetentionPeriod \
      --query Attributes.MessageRetentionPeriod --output text
    if [[ "$PROBE_OUT" == "$QUEUE_RETENTION_SECONDS" ]]; then
      unchanged "queue $FAILED_EVENTS_QUEUE (messages kept 14 days)"
    else
      run "retention of queue $FAILED_EVENTS_QUEUE" sqs set-queue-attributes --queue-url "$url" \
        --attributes "MessageRetentionPeriod=$QUEUE_RETENTION_SECONDS"
      updated "queue $FAILED_EVENTS_QUEUE: messages kept 14 days"
    fi
  else
    run "create queue $FAILED_EVENTS_QUEUE" sqs create-queue --queue-name "$FAILED_EVENTS_QUEUE" \
      --attributes "MessageRetentionPeriod=$QUEUE_RETENTION_SECONDS"
    created "queue $FAILED_EVENTS_QUEUE (messages kept 14 days)"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_queue
fi
