#!/usr/bin/env bash
# Group 6: drift repair, and update-code.sh.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail
need_moto

cli iam put-role-policy --role-name "$p_role" --policy-name "$policy" \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
cli s3api delete-public-access-block --bucket "$staging"
cli lambda delete-function-event-invoke-config --function-name "$s_fn"
cli events put-rule --name "$rule" --schedule-expression 'rate(7 days)' >/dev/null
# and a new token (rotation): only the parameter changes
new_token="rotated-test-token-43"
if run_script "$work/deploy3.log" env WIBL_LAMBDA_MEMORY=1024 PROVIDER_AUTH="$new_token" "$setup/deploy.sh"; then ok "deploy.sh repairs drift"; else not_ok "deploy.sh repairs drift" "$(cat "$work/deploy3.log")"; fi
if grep -qF -e "$new_token" -e "$PROVIDER_AUTH" "$work/deploy3.log"; then not_ok "the drift deploy does not show either token"; else ok "the drift deploy does not show either token"; fi
if [[ "$(cli ssm get-parameter --name "$parameter" --with-decryption --query Parameter.Value --output text 2>&1)" == "$new_token" ]]; then
  ok "parameter $parameter holds the new token"
else
  not_ok "parameter $parameter holds the new token" "(value not shown)"
fi
check "after drift: $s_fn asynchronous invocation settings back" "2 21600 $queue_arn" \
  "$(cli lambda get-function-event-invoke-config --function-name "$s_fn" --query '[to_string(MaximumRetryAttempts),to_string(MaximumEventAgeInSeconds),DestinationConfig.OnFailure.Destination]' --output text 2>&1 | tr '\t' ' ')"
check "after drift: rule $rule back to rate(15 minutes)" "rate(15 minutes)" \
  "$(cli events describe-rule --name "$rule" --query ScheduleExpression --output text 2>&1)"
check_roles "after drift"
check "after drift: public access of $staging blocked again" "True True True True" \
  "$(cli s3api get-public-access-block --bucket "$staging" --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text 2>&1 | tr -s '\t' ' ')"
check "new memory size applied to the three functions, code untouched" "1024 $zip_sha 1024 $zip_sha 1024 $zip_sha" \
  "$(for fn in "$p_fn" "$s_fn" "$r_fn"; do cli lambda get-function-configuration --function-name "$fn" --query '[to_string(MemorySize),CodeSha256]' --output text; done | tr '\t\n' '  ' | sed 's/ $//')"
check "the drift deploy changed exactly what had drifted" \
  "~ bucket $staging: public access blocked|~ parameter $parameter (SecureString): new value|~ role $p_role: policy $policy|~ function $p_fn: configuration|~ function $s_fn: configuration|~ function $r_fn: configuration|+ function $s_fn: 2 retries, events up to 21600 s, failures -> $queue|~ rule $rule: rate(15 minutes)" \
  "$(grep -oE '[-+~] .*' "$work/deploy3.log" | paste -sd'|' -)"

printf '#!/bin/sh\necho new code\n' >"$work/bootstrap" && chmod +x "$work/bootstrap"
(cd "$work" && rm -f new.zip && zip -q new.zip bootstrap)
new_sha="$(zip_sha256 "$work/new.zip")"
if run_script "$work/update1.log" env WIBL_ZIP="$work/new.zip" "$setup/update-code.sh"; then ok "update-code.sh succeeds"; else not_ok "update-code.sh succeeds" "$(cat "$work/update1.log")"; fi
check "update-code uploads the new code to the three functions, memory untouched" "1024 $new_sha 1024 $new_sha 1024 $new_sha" \
  "$(for fn in "$p_fn" "$s_fn" "$r_fn"; do cli lambda get-function-configuration --function-name "$fn" --query '[to_string(MemorySize),CodeSha256]' --output text; done | tr '\t\n' '  ' | sed 's/ $//')"
run_script "$work/update2.log" env WIBL_ZIP="$work/new.zip" "$setup/update-code.sh" || true
check "update-code with the same zip changes nothing" "" "$(grep -E '^\[[a-z-]+\] [-+~] ' "$work/update2.log" || true)"

