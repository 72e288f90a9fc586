#!/usr/bin/env bash
# Step 1b: the DCDB provider auth token as an SSM Parameter Store SecureString (encrypted with
# the AWS-managed aws/ssm key, so the functions' roles need no KMS grant). The submit and
# reconcile functions read it once at start-up (PROVIDER_AUTH_PARAMETER); it is never put into a
# function's configuration, a command line or this script's output.
#
# Why SSM and not Secrets Manager: both serve a secret over the same signed JSON protocol and both
# can be limited to one resource in IAM; a standard SecureString parameter costs nothing while a
# secret costs $0.40 a month, and we need neither rotation nor cross-account sharing.
# Sourced by deploy.sh; can also be run alone.
set -euo pipefail

# parameter_input_json: the put-parameter request, written to a mode-600 file in WIBL_TMP.
parameter_input_file() {
  local file="$WIBL_TMP/parameter.json"
  (
    umask 077
    printf '{"Name":%s,"Type":"SecureString","Overwrite":true,"Description":%s,"Value":%s}' \
      "$(json_string "$PROVIDER_AUTH_PARAMETER")" \
      "$(json_string "WIBL $WIBL_DEPLOYMENT_NAME: DCDB provider auth token (AWS-setup/deploy.sh)")" \
      "$(json_string "$PROVIDER_AUTH_TOKEN")" >"$file"
  )
  printf '%s' "$file"
}

step_parameter() {
  say "step: parameter"
  local current="" type=""
  if probe 'ParameterNotFound' ssm get-parameter --name "$PROVIDER_AUTH_PARAMETER" --with-decryption \
    --query 'Parameter.[Type,Value]' --output text; then
    type="${PROBE_OUT%%$'\t'*}"
    current="${PROBE_OUT#*$'\t'}"
  fi
  if [[ "$type" == SecureString && "$current" == "$PROVIDER_AUTH_TOKEN" ]]; then
    unchanged "parameter $PROVIDER_AUTH_PARAMETER (SecureString)"
  else
    run "store the provider token in $PROVIDER_AUTH_PARAMETER" ssm put-parameter \
      --cli-input-json "file://$(parameter_input_file)"
    if [[ -z "$type" ]]; then
      created "parameter $PROVIDER_AUTH_PARAMETER (SecureString)"
    else
      updated "parameter $PROVIDER_AUTH_PARAMETER (SecureString): new value"
    fi
  fi
  current=""
  PROBE_OUT=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  require_provider_id
  read_provider_auth
  step_parameter
fi
