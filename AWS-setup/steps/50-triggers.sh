#!/usr/bin/env bash
# Step 5: S3 may invoke each function, from its own bucket in this account only (resource-based
# permission with --source-arn and --source-account); then the bucket notifications: objects
# created (PUT or multipart) with suffix .wibl in incoming -> process, .geojson in staging ->
# submit. The permission must exist first: S3 checks the destination when the notification
# configuration is written. Sourced by deploy.sh; can also be run alone.
set -euo pipefail

NOTIFICATION_EVENTS=(s3:ObjectCreated:Put s3:ObjectCreated:CompleteMultipartUpload)

# ensure_invoke_permission FUNCTION BUCKET_ARN
ensure_invoke_permission() {
  local name="$1" source_arn="$2" policy=""
  if probe 'ResourceNotFoundException' lambda get-policy --function-name "$name" --query Policy --output text; then
    policy="$PROBE_OUT"
  fi
  # The policy is a JSON string; AWS writes "Sid":"x", moto "Sid": "x". Our statement is ours
  # alone (the function is ours), so the sid plus its source ARN and account identify it.
  local sid_re="\"Sid\" *: *\"$INVOKE_STATEMENT_ID\""
  if [[ "$policy" =~ $sid_re ]]; then
    if [[ "$policy" == *"\"$source_arn\""* && "$policy" == *"\"$ACCOUNT_ID\""* ]]; then
      unchanged "function $name: s3.amazonaws.com may invoke it from $source_arn"
      return
    fi
    run "remove stale permission of $name" lambda remove-permission --function-name "$name" \
      --statement-id "$INVOKE_STATEMENT_ID"
    removed "function $name: stale invoke permission $INVOKE_STATEMENT_ID"
  fi
  run "invoke permission of $name" lambda add-permission --function-name "$name" \
    --statement-id "$INVOKE_STATEMENT_ID" --action lambda:InvokeFunction --principal s3.amazonaws.com \
    --source-arn "$source_arn" --source-account "$ACCOUNT_ID"
  created "function $name: s3.amazonaws.com may invoke it from $source_arn (account $ACCOUNT_ID)"
}

# One line: "<topic configs> | <queue configs> | <id> <function arn> <events,sorted> <name=value filters> ; ..."
NOTIFICATION_QUERY="join(' | ', [to_string(length(TopicConfigurations || \`[]\`)), to_string(length(QueueConfigurations || \`[]\`)), join(' ; ', (LambdaFunctionConfigurations || \`[]\`)[*].join(' ', [Id, LambdaFunctionArn, join(',', sort(Events)), join(',', (Filter.Key.FilterRules || \`[]\`)[*].join('=', [Name, Value]))]))])"

# ensure_notification BUCKET FUNCTION_ARN SUFFIX ID: the bucket's whole notification
# configuration is this one rule (a put replaces the configuration: the buckets are ours alone).
ensure_notification() {
  local bucket="$1" function_arn="$2" suffix="$3" id="$4"
  local events_sorted expected current=""
  events_sorted="$(printf '%s\n' "${NOTIFICATION_EVENTS[@]}" | LC_ALL=C sort | paste -sd, -)"
  expected="0 | 0 | $id $function_arn $events_sorted suffix=$suffix"
  probe 'a^' s3api get-bucket-notification-configuration --bucket "$bucket" --query "$NOTIFICATION_QUERY" --output text
  current="$PROBE_OUT"
  # AWS answers with "Suffix", moto and our request with "suffix"; names here are lower-case.
  if [[ "${current,,}" == "${expected,,}" ]]; then
    unchanged "bucket $bucket: objects *$suffix created -> ${function_arn##*:}"
    return
  fi
  local events_json="" e
  for e in "${NOTIFICATION_EVENTS[@]}"; do events_json+="${events_json:+,}\"$e\""; done
  run "notification configuration of $bucket" s3api put-bucket-notification-configuration --bucket "$bucket" \
    --notification-configuration "{\"LambdaFunctionConfigurations\":[{\"Id\":\"$id\",\"LambdaFunctionArn\":\"$function_arn\",\"Events\":[$events_json],\"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"suffix\",\"Value\":\"$suffix\"}]}}}]}"
  updated "bucket $bucket: objects *$suffix created -> ${function_arn##*:}"
}

step_triggers() {
  say "step: triggers"
  ensure_invoke_permission "$PROCESS_FUNCTION" "$INCOMING_ARN"
  ensure_invoke_permission "$SUBMIT_FUNCTION" "$STAGING_ARN"
  ensure_notification "$INCOMING_BUCKET" "$PROCESS_FUNCTION_ARN" .wibl "$WIBL_DEPLOYMENT_NAME-process-wibl"
  ensure_notification "$STAGING_BUCKET" "$SUBMIT_FUNCTION_ARN" .geojson "$WIBL_DEPLOYMENT_NAME-submit-geojson"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_triggers
fi
