#!/usr/bin/env bash
# Runs every test of wibl-swift on this machine, installing what they need first:
#   1. the Swift test suite, against a real moto_server with SigV4 checking (started here) and the
#      csbschema validator;
#   1b. the suites that talk to S3 (S3, ledger, Lambda end to end, faults) a second time, against
#      Ceph's RADOS Gateway (scripts/rgw.sh, started here), a real S3 implementation;
#   2. the AWS-setup script tests (deploy / redeploy / teardown against moto, shellcheck);
#   3. the bootstrap packaging check for Amazon Linux 2023 (glibc ≤ 2.34, allowed libraries only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-test-tools.sh
export WIBL_CSBSCHEMA="${WIBL_TOOLS_DIR:-$HOME/.cache/wibl-tools}/csbschema-venv/bin/csbschema"

echo "== style: swift format lint; the module graph (imports, layering, no Foundation in pure modules)"
swift format lint --strict -r Sources Tests
python3 scripts/module-graph.py --check

echo "== swift build"
swift build

moto_state="$(mktemp -d "${TMPDIR:-/tmp}/wibl-moto.XXXXXX")"
rgw_state="" # kept short: ceph's unix socket paths must stay under 107 characters
cleanup() {
  scripts/moto.sh stop "$moto_state" >/dev/null 2>&1 || true
  if [ -n "$rgw_state" ]; then scripts/rgw.sh stop "$rgw_state" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
scripts/moto.sh start "$moto_state"
set -a
# shellcheck disable=SC1091
source "$moto_state/env"
set +a

echo "== swift test"
swift test

echo "== swift test: the S3, ledger, Lambda and fault suites against Ceph RADOS Gateway"
rgw_state="$(mktemp -d /tmp/wibl-rgw.XXXXXX)"
scripts/rgw.sh start "$rgw_state"
(
  set -a
  # shellcheck disable=SC1091
  source "$rgw_state/env"
  set +a
  # Suites whose names contain S3, Ledger, Lambda or Fault. Selected out, each for a documented
  # difference of RGW 16.2 from AWS (the spec's "Test peers"), not for a bug of ours:
  #   createBucketOutsideUSEast1AndNotifications: RGW answers 400 InvalidLocationConstraint to any
  #     LocationConstraint but its zonegroup's (us-east-1), and has no Lambda/SQS/SNS notification
  #     configuration of the AWS kind;
  #   unknownAccessKeyIsInvalidAccessKeyId, sessionKeyWithoutTokenIsInvalidAccessKeyId: with its STS
  #     on (needed for session credentials) RGW answers 403 AccessDenied, not InvalidAccessKeyId,
  #     to an access key it does not know (a session key without its token is one). Still refused.
  #     (A wrong secret gets AccessDenied too: the tests expect that code from RGW: S3TestPeer.wrongSecretCode.)
  #   copyReplacingTags: RGW keeps the source's tags on CopyObject with x-amz-tagging-directive REPLACE.
  swift test --filter 'S3|Ledger|Lambda|Fault' \
    --skip 'createBucketOutsideUSEast1AndNotifications|unknownAccessKeyIsInvalidAccessKeyId|sessionKeyWithoutTokenIsInvalidAccessKeyId|copyReplacingTags'
)
scripts/rgw.sh stop "$rgw_state"
rgw_state=""

echo "== AWS-setup tests"
AWS-setup/tests/run.sh

echo "== bootstrap packaging check"
AWS-setup/package.sh
