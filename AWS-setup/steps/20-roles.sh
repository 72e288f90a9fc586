#!/usr/bin/env bash
# Step 2: one execution role per function (process, submit, reconcile), trusted by Lambda only, each with one inline
# least-privilege policy (exactly the S3 actions its handler uses, on its own buckets' objects,
# and its own log group). Never s3:*. Sourced by deploy.sh; can also be run alone.
set -euo pipefail

TRUST_POLICY='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
# What `get-role` shows for TRUST_POLICY through TRUST_QUERY.
TRUST_EXPECTED=$'Allow\tlambda.amazonaws.com\tsts:AssumeRole'
TRUST_QUERY="Role.AssumeRolePolicyDocument.Statement[*].[Effect,join(',',to_array(Principal.Service)),join(',',to_array(Action))]"
POLICY_QUERY="PolicyDocument.Statement[*].[Sid,Effect,join(',',to_array(Action)),join(',',to_array(Resource))]"

# The statements of each role's policy, one per line: SID<TAB>ACTIONS<TAB>RESOURCES (comma lists).
# The ledger (create-only records under wibl-ledger/ in the staging bucket) needs GetObject and
# PutObject there and ListBucket on the staging bucket (also so that a missing record reads as 404,
# not 403). Every function may send its failed events to the deployment's queue, nowhere else.
# The token parameter is readable by the functions that post to DCDB only.
ledger_statements() {
  printf '%s\t%s\t%s\n' "$1" "$2" "$STAGING_ARN/wibl-ledger/*"
}
process_statements() {
  local log_arn
  log_arn="$(log_group_arn "$PROCESS_LOG_GROUP")"
  printf '%s\t%s\t%s\n' \
    ReadAndTagIncomingObjects s3:GetObject,s3:GetObjectTagging,s3:PutObjectTagging "$INCOMING_ARN/*" \
    WriteAndTagStagingObjects s3:PutObject,s3:PutObjectTagging "$STAGING_ARN/*"
  ledger_statements ReadLedger s3:GetObject
  printf '%s\t%s\t%s\n' \
    ListStagingBucket s3:ListBucket "$STAGING_ARN" \
    SendFailedEvents sqs:SendMessage "$FAILED_EVENTS_QUEUE_ARN" \
    WriteOwnLogs logs:CreateLogGroup,logs:CreateLogStream,logs:PutLogEvents "$log_arn,$log_arn:*"
}
submit_statements() {
  local log_arn
  log_arn="$(log_group_arn "$SUBMIT_LOG_GROUP")"
  printf '%s\t%s\t%s\n' \
    ReadAndTagStagingObjects s3:GetObject,s3:GetObjectTagging,s3:PutObjectTagging "$STAGING_ARN/*"
  ledger_statements WriteLedger s3:PutObject
  printf '%s\t%s\t%s\n' \
    ListStagingBucket s3:ListBucket "$STAGING_ARN" \
    ReadProviderAuth ssm:GetParameter "$PROVIDER_AUTH_PARAMETER_ARN" \
    SendFailedEvents sqs:SendMessage "$FAILED_EVENTS_QUEUE_ARN" \
    WriteOwnLogs logs:CreateLogGroup,logs:CreateLogStream,logs:PutLogEvents "$log_arn,$log_arn:*"
}
# reconcile does what process and submit do, for the files they missed, and lists both buckets.
reconcile_statements() {
  local log_arn
  log_arn="$(log_group_arn "$RECONCILE_LOG_GROUP")"
  printf '%s\t%s\t%s\n' \
    ListBuckets s3:ListBucket "$INCOMING_ARN,$STAGING_ARN" \
    ReadAndTagIncomingObjects s3:GetObject,s3:GetObjectTagging,s3:PutObjectTagging "$INCOMING_ARN/*" \
    ReadWriteAndTagStagingObjects s3:GetObject,s3:GetObjectTagging,s3:PutObject,s3:PutObjectTagging "$STAGING_ARN/*" \
    ReadProviderAuth ssm:GetParameter "$PROVIDER_AUTH_PARAMETER_ARN" \
    SendFailedEvents sqs:SendMessage "$FAILED_EVENTS_QUEUE_ARN" \
    WriteOwnLogs logs:CreateLogGroup,logs:CreateLogStream,logs:PutLogEvents "$log_arn,$log_arn:*"
}

# json_list A,B,C -> ["A","B","C"]
json_list() {
  local out="" item
  local -a items
  IFS=, read -r -a items <<<"$1"
  for item in "${items[@]}"; do out+="${out:+,}$(json_string "$item")"; done
  printf '[%s]' "$out"
}

# policy_json: the statements on stdin as an IAM policy document.
policy_json() {
  local sid actions resources body=""
  while IFS=$'\t' read -r sid actions resources; do
    body+="${body:+,}{\"Sid\":$(json_string "$sid"),\"Effect\":\"Allow\",\"Action\":$(json_list "$actions"),\"Resource\":$(json_list "$resources")}"
  done
  printf '{"Version":"2012-10-17","Statement":[%s]}' "$body"
}

# policy_expected: the statements on stdin as POLICY_QUERY prints them.
policy_expected() {
  local sid actions resources
  while IFS=$'\t' read -r sid actions resources; do
    printf '%s\tAllow\t%s\t%s\n' "$sid" "$actions" "$resources"
  done
}

# ensure_role NAME STATEMENTS: the role, its trust policy and its one inline policy.
ensure_role() {
  local role="$1" statements="$2"
  if probe 'NoSuchEntity' iam get-role --role-name "$role" --query "$TRUST_QUERY" --output text; then
    if [[ "$PROBE_OUT" == "$TRUST_EXPECTED" ]]; then
      unchanged "role $role (trusted by lambda.amazonaws.com)"
    else
      run "trust policy of $role" iam update-assume-role-policy --role-name "$role" --policy-document "$TRUST_POLICY"
      updated "role $role: trust policy reset to lambda.amazonaws.com only"
    fi
  else
    run "create role $role" iam create-role --role-name "$role" --assume-role-policy-document "$TRUST_POLICY" \
      --description "WIBL $WIBL_DEPLOYMENT_NAME Lambda execution role (AWS-setup/deploy.sh)"
    # IAM is eventually consistent: poll until the role is visible (deploy.sh's create-function
    # also retries while Lambda cannot assume it yet).
    awscli iam wait role-exists --role-name "$role" || die "role $role did not become visible"
    created "role $role"
  fi

  local expected current=""
  expected="$(policy_expected <<<"$statements")"
  if probe 'NoSuchEntity' iam get-role-policy --role-name "$role" --policy-name "$ROLE_POLICY_NAME" \
    --query "$POLICY_QUERY" --output text; then
    current="$PROBE_OUT"
  fi
  if [[ "$current" == "$expected" ]]; then
    unchanged "role $role: policy $ROLE_POLICY_NAME"
  else
    run "policy of $role" iam put-role-policy --role-name "$role" --policy-name "$ROLE_POLICY_NAME" \
      --policy-document "$(policy_json <<<"$statements")"
    if [[ -z "$current" ]]; then created "role $role: policy $ROLE_POLICY_NAME"; else updated "role $role: policy $ROLE_POLICY_NAME"; fi
  fi

  # Anything else granted to the role would defeat least privilege: report it (not removed,
  # since someone put it there on purpose).
  if probe 'NoSuchEntity' iam list-role-policies --role-name "$role" \
    --query "PolicyNames[?@ != '$ROLE_POLICY_NAME']" --output text && [[ -n "$PROBE_OUT" ]]; then
    say "WARNING: role $role has other inline policies: $PROBE_OUT"
  fi
  if probe 'NoSuchEntity' iam list-attached-role-policies --role-name "$role" \
    --query 'AttachedPolicies[*].PolicyArn' --output text && [[ -n "$PROBE_OUT" ]]; then
    say "WARNING: role $role has attached managed policies: $PROBE_OUT"
  fi
}

step_roles() {
  say "step: roles"
  ensure_role "$PROCESS_ROLE" "$(process_statements)"
  ensure_role "$SUBMIT_ROLE" "$(submit_statements)"
  ensure_role "$RECONCILE_ROLE" "$(reconcile_statements)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_roles
fi
