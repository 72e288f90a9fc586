#!/usr/bin/env bash
# Step 4: the three functions, runtime provided.al2023, code = the zip made by package.sh (one
# `bootstrap` serving all; the handler string, _HANDLER at run time, picks process, submit or
# reconcile). The DCDB token is not in any function's environment: submit and reconcile get the
# name of its SSM parameter (PROVIDER_AUTH_PARAMETER) and read it at start-up.
# Code is uploaded only when the zip's SHA-256 differs from the function's CodeSha256, the
# configuration only when it differs. Sourced by deploy.sh and update-code.sh; can run alone.
set -euo pipefail

FUNCTION_FIELDS=(Runtime Handler Role MemorySize Timeout Architectures CodeSha256 EnvironmentKeys)

# function_query KEY...: the JMESPath that prints FUNCTION_FIELDS and then the values of KEY...
function_query() {
  local q="[Runtime,Handler,Role,to_string(MemorySize),to_string(Timeout),join(',',Architectures),CodeSha256"
  q+=",join(',',sort(keys(Environment.Variables || \`{}\`)))"
  local key
  for key in "$@"; do q+=",Environment.Variables.$key"; done
  printf '%s]' "$q"
}

# environment_json KEY=VALUE...: {"Variables":{...}} for --environment.
environment_json() {
  local body="" pair
  for pair in "$@"; do body+="${body:+,}$(json_string "${pair%%=*}"):$(json_string "${pair#*=}")"; done
  printf '{"Variables":{%s}}' "$body"
}

# ensure_function NAME ROLE_ARN HANDLER KEY=VALUE...: creates or updates one function.
ensure_function() {
  local name="$1" role_arn="$2" handler="$3"
  shift 3
  local -a env=("$@") keys=() values=()
  local pair
  for pair in "${env[@]}"; do
    keys+=("${pair%%=*}")
    values+=("${pair#*=}")
  done
  local sorted_keys
  sorted_keys="$(printf '%s\n' "${keys[@]}" | LC_ALL=C sort | paste -sd, -)"
  local zip_sha
  zip_sha="$(sha256_base64 "$WIBL_ZIP")"
  local -a expected=(provided.al2023 "$handler" "$role_arn" "$WIBL_LAMBDA_MEMORY" "$WIBL_LAMBDA_TIMEOUT"
    "$WIBL_ARCHITECTURE" "$zip_sha" "$sorted_keys" "${values[@]}")

  # The environment goes through a private file (as the token once did), never
  # the command line, where other users of the machine could see it in the process list.
  local env_file="$WIBL_TMP/env-$name.json"
  (
    umask 077
    environment_json "${env[@]}" >"$env_file"
  )

  if ! probe 'ResourceNotFoundException' lambda get-function-configuration --function-name "$name" \
    --query "$(function_query "${keys[@]}")" --output text; then
    create_function "$name" "$role_arn" "$handler" "$env_file"
    return
  fi

  local -a current
  IFS=$'\t' read -r -a current <<<"$PROBE_OUT"
  local i code_differs=0 config_diff=()
  for i in "${!expected[@]}"; do
    [[ "${current[i]:-}" == "${expected[i]}" ]] && continue
    if ((i < ${#FUNCTION_FIELDS[@]})); then
      case "${FUNCTION_FIELDS[i]}" in
        Architectures | CodeSha256) code_differs=1 ;;
        *) config_diff+=("${FUNCTION_FIELDS[i]}") ;;
      esac
    else
      config_diff+=("${keys[i - ${#FUNCTION_FIELDS[@]}]}") # a name only: values may be secret
    fi
  done

  if ((code_differs)); then
    upload_code "$name" "$zip_sha"
  else
    unchanged "function $name: code (sha256 $zip_sha)"
  fi

  if ((${#config_diff[@]})); then
    say "function $name: configuration differs in ${config_diff[*]}"
    run "update configuration of $name" lambda update-function-configuration --function-name "$name" \
      --role "$role_arn" --handler "$handler" --runtime provided.al2023 \
      --memory-size "$WIBL_LAMBDA_MEMORY" --timeout "$WIBL_LAMBDA_TIMEOUT" --environment "file://$env_file"
    wait_function_updated "$name"
    updated "function $name: configuration"
  else
    unchanged "function $name: configuration"
  fi
}

# upload_code NAME SHA: uploads the zip (and sets the architecture), then waits for the update.
upload_code() {
  local name="$1" zip_sha="$2"
  say "function $name: uploading code ($WIBL_ZIP, sha256 $zip_sha, $WIBL_ARCHITECTURE)"
  run "update code of $name" lambda update-function-code --function-name "$name" \
    --zip-file "fileb://$WIBL_ZIP" --architectures "$WIBL_ARCHITECTURE"
  wait_function_updated "$name"
  updated "function $name: code"
}

# ensure_code NAME: uploads the zip when its SHA-256 or the architecture differs from the
# function's (update-code.sh). The function must exist.
ensure_code() {
  local name="$1" zip_sha
  zip_sha="$(sha256_base64 "$WIBL_ZIP")"
  probe 'ResourceNotFoundException' lambda get-function-configuration --function-name "$name" \
    --query "[join(',',Architectures),CodeSha256]" --output text ||
    die "function $name does not exist: run AWS-setup/deploy.sh first"
  if [[ "$PROBE_OUT" == "$WIBL_ARCHITECTURE"$'\t'"$zip_sha" ]]; then
    unchanged "function $name: code (sha256 $zip_sha)"
  else
    upload_code "$name" "$zip_sha"
  fi
}

create_function() {
  local name="$1" role_arn="$2" handler="$3" env_file="$4"
  local err="$WIBL_TMP/create.err" attempt
  say "function $name: creating (handler $handler, $WIBL_ARCHITECTURE, ${WIBL_LAMBDA_MEMORY} MB, ${WIBL_LAMBDA_TIMEOUT} s)"
  # A new role takes a few seconds to become assumable by Lambda (IAM is eventually consistent):
  # retry exactly that error, with a growing interval, for at most about 90 s.
  for attempt in $(seq 1 15); do
    if awscli lambda create-function --function-name "$name" --runtime provided.al2023 \
      --role "$role_arn" --handler "$handler" --architectures "$WIBL_ARCHITECTURE" \
      --memory-size "$WIBL_LAMBDA_MEMORY" --timeout "$WIBL_LAMBDA_TIMEOUT" \
      --environment "file://$env_file" --zip-file "fileb://$WIBL_ZIP" \
      --description "WIBL $WIBL_DEPLOYMENT_NAME: $handler handler (AWS-setup/deploy.sh)" >/dev/null 2>"$err"; then
      local werr="$WIBL_TMP/wait.err"
      awscli lambda wait function-active-v2 --function-name "$name" 2>"$werr" ||
        die "function $name did not become Active: $(cat "$werr")"
      created "function $name"
      return
    fi
    grep -q 'cannot be assumed by Lambda' "$err" || die "create function $name failed: $(cat "$err")"
    say "function $name: role not yet assumable by Lambda (attempt $attempt), polling again"
    sleep "$((attempt < 6 ? attempt : 6))"
  done
  die "create function $name failed: role $role_arn never became assumable: $(cat "$err")"
}

step_functions() {
  say "step: functions"
  require_zip
  ensure_function "$PROCESS_FUNCTION" "$PROCESS_ROLE_ARN" process \
    "STAGING_BUCKET=$STAGING_BUCKET" "PROVIDER_ID=$WIBL_PROVIDER_ID" "LOG_LEVEL=$WIBL_LOG_LEVEL"
  ensure_function "$SUBMIT_FUNCTION" "$SUBMIT_ROLE_ARN" submit \
    "STAGING_BUCKET=$STAGING_BUCKET" "PROVIDER_ID=$WIBL_PROVIDER_ID" \
    "PROVIDER_AUTH_PARAMETER=$PROVIDER_AUTH_PARAMETER" "UPLOAD_POINT=$WIBL_UPLOAD_POINT" "LOG_LEVEL=$WIBL_LOG_LEVEL"
  ensure_function "$RECONCILE_FUNCTION" "$RECONCILE_ROLE_ARN" reconcile \
    "INCOMING_BUCKET=$INCOMING_BUCKET" "STAGING_BUCKET=$STAGING_BUCKET" "PROVIDER_ID=$WIBL_PROVIDER_ID" \
    "PROVIDER_AUTH_PARAMETER=$PROVIDER_AUTH_PARAMETER" "UPLOAD_POINT=$WIBL_UPLOAD_POINT" "LOG_LEVEL=$WIBL_LOG_LEVEL"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  require_provider_id
  step_functions
fi
