#!/usr/bin/env bash
# Installs what the test command needs on a fresh machine, and nothing that is already there:
#   PyPI:   moto[server] (the S3/IAM/Lambda test peer); csbschema (the B-12 validator) in its own
#           virtual environment, because it pins an older jsonschema than moto's dependencies want
#   Debian: shellcheck, zip, binutils (AWS-setup scripts and the bootstrap check); librsvg2-bin
#           (rsvg-convert renders `wibl plot` pictures in tests); zlib1g-dev (zlib headers for CZlib)
set -euo pipefail

PY="${PYTHON:-python3}"
need_pip=()
"$PY" -c 'import moto.server, flask_cors' 2>/dev/null || need_pip+=("moto[server]==5.2.*")
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
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)
command -v rsvg-convert >/dev/null 2>&1 || need_apt+=(librsvg2-bin)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "install-test-tools: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
echo "install-test-tools: ready (csbschema: $venv/bin/csbschema)"
