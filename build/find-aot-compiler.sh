#!/usr/bin/env bash
# Prints the C compiler/linker Native AOT can use here (clang, or a versioned clang-N), or nothing when there is none
# or objcopy (binutils, to strip symbols) is missing. build/ImageGenCli.targets publishes the imagegen CLI with Native
# AOT when this prints a name, and with ReadyToRun otherwise. `sudo bash build/install-aot-toolchain.sh` installs it.
command -v objcopy >/dev/null 2>&1 || exit 0
if command -v clang >/dev/null 2>&1; then
  echo clang
  exit 0
fi
for candidate in $(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n -r | uniq); do
  echo "$candidate"
  exit 0
done
