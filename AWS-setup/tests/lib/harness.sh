# shellcheck shell=bash
# shellcheck disable=SC2034  # the names set here are used by the group files run.sh sources
# The harness of the AWS-setup tests: TAP-like results (ok / not ok, "N passed, M failed" at the
# end), a clean environment, a scratch folder, the moto_server the deploy groups run against, and
# the names deploy.sh derives for the test deployment. Sourced by run.sh; never run.

started=$SECONDS
tests="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
setup="$(cd "$tests/.." && pwd)"
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
# summary: the closing line; exit status 1 if anything failed
summary() {
  echo "# AWS-setup tests took $((SECONDS - started)) s"
  echo "$passed passed, $failed failed"
  ((failed == 0))
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
r_fn=wibltest-reconcile
p_role=wibltest-process-role
s_role=wibltest-submit-role
r_role=wibltest-reconcile-role
policy=wibltest-least-privilege
queue=wibltest-failed-events
queue_arn="arn:aws:sqs:$region:$account:$queue"
parameter=/wibltest/provider-auth
parameter_arn="arn:aws:ssm:$region:$account:parameter/wibltest/provider-auth"
rule=wibltest-reconcile-schedule
rule_arn="arn:aws:events:$region:$account:rule/$rule"

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
# zip_sha256 ZIP: the zip's SHA-256 in base64, as Lambda's CodeSha256
zip_sha256() {
  python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

# start_moto: a plain moto_server (no signature checks: the scripts under test sign with the AWS
# CLI, and the account/credential refusals are what is tested) on a free port; sets
# AWS_ENDPOINT_URL. Ends the run when it cannot start.
start_moto() {
  local moto_bin port
  moto_bin="$(command -v moto_server || true)"
  [[ -n "$moto_bin" ]] || { not_ok "moto_server installed (scripts/install-test-tools.sh)"; summary; exit 1; }
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
    summary
    exit 1
  fi
  ok "moto_server on 127.0.0.1:$port"
}

# need_moto: the groups that deploy call this first: moto (once), and the deployment package for
# the functions (the /bin/true zip from the packaging group, else a stub; never invoked).
need_moto() {
  [[ -n "$moto_pid" ]] || start_moto
  if [[ ! -f "$WIBL_ZIP" ]]; then
    printf '#!/bin/sh\n' >"$work/bootstrap" && chmod +x "$work/bootstrap" && (cd "$work" && zip -q "$WIBL_ZIP" bootstrap)
  fi
  zip_sha="$(zip_sha256 "$WIBL_ZIP")"
}
