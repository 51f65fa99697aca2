#!/usr/bin/env bash
# Installs what scwlua needs to build and test on a fresh Debian machine: Lua 5.4, libedit,
# libcurl, SQLite (Debian packages) and moto's S3 server (PyPI, for object storage tests).
# Safe to run again; skips what is already there.
set -euo pipefail

need_apt=()
for pkg in liblua5.4-dev lua5.4 libcurl4-openssl-dev libsqlite3-dev sqlite3 libedit-dev tmux curl unzip python3-pip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${SCWLUA_SKIP_PIP:-}" != "1" ] && ! python3 -c 'import moto.server' 2>/dev/null; then
  echo "setup: installing moto[server] (S3 test server)"
  python3 -m pip install -q 'moto[server]' 2>/dev/null || python3 -m pip install -q --break-system-packages 'moto[server]'
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected Swift 6 at /opt/swift)"; exit 1; }
