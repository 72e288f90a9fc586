#!/usr/bin/env bash
# Group 4: deploy.sh, then every resource checked with the AWS CLI.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail
need_moto

if run_script "$work/deploy1.log" "$setup/deploy.sh"; then ok "deploy.sh succeeds"; else not_ok "deploy.sh succeeds" "$(cat "$work/deploy1.log")"; fi
if grep -q "$PROVIDER_AUTH" "$work/deploy1.log"; then not_ok "deploy output does not show the provider token"; else ok "deploy output does not show the provider token"; fi

for b in "$incoming" "$staging"; do
  check "bucket $b in $region" "$region" "$(cli s3api get-bucket-location --bucket "$b" --query LocationConstraint --output text 2>&1)"
  check "bucket $b: default encryption SSE-S3" "AES256" \
    "$(cli s3api get-bucket-encryption --bucket "$b" --query 'ServerSideEncryptionConfiguration.Rules[*].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text 2>&1)"
  check "bucket $b: public access blocked" "True True True True" \
    "$(cli s3api get-public-access-block --bucket "$b" --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text 2>&1 | tr -s '\t' ' ')"
done

# policy_pairs ROLE: "Effect action resource" for every action x resource of the inline policy, sorted
policy_pairs() {
  cli iam get-role-policy --role-name "$1" --policy-name "$policy" \
    --query "PolicyDocument.Statement[*].[Effect,join(',',to_array(Action)),join(',',to_array(Resource))]" --output text 2>&1 |
    while IFS=$'\t' read -r effect actions resources; do
      IFS=, read -r -a acts <<<"$actions"
      IFS=, read -r -a ress <<<"$resources"
      for a in "${acts[@]}"; do for r in "${ress[@]}"; do echo "$effect $a $r"; done; done
    done | LC_ALL=C sort
}
logs_arn="arn:aws:logs:$region:$account:log-group:/aws/lambda"
expected_process="$(LC_ALL=C sort <<EOT
Allow s3:GetObject arn:aws:s3:::$incoming/*
Allow s3:GetObjectTagging arn:aws:s3:::$incoming/*
Allow s3:PutObjectTagging arn:aws:s3:::$incoming/*
Allow s3:PutObject arn:aws:s3:::$staging/*
Allow s3:PutObjectTagging arn:aws:s3:::$staging/*
Allow s3:GetObject arn:aws:s3:::$staging/wibl-ledger/*
Allow s3:ListBucket arn:aws:s3:::$staging
Allow sqs:SendMessage $queue_arn
Allow logs:CreateLogGroup $logs_arn/$p_fn
Allow logs:CreateLogGroup $logs_arn/$p_fn:*
Allow logs:CreateLogStream $logs_arn/$p_fn
Allow logs:CreateLogStream $logs_arn/$p_fn:*
Allow logs:PutLogEvents $logs_arn/$p_fn
Allow logs:PutLogEvents $logs_arn/$p_fn:*
EOT
)"
expected_submit="$(LC_ALL=C sort <<EOT
Allow s3:GetObject arn:aws:s3:::$staging/*
Allow s3:GetObjectTagging arn:aws:s3:::$staging/*
Allow s3:PutObjectTagging arn:aws:s3:::$staging/*
Allow s3:PutObject arn:aws:s3:::$staging/wibl-ledger/*
Allow s3:ListBucket arn:aws:s3:::$staging
Allow ssm:GetParameter $parameter_arn
Allow sqs:SendMessage $queue_arn
Allow logs:CreateLogGroup $logs_arn/$s_fn
Allow logs:CreateLogGroup $logs_arn/$s_fn:*
Allow logs:CreateLogStream $logs_arn/$s_fn
Allow logs:CreateLogStream $logs_arn/$s_fn:*
Allow logs:PutLogEvents $logs_arn/$s_fn
Allow logs:PutLogEvents $logs_arn/$s_fn:*
EOT
)"
expected_reconcile="$(LC_ALL=C sort <<EOT
Allow s3:ListBucket arn:aws:s3:::$incoming
Allow s3:ListBucket arn:aws:s3:::$staging
Allow s3:GetObject arn:aws:s3:::$incoming/*
Allow s3:GetObjectTagging arn:aws:s3:::$incoming/*
Allow s3:PutObjectTagging arn:aws:s3:::$incoming/*
Allow s3:GetObject arn:aws:s3:::$staging/*
Allow s3:GetObjectTagging arn:aws:s3:::$staging/*
Allow s3:PutObject arn:aws:s3:::$staging/*
Allow s3:PutObjectTagging arn:aws:s3:::$staging/*
Allow ssm:GetParameter $parameter_arn
Allow sqs:SendMessage $queue_arn
Allow logs:CreateLogGroup $logs_arn/$r_fn
Allow logs:CreateLogGroup $logs_arn/$r_fn:*
Allow logs:CreateLogStream $logs_arn/$r_fn
Allow logs:CreateLogStream $logs_arn/$r_fn:*
Allow logs:PutLogEvents $logs_arn/$r_fn
Allow logs:PutLogEvents $logs_arn/$r_fn:*
EOT
)"
check_roles() {
  local label="$1" role
  for role in "$p_role" "$s_role" "$r_role"; do
    check "$label: role $role trusted by Lambda only" $'Allow\tlambda.amazonaws.com\tsts:AssumeRole' \
      "$(cli iam get-role --role-name "$role" --query "Role.AssumeRolePolicyDocument.Statement[*].[Effect,join(',',to_array(Principal.Service)),join(',',to_array(Action))]" --output text 2>&1)"
    check "$label: role $role has exactly one inline policy and no managed policy" "$policy 0" \
      "$(cli iam list-role-policies --role-name "$role" --query 'PolicyNames' --output text 2>&1) $(cli iam list-attached-role-policies --role-name "$role" --query 'length(AttachedPolicies)' --output text 2>&1)"
  done
  check "$label: process role policy is exactly the least-privilege set" "$expected_process" "$(policy_pairs "$p_role")"
  check "$label: submit role policy is exactly the least-privilege set" "$expected_submit" "$(policy_pairs "$s_role")"
  check "$label: reconcile role policy is exactly the least-privilege set" "$expected_reconcile" "$(policy_pairs "$r_role")"
}
check_roles "deploy"

for fn in "$p_fn" "$s_fn" "$r_fn"; do
  check "log group /aws/lambda/$fn with 30-day retention" "30" \
    "$(cli logs describe-log-groups --log-group-name-prefix "/aws/lambda/$fn" --query "logGroups[?logGroupName=='/aws/lambda/$fn'].retentionInDays" --output text 2>&1)"
done

fn_query='[Runtime,Handler,Role,Architectures[0],to_string(MemorySize),to_string(Timeout),PackageType,State,CodeSha256]'
check "function $p_fn configuration" \
  "provided.al2023 process arn:aws:iam::$account:role/$p_role x86_64 2048 90 Zip Active $zip_sha" \
  "$(cli lambda get-function-configuration --function-name "$p_fn" --query "$fn_query" --output text 2>&1 | tr '\t' ' ')"
check "function $s_fn configuration" \
  "provided.al2023 submit arn:aws:iam::$account:role/$s_role x86_64 2048 90 Zip Active $zip_sha" \
  "$(cli lambda get-function-configuration --function-name "$s_fn" --query "$fn_query" --output text 2>&1 | tr '\t' ' ')"
check "function $r_fn configuration" \
  "provided.al2023 reconcile arn:aws:iam::$account:role/$r_role x86_64 2048 90 Zip Active $zip_sha" \
  "$(cli lambda get-function-configuration --function-name "$r_fn" --query "$fn_query" --output text 2>&1 | tr '\t' ' ')"
env_query="Environment.Variables"
check "function $p_fn environment" \
  "LOG_LEVEL=info PROVIDER_ID=TESTNODE STAGING_BUCKET=$staging" \
  "$(cli lambda get-function-configuration --function-name "$p_fn" --query "$env_query" --output json 2>&1 | python3 -c 'import json,sys; print(" ".join(f"{k}={v}" for k, v in sorted(json.load(sys.stdin).items())))')"
check "function $s_fn environment" \
  "LOG_LEVEL=info PROVIDER_AUTH_PARAMETER=$parameter PROVIDER_ID=TESTNODE STAGING_BUCKET=$staging UPLOAD_POINT=https://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/" \
  "$(cli lambda get-function-configuration --function-name "$s_fn" --query "$env_query" --output json 2>&1 | python3 -c 'import json,sys; print(" ".join(f"{k}={v}" for k, v in sorted(json.load(sys.stdin).items())))')"
check "function $r_fn environment" \
  "INCOMING_BUCKET=$incoming LOG_LEVEL=info PROVIDER_AUTH_PARAMETER=$parameter PROVIDER_ID=TESTNODE STAGING_BUCKET=$staging UPLOAD_POINT=https://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/" \
  "$(cli lambda get-function-configuration --function-name "$r_fn" --query "$env_query" --output json 2>&1 | python3 -c 'import json,sys; print(" ".join(f"{k}={v}" for k, v in sorted(json.load(sys.stdin).items())))')"

# The token: in the SecureString parameter, and in no function's configuration.
check "parameter $parameter is a SecureString" "SecureString" \
  "$(cli ssm get-parameter --name "$parameter" --query Parameter.Type --output text 2>&1)"
if [[ "$(cli ssm get-parameter --name "$parameter" --with-decryption --query Parameter.Value --output text 2>&1)" == "$PROVIDER_AUTH" ]]; then
  ok "parameter $parameter holds the provider token"
else
  not_ok "parameter $parameter holds the provider token" "(value not shown)"
fi
for fn in "$p_fn" "$s_fn" "$r_fn"; do
  if cli lambda get-function --function-name "$fn" --output json 2>&1 | grep -qF "$PROVIDER_AUTH"; then
    not_ok "function $fn: the token is not in its configuration"
  else
    ok "function $fn: the token is not in its configuration"
  fi
done

# Nothing lost: the failed-events queue, each function's asynchronous invocation settings.
check "queue $queue keeps messages 14 days" "$queue_arn 1209600" \
  "$(cli sqs get-queue-attributes --queue-url "$(cli sqs get-queue-url --queue-name "$queue" --query QueueUrl --output text 2>&1)" --attribute-names QueueArn MessageRetentionPeriod --query 'Attributes.[QueueArn,MessageRetentionPeriod]' --output text 2>&1 | tr '\t' ' ')"
for fn in "$p_fn" "$s_fn" "$r_fn"; do
  check "function $fn: 2 asynchronous retries, events up to 6 h, failures to $queue" "2 21600 $queue_arn" \
    "$(cli lambda get-function-event-invoke-config --function-name "$fn" --query '[to_string(MaximumRetryAttempts),to_string(MaximumEventAgeInSeconds),DestinationConfig.OnFailure.Destination]' --output text 2>&1 | tr '\t' ' ')"
done

# The reconcile schedule: the rule, its one target, and who may invoke the function.
check "rule $rule: rate(15 minutes), enabled" "rate(15 minutes) ENABLED" \
  "$(cli events describe-rule --name "$rule" --query '[ScheduleExpression,State]' --output text 2>&1 | tr '\t' ' ')"
check "rule $rule targets $r_fn only" "reconcile arn:aws:lambda:$region:$account:function:$r_fn" \
  "$(cli events list-targets-by-rule --rule "$rule" --query 'Targets[*].[Id,Arn]' --output text 2>&1 | tr '\t' ' ')"

# invoke_statements FUNCTION: "principal action source-arn source-account" per statement
invoke_statements() {
  cli lambda get-policy --function-name "$1" --query Policy --output text 2>&1 | python3 -c '
import json, sys
for s in json.load(sys.stdin)["Statement"]:
    c = s.get("Condition", {})
    print(s["Effect"], s["Principal"].get("Service"), s["Action"],
          c.get("ArnLike", {}).get("AWS:SourceArn"), c.get("StringEquals", {}).get("AWS:SourceAccount"))'
}
check "S3 may invoke $p_fn from the incoming bucket of this account only" \
  "Allow s3.amazonaws.com lambda:InvokeFunction arn:aws:s3:::$incoming $account" "$(invoke_statements "$p_fn")"
check "S3 may invoke $s_fn from the staging bucket of this account only" \
  "Allow s3.amazonaws.com lambda:InvokeFunction arn:aws:s3:::$staging $account" "$(invoke_statements "$s_fn")"
check "EventBridge may invoke $r_fn from the schedule rule only" \
  "Allow events.amazonaws.com lambda:InvokeFunction $rule_arn None" "$(invoke_statements "$r_fn")"

notif_query="LambdaFunctionConfigurations[*].[LambdaFunctionArn,join(',',sort(Events)),join(',',Filter.Key.FilterRules[*].join('=',[Name,Value]))]"
check "incoming bucket: .wibl objects created -> $p_fn" \
  "arn:aws:lambda:$region:$account:function:$p_fn s3:ObjectCreated:CompleteMultipartUpload,s3:ObjectCreated:Put suffix=.wibl" \
  "$(cli s3api get-bucket-notification-configuration --bucket "$incoming" --query "$notif_query" --output text 2>&1 | tr '\t' ' ')"
check "staging bucket: .geojson objects created -> $s_fn" \
  "arn:aws:lambda:$region:$account:function:$s_fn s3:ObjectCreated:CompleteMultipartUpload,s3:ObjectCreated:Put suffix=.geojson" \
  "$(cli s3api get-bucket-notification-configuration --bucket "$staging" --query "$notif_query" --output text 2>&1 | tr '\t' ' ')"

