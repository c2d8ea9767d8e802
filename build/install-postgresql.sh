#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries when missing: the contract tests start their own server from them
# (initdb + pg_ctl into a temporary folder, tests/Shared/PostgresServer.cs), and the AppHost's PostgreSQL mode runs one
# (ImageGen.AppHost, --Parameters:store=postgres). Only the binaries are needed: no system cluster is used. Run as root
# or with sudo; .ci/run calls it before the tests.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "PostgreSQL is installed: $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "PostgreSQL is missing and this is not a Debian/Ubuntu machine: install the PostgreSQL server and set IMAGEGEN_PG_BIN to its bin folder." >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing PostgreSQL needs root (or sudo)." >&2; exit 1; }
  sudo="sudo"
fi

echo "Installing PostgreSQL (apt-get install postgresql) for the storage tests…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql
echo "Installed: $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
