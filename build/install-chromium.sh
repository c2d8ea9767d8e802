#!/usr/bin/env bash
# Installs Debian's Chromium for the end-to-end tests (tests/ImageGen.EndToEndTests) when it is missing.
# Playwright drives this system browser; `playwright install` is never used (it downloads a browser, which a
# closed network refuses). Run as root or with sudo; .ci/run calls it before the tests.
set -euo pipefail

chromium="${IMAGEGEN_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "Chromium is installed: $("$chromium" --version 2>/dev/null || echo "$chromium")"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "Chromium is missing at $chromium and this is not a Debian/Ubuntu machine: install Chromium or Chrome and set IMAGEGEN_CHROMIUM to it." >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing Chromium needs root (or sudo)." >&2; exit 1; }
  sudo="sudo"
fi

echo "Installing Chromium (apt-get install chromium) for the end-to-end tests…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
echo "Installed: $(/usr/bin/chromium --version 2>/dev/null)"
