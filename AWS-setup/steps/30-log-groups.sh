#!/usr/bin/env bash
# Step 3: the functions' CloudWatch log groups, made in advance so that they get a retention
# (a group Lambda creates by itself keeps logs, and bills for them, forever).
# Sourced by deploy.sh; can also be run alone.
set -euo pipefail

ensure_log_group() {
  local group="$1"
  probe '^$' logs describe-log-groups --log-group-name-prefix "$group" \
    --query "logGroups[?logGroupName=='$group'].[logGroupName,to_string(retentionInDays)]" --output text || true
  if [[ -z "$PROBE_OUT" ]]; then
    run "create log group $group" logs create-log-group --log-group-name "$group"
    created "log group $group"
    PROBE_OUT="$group"$'\t'"null"
  else
    unchanged "log group $group exists"
  fi
  if [[ "${PROBE_OUT##*$'\t'}" == "$WIBL_LOG_RETENTION_DAYS" ]]; then
    unchanged "log group $group: retention $WIBL_LOG_RETENTION_DAYS days"
  else
    run "retention of $group" logs put-retention-policy --log-group-name "$group" --retention-in-days "$WIBL_LOG_RETENTION_DAYS"
    updated "log group $group: retention $WIBL_LOG_RETENTION_DAYS days"
  fi
}

step_log_groups() {
  say "step: log groups"
  ensure_log_group "$PROCESS_LOG_GROUP"
  ensure_log_group "$SUBMIT_LOG_GROUP"
  ensure_log_group "$RECONCILE_LOG_GROUP"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_log_groups
fi
