#!/usr/bin/env bash
# Step 1: the incoming and staging buckets, private (public access block) and encrypted (SSE-S3).
# Sourced by deploy.sh; can also be run alone.
set -euo pipefail

# ensure_bucket NAME: creates the bucket in WIBL_REGION if it is missing.
ensure_bucket() {
  local bucket="$1" err="$WIBL_TMP/head.err"
  if awscli s3api head-bucket --bucket "$bucket" >/dev/null 2>"$err"; then
    unchanged "bucket $bucket exists"
  elif grep -Eq '\(404\)|Not Found|NoSuchBucket' "$err"; then
    if [[ "$WIBL_REGION" == us-east-1 ]]; then
      run "create bucket $bucket" s3api create-bucket --bucket "$bucket"
    else
      # Outside us-east-1 the region must be named, or S3 answers IllegalLocationConstraintException.
      run "create bucket $bucket" s3api create-bucket --bucket "$bucket" \
        --create-bucket-configuration "LocationConstraint=$WIBL_REGION"
    fi
    awscli s3api wait bucket-exists --bucket "$bucket" || die "bucket $bucket did not appear"
    created "bucket $bucket ($WIBL_REGION)"
  elif grep -Eq '\(403\)|Forbidden' "$err"; then
    die "bucket $bucket exists but belongs to another account (names are global): choose another name with WIBL_DEPLOYMENT_NAME or WIBL_INCOMING_BUCKET / WIBL_STAGING_BUCKET"
  else
    die "cannot check bucket $bucket: $(cat "$err")"
  fi
}

# ensure_bucket_private NAME: all four public-access-block switches on.
ensure_bucket_private() {
  local bucket="$1" current=""
  if probe 'NoSuchPublicAccessBlockConfiguration' s3api get-public-access-block --bucket "$bucket" \
    --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' \
    --output text; then
    current="$PROBE_OUT"
  fi
  if [[ "$(tr -s '[:space:]' ' ' <<<"$current" | sed 's/ $//')" == "True True True True" ]]; then
    unchanged "bucket $bucket blocks public access"
  else
    run "public access block on $bucket" s3api put-public-access-block --bucket "$bucket" \
      --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    updated "bucket $bucket: public access blocked"
  fi
}

# ensure_bucket_encrypted NAME: default encryption SSE-S3 (AES256).
ensure_bucket_encrypted() {
  local bucket="$1" current=""
  if probe 'ServerSideEncryptionConfigurationNotFoundError' s3api get-bucket-encryption --bucket "$bucket" \
    --query 'ServerSideEncryptionConfiguration.Rules[*].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text; then
    current="$PROBE_OUT"
  fi
  if [[ "$current" == AES256 ]]; then
    unchanged "bucket $bucket: default encryption SSE-S3"
  else
    run "default encryption on $bucket" s3api put-bucket-encryption --bucket "$bucket" \
      --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
    updated "bucket $bucket: default encryption SSE-S3"
  fi
}

step_buckets() {
  say "step: buckets"
  local bucket
  for bucket in "$INCOMING_BUCKET" "$STAGING_BUCKET"; do
    ensure_bucket "$bucket"
    ensure_bucket_private "$bucket"
    ensure_bucket_encrypted "$bucket"
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # shellcheck source=../lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
  preflight
  step_buckets
fi
