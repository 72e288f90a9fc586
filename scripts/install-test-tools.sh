#!/usr/bin/env bash
# The one installer of what the test command needs on a fresh machine (scripts/test.sh and
# AWS-setup/tests/run.sh both call it); it installs nothing that is already there:
#   PyPI:   moto[server] (the S3/IAM/STS/SSM/Lambda test peer, with boto3); awscli (the AWS-setup
#           scripts and their tests); csbschema (the B-12 validator) in its own virtual environment,
#           because it pins an older jsonschema than moto's dependencies want
#   Debian: shellcheck, zip, unzip, binutils (AWS-setup scripts and the bootstrap check);
#           ceph-mon, ceph-osd, radosgw, ceph-common (Ceph's RADOS Gateway, the second S3 peer
#           started by scripts/rgw.sh; about 150 MiB, --no-install-recommends)
#           librsvg2-bin (rsvg-convert renders `wibl plot` pictures in tests); zlib1g-dev (zlib
#           headers for CZlib, the bundle reader)
set -euo pipefail

PY="${PYTHON:-python3}"
need_pip=()
"$PY" -c 'import moto.server, flask_cors, boto3' 2>/dev/null || need_pip+=("moto[server]==5.2.*")
command -v aws >/dev/null 2>&1 || need_pip+=(awscli)
if [ "${#need_pip[@]}" -gt 0 ]; then
  echo "install-test-tools: pip install ${need_pip[*]}"
  "$PY" -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
fi

venv="${WIBL_TOOLS_DIR:-$HOME/.cache/wibl-tools}/csbschema-venv"
if [ ! -x "$venv/bin/csbschema" ]; then
  echo "install-test-tools: csbschema into $venv"
  "$PY" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check csbschema
fi

need_apt=()
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)
command -v ceph-mon >/dev/null 2>&1 || need_apt+=(ceph-mon)
command -v ceph-osd >/dev/null 2>&1 || need_apt+=(ceph-osd)
command -v radosgw >/dev/null 2>&1 || need_apt+=(radosgw)
{ command -v ceph >/dev/null 2>&1 && command -v monmaptool >/dev/null 2>&1; } || need_apt+=(ceph-common)
command -v rsvg-convert >/dev/null 2>&1 || need_apt+=(librsvg2-bin)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "install-test-tools: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
echo "install-test-tools: ready (csbschema: $venv/bin/csbschema)"
