#!/usr/bin/env bash
# A second, real S3 peer for the Swift tests: Ceph's RADOS Gateway (Debian 12 package `radosgw`
# 16.2) on 127.0.0.1, on a throw-away single-node cluster that lives entirely in STATE_DIR.
#
#   scripts/rgw.sh start STATE_DIR   create and start the cluster, provision a user and STS
#                                    session credentials, write STATE_DIR/env
#   scripts/rgw.sh stop STATE_DIR    stop the daemons started there (by their recorded PIDs)
#
# The cluster: one ceph-mon, one ceph-osd on the in-memory `memstore` object store, and radosgw
# with the beast frontend on a free loopback port. The daemons talk to each other without cephx;
# the gateway checks SigV4 signatures (and each chunk signature of aws-chunked uploads) as AWS
# does. Config, keyring, data, logs, sockets and pids all sit under STATE_DIR (nothing in
# /etc/ceph or /var/lib/ceph). Unix socket paths must stay under 107 characters: keep STATE_DIR
# short (mktemp -d under /tmp is fine). Start-up takes about 20 s; memory about 150-300 MiB.
#
# Contract with the tests: the same STATE_DIR/env variables as scripts/moto.sh (read its header),
# so that the same Swift tests run against either peer:
#   WIBL_TEST_S3_ENDPOINT, WIBL_TEST_AWS_REGION (us-east-1), WIBL_TEST_AWS_ACCESS_KEY_ID,
#   WIBL_TEST_AWS_SECRET_ACCESS_KEY, WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID,
#   WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY, WIBL_TEST_AWS_SESSION_TOKEN (RGW's own STS:
#   AssumeRole of a role the user may assume), and WIBL_TEST_S3_PEER=rgw.
#
# Settings the gateway needs on loopback, and why:
#   auth ... required = none            no cephx between the daemons (one user, one machine);
#   ms mon client mode = crc            radosgw defaults to `secure`, needs cephx, waits 300 s;
#   osd fast shutdown = false           memstore keeps its data only through a clean stop;
#   osd pool default size = 1, mon allow pool size one = true   a single OSD holds everything;
#   rgw sts key, rgw s3 auth use sts    RGW's STS, for the session-credential tests.
# Needs: ceph-mon, ceph-osd, radosgw, ceph-common (scripts/install-test-tools.sh), python3 with boto3.
# Knobs: PYTHON (default python3), WIBL_RGW_MEMSTORE_BYTES (default 1 GiB of RAM for objects).
set -euo pipefail

PY="${PYTHON:-python3}"
MEMSTORE_BYTES="${WIBL_RGW_MEMSTORE_BYTES:-1073741824}"
REGION=us-east-1
USER_ID=wibl-test
ROLE=wibl-test-role

say() { echo "rgw.sh: $*"; }
die() { echo "rgw.sh: $*" >&2; exit 1; }

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
random_text() { # LENGTH: random letters and digits
  "$PY" -c 'import secrets, string, sys
print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(int(sys.argv[1]))))' "$1"
}

# Our daemon: the PID in the file is alive and its command line names this STATE_DIR's ceph.conf.
ours() {
  local pidfile="$1" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/ceph.conf"
}

ceph_cli() { timeout 60 ceph -c "$dir/ceph.conf" --connect-timeout 10 "$@"; }
rgw_admin() { timeout 120 radosgw-admin -c "$dir/ceph.conf" "$@" 2>>"$dir/log/radosgw-admin.log"; }

# launch NAME COMMAND...: a daemon in the foreground of its own session; we record its PID.
launch() {
  local name="$1"
  shift
  setsid "$@" -f </dev/null >>"$dir/log/$name.out" 2>&1 &
  echo $! >"$dir/run/$name.pid"
}

# wait_until SECONDS NAME WHAT COMMAND...: poll COMMAND while daemon NAME lives.
wait_until() {
  local seconds="$1" name="$2" what="$3" i
  shift 3
  for ((i = 0; i < seconds * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    ours "$dir/run/$name.pid" || die "$name exited while waiting for $what: $(tail -3 "$dir/log/$name.out" 2>/dev/null)"
    sleep 0.25
  done
  die "no $what after ${seconds} s (logs in $dir/log)"
}

osd_is_up() { ceph_cli osd dump 2>/dev/null | grep -qE '^osd\.0 up +in'; }
s3_answers() {
  "$PY" -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass' "http://127.0.0.1:$s3port/"
}

write_conf() {
  cat >"$dir/ceph.conf" <<EOF
# written by scripts/rgw.sh for a throw-away loopback cluster
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$monport]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms mon client mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
keyring = $dir/keyring
run dir = $dir/run
crash dir = $dir/crash
log file = $dir/log/\$name.log
mon cluster log file = $dir/log/cluster.log
log to stderr = false
err to stderr = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $dir/mon/\$name
admin socket = $dir/run/\$name.asok

[osd]
osd data = $dir/osd/\$name
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd op num shards = 1
osd op num threads per shard = 2
osd fast shutdown = false
admin socket = $dir/run/\$name.asok

[client.rgw.wibl]
rgw frontends = beast endpoint=127.0.0.1:$s3port
rgw data = $dir/rgw
rgw thread pool size = 32
rgw enable usage log = false
rgw zonegroup = default
rgw zone = default
rgw sts key = $(random_text 16)
rgw s3 auth use sts = true
admin socket = $dir/run/\$name.asok
EOF
}

cmd_start() {
  dir="${1:?usage: rgw.sh start STATE_DIR}"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd -P)"
  [ "${#dir}" -lt 70 ] || die "STATE_DIR path too long for ceph's unix sockets: $dir"
  [ ! -e "$dir/ceph.conf" ] || die "$dir already holds a cluster (stop it and use a new STATE_DIR)"
  local tool
  for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool ceph-authtool; do
    command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-test-tools.sh)"
  done
  "$PY" -c 'import boto3' 2>/dev/null || die "$PY lacks boto3 (scripts/install-test-tools.sh)"
  mkdir -p "$dir"/{run,log,crash,mon,osd/osd.0,rgw}
  local started=$SECONDS
  # a start that fails half-way stops what it started
  trap '[ -s "$dir/env" ] || cmd_stop "$dir" >/dev/null 2>&1 || true' EXIT

  fsid="$(cat /proc/sys/kernel/random/uuid)"
  monport="$(free_port)"
  s3port="$(free_port)"
  while [ "$s3port" = "$monport" ]; do s3port="$(free_port)"; done
  write_conf
  # cephx is off, but mkfs still wants a keyring to read
  ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$monport]" "$dir/monmap" >/dev/null
  ceph-mon -c "$dir/ceph.conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring" \
    >"$dir/log/mkfs-mon.log" 2>&1 || die "ceph-mon --mkfs failed: $(tail -3 "$dir/log/mkfs-mon.log")"
  launch mon.a ceph-mon -c "$dir/ceph.conf" -i a
  wait_until 30 mon.a "a monitor quorum" ceph_cli mon stat

  local osd_uuid osd_id
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  osd_id="$(ceph_cli osd new "$osd_uuid")"
  [ "$osd_id" = 0 ] || die "expected osd id 0, got '$osd_id'"
  ceph-osd -c "$dir/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid" \
    >"$dir/log/mkfs-osd.log" 2>&1 || die "ceph-osd --mkfs failed: $(tail -3 "$dir/log/mkfs-osd.log")"
  launch osd.0 ceph-osd -c "$dir/ceph.conf" -i 0
  wait_until 60 osd.0 "osd.0 up" osd_is_up

  # The first radosgw-admin call creates the default zonegroup and zone; the zonegroup's api_name
  # is what S3 calls the LocationConstraint, so make it the region the tests sign for.
  rgw_admin user list >/dev/null || die "radosgw-admin failed: $(tail -3 "$dir/log/radosgw-admin.log")"
  rgw_admin zonegroup modify --rgw-zonegroup=default --api-name="$REGION" >/dev/null ||
    die "radosgw-admin zonegroup modify failed: $(tail -3 "$dir/log/radosgw-admin.log")"
  launch client.rgw.wibl radosgw -c "$dir/ceph.conf" -n client.rgw.wibl
  wait_until 120 client.rgw.wibl "S3 answer on 127.0.0.1:$s3port" s3_answers

  # The S3 user, allowed to manage roles; a role it may assume, allowed all of S3.
  local access_key secret_key
  access_key="WIBLRGW$(random_text 13 | tr '[:lower:]' '[:upper:]')"
  # a fixed first letter: the tests make a wrong secret by replacing the first character with x or y
  secret_key="W$(random_text 39)"
  rgw_admin user create --uid="$USER_ID" --display-name="$USER_ID" --access-key="$access_key" \
    --secret-key="$secret_key" >/dev/null || die "user create failed: $(tail -3 "$dir/log/radosgw-admin.log")"
  rgw_admin caps add --uid="$USER_ID" --caps="roles=*" >/dev/null || die "caps add failed"
  rgw_admin role create --role-name="$ROLE" --path=/ --assume-role-policy-doc="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/$USER_ID\"]},\"Action\":[\"sts:AssumeRole\"]}]}" \
    >/dev/null || die "role create failed: $(tail -3 "$dir/log/radosgw-admin.log")"
  rgw_admin role-policy put --role-name="$ROLE" --policy-name=all \
    --policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}' \
    >/dev/null || die "role-policy put failed: $(tail -3 "$dir/log/radosgw-admin.log")"

  if ! "$PY" - "http://127.0.0.1:$s3port" "$dir/env" "$access_key" "$secret_key" "$ROLE" \
    >"$dir/log/provision.log" 2>&1 <<'PYEOF'; then
import os, shlex, sys
import boto3
from botocore.config import Config

endpoint, env_path, key, secret, role = sys.argv[1:6]
region = "us-east-1"
cfg = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
user = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key,
            aws_secret_access_key=secret, config=cfg)
session = boto3.client("sts", **user).assume_role(
    RoleArn=f"arn:aws:iam:::role/{role}", RoleSessionName="wibl-test", DurationSeconds=3600)["Credentials"]
# Prove the peer checks signatures, and that both kinds of credentials work.
bad = boto3.client("s3", **dict(user, aws_secret_access_key="wrong" + secret))
try:
    bad.list_buckets()
    raise SystemExit("RGW accepted a wrong secret: signature checking is off")
except bad.exceptions.ClientError as error:
    print("wrong secret rejected as expected:", error.response["Error"]["Code"])
boto3.client("s3", **user).list_buckets()
boto3.client("s3", endpoint_url=endpoint, region_name=region, config=cfg,
             aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
             aws_session_token=session["SessionToken"]).list_buckets()
values = {
    "WIBL_TEST_S3_PEER": "rgw",
    "WIBL_TEST_S3_ENDPOINT": endpoint,
    "WIBL_TEST_AWS_REGION": region,
    "WIBL_TEST_AWS_ACCESS_KEY_ID": key,
    "WIBL_TEST_AWS_SECRET_ACCESS_KEY": secret,
    "WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID": session["AccessKeyId"],
    "WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY": session["SecretAccessKey"],
    "WIBL_TEST_AWS_SESSION_TOKEN": session["SessionToken"],
}
fd = os.open(env_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as f:
    for name, value in values.items():
        f.write(f"{name}={shlex.quote(value)}\n")
PYEOF
    cat "$dir/log/provision.log" >&2
    rm -f "$dir/env"
    die "provisioning failed (see above)"
  fi
  say "RADOS Gateway at http://127.0.0.1:$s3port after $((SECONDS - started)) s; variables in $dir/env"
}

# stop_daemon NAME: TERM, wait up to 30 s, then KILL; only a daemon this STATE_DIR started.
stop_daemon() {
  local name="$1" pidfile="$dir/run/$1.pid" pid i
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if ours "$pidfile"; then
    kill -TERM "$pid"
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  dir="${1:?usage: rgw.sh stop STATE_DIR}"
  [ -d "$dir" ] || die "no such STATE_DIR: $dir"
  dir="$(cd "$dir" && pwd -P)"
  stop_daemon client.rgw.wibl
  stop_daemon osd.0
  stop_daemon mon.a
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,30p' "$0"; exit 2 ;;
esac
