#!/usr/bin/env bash
# Deploys (or brings up to date) the whole WIBL pipeline described by configuration.sh:
# buckets, the token parameter (SSM SecureString), the failed-events queue, roles, log groups,
# functions (process, submit, reconcile) and their asynchronous-invocation settings, invoke
# permissions, bucket notifications, and the reconcile schedule.
# Idempotent: each step checks what exists and changes only what differs, so a second run
# changes nothing. Lines start with + (created), ~ (updated), - (removed) or = (unchanged).
#
# Usage: AWS-setup/deploy.sh            (after AWS-setup/package.sh)
#   The DCDB provider token is read from $PROVIDER_AUTH or WIBL_PROVIDER_AUTH_FILE.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
for step in "$here"/steps/[0-9][0-9]-*.sh; do
  # shellcheck source=/dev/null
  source "$step"
done

[[ $# -eq 0 ]] || die "deploy.sh takes no arguments; parameters come from configuration.sh or WIBL_* variables"
# Local checks first (fast, and no AWS call for a mistake in the parameters), then credentials.
require_cli
validate_config
require_provider_id
require_zip
read_provider_auth
preflight

step_buckets
step_parameter
step_queue
step_roles
step_log_groups
step_functions
step_async
step_triggers
step_schedule
say "done: .wibl files put into s3://$INCOMING_BUCKET/ are converted by $PROCESS_FUNCTION into s3://$STAGING_BUCKET/, and submitted by $SUBMIT_FUNCTION to $WIBL_UPLOAD_POINT; $RECONCILE_FUNCTION runs $WIBL_RECONCILE_SCHEDULE; failed events go to $FAILED_EVENTS_QUEUE"
