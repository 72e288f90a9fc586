#!/usr/bin/env bash
# Checks that a Linux executable will load on AWS Lambda provided.al2023 (Amazon Linux 2023):
#   - ELF for the expected architecture (x86_64 or arm64), standard program interpreter;
#   - every NEEDED library is one AL2023 always has: glibc's own (libc, libm, libdl, libpthread,
#     librt, libutil, libresolv, ld-linux), libstdc++, libgcc_s, libz;
#   - no symbol version newer than AL2023 provides: GLIBC 2.34, GLIBCXX 3.4.29 and CXXABI 1.3.13
#     (GCC 11), GCC 11.0 (libgcc_s). A build machine with a newer glibc (Debian 12: 2.36)
#     silently binds e.g. hypot to hypot@GLIBC_2.35, and the function then fails at start with
#     "version `GLIBC_2.35' not found".
# Usage: AWS-setup/check-bootstrap.sh BINARY [x86_64|arm64]     (exit 0 = loads on AL2023)
set -euo pipefail

me="check-bootstrap"
fail() {
  printf '[%s] FAIL: %s\n' "$me" "$*" >&2
  exit 1
}
[[ $# -ge 1 && $# -le 2 ]] || fail "usage: check-bootstrap.sh BINARY [x86_64|arm64]"
bin="$1"
arch="${2:-}"
[[ -f "$bin" ]] || fail "$bin: no such file"
for tool in readelf objdump; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: install binutils (apt-get install binutils)"
done

header="$(readelf -h "$bin" 2>/dev/null)" || fail "$bin is not an ELF file"
machine="$(sed -n 's/^ *Machine: *//p' <<<"$header")"
case "$machine" in
  *X86-64*) found_arch=x86_64 ;;
  *AArch64*) found_arch=arm64 ;;
  *) fail "$bin is for '$machine': Lambda runs x86_64 or arm64" ;;
esac
if [[ -n "$arch" && "$arch" != "$found_arch" ]]; then
  fail "$bin is $found_arch but the function is configured for $arch (WIBL_ARCHITECTURE)"
fi

interp="$(readelf -l "$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
case "$interp" in
  "" | /lib64/ld-linux-x86-64.so.2 | /lib/ld-linux-aarch64.so.1) ;;
  *) fail "$bin asks for program interpreter $interp, which AL2023 does not have" ;;
esac

problems=()
allowed_re='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1|libresolv\.so\.2|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1)$'
needed=()
while read -r lib; do
  [[ -n "$lib" ]] || continue
  needed+=("$lib")
  [[ "$lib" =~ $allowed_re ]] || problems+=("needs library $lib, which AL2023 does not provide (link it statically or drop the dependency)")
done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

# version_gt A B: A > B for dotted numbers
version_gt() {
  local IFS=.
  local -a a b
  read -r -a a <<<"$1"
  read -r -a b <<<"$2"
  local i
  for ((i = 0; i < ${#a[@]} || i < ${#b[@]}; i++)); do
    ((10#${a[i]:-0} > 10#${b[i]:-0})) && return 0
    ((10#${a[i]:-0} < 10#${b[i]:-0})) && return 1
  done
  return 1
}

# Symbol versions the binary requires (.gnu.version_r), e.g. GLIBC_2.34, GLIBCXX_3.4.29.
declare -A limit=([GLIBC]=2.34 [GLIBCXX]=3.4.29 [CXXABI]=1.3.13 [GCC]=11.0)
max_glibc=0
while read -r ver; do
  family="${ver%%_*}"
  number="${ver#*_}"
  [[ -n "${limit[$family]:-}" && "$number" =~ ^[0-9.]+$ ]] || continue
  [[ "$family" == GLIBC ]] && version_gt "$number" "$max_glibc" && max_glibc="$number"
  if version_gt "$number" "${limit[$family]}"; then
    symbols="$(objdump -T "$bin" | awk -v v="$ver" '$0 ~ "[ (]" v "[) ]" { print $NF }' | sort -u | paste -sd' ' -)"
    problems+=("needs $ver (AL2023 has ${family}_${limit[$family]}): ${symbols:-see objdump -T}")
  fi
done < <(readelf -V "$bin" | sed -n 's/.*Name: \([A-Z]*_[0-9.]*\).*/\1/p' | sort -u)

if ((${#problems[@]})); then
  for p in "${problems[@]}"; do printf '[%s] FAIL: %s: %s\n' "$me" "$bin" "$p" >&2; done
  exit 1
fi
printf '[%s] ok: %s is %s, needs %s, highest GLIBC_%s (limit 2.34)\n' "$me" "$bin" "$found_arch" \
  "$(IFS=' '; echo "${needed[*]:-no shared libraries}")" "$max_glibc"
