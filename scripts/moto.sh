#!/usr/bin/env bash
# A local S3 peer for the Swift tests: stock `moto_server` (PyPI "moto[server]" 5.2.x) on 127.0.0.1
# with SigV4 signature checking switched on.
#
#   scripts/moto.sh start STATE_DIR   start on a free port, provision credentials, write STATE_DIR/env
#   scripts/moto.sh stop STATE_DIR    stop the server started there (by its recorded PID)
#
# How: moto checks signatures once INITIAL_NO_AUTH_ACTION_COUNT requests have been served without
# authentication. The first three (IAM CreateUser, PutUserPolicy allowing everything,
# CreateAccessKey) are spent provisioning a user here; every later request must be correctly signed
# with that user's key. Then STS AssumeRole (signed) yields temporary credentials with a session token.
#
# Contract with the tests (STATE_DIR/env, KEY=VALUE lines for `set -a; source STATE_DIR/env`):
#   WIBL_TEST_S3_ENDPOINT                     http://127.0.0.1:PORT
#   WIBL_TEST_AWS_REGION                      us-east-1 (moto accepts any; buckets are created here)
#   WIBL_TEST_AWS_ACCESS_KEY_ID               IAM user's access key id
#   WIBL_TEST_AWS_SECRET_ACCESS_KEY           IAM user's secret key
#   WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID       STS temporary credentials (ASIA...)
#   WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY
#   WIBL_TEST_AWS_SESSION_TOKEN
#   WIBL_TEST_MOTO_PID                        the server's PID
# The S3 tests fail with a message naming these variables when they are unset.
#
# Knobs: PYTHON (default python3, must have moto[server] and boto3), WIBL_MOTO_TTL (seconds after
# which the server exits by itself, default 3600), WIBL_MOTO_PORT (default: a free port).
set -euo pipefail

PY="${PYTHON:-python3}"
TTL="${WIBL_MOTO_TTL:-3600}"
NO_AUTH_COUNT=3

die() { echo "moto.sh: $*" >&2; exit 1; }

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
  local dir="${1:?usage: moto.sh start STATE_DIR}"
  mkdir -p "$dir"
  if [ -s "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    die "a server already runs from $dir (pid $(cat "$dir/pid"))"
  fi
  "$PY" -c 'import moto.server, boto3' 2>/dev/null || die "$PY lacks moto[server]/boto3 (scripts/install-test-tools.sh)"
  local port="${WIBL_MOTO_PORT:-$(free_port)}"
  local endpoint="http://127.0.0.1:${port}"
  # setsid: own session, so the caller's job control does not stop it; `timeout` bounds its life.
  INITIAL_NO_AUTH_ACTION_COUNT="$NO_AUTH_COUNT" setsid timeout "$TTL" \
    "$PY" -m moto.server -H 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  local i
  for i in $(seq 1 60); do
    if "$PY" -c 'import sys, socket; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
        "$port" 2>/dev/null; then
      break
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/server.log" >&2; die "moto_server exited early"; }
    sleep 0.5
  done
  [ "$i" -lt 60 ] || { cmd_stop "$dir" >/dev/null; die "moto_server did not answer within 30 s"; }

  if ! "$PY" - "$endpoint" "$dir/env" "$(cat "$dir/pid")" >"$dir/provision.log" 2>&1 <<'PYEOF'
import json, shlex, sys
import boto3
from botocore.config import Config

endpoint, env_path, pid = sys.argv[1], sys.argv[2], sys.argv[3]
region = "us-east-1"
cfg = Config(retries={"max_attempts": 1})
boot = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap", config=cfg)
iam = boto3.client("iam", **boot)
# These three calls are the unauthenticated ones (INITIAL_NO_AUTH_ACTION_COUNT=3).
iam.create_user(UserName="wibl-test")
iam.put_user_policy(UserName="wibl-test", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="wibl-test")["AccessKey"]
user = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"], config=cfg)
# From here on signatures are checked: prove it both ways.
# Temporary credentials as a Lambda function gets them: a role the user may assume.
user_iam = boto3.client("iam", **user)
arn = user_iam.get_user(UserName="wibl-test")["User"]["Arn"]
trust = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"}]})
role = user_iam.create_role(RoleName="wibl-test-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
user_iam.put_role_policy(RoleName="wibl-test-role", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
sts = boto3.client("sts", **user)
session = sts.assume_role(RoleArn=role, RoleSessionName="wibl-test", DurationSeconds=3600)["Credentials"]
bad = boto3.client("s3", **dict(user, aws_secret_access_key="wrong" + key["SecretAccessKey"]))
try:
    bad.list_buckets()
    raise SystemExit("moto accepted a wrong secret: signature checking is off")
except bad.exceptions.ClientError as error:
    print("wrong secret rejected as expected:", error.response["Error"]["Code"])
boto3.client("s3", **user).list_buckets()
values = {
    "WIBL_TEST_S3_ENDPOINT": endpoint,
    "WIBL_TEST_AWS_REGION": region,
    "WIBL_TEST_AWS_ACCESS_KEY_ID": key["AccessKeyId"],
    "WIBL_TEST_AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    "WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID": session["AccessKeyId"],
    "WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY": session["SecretAccessKey"],
    "WIBL_TEST_AWS_SESSION_TOKEN": session["SessionToken"],
    "WIBL_TEST_MOTO_PID": pid,
}
with open(env_path, "w") as f:
    for name, value in values.items():
        f.write(f"{name}={shlex.quote(value)}\n")
PYEOF
  then
    cat "$dir/provision.log" >&2
    cmd_stop "$dir" >/dev/null
    die "provisioning failed (see above)"
  fi
  chmod 600 "$dir/env"
  echo "moto.sh: moto_server at $endpoint (pid $(cat "$dir/pid")); variables in $dir/env"
}

cmd_stop() {
  local dir="${1:?usage: moto.sh stop STATE_DIR}"
  [ -s "$dir/pid" ] || die "no pid file in $dir"
  local pid; pid="$(cat "$dir/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    local i
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    echo "moto.sh: stopped pid $pid"
  else
    echo "moto.sh: pid $pid was not running"
  fi
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,28p' "$0"; exit 2 ;;
esac
