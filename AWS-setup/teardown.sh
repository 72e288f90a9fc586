#!/usr/bin/env bash
# Removes everything deploy.sh created for the deployment in configuration.sh: the bucket
# notifications and buckets, the reconcile schedule rule and its target, the functions (with
# their invoke permissions and asynchronous-invocation settings), their log groups, the roles and
# their policies, the failed-events queue and the token parameter. Refuses to delete a bucket that
# still holds objects unless --force is given, and then checks all of them before deleting anything.
# Usage: AWS-setup/teardown.sh [--force]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,8p' "$0"
      exit 0
      ;;
    *) die "unknown argument '$arg' (usage: teardown.sh [--force])" ;;
  esac
done
preflight

bucket_exists() {
  local err="$WIBL_TMP/head.err"
  awscli s3api head-bucket --bucket "$1" >/dev/null 2>"$err" && return 0
  grep -Eq '\(404\)|Not Found|NoSuchBucket' "$err" && return 1
  die "cannot check bucket $1: $(cat "$err")"
}

# object_count BUCKET: objects, versions and delete markers (at most 1000: enough to decide).
object_count() {
  # shellcheck disable=SC2016  # JMESPath literals, not shell expansions
  probe 'a^' s3api list-object-versions --bucket "$1" --max-items 1000 \
    --query 'length([Versions || `[]`, DeleteMarkers || `[]`][])' --output text
  printf '%s' "$PROBE_OUT"
}

buckets=()
for bucket in "$INCOMING_BUCKET" "$STAGING_BUCKET"; do
  if bucket_exists "$bucket"; then buckets+=("$bucket"); else unchanged "bucket $bucket: absent"; fi
done
nonempty=()
for bucket in ${buckets[@]+"${buckets[@]}"}; do
  n="$(object_count "$bucket")"
  [[ "$n" == 0 ]] || nonempty+=("$bucket ($n objects or versions)")
done
if ((${#nonempty[@]})) && ((!force)); then
  die "not empty: ${nonempty[*]}. Nothing was deleted. Move the data out, or run teardown.sh --force to delete it too"
fi

for bucket in ${buckets[@]+"${buckets[@]}"}; do
  if [[ "$(object_count "$bucket")" != 0 ]]; then
    say "bucket $bucket: deleting its objects (--force)"
    run "empty $bucket" s3 rm "s3://$bucket" --recursive --only-show-errors
    # Versioned buckets also hold old versions and delete markers.
    # shellcheck disable=SC2016  # JMESPath literals, not shell expansions
    probe 'a^' s3api list-object-versions --bucket "$bucket" \
      --query '[Versions || `[]`, DeleteMarkers || `[]`][][[Key,VersionId]][]' --output text
    while IFS=$'\t' read -r key version; do
      [[ -n "$key" ]] || continue
      run "delete $key ($version) from $bucket" s3api delete-object --bucket "$bucket" --key "$key" --version-id "$version"
    done <<<"$PROBE_OUT"
  fi
  run "delete bucket $bucket" s3api delete-bucket --bucket "$bucket"
  removed "bucket $bucket"
done

if probe 'ResourceNotFoundException' events describe-rule --name "$SCHEDULE_RULE" --query Name --output text; then
  probe 'a^' events list-targets-by-rule --rule "$SCHEDULE_RULE" --query 'Targets[*].Id' --output text
  if [[ -n "$PROBE_OUT" ]]; then
    read -r -a target_ids <<<"$PROBE_OUT"
    run "remove the targets of $SCHEDULE_RULE" events remove-targets --rule "$SCHEDULE_RULE" --ids "${target_ids[@]}"
  fi
  run "delete rule $SCHEDULE_RULE" events delete-rule --name "$SCHEDULE_RULE"
  removed "rule $SCHEDULE_RULE (and its target)"
else
  unchanged "rule $SCHEDULE_RULE: absent"
fi

for name in "$PROCESS_FUNCTION" "$SUBMIT_FUNCTION" "$RECONCILE_FUNCTION"; do
  if probe 'ResourceNotFoundException' lambda get-function-configuration --function-name "$name" --query FunctionName; then
    run "delete function $name" lambda delete-function --function-name "$name"
    removed "function $name (and its invoke permission and asynchronous-invocation settings)"
  else
    unchanged "function $name: absent"
  fi
done

for group in "$PROCESS_LOG_GROUP" "$SUBMIT_LOG_GROUP" "$RECONCILE_LOG_GROUP"; do
  probe 'a^' logs describe-log-groups --log-group-name-prefix "$group" \
    --query "logGroups[?logGroupName=='$group'].logGroupName" --output text
  if [[ -n "$PROBE_OUT" ]]; then
    run "delete log group $group" logs delete-log-group --log-group-name "$group"
    removed "log group $group"
  else
    unchanged "log group $group: absent"
  fi
done

for role in "$PROCESS_ROLE" "$SUBMIT_ROLE" "$RECONCILE_ROLE"; do
  if ! probe 'NoSuchEntity' iam get-role --role-name "$role" --query Role.RoleName --output text; then
    unchanged "role $role: absent"
    continue
  fi
  if probe 'NoSuchEntity' iam get-role-policy --role-name "$role" --policy-name "$ROLE_POLICY_NAME" --query PolicyName; then
    run "delete policy of $role" iam delete-role-policy --role-name "$role" --policy-name "$ROLE_POLICY_NAME"
    removed "role $role: policy $ROLE_POLICY_NAME"
  fi
  err="$WIBL_TMP/role.err"
  if ! awscli iam delete-role --role-name "$role" >/dev/null 2>"$err"; then
    die "delete role $role failed (policies added by hand must be removed by hand): $(cat "$err")"
  fi
  removed "role $role"
done

if probe 'NonExistentQueue|QueueDoesNotExist' sqs get-queue-url --queue-name "$FAILED_EVENTS_QUEUE" --query QueueUrl --output text; then
  run "delete queue $FAILED_EVENTS_QUEUE" sqs delete-queue --queue-url "$PROBE_OUT"
  removed "queue $FAILED_EVENTS_QUEUE"
else
  unchanged "queue $FAILED_EVENTS_QUEUE: absent"
fi

if probe 'ParameterNotFound' ssm get-parameter --name "$PROVIDER_AUTH_PARAMETER" --query Parameter.Name --output text; then
  run "delete parameter $PROVIDER_AUTH_PARAMETER" ssm delete-parameter --name "$PROVIDER_AUTH_PARAMETER"
  removed "parameter $PROVIDER_AUTH_PARAMETER"
else
  unchanged "parameter $PROVIDER_AUTH_PARAMETER: absent"
fi
say "done"
