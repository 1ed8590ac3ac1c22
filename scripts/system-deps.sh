#!/usr/bin/env bash
# The Debian packages chiso needs besides Python: Pango and a font for WeasyPrint's PDF outputs,
# and with --test Debian's Chromium for the browser tests. Installed when missing and this runs
# as root (or with password-less sudo); otherwise it says what to install and goes on.
set -euo pipefail
command -v dpkg >/dev/null 2>&1 || exit 0  # not Debian: see docs/deploy.md
need=()
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "chiso: cần cài thêm (needs): ${need[*]} — sudo apt-get install ${need[*]}" >&2; exit 0
fi
echo "chiso: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
