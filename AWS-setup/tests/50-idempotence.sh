#!/usr/bin/env bash
# Group 5: a second deploy.sh changes nothing.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail
need_moto

# snapshot FILE: every deployed resource as the CLI describes it, without timestamps. The calls
# run in parallel (each CLI start costs about half a second of CPU), the output stays in order.
snapshot() {
  local dir="$1.d" n=0 b role fn
  local -a pids=()
  mkdir -p "$dir"
  snap() {
    n=$((n + 1))
    cli "$@" >"$dir/$(printf '%03d' "$n")" 2>&1 &
    pids+=($!)
  }
  snap s3api list-buckets --query 'Buckets[*].Name'
  for b in "$incoming" "$staging"; do
    snap s3api get-bucket-location --bucket "$b"
    snap s3api get-bucket-encryption --bucket "$b"
    snap s3api get-public-access-block --bucket "$b"
    snap s3api get-bucket-notification-configuration --bucket "$b"
  done
  for role in "$p_role" "$s_role" "$r_role"; do
    snap iam get-role --role-name "$role" --query 'Role.{n:RoleName,id:RoleId,arn:Arn,trust:AssumeRolePolicyDocument,d:Description}'
    snap iam get-role-policy --role-name "$role" --policy-name "$policy"
    snap iam list-attached-role-policies --role-name "$role"
  done
  snap logs describe-log-groups --log-group-name-prefix /aws/lambda/wibltest --query 'logGroups[*].[logGroupName,retentionInDays]'
  for fn in "$p_fn" "$s_fn" "$r_fn"; do
    # LastModified is kept on purpose: an update of any kind would change it
    snap lambda get-function-configuration --function-name "$fn"
    snap lambda get-policy --function-name "$fn" --query Policy
    snap lambda get-function-event-invoke-config --function-name "$fn"
  done
  # Version and LastModifiedDate would change with any put-parameter; the value is not shown
  snap ssm get-parameter --name "$parameter" --query 'Parameter.[Name,Type,Version,LastModifiedDate]'
  snap sqs get-queue-attributes --queue-url "$(cli sqs get-queue-url --queue-name "$queue" --query QueueUrl --output text)" --attribute-names All
  snap events describe-rule --name "$rule"
  snap events list-targets-by-rule --rule "$rule"
  wait "${pids[@]}" || true
  cat "$dir"/* >"$1"
}
snapshot "$work/snap1"
if run_script "$work/deploy2.log" "$setup/deploy.sh"; then ok "second deploy.sh succeeds"; else not_ok "second deploy.sh succeeds" "$(cat "$work/deploy2.log")"; fi
check "second deploy reports no change" "" "$(grep -E '^\[[a-z-]+\] [-+~] ' "$work/deploy2.log" || true)"
snapshot "$work/snap2"
check "second deploy leaves every resource as it was" "" "$(diff "$work/snap1" "$work/snap2" || true)"

