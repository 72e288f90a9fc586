# shellcheck shell=bash
# shellcheck disable=SC2034  # the names set here are used by the scripts that source this file
# Helpers shared by the AWS-setup scripts. Sourced, never run. Reads ../configuration.sh.
#
# Conventions: every AWS call goes through `awscli SERVICE ...` (region, endpoint override);
# progress lines are "[script] + created / ~ updated / = unchanged / - removed ..." so that a
# second deploy can be checked to have changed nothing; failures go through `die`.

WIBL_SETUP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WIBL_REPO_ROOT="$(cd "$WIBL_SETUP_DIR/.." && pwd)"
# shellcheck source=../configuration.sh
source "$WIBL_SETUP_DIR/configuration.sh"

WIBL_SCRIPT="${WIBL_SCRIPT:-$(basename "$0" .sh)}"
export AWS_PAGER=""   # AWS CLI v2 would otherwise pipe output into `less`

say() { printf '[%s] %s\n' "$WIBL_SCRIPT" "$*"; }
die() {
  printf '[%s] ERROR: %s\n' "$WIBL_SCRIPT" "$*" >&2
  exit 1
}
created() { say "+ $*"; }
updated() { say "~ $*"; }
unchanged() { say "= $*"; }
removed() { say "- $*"; }

# A private scratch directory, removed on exit (holds e.g. the environment JSON with the token).
WIBL_TMP="$(mktemp -d "${TMPDIR:-/tmp}/wibl-setup.XXXXXX")"
chmod 700 "$WIBL_TMP"
trap 'rm -rf "$WIBL_TMP"' EXIT

# endpoint_for SERVICE: the endpoint override for that service, if any. The service-specific
# variable wins over AWS_ENDPOINT_URL, as in the AWS SDKs. AWS CLI v1 >= 1.29 reads these itself,
# older v1 releases do not: passing --endpoint-url explicitly works with every version.
endpoint_for() {
  local key
  case "$1" in
    s3 | s3api) key=S3 ;;
    logs) key=CLOUDWATCH_LOGS ;;
    *) key="$(printf '%s' "$1" | tr '[:lower:]-' '[:upper:]_')" ;;
  esac
  local var="AWS_ENDPOINT_URL_$key"
  printf '%s' "${!var:-${AWS_ENDPOINT_URL:-}}"
}

# awscli SERVICE ARGS...: the AWS CLI with our region and endpoint; JSON output unless ARGS say
# otherwise.
awscli() {
  local svc="$1"
  shift
  local extra=(--region "$WIBL_REGION")
  local ep
  ep="$(endpoint_for "$svc")"
  [[ -n "$ep" ]] && extra+=(--endpoint-url "$ep")
  [[ " $* " == *" --output "* ]] || extra+=(--output json)
  "$WIBL_AWS_CLI" "$svc" "$@" "${extra[@]}"
}

# probe NOT_FOUND_REGEX SERVICE ARGS...: runs a read call. Returns 0 with its stdout in
# PROBE_OUT, or 1 when the error message matches NOT_FOUND_REGEX; any other error is fatal.
PROBE_OUT=""
probe() {
  local not_found="$1"
  shift
  local err="$WIBL_TMP/probe.err"
  if PROBE_OUT="$(awscli "$@" 2>"$err")"; then
    return 0
  fi
  local msg
  msg="$(cat "$err")"
  if [[ "$msg" =~ $not_found ]]; then
    return 1
  fi
  die "aws $1 $2 failed: ${msg:-no message}"
}

# run DESCRIPTION SERVICE ARGS...: a write call; on failure, die with the CLI's message.
run() {
  local what="$1"
  shift
  local err="$WIBL_TMP/run.err"
  if ! awscli "$@" >/dev/null 2>"$err"; then
    die "$what failed: $(cat "$err")"
  fi
}

# json_string VALUE: VALUE as a JSON string literal.
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\t'/\\t}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  printf '"%s"' "$s"
}

# sha256_base64 FILE: the SHA-256 of FILE in base64, the form of Lambda's CodeSha256.
sha256_base64() {
  local hex
  if command -v sha256sum >/dev/null 2>&1; then
    hex="$(sha256sum "$1")"
  else
    hex="$(shasum -a 256 "$1")"
  fi
  hex="${hex%% *}"
  # hex -> bytes with printf's \xHH escapes, then base64
  # shellcheck disable=SC2059
  printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')" | base64
}

host_architecture() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# validate_config: checks the values of configuration.sh that do not need AWS.
validate_config() {
  [[ -n "$WIBL_REGION" ]] || die "WIBL_REGION is empty (configuration.sh)"
  [[ "$WIBL_REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "WIBL_REGION '$WIBL_REGION' is not a region name like us-east-2"
  [[ "$WIBL_DEPLOYMENT_NAME" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] ||
    die "WIBL_DEPLOYMENT_NAME '$WIBL_DEPLOYMENT_NAME' must be 1-40 lower-case letters, digits or hyphens"
  [[ -n "$WIBL_ARCHITECTURE" ]] || WIBL_ARCHITECTURE="$(host_architecture)"
  [[ "$WIBL_ARCHITECTURE" == x86_64 || "$WIBL_ARCHITECTURE" == arm64 ]] ||
    die "WIBL_ARCHITECTURE '$WIBL_ARCHITECTURE' must be x86_64 or arm64"
  if ! is_uint "$WIBL_LAMBDA_MEMORY" || ((WIBL_LAMBDA_MEMORY < 128 || WIBL_LAMBDA_MEMORY > 10240)); then
    die "WIBL_LAMBDA_MEMORY '$WIBL_LAMBDA_MEMORY' must be a number of MB from 128 to 10240"
  fi
  if ! is_uint "$WIBL_LAMBDA_TIMEOUT" || ((WIBL_LAMBDA_TIMEOUT < 1 || WIBL_LAMBDA_TIMEOUT > 900)); then
    die "WIBL_LAMBDA_TIMEOUT '$WIBL_LAMBDA_TIMEOUT' must be a number of seconds from 1 to 900"
  fi
  case "$WIBL_LOG_LEVEL" in
    trace | debug | info | notice | warning | error | critical) ;;
    *) die "WIBL_LOG_LEVEL '$WIBL_LOG_LEVEL' must be one of trace debug info notice warning error critical" ;;
  esac
  local retentions=" 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653 "
  case "$retentions" in
    *" $WIBL_LOG_RETENTION_DAYS "*) ;;
    *) die "WIBL_LOG_RETENTION_DAYS '$WIBL_LOG_RETENTION_DAYS' is not a retention CloudWatch accepts (1 3 5 7 14 30 60 90 ... 3653)" ;;
  esac
  if ! is_uint "$WIBL_ASYNC_RETRY_ATTEMPTS" || ((WIBL_ASYNC_RETRY_ATTEMPTS > 2)); then
    die "WIBL_ASYNC_RETRY_ATTEMPTS '$WIBL_ASYNC_RETRY_ATTEMPTS' must be 0, 1 or 2"
  fi
  if ! is_uint "$WIBL_ASYNC_MAX_EVENT_AGE" || ((WIBL_ASYNC_MAX_EVENT_AGE < 60 || WIBL_ASYNC_MAX_EVENT_AGE > 21600)); then
    die "WIBL_ASYNC_MAX_EVENT_AGE '$WIBL_ASYNC_MAX_EVENT_AGE' must be a number of seconds from 60 to 21600"
  fi
  [[ "$WIBL_RECONCILE_SCHEDULE" =~ ^(rate\([1-9][0-9]*\ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$ ]] ||
    die "WIBL_RECONCILE_SCHEDULE '$WIBL_RECONCILE_SCHEDULE' must be rate(N minutes|hours|days) or cron(...)"
  [[ -z "$WIBL_PROVIDER_AUTH_PARAMETER" || "$WIBL_PROVIDER_AUTH_PARAMETER" =~ ^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$ ]] ||
    die "WIBL_PROVIDER_AUTH_PARAMETER '$WIBL_PROVIDER_AUTH_PARAMETER' must be a parameter path like /wibl/provider-auth"
  [[ -z "$WIBL_ACCOUNT_ID" || "$WIBL_ACCOUNT_ID" =~ ^[0-9]{12}$ ]] ||
    die "WIBL_ACCOUNT_ID '$WIBL_ACCOUNT_ID' must be 12 digits (or empty)"
  WIBL_ZIP="${WIBL_ZIP:-$WIBL_REPO_ROOT/.build-lambda/bootstrap.zip}"
}

require_provider_id() {
  [[ -n "$WIBL_PROVIDER_ID" ]] ||
    die "WIBL_PROVIDER_ID is not set: put your DCDB trusted-node provider id in AWS-setup/configuration.sh or export WIBL_PROVIDER_ID"
  [[ "$WIBL_PROVIDER_ID" =~ ^[A-Za-z0-9]{1,16}$ ]] ||
    die "WIBL_PROVIDER_ID '$WIBL_PROVIDER_ID' must be letters and digits only (e.g. UNHJHC)"
}

require_zip() {
  [[ -f "$WIBL_ZIP" ]] || die "deployment package $WIBL_ZIP not found: run AWS-setup/package.sh first (or set WIBL_ZIP)"
  if command -v unzip >/dev/null 2>&1; then
    # grep reads the whole list (with -q it would stop early, and pipefail would see unzip's SIGPIPE)
    unzip -Z1 "$WIBL_ZIP" 2>/dev/null | grep -x bootstrap >/dev/null ||
      die "$WIBL_ZIP has no 'bootstrap' at its root: Lambda custom runtimes need one (package.sh makes it)"
  fi
}

# read_provider_auth: sets PROVIDER_AUTH_TOKEN from the variable named WIBL_PROVIDER_AUTH_ENV, or
# from the first line of WIBL_PROVIDER_AUTH_FILE. Never printed.
PROVIDER_AUTH_TOKEN=""
read_provider_auth() {
  local name="$WIBL_PROVIDER_AUTH_ENV" token=""
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "WIBL_PROVIDER_AUTH_ENV '$name' is not a variable name"
  token="${!name:-}"
  if [[ -z "$token" ]]; then
    [[ -r "$WIBL_PROVIDER_AUTH_FILE" ]] ||
      die "no DCDB provider auth token: export $name, or put the token on the first line of $WIBL_PROVIDER_AUTH_FILE (WIBL_PROVIDER_AUTH_FILE)"
    IFS= read -r token <"$WIBL_PROVIDER_AUTH_FILE" || true
    say "provider auth token read from $WIBL_PROVIDER_AUTH_FILE"
  else
    say "provider auth token read from \$$name"
  fi
  token="${token//[[:space:]]/}"
  [[ -n "$token" ]] || die "the DCDB provider auth token is empty"
  PROVIDER_AUTH_TOKEN="$token"
}

# preflight: CLI present, configuration valid, credentials usable, names derived.
ACCOUNT_ID=""
PARTITION=""
require_cli() {
  command -v "$WIBL_AWS_CLI" >/dev/null 2>&1 ||
    die "AWS CLI '$WIBL_AWS_CLI' not found: install it (pip install awscli, or AWS CLI v2) or set WIBL_AWS_CLI"
}

preflight() {
  require_cli
  validate_config
  local out err="$WIBL_TMP/sts.err"
  if ! out="$(awscli sts get-caller-identity --query '[Account,Arn]' --output text 2>"$err")"; then
    die "no usable AWS credentials (aws sts get-caller-identity failed: $(tr '\n' ' ' <"$err")). Configure them with 'aws configure', AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
  fi
  ACCOUNT_ID="${out%%[[:space:]]*}"
  local arn="${out##*[[:space:]]}"
  PARTITION="$(cut -d: -f2 <<<"$arn")"
  [[ "$ACCOUNT_ID" =~ ^[0-9]{12}$ && -n "$PARTITION" ]] || die "unexpected answer from sts get-caller-identity: $out"
  if [[ -n "$WIBL_ACCOUNT_ID" && "$WIBL_ACCOUNT_ID" != "$ACCOUNT_ID" ]]; then
    die "these credentials are for account $ACCOUNT_ID, but WIBL_ACCOUNT_ID is $WIBL_ACCOUNT_ID: refusing to touch the wrong account"
  fi
  derive_names
  say "account $ACCOUNT_ID, region $WIBL_REGION, deployment '$WIBL_DEPLOYMENT_NAME'${AWS_ENDPOINT_URL:+, endpoint $AWS_ENDPOINT_URL}"
}

# derive_names: every resource name and ARN, from the configuration and the account.
derive_names() {
  INCOMING_BUCKET="${WIBL_INCOMING_BUCKET:-$WIBL_DEPLOYMENT_NAME-incoming-$ACCOUNT_ID}"
  STAGING_BUCKET="${WIBL_STAGING_BUCKET:-$WIBL_DEPLOYMENT_NAME-staging-$ACCOUNT_ID}"
  local b
  for b in "$INCOMING_BUCKET" "$STAGING_BUCKET"; do
    [[ "$b" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] ||
      die "bucket name '$b' is invalid: 3-63 lower-case letters, digits, dots, hyphens"
  done
  [[ "$INCOMING_BUCKET" != "$STAGING_BUCKET" ]] || die "the incoming and staging buckets must differ"
  PROCESS_FUNCTION="$WIBL_DEPLOYMENT_NAME-process"
  SUBMIT_FUNCTION="$WIBL_DEPLOYMENT_NAME-submit"
  RECONCILE_FUNCTION="$WIBL_DEPLOYMENT_NAME-reconcile"
  PROCESS_ROLE="$PROCESS_FUNCTION-role"
  SUBMIT_ROLE="$SUBMIT_FUNCTION-role"
  RECONCILE_ROLE="$RECONCILE_FUNCTION-role"
  ROLE_POLICY_NAME="$WIBL_DEPLOYMENT_NAME-least-privilege"
  PROCESS_LOG_GROUP="/aws/lambda/$PROCESS_FUNCTION"
  SUBMIT_LOG_GROUP="/aws/lambda/$SUBMIT_FUNCTION"
  RECONCILE_LOG_GROUP="/aws/lambda/$RECONCILE_FUNCTION"
  FAILED_EVENTS_QUEUE="$WIBL_DEPLOYMENT_NAME-failed-events"
  FAILED_EVENTS_QUEUE_ARN="arn:$PARTITION:sqs:$WIBL_REGION:$ACCOUNT_ID:$FAILED_EVENTS_QUEUE"
  PROVIDER_AUTH_PARAMETER="${WIBL_PROVIDER_AUTH_PARAMETER:-/$WIBL_DEPLOYMENT_NAME/provider-auth}"
  PROVIDER_AUTH_PARAMETER_ARN="arn:$PARTITION:ssm:$WIBL_REGION:$ACCOUNT_ID:parameter/${PROVIDER_AUTH_PARAMETER#/}"
  SCHEDULE_RULE="$WIBL_DEPLOYMENT_NAME-reconcile-schedule"
  SCHEDULE_RULE_ARN="arn:$PARTITION:events:$WIBL_REGION:$ACCOUNT_ID:rule/$SCHEDULE_RULE"
  SCHEDULE_STATEMENT_ID="$WIBL_DEPLOYMENT_NAME-schedule-invoke"
  INCOMING_ARN="arn:$PARTITION:s3:::$INCOMING_BUCKET"
  STAGING_ARN="arn:$PARTITION:s3:::$STAGING_BUCKET"
  PROCESS_ROLE_ARN="arn:$PARTITION:iam::$ACCOUNT_ID:role/$PROCESS_ROLE"
  SUBMIT_ROLE_ARN="arn:$PARTITION:iam::$ACCOUNT_ID:role/$SUBMIT_ROLE"
  PROCESS_FUNCTION_ARN="arn:$PARTITION:lambda:$WIBL_REGION:$ACCOUNT_ID:function:$PROCESS_FUNCTION"
  SUBMIT_FUNCTION_ARN="arn:$PARTITION:lambda:$WIBL_REGION:$ACCOUNT_ID:function:$SUBMIT_FUNCTION"
  RECONCILE_ROLE_ARN="arn:$PARTITION:iam::$ACCOUNT_ID:role/$RECONCILE_ROLE"
  RECONCILE_FUNCTION_ARN="arn:$PARTITION:lambda:$WIBL_REGION:$ACCOUNT_ID:function:$RECONCILE_FUNCTION"
  INVOKE_STATEMENT_ID="$WIBL_DEPLOYMENT_NAME-s3-invoke"
}

# log_group_arn GROUP: the ARN of a log group in this account and region.
log_group_arn() { printf 'arn:%s:logs:%s:%s:log-group:%s' "$PARTITION" "$WIBL_REGION" "$ACCOUNT_ID" "$1"; }

# wait_function_updated NAME: polls until the function's last update has finished.
wait_function_updated() {
  local err="$WIBL_TMP/wait.err"
  awscli lambda wait function-updated-v2 --function-name "$1" 2>"$err" ||
    die "function $1 did not finish updating: $(cat "$err")"
}
