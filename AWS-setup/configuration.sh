#!/usr/bin/env bash
# Deployment parameters for the WIBL cloud pipeline (incoming bucket -> `process` Lambda ->
# staging bucket -> `submit` Lambda -> NOAA DCDB).
#
# This file is SOURCED by every script in AWS-setup/. Edit the defaults below, or leave this
# file alone and override any value with an environment variable of the same name, e.g.
#     WIBL_PROVIDER_ID=UNHJHC WIBL_REGION=us-west-2 AWS-setup/deploy.sh
# An empty value means "derive it" where a derivation is described.
#
# SECRETS: the DCDB provider auth token is never written here or in any other repository file.
# It is read at deploy time from the environment variable named by WIBL_PROVIDER_AUTH_ENV
# (default PROVIDER_AUTH) or, failing that, from the file WIBL_PROVIDER_AUTH_FILE.
# shellcheck disable=SC2034  # every variable here is used by the scripts that source this file

# AWS account the deployment must go into (12 digits). Empty: the account of the current
# credentials (`aws sts get-caller-identity`). When set, the scripts refuse to run with
# credentials of any other account, which protects against deploying into the wrong one.
WIBL_ACCOUNT_ID="${WIBL_ACCOUNT_ID:-}"

# AWS region for buckets, roles' log groups and functions. AWS_REGION is deliberately NOT
# consulted, so that a region left over in the shell cannot redirect a deployment.
WIBL_REGION="${WIBL_REGION:-us-east-2}"

# Prefix of every resource name: functions <name>-process, <name>-submit and <name>-reconcile,
# roles <function>-role, log groups /aws/lambda/<function>, the queue <name>-failed-events, the
# schedule rule <name>-reconcile-schedule, the parameter /<name>/provider-auth.
# Lower-case letters, digits and hyphens; at most 40 characters.
WIBL_DEPLOYMENT_NAME="${WIBL_DEPLOYMENT_NAME:-wibl}"

# Bucket that receives .wibl logger files (the `process` function's trigger). Bucket names are
# global across all of AWS. Empty: <deployment name>-incoming-<account id>.
WIBL_INCOMING_BUCKET="${WIBL_INCOMING_BUCKET:-}"

# Bucket that receives the converted B-12 GeoJSON files (the `submit` function's trigger).
# Empty: <deployment name>-staging-<account id>.
WIBL_STAGING_BUCKET="${WIBL_STAGING_BUCKET:-}"

# Trusted-node provider id agreed with DCDB (up to six upper-case characters, e.g. UNHJHC).
# Required: there is no default. Becomes PROVIDER_ID in both functions.
WIBL_PROVIDER_ID="${WIBL_PROVIDER_ID:-}"

# DCDB upload endpoint (UPLOAD_POINT of the submit function). Default: the DCDB TEST endpoint.
# Production: https://www.ngdc.noaa.gov/ingest-external/upload/csb/geojson/
WIBL_UPLOAD_POINT="${WIBL_UPLOAD_POINT:-https://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/}"

# Lambda instruction set: x86_64 or arm64. It must match the machine that runs package.sh
# (the bootstrap is built natively); empty: the architecture of this machine.
WIBL_ARCHITECTURE="${WIBL_ARCHITECTURE:-}"

# Lambda memory in MB (128-10240). CPU share grows with memory; 2048 is the WIBL default.
WIBL_LAMBDA_MEMORY="${WIBL_LAMBDA_MEMORY:-2048}"

# Lambda timeout in seconds (1-900). WIBL default 90.
WIBL_LAMBDA_TIMEOUT="${WIBL_LAMBDA_TIMEOUT:-90}"

# LOG_LEVEL of the functions: trace, debug, info, notice, warning, error or critical.
WIBL_LOG_LEVEL="${WIBL_LOG_LEVEL:-info}"

# Days CloudWatch keeps the functions' logs (a value CloudWatch accepts: 1, 3, 5, 7, 14, 30,
# 60, 90, 120, 150, 180, 365, ...). Logs are otherwise kept, and billed, forever.
WIBL_LOG_RETENTION_DAYS="${WIBL_LOG_RETENTION_DAYS:-30}"

# Schedule of the `reconcile` function (an EventBridge schedule expression): how often it looks
# for incoming files that never got an event, processed files with no submission claim, and
# stale claims. rate(N minutes|hours|days) or cron(...).
WIBL_RECONCILE_SCHEDULE="${WIBL_RECONCILE_SCHEDULE:-rate(15 minutes)}"

# Lambda's asynchronous invocation of each function (S3 events, the schedule): how many times a
# failed invocation is retried (0-2), and how long an event may wait for its turn (60-21600 s).
# An event that still fails, or grows too old, goes to the deployment's failed-events SQS queue
# (<name>-failed-events), where nothing is lost: `wibl status` and a person take it from there.
WIBL_ASYNC_RETRY_ATTEMPTS="${WIBL_ASYNC_RETRY_ATTEMPTS:-2}"
WIBL_ASYNC_MAX_EVENT_AGE="${WIBL_ASYNC_MAX_EVENT_AGE:-21600}"

# SSM Parameter Store name (a SecureString) that deploy.sh stores the DCDB token in, and that the
# submit and reconcile functions read once at start-up (PROVIDER_AUTH_PARAMETER). Empty:
# /<deployment name>/provider-auth. The token itself is never in a function's configuration.
WIBL_PROVIDER_AUTH_PARAMETER="${WIBL_PROVIDER_AUTH_PARAMETER:-}"

# Name of the environment variable that holds the DCDB provider auth token at deploy time.
WIBL_PROVIDER_AUTH_ENV="${WIBL_PROVIDER_AUTH_ENV:-PROVIDER_AUTH}"

# File holding the token on its first line, used when that variable is unset or empty.
# Keep it outside the repository, readable only by you (chmod 600).
WIBL_PROVIDER_AUTH_FILE="${WIBL_PROVIDER_AUTH_FILE:-${HOME:-}/.wibl/ingest-external-${WIBL_PROVIDER_ID:-PROVIDER}.txt}"

# The deployment package made by package.sh and used by deploy.sh / update-code.sh.
# Empty: .build-lambda/bootstrap.zip at the repository root.
WIBL_ZIP="${WIBL_ZIP:-}"

# The AWS CLI command (v1 or v2). Endpoint overrides: AWS_ENDPOINT_URL_<SERVICE> (S3, IAM,
# LAMBDA, STS, CLOUDWATCH_LOGS, SSM, SQS, EVENTS) or AWS_ENDPOINT_URL are passed on as
# --endpoint-url.
WIBL_AWS_CLI="${WIBL_AWS_CLI:-aws}"
