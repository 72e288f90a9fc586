#!/usr/bin/env bash
# Group 1: shellcheck on every AWS-setup script, and the script conventions (bash shebang, strict mode).
# Sourced by run.sh after lib/harness.sh (its helpers and variables); not run alone.
# shellcheck disable=SC2154  # work, setup, cli, ... come from lib/harness.sh (run.sh sources both)
set -euo pipefail

mapfile -t scripts < <(find "$setup" -name '*.sh' -type f | sort)
for s in "${scripts[@]}"; do
  if out="$(cd "$setup" && shellcheck -x "$s" 2>&1)"; then ok "shellcheck ${s#"$setup"/}"; else not_ok "shellcheck ${s#"$setup"/}" "$out"; fi
  head -1 "$s" | grep -qx '#!/usr/bin/env bash' || grep -q '^# shellcheck shell=bash' "$s" ||
    not_ok "${s#"$setup"/} starts with #!/usr/bin/env bash"
  [[ "$s" == */lib/* || "$s" == */configuration.sh ]] || grep -q '^set -euo pipefail' "$s" ||
    not_ok "${s#"$setup"/} sets -euo pipefail"
done

