#!/usr/bin/env bash
# Group 2: the packaging tools: check-bootstrap.sh, package.sh (--binary, reproducible zip),
# measure-cold-start.sh.
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail

true_bin="$(type -P true)"
if out="$("$setup/check-bootstrap.sh" "$true_bin" x86_64 2>&1)"; then ok "check-bootstrap accepts $true_bin"; else not_ok "check-bootstrap accepts $true_bin" "$out"; fi
if out="$("$setup/check-bootstrap.sh" "$true_bin" arm64 2>&1)"; then not_ok "check-bootstrap refuses the wrong architecture"; else check_contains "check-bootstrap refuses the wrong architecture" "configured for arm64" "$out"; fi
if command -v cc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; then
  cc_bin="$(command -v cc || command -v clang)"
  printf '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%f\\n", hypot(c, 2.0)); return 0; }\n' >"$work/h.c"
  if "$cc_bin" -O1 "$work/h.c" -o "$work/hypot" -lm 2>/dev/null && objdump -T "$work/hypot" | grep -q 'GLIBC_2.35.*hypot'; then
    if out="$("$setup/check-bootstrap.sh" "$work/hypot" 2>&1)"; then not_ok "check-bootstrap refuses hypot@GLIBC_2.35" "$out"; else check_contains "check-bootstrap refuses hypot@GLIBC_2.35" "needs GLIBC_2.35 (AL2023 has GLIBC_2.34): hypot" "$out"; fi
    printf '__asm__(".symver hypot, hypot@%s");\n' "$( [[ "$(uname -m)" == aarch64 ]] && echo GLIBC_2.17 || echo GLIBC_2.2.5)" | cat - "$work/h.c" >"$work/h2.c"
    if "$cc_bin" -O1 "$work/h2.c" -o "$work/hypot2" -lm && out="$("$setup/check-bootstrap.sh" "$work/hypot2" 2>&1)"; then ok "check-bootstrap accepts hypot bound to the old version with .symver"; else not_ok "check-bootstrap accepts hypot bound to the old version with .symver" "$out"; fi
  else
    echo "# skipped the hypot@GLIBC_2.35 cases: this machine's glibc predates 2.35"
  fi
fi
if run_script "$work/pkg1.log" "$setup/package.sh" --binary "$true_bin"; then
  sha1="$(grep -o 'CodeSha256): .*' "$work/pkg1.log")"
  sleep 1
  run_script "$work/pkg2.log" "$setup/package.sh" --binary "$true_bin" || true
  check "package.sh --binary makes a reproducible zip" "$sha1" "$(grep -o 'CodeSha256): .*' "$work/pkg2.log")"
  check "the zip holds bootstrap at its root" "bootstrap" "$(unzip -Z1 "$WIBL_ZIP" | grep -x bootstrap)"
  check "bootstrap in the zip is executable" "-rwxr-xr-x" "$(unzip -Z "$WIBL_ZIP" bootstrap | awk '{print $1}')"
else
  not_ok "package.sh --binary $true_bin" "$(cat "$work/pkg1.log")"
fi
if run_script "$work/pkgbad.log" "$setup/package.sh" --binary "$work/h.c"; then not_ok "package.sh refuses a non-executable"; else ok "package.sh refuses a non-executable"; fi
# the zip of /bin/true exits at once: measure-cold-start must say so, within its timeout
if run_script "$work/cold.log" "$setup/measure-cold-start.sh" "$WIBL_ZIP" --runs 1 --timeout 3; then
  not_ok "measure-cold-start reports a bootstrap that never calls the Runtime API" "$(cat "$work/cold.log")"
else
  check_contains "measure-cold-start reports a bootstrap that never calls the Runtime API" "without calling the Runtime API" "$(cat "$work/cold.log")"
fi
cat >"$work/fake-bootstrap" <<'PY'
#!/usr/bin/env python3
import os, urllib.request
base = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
while True:
    r = urllib.request.urlopen(base + "/invocation/next")
    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
    r.read()
    urllib.request.urlopen(urllib.request.Request(base + "/invocation/" + rid + "/response", data=b"{}", method="POST")).read()
PY
chmod +x "$work/fake-bootstrap"
if run_script "$work/cold2.log" "$setup/measure-cold-start.sh" "$work/fake-bootstrap" --runs 2 --timeout 20; then
  check_contains "measure-cold-start measures a bootstrap that runs the Runtime API loop" "cold start (exec -> first GET next) over 2 runs" "$(cat "$work/cold2.log")"
else
  not_ok "measure-cold-start measures a bootstrap that runs the Runtime API loop" "$(cat "$work/cold2.log")"
fi

