#!/usr/bin/env bash
# Step 6: the reconcile function on a schedule: an EventBridge rule (WIBL_RECONCILE_SCHEDULE)
# whose one target is the function, and a permission that lets events.amazonaws.com invoke it
# for that rule only (--source-arn = the rule's ARN). Sourced by deploy.sh; can also be run alone.
set -euo pipefail

RECONCILE_TARGET_ID=reconcile

step_schedule() {
  say "step: schedule"
  # the rule
  local rule=""
  if probe 'ResourceNotFoundException' events describe-rule --name "$SCHEDULE_RULE" \
    --query '[ScheduleExpression,State]' --output text; then
    rule="$PROBE_OUT"
  fi
  if [[ "$rule" == "$WIBL_RECONCILE_SCHEDULE"$'\t'ENABLED ]]; then
    unchanged "rule $SCHEDULE_RULE: $WIBL_RECONCILE_SCHEDULE"
  else
    run "schedule rule $SCHEDULE_RULE" events put-rule --name "$SCHEDULE_RULE" \
      --schedule-expression "$WIBL_RECONCILE_SCHEDULE" --state ENABLED \
      --description "WIBL $WIBL_DEPLOYMENT_NAME: runs $RECONCILE_FUNCTION (AWS-setup/deploy.sh)"
    if [[ -n "$rule" ]]; then updated "rule $SCHEDULE_RULE: $WIBL_RECONCILE_SCHEDULE"; else created "rule $SCHEDULE_RULE: $WIBL_RECONCILE_SCHEDULE"; fi
  fi

  # its one target
  probe 'a^' events list-targets-by-rule --rule "$SCHEDULE_RULE" --query 'Targets[*].[Id,Arn]' --output text
  if [[ "$PROBE_OUT" == "$RECONCILE_TARGET_ID"$'\t'"$RECONCILE_FUNCTION_ARN" ]]; then
    unchanged "rule $SCHEDULE_RULE -> $RECONCILE_FUNCTION"
  else
    local id others=()
    while IFS=$'\t' read -r id _; do
      [[ -z "$id" || "$id" == "$RECONCILE_TARGET_ID" ]] || others+=("$id")
    done <<<"$PROBE_OUT"
    if ((${#others[@]})); then
      run "remove other targets of $SCHEDULE_RULE" events remove-targets --rule "$SCHEDULE_RULE" --ids "${others[@]}"
    fi
    run "target of $SCHEDULE_RULE" events put-targets --rule "$SCHEDULE_RULE" \
      --targets "Id=$RECONCILE_TARGET_ID,Arn=$RECONCILE_FUNCTION_ARN"
    updated "rule $SCHEDULE_RULE -> $RECONCILE_FUNCTION"
  fi

  # EventBridge may invoke the function, for this rule only
  local policy="" sid_re="\"Sid\" *: *\"$SCHEDULE_STATEMENT_ID\""
  if probe 'ResourceNotFoundException' lambda get-policy --function-name "$RECONCILE_FUNCTION" --query Policy --output text; then
    policy="$PROBE_OUT"
  fi
  if [[ "$policy" =~ $sid_re ]]; then
    if [[ "$policy" == *"\"$SCHEDULE_RULE_ARN\""* ]]; then
      unchanged "function $RECONCILE_FUNCTION: events.amazonaws.com may invoke it from $SCHEDULE_RULE_ARN"
      return
    fi
    run "remove stale permission of $RECONCILE_FUNCTION" lambda remove-permission --function-name "$RECONCILE_FUNCTION" \
      --statement-id "$SCHEDULE_STATEMENT_ID"
    removed "function $RECONCILE_FUNCTION: stale invoke permission $SCHEDULE_STATEMENT_ID"
  fi
  run "invoke permission of $RECONCILE_FUNCTION" lambda add-permission --function-name "$RECONCILE_FUNCTION" \
    --statement-id "$SCHEDULE_STATEMENT_ID" --action lambda:InvokeFunction --principal events.amazonaws.com \
    --source-arn "$SCHEDULE_RULE_ARN"
  created "function $RECONCILE_FUNCTION: events.amazonaws.com may invoke it from $SCHEDULE_RULE_ARN"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_schedule
fi
