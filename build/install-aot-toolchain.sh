#!/usr/bin/env bash
# Installs what Native AOT needs to publish the imagegen CLI (Debian/Ubuntu): clang as compiler and linker, zlib's
# headers, binutils' objcopy. Without them the build publishes the CLI with ReadyToRun instead (slower to start).
set -euo pipefail
if [ -n "$(bash "$(dirname "$0")/find-aot-compiler.sh")" ] && [ -e /usr/include/zlib.h ]; then
  echo "The Native AOT toolchain is present: $(bash "$(dirname "$0")/find-aot-compiler.sh")."
  exit 0
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_if_needed apt-get update -qq
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev binutils >/dev/null
echo "Installed the Native AOT toolchain: $(bash "$(dirname "$0")/find-aot-compiler.sh")."
