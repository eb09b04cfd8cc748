#!/usr/bin/env bash
# Import benchmark: N generated actors (default 1,000,000) into a fresh SQLite database.
# Prints the wall time, the throughput and the peak memory (max RSS) of `solidaria import`.
# Usage: scripts/bench-import.sh [N]
set -euo pipefail
n=${1:-1000000}
cd "$(dirname "$0")/.."
cargo build --release --quiet -p solidaria-cli --bin solidaria
cargo build --release --quiet -p solidaria-app --example generate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/generate "$n" > "$work/actors.jsonl"
echo "input: $n actors, $(du -h "$work/actors.jsonl" | cut -f1)"
scripts/machine.sh /usr/bin/time -f '%e %M' -o "$work/time" target/release/solidaria --db "$work/bench.db" import "$work/actors.jsonl" > /dev/null
read -r secs kib < "$work/time"
echo "wall: ${secs} s, $(python3 -c "print(f'{$n/$secs:,.0f}')") actors/s, peak RSS: $((kib / 1024)) MiB"
echo "database: $(du -h "$work/bench.db" | cut -f1)"
