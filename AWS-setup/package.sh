#!/usr/bin/env bash
# Builds the Lambda deployment package: the `bootstrap` executable (both handlers; _HANDLER picks
# one) built in release mode with the Swift standard library linked statically, stripped, checked
# to load on Amazon Linux 2023 (check-bootstrap.sh), and zipped as `bootstrap` at the root of the
# zip, with the default configuration files of config/ when the repository has them.
# The zip is reproducible: the same binary gives the same SHA-256, so update-code.sh uploads
# only real changes.
#
# Usage: AWS-setup/package.sh [--binary PATH]
#   --binary PATH   package this already-built executable instead of building one
# Environment: WIBL_ZIP (output, default .build-lambda/bootstrap.zip), WIBL_ARCHITECTURE,
#   WIBL_STRIP=0 (keep symbols), WIBL_SCRATCH_PATH (SwiftPM build directory, default .build),
#   WIBL_SWIFT_BUILD_FLAGS (extra flags for swift build, e.g. "-Xlinker --wrap=hypot").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WIBL_SCRIPT=package
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

binary=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary)
      [[ $# -ge 2 ]] || die "--binary needs a path"
      binary="$2"
      shift 2
      ;;
    -h | --help)
      sed -n '2,15p' "$0"
      exit 0
      ;;
    *) die "unknown argument '$1' (usage: package.sh [--binary PATH])" ;;
  esac
done
validate_config
host="$(host_architecture)"
for tool in zip readelf objdump; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: apt-get install zip binutils"
done

if [[ -z "$binary" ]]; then
  [[ "$host" == "$WIBL_ARCHITECTURE" ]] ||
    die "this machine is $host but WIBL_ARCHITECTURE is $WIBL_ARCHITECTURE: build on a $WIBL_ARCHITECTURE machine (the bootstrap is built natively)"
  command -v swift >/dev/null 2>&1 || die "swift not found: install a Swift 6 toolchain (swift.org) and put it on PATH"
  scratch="${WIBL_SCRATCH_PATH:-$WIBL_REPO_ROOT/.build}"
  # Flags: release; the Swift runtime, stdlib and Foundation-free dependencies linked into the
  # executable, so the only shared libraries left are the system ones AL2023 has.
  read -r -a extra <<<"${WIBL_SWIFT_BUILD_FLAGS:-}"
  flags=(-c release --product bootstrap --static-swift-stdlib --scratch-path "$scratch" ${extra[@]+"${extra[@]}"})
  say "swift build ${flags[*]}"
  start=$SECONDS
  (cd "$WIBL_REPO_ROOT" && swift build "${flags[@]}") || die "swift build failed"
  say "built in $((SECONDS - start)) s"
  binary="$(cd "$WIBL_REPO_ROOT" && swift build "${flags[@]}" --show-bin-path)/bootstrap"
fi
[[ -x "$binary" ]] || die "$binary is not an executable file"

stage="$WIBL_TMP/stage"
mkdir -p "$stage"
cp "$binary" "$stage/bootstrap"
chmod 755 "$stage/bootstrap"
if [[ "${WIBL_STRIP:-1}" != 0 ]]; then
  command -v strip >/dev/null 2>&1 || die "strip not found: apt-get install binutils (or WIBL_STRIP=0)"
  strip --strip-all "$stage/bootstrap"
fi

# Refuse a binary that would not start on provided.al2023.
"$here/check-bootstrap.sh" "$stage/bootstrap" "$WIBL_ARCHITECTURE" ||
  die "$binary will not load on Amazon Linux 2023 (see FAIL lines above; docs/aws-setup.md, 'glibc')"
# Refuse a binary that carries full Foundation or ICU again (34 MB of ICU data; issue 11).
"$here/check-no-foundation.sh" "$stage/bootstrap" ||
  die "$binary links full Foundation or ICU (see FAIL lines above): the Lambda package must stay lean"

files=(bootstrap)
if [[ -d "$WIBL_REPO_ROOT/config" ]]; then
  mkdir -p "$stage/config"
  for f in "$WIBL_REPO_ROOT"/config/*.json; do
    [[ -e "$f" ]] || continue
    cp "$f" "$stage/config/"
    files+=("config/$(basename "$f")")
  done
fi

# Reproducible zip: fixed timestamps, sorted names, no extra attributes, no directory entries.
mkdir -p "$(dirname "$WIBL_ZIP")"
tmpzip="$WIBL_TMP/bootstrap.zip"
(
  cd "$stage"
  export TZ=UTC
  for f in "${files[@]}"; do touch -d '2000-01-01 00:00:00' "$f"; done
  printf '%s\n' "${files[@]}" | LC_ALL=C sort | zip -q -X -D -9 "$tmpzip" -@
)
mv -f "$tmpzip" "$WIBL_ZIP"

size="$(wc -c <"$WIBL_ZIP")"
unpacked="$(wc -c <"$stage/bootstrap")"
say "zip: $WIBL_ZIP"
say "  contents: ${files[*]}"
say "  size: $size bytes ($((size / 1024)) KiB; Lambda direct-upload limit 50 MB), bootstrap $unpacked bytes unpacked"
say "  sha256 (CodeSha256): $(sha256_base64 "$WIBL_ZIP")"
