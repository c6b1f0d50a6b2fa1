#!/usr/bin/env bash
# Debian packages Tremplin needs: gettext (translations), Pango (PDF), and Chromium for the browser tests
# when TREMPLIN_BROWSER_TESTS is not "0". Installed only when missing.
set -euo pipefail
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# WeasyPrint (the committee's minutes as PDF) draws text with Pango.
ldconfig -p | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=""; fi
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
