#!/bin/sh
# run.sh: runs every lua-stdlib test (tests/*_test.lua) with stock lua5.4, each in its own
# interpreter, and exits non-zero if any of them fails. LUA=/path/to/lua overrides the interpreter.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
lua=${LUA:-lua5.4}
LUA_PATH="$dir/../?.lua;$dir/?.lua;;"
export LUA_PATH
failed=""
for test in "$dir"/*_test.lua; do
  name=$(basename "$test")
  echo "== $name"
  if ! "$lua" "$test"; then failed="$failed $name"; fi
done
if [ -n "$failed" ]; then
  echo "FAILED:$failed"
  exit 1
fi
echo "all lua-stdlib tests passed"
