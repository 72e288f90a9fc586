#!/usr/bin/env bash
# Tests of the AWS-setup scripts against a local moto_server (IAM, S3, Lambda, CloudWatch Logs,
# STS; no Docker: functions are created, never invoked), started here on a free 127.0.0.1 port.
#   1. shellcheck on every script;
#   2. check-bootstrap.sh, package.sh (--binary, reproducible zip) and measure-cold-start.sh;
#   3. refusals with a clear message: no CLI, no credentials, wrong account, no provider id,
#      no token, no zip, bad parameter -- and nothing created by them;
#   4. deploy.sh, then every resource checked with the AWS CLI: buckets (region, encryption,
#      public access block), roles (trust policy, EXACT policy actions and resources, nothing
#      else attached), log groups, functions (runtime, handler, role, architecture, memory,
#      timeout, environment, code hash), invoke permissions (principal, source ARN and account),
#      bucket notifications (function, events, suffix filter);
#   5. deploy.sh again: exit 0, no change reported, same snapshot of every resource;
#   6. drift repair (a widened role policy, a removed public access block, a new memory size)
#      and update-code.sh (new code uploaded once, then nothing);
#   7. teardown.sh: refuses a non-empty bucket and deletes nothing, --force removes everything,
#      a second teardown is a no-op.
# Installs what it needs when missing (moto[server], awscli, shellcheck, zip, unzip, binutils).
# Ends with "N passed, M failed"; exit status 1 if anything failed.
set -euo pipefail
tests="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
setup="$(cd "$tests/.." && pwd)"
started=$SECONDS

# ---------------------------------------------------------------- tools
need_pip=()
python3 -c 'import moto.server, flask_cors' 2>/dev/null || need_pip+=("moto[server]==5.2.*")
command -v aws >/dev/null 2>&1 || need_pip+=(awscli)
if ((${#need_pip[@]})); then
  echo "tests: pip install ${need_pip[*]}"
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
fi
need_apt=()
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)
if ((${#need_apt[@]})); then
  echo "tests: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
moto_bin="$(command -v moto_server || true)"

# ---------------------------------------------------------------- harness
passed=0
failed=0
ok() {
  passed=$((passed + 1))
  echo "ok $((passed + failed)) - $1"
}
not_ok() {
  failed=$((failed + 1))
  echo "not ok $((passed + failed)) - $1"
  [[ -z "${2:-}" ]] || printf '    %s\n' "${2//$'\n'/$'\n'    }"
}
# check NAME EXPECTED ACTUAL
check() {
  if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2"$'\n'"actual:   $3"; fi
}
# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  if [[ "$3" == *"$2"* ]]; then ok "$1"; else not_ok "$1" "expected to contain: $2"$'\n'"in: $3"; fi
}

work="$(mktemp -d "${TMPDIR:-/tmp}/wibl-aws-setup-tests.XXXXXX")"
moto_pid=""
cleanup() {
  [[ -z "$moto_pid" ]] || kill "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A clean, known environment: nothing from the caller's AWS or WIBL settings leaks in.
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(AWS_|WIBL_)' || true)
unset PROVIDER_AUTH
: >"$work/aws-config"
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-config"
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
export AWS_ACCESS_KEY_ID=AKIDWIBLSETUPTEST AWS_SECRET_ACCESS_KEY=wibl-setup-test-secret
export WIBL_DEPLOYMENT_NAME=wibltest WIBL_PROVIDER_ID=TESTNODE WIBL_ARCHITECTURE=x86_64
export PROVIDER_AUTH="test-token-not-a-secret-42"
export WIBL_ZIP="$work/bootstrap.zip"
region=us-east-2
account=123456789012 # moto's account
incoming="wibltest-incoming-$account"
staging="wibltest-staging-$account"
p_fn=wibltest-process
s_fn=wibltest-submit
p_role=wibltest-process-role
s_role=wibltest-submit-role
policy=wibltest-least-privilege

# a CLI call against moto, JSON or text per the arguments
cli() { aws --region "$region" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
# run_script LOG SCRIPT ARGS...: runs a script, output in LOG; returns its status
run_script() {
  local log="$1"
  shift
  set +e
  "$@" >"$log" 2>&1
  local rc=$?
  set -e
  return "$rc"
}

# ---------------------------------------------------------------- 1. shellcheck
mapfile -t scripts < <(find "$setup" -name '*.sh' -type f | sort)
for s in "${scripts[@]}"; do
  if out="$(cd "$setup" && shellcheck -x "$s" 2>&1)"; then ok "shellcheck ${s#"$setup"/}"; else not_ok "shellcheck ${s#"$setup"/}" "$out"; fi
  head -1 "$s" | grep -qx '#!/usr/bin/env bash' || grep -q '^# shellcheck shell=bash' "$s" ||
    not_ok "${s#"$setup"/} starts with #!/usr/bin/env bash"
  [[ "$s" == */lib/* || "$s" == */configuration.sh ]] || grep -q '^set -euo pipefail' "$s" ||
    not_ok "${s#"$setup"/} sets -euo pipefail"
done

# ---------------------------------------------------------------- 2. packaging tools
true_bin="$(type -P true)"
if out="$("$setup/check-bootstrap.sh" "$true_bin" x86_64 2>&1)"; then ok "check-bootstrap accepts $true_bin"; else not_ok "check-bootstrap accepts $true_bin" "$out"; fi
if out="$("$setup/check-bootstrap.sh" "$true_bin" arm64 2>&1)"; then not_ok "check-bootstrap refuses the wrong architecture"; else check_contains "check-bootstrap refuses the wrong architecture" "configured for arm64" "$out"; fi
if command -v cc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; then
  cc_bin="$(command -v cc || command -v clang)"
  printf '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%f\\n", hypot(c, 2.0)); return 0; }\n' >"$work/h.c"
  if "$cc_bin" -O1 "$work/h.c" -o "$work/hypot" -lm 2>/dev/null && objdump -T "$work/hypot" | grep -q 'GLIBC_2.35.*hypot'; then
    if out="$("$setup/check-bootstrap.sh" "$work/hypot" 2>&1)"; then not_ok "check-bootstrap refuses hypot@GLIBC_2.35" "$out"; else check_contains "check-bootstrap refuses hypot@GLIBC_2.35" "needs GLIBC_2.35 (AL2023 has GLIBC_2.34): hypot" "$out"; fi
    printf '__asm__(".symver hypot, hypot@%s");\n' "$( [[ "$(uname -m)" == aarch64 ]] && echo GLIBC_2.17 || echo GLIBC_2.2.5)" | cat - "$work/h.c" >"$work/h2.c"
    if "$cc_bin" -O1 "$work/h2.c" -o "$work/hypot2" -lm && out="$("$setup/check-bootstrap.sh" "$work/hypot2" 2>&1)"; then ok "check-bootstrap accepts hypot bound to the old version with .symver"; else not_ok "check-bootstrap accepts hypot bound to the old version with .symver" "$out"; fi
  else
    echo "# skipped the hypot@GLIBC_2.35 cases: this machine's glibc predates 2.35"
  fi
fi
if run_script "$work/pkg1.log" "$setup/package.sh" --binary "$true_bin"; then
  sha1="$(grep -o 'CodeSha256): .*' "$work/pkg1.log")"
  sleep 1
  run_script "$work/pkg2.log" "$setup/package.sh" --binary "$true_bin" || true
  check "package.sh --binary makes a reproducible zip" "$sha1" "$(grep -o 'CodeSha256): .*' "$work/pkg2.log")"
  check "the zip holds bootstrap at its root" "bootstrap" "$(unzip -Z1 "$WIBL_ZIP" | grep -x bootstrap)"
  check "bootstrap in the zip is executable" "-rwxr-xr-x" "$(unzip -Z "$WIBL_ZIP" bootstrap | awk '{print $1}')"
else
  not_ok "package.sh --binary $true_bin" "$(cat "$work/pkg1.log")"
fi
if run_script "$work/pkgbad.log" "$setup/package.sh" --binary "$work/h.c"; then not_ok "package.sh refuses a non-executable"; else ok "package.sh refuses a non-executable"; fi
# the zip of /bin/true exits at once: measure-cold-start must say so, within its timeout
if run_script "$work/cold.log" "$setup/measure-cold-start.sh" "$WIBL_ZIP" --runs 1 --timeout 3; then
  not_ok "measure-cold-start reports a bootstrap that never calls the Runtime API" "$(cat "$work/cold.log")"
else
  check_contains "measure-cold-start reports a bootstrap that never calls the Runtime API" "without calling the Runtime API" "$(cat "$work/cold.log")"
fi
cat >"$work/fake-bootstrap" <<'PY'
#!/usr/bin/env python3
import os, urllib.request
base = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
while True:
    r = urllib.request.urlopen(base + "/invocation/next")
    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
    r.read()
    urllib.request.urlopen(urllib.request.Request(base + "/invocation/" + rid + "/response", data=b"{}", method="POST")).read()
PY
chmod +x "$work/fake-bootstrap"
if run_script "$work/cold2.log" "$setup/measure-cold-start.sh" "$work/fake-bootstrap" --runs 2 --timeout 20; then
  check_contains "measure-cold-start measures a bootstrap that runs the Runtime API loop" "cold start (exec -> first GET next) over 2 runs" "$(cat "$work/cold2.log")"
else
  not_ok "measure-cold-start measures a bootstrap that runs the Runtime API loop" "$(cat "$work/cold2.log")"
fi

# ---------------------------------------------------------------- moto
[[ -n "$moto_bin" ]] || { not_ok "moto_server installed"; echo "$passed passed, $failed failed"; exit 1; }
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$moto_bin" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
for _ in $(seq 1 150); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$moto_pid" 2>/dev/null || break
  sleep 0.2
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  not_ok "moto_server starts on 127.0.0.1:$port" "$(tail -20 "$work/moto.log")"
  echo "$passed passed, $failed failed"
  exit 1
fi
ok "moto_server on 127.0.0.1:$port"

# The deployment package for the functions: the /bin/true zip made above (never invoked).
[[ -f "$WIBL_ZIP" ]] || { printf '#!/bin/sh\n' >"$work/bootstrap" && chmod +x "$work/bootstrap" && (cd "$work" && zip -q "$WIBL_ZIP" bootstrap); }
zip_sha="$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' "$WIBL_ZIP")"

# ---------------------------------------------------------------- 3. refusals
# expect_refusal NAME MESSAGE ENV... : deploy.sh with ENV fails and prints MESSAGE
expect_refusal() {
  local name="$1" message="$2"
  shift 2
  if run_script "$work/refusal.log" env "$@" "$setup/deploy.sh"; then
    not_ok "deploy refuses: $name" "it succeeded: $(cat "$work/refusal.log")"
  else
    check_contains "deploy refuses: $name" "$message" "$(cat "$work/refusal.log")"
  fi
}
expect_refusal "no AWS CLI" "AWS CLI '/nonexistent/aws' not found" WIBL_AWS_CLI=/nonexistent/aws
expect_refusal "no credentials" "no usable AWS credentials" -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY
expect_refusal "credentials of another account" "refusing to touch the wrong account" WIBL_ACCOUNT_ID=000000000000
expect_refusal "no provider id" "WIBL_PROVIDER_ID is not set" WIBL_PROVIDER_ID=
expect_refusal "no zip" "run AWS-setup/package.sh first" WIBL_ZIP="$work/missing.zip"
expect_refusal "no token" "no DCDB provider auth token" PROVIDER_AUTH= WIBL_PROVIDER_AUTH_FILE="$work/missing-token.txt"
expect_refusal "bad memory size" "WIBL_LAMBDA_MEMORY 'lots'" WIBL_LAMBDA_MEMORY=lots
check "the refusals created nothing" "0 0" \
  "$(cli s3api list-buckets --query 'length(Buckets)' --output text) $(cli iam list-roles --query 'length(Roles)' --output text)"
if grep -rq "$PROVIDER_AUTH" "$work"/*.log; then not_ok "no log shows the provider token"; fi

# ---------------------------------------------------------------- 4. deploy
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
Allow logs:CreateLogGroup $logs_arn/$s_fn
Allow logs:CreateLogGroup $logs_arn/$s_fn:*
Allow logs:CreateLogStream $logs_arn/$s_fn
Allow logs:CreateLogStream $logs_arn/$s_fn:*
Allow logs:PutLogEvents $logs_arn/$s_fn
Allow logs:PutLogEvents $logs_arn/$s_fn:*
EOT
)"
check_roles() {
  local label="$1" role
  for role in "$p_role" "$s_role"; do
    check "$label: role $role trusted by Lambda only" $'Allow\tlambda.amazonaws.com\tsts:AssumeRole' \
      "$(cli iam get-role --role-name "$role" --query "Role.AssumeRolePolicyDocument.Statement[*].[Effect,join(',',to_array(Principal.Service)),join(',',to_array(Action))]" --output text 2>&1)"
    check "$label: role $role has exactly one inline policy and no managed policy" "$policy 0" \
      "$(cli iam list-role-policies --role-name "$role" --query 'PolicyNames' --output text 2>&1) $(cli iam list-attached-role-policies --role-name "$role" --query 'length(AttachedPolicies)' --output text 2>&1)"
  done
  check "$label: process role policy is exactly the least-privilege set" "$expected_process" "$(policy_pairs "$p_role")"
  check "$label: submit role policy is exactly the least-privilege set" "$expected_submit" "$(policy_pairs "$s_role")"
}
check_roles "deploy"

for fn in "$p_fn" "$s_fn"; do
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
env_query="Environment.Variables"
check "function $p_fn environment" \
  "LOG_LEVEL=info PROVIDER_ID=TESTNODE STAGING_BUCKET=$staging" \
  "$(cli lambda get-function-configuration --function-name "$p_fn" --query "$env_query" --output json 2>&1 | python3 -c 'import json,sys; print(" ".join(f"{k}={v}" for k, v in sorted(json.load(sys.stdin).items())))')"
check "function $s_fn environment" \
  "LOG_LEVEL=info PROVIDER_AUTH=$PROVIDER_AUTH PROVIDER_ID=TESTNODE STAGING_BUCKET=$staging UPLOAD_POINT=https://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/" \
  "$(cli lambda get-function-configuration --function-name "$s_fn" --query "$env_query" --output json 2>&1 | python3 -c 'import json,sys; print(" ".join(f"{k}={v}" for k, v in sorted(json.load(sys.stdin).items())))')"

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

notif_query="LambdaFunctionConfigurations[*].[LambdaFunctionArn,join(',',sort(Events)),join(',',Filter.Key.FilterRules[*].join('=',[Name,Value]))]"
check "incoming bucket: .wibl objects created -> $p_fn" \
  "arn:aws:lambda:$region:$account:function:$p_fn s3:ObjectCreated:CompleteMultipartUpload,s3:ObjectCreated:Put suffix=.wibl" \
  "$(cli s3api get-bucket-notification-configuration --bucket "$incoming" --query "$notif_query" --output text 2>&1 | tr '\t' ' ')"
check "staging bucket: .geojson objects created -> $s_fn" \
  "arn:aws:lambda:$region:$account:function:$s_fn s3:ObjectCreated:CompleteMultipartUpload,s3:ObjectCreated:Put suffix=.geojson" \
  "$(cli s3api get-bucket-notification-configuration --bucket "$staging" --query "$notif_query" --output text 2>&1 | tr '\t' ' ')"

# ---------------------------------------------------------------- 5. idempotence
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
  for role in "$p_role" "$s_role"; do
    snap iam get-role --role-name "$role" --query 'Role.{n:RoleName,id:RoleId,arn:Arn,trust:AssumeRolePolicyDocument,d:Description}'
    snap iam get-role-policy --role-name "$role" --policy-name "$policy"
    snap iam list-attached-role-policies --role-name "$role"
  done
  snap logs describe-log-groups --log-group-name-prefix /aws/lambda/wibltest --query 'logGroups[*].[logGroupName,retentionInDays]'
  for fn in "$p_fn" "$s_fn"; do
    # LastModified is kept on purpose: an update of any kind would change it
    snap lambda get-function-configuration --function-name "$fn"
    snap lambda get-policy --function-name "$fn" --query Policy
  done
  wait "${pids[@]}" || true
  cat "$dir"/* >"$1"
}
snapshot "$work/snap1"
if run_script "$work/deploy2.log" "$setup/deploy.sh"; then ok "second deploy.sh succeeds"; else not_ok "second deploy.sh succeeds" "$(cat "$work/deploy2.log")"; fi
check "second deploy reports no change" "" "$(grep -E '^\[[a-z-]+\] [-+~] ' "$work/deploy2.log" || true)"
snapshot "$work/snap2"
check "second deploy leaves every resource as it was" "" "$(diff "$work/snap1" "$work/snap2" || true)"

# ---------------------------------------------------------------- 6. drift repair, update-code
cli iam put-role-policy --role-name "$p_role" --policy-name "$policy" \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
cli s3api delete-public-access-block --bucket "$staging"
if run_script "$work/deploy3.log" env WIBL_LAMBDA_MEMORY=1024 "$setup/deploy.sh"; then ok "deploy.sh repairs drift"; else not_ok "deploy.sh repairs drift" "$(cat "$work/deploy3.log")"; fi
check_roles "after drift"
check "after drift: public access of $staging blocked again" "True True True True" \
  "$(cli s3api get-public-access-block --bucket "$staging" --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text 2>&1 | tr -s '\t' ' ')"
check "new memory size applied to both functions, code untouched" "1024 $zip_sha 1024 $zip_sha" \
  "$(for fn in "$p_fn" "$s_fn"; do cli lambda get-function-configuration --function-name "$fn" --query '[to_string(MemorySize),CodeSha256]' --output text; done | tr '\t\n' '  ' | sed 's/ $//')"
check "the drift deploy changed exactly what had drifted" \
  "~ bucket $staging: public access blocked|~ role $p_role: policy $policy|~ function $p_fn: configuration|~ function $s_fn: configuration" \
  "$(grep -oE '[-+~] .*' "$work/deploy3.log" | paste -sd'|' -)"

printf '#!/bin/sh\necho new code\n' >"$work/bootstrap" && chmod +x "$work/bootstrap"
(cd "$work" && rm -f new.zip && zip -q new.zip bootstrap)
new_sha="$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' "$work/new.zip")"
if run_script "$work/update1.log" env WIBL_ZIP="$work/new.zip" "$setup/update-code.sh"; then ok "update-code.sh succeeds"; else not_ok "update-code.sh succeeds" "$(cat "$work/update1.log")"; fi
check "update-code uploads the new code to both functions, memory untouched" "1024 $new_sha 1024 $new_sha" \
  "$(for fn in "$p_fn" "$s_fn"; do cli lambda get-function-configuration --function-name "$fn" --query '[to_string(MemorySize),CodeSha256]' --output text; done | tr '\t\n' '  ' | sed 's/ $//')"
run_script "$work/update2.log" env WIBL_ZIP="$work/new.zip" "$setup/update-code.sh" || true
check "update-code with the same zip changes nothing" "" "$(grep -E '^\[[a-z-]+\] [-+~] ' "$work/update2.log" || true)"

# ---------------------------------------------------------------- 7. teardown
cli s3api put-object --bucket "$staging" --key keep/readme.txt --body "$work/h.c" >/dev/null 2>&1 ||
  cli s3api put-object --bucket "$staging" --key keep/readme.txt --body "$WIBL_ZIP" >/dev/null
if run_script "$work/teardown1.log" "$setup/teardown.sh"; then
  not_ok "teardown refuses a non-empty bucket" "$(cat "$work/teardown1.log")"
else
  check_contains "teardown refuses a non-empty bucket" "not empty: $staging" "$(cat "$work/teardown1.log")"
fi
check "the refused teardown deleted nothing" "2 2 $p_fn" \
  "$(cli s3api list-buckets --query 'length(Buckets)' --output text) $(cli iam list-roles --query 'length(Roles)' --output text) $(cli lambda get-function-configuration --function-name "$p_fn" --query FunctionName --output text 2>&1)"
if run_script "$work/teardown2.log" "$setup/teardown.sh" --force; then ok "teardown.sh --force succeeds"; else not_ok "teardown.sh --force succeeds" "$(cat "$work/teardown2.log")"; fi
check "no bucket, role, function or log group left" "0 0 0 0" \
  "$(cli s3api list-buckets --query 'length(Buckets)' --output text) $(cli iam list-roles --query 'length(Roles)' --output text) $(cli lambda list-functions --query 'length(Functions)' --output text) $(cli logs describe-log-groups --query 'length(logGroups)' --output text)"
if run_script "$work/teardown3.log" "$setup/teardown.sh"; then ok "a second teardown is a no-op"; else not_ok "a second teardown is a no-op" "$(cat "$work/teardown3.log")"; fi

echo "# AWS-setup tests took $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
((failed == 0))
