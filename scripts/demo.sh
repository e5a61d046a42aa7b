#!/usr/bin/env bash
# The README's first command after install: generate a small Tempo tenant with our own block writer
# (once), then fetch a batch of 100 present and 20 absent trace IDs from it with the embedded CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=.tempo-batch/demo
cli="node bin/tempo-batch.js"
[ -f dist/cli/main.js ] || npm run build

if [ ! -f "$demo/ids.txt" ] || [ ! -f "$demo/blocks/demo/index.json.gz" ]; then
  rm -rf "$demo" && mkdir -p "$demo"
  $cli generate --out "$demo/blocks" --tenant demo --blocks 4 --traces-per-block 500 --seed 7 \
    --row-group-bytes 2000000 --ids-out "$demo/ids.txt"
fi

# Every 19th ID (100 of them), plus 20 IDs that are in no block.
awk 'NR % 19 == 1' "$demo/ids.txt" | head -n 100 > "$demo/batch.txt"
for i in $(seq 1 20); do printf 'ffff%028x\n' "$i" >> "$demo/batch.txt"; done

$cli blocks --store "$demo/blocks" --tenant demo
$cli fetch --store "$demo/blocks" --tenant demo --ids "$demo/batch.txt" \
  --out "$demo/result.ndjson" --stats "$demo/manifest.json" --results "$demo/results"

echo
echo "first result line (truncated):"
head -n 1 "$demo/result.ndjson" | cut -c 1-300
echo "manifest: $demo/manifest.json; result: $demo/result.ndjson"
