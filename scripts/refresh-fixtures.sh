#!/usr/bin/env bash
# Refreshes the recorded cassettes the tests use (Tests/Fixtures/cassettes) from the shared
# set beside the repository (../shared/scaleway-api/cassettes), when that folder is there.
# The tests read only the copy inside the repository, so a clone anywhere passes them.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-../shared/scaleway-api/cassettes}"
dst="Tests/Fixtures/cassettes"
if [ ! -d "$src" ]; then
  echo "refresh-fixtures: $src not found; the fixtures in $dst are left as they are" >&2
  exit 1
fi
mkdir -p "$dst"
changed=0
for f in "$src"/*.jsonl; do
  name="$(basename "$f")"
  if ! cmp -s "$f" "$dst/$name"; then cp "$f" "$dst/$name"; echo "updated $name"; changed=$((changed + 1)); fi
done
for f in "$dst"/*.jsonl; do
  [ -e "$src/$(basename "$f")" ] || echo "kept $(basename "$f") (no longer in $src: remove it by hand if no test uses it)"
done
echo "refresh-fixtures: $changed file(s) updated from $src"
