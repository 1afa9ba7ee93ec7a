#!/usr/bin/env bash
# Makes sure Debian's chromium (and a font with Bengali glyphs) is installed, for the browser
# tests (tests/operator_console). Installs with apt-get as root; never downloads a browser
# build of its own. Exit 0: /usr/bin/chromium is there. Exit 3: cannot install (no apt-get,
# not root, or apt failed) — the message says why.
set -uo pipefail
missing() {
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -n "$(find /usr/share/fonts -iname "NotoSansBengali*" 2>/dev/null | head -1)" ] || need+=(fonts-noto-core)
  [ -n "$(find /usr/share/fonts -iname "NotoColorEmoji*" 2>/dev/null | head -1)" ] || need+=(fonts-noto-color-emoji)
  [ ${#need[@]} -gt 0 ]
}
missing || exit 0
if ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: install ${need[*]} by hand" >&2; exit 3; fi
if [ "$(id -u)" -ne 0 ]; then echo "not root: run 'sudo apt-get install -y ${need[*]}'" >&2; exit 3; fi
# One apt-get at a time across this machine's test workers (tools/scale/nginx.py takes the same
# lock); another worker may have installed what is needed while this one waited.
exec 9>/var/lock/sathi-apt.lock
flock -w 1200 9 || { echo "waited 20 minutes for another apt-get" >&2; exit 3; }
missing || exit 0
echo "installing ${need[*]} with apt-get (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || { echo "apt-get update failed" >&2; exit 3; }
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >&2 \
  || { echo "apt-get install ${need[*]} failed" >&2; exit 3; }
command -v chromium >/dev/null 2>&1 || { echo "chromium still missing after apt-get" >&2; exit 3; }
