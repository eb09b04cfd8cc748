#!/usr/bin/env bash
# Register-screening benchmark: Solidaria against DuckDB on the same generated SIRENE-layout file
# and the same rules (issue #7). Generates ROWS rows (default 10,000,000), runs both on THREADS
# threads (default 2), checks that the counts agree, and prints times, peak memory and ratios.
# Needs DuckDB for Python: `pip install duckdb`.
# Usage: scripts/bench-register.sh [ROWS] [THREADS]
set -euo pipefail
rows=${1:-10000000}
threads=${2:-2}
cd "$(dirname "$0")/.."
cargo build --release --quiet -p solidaria-cli --bin solidaria
cargo build --release --quiet -p solidaria-app --example generate_sirene
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/generate_sirene "$rows" > "$work/StockUniteLegale.csv"
echo "input: $rows rows, $(du -h "$work/StockUniteLegale.csv" | cut -f1)"
# Warm the page cache so that both read the file from memory.
cat "$work/StockUniteLegale.csv" > /dev/null
/usr/bin/time -f '%e %M' -o "$work/s.time" target/release/solidaria register screen \
  --input "$work/StockUniteLegale.csv" --threads "$threads" --format json > "$work/solidaria.json"
/usr/bin/time -f '%e %M' -o "$work/d.time" python3 scripts/register_duckdb.py "$work/StockUniteLegale.csv" "$threads" > "$work/duckdb.json"
python3 - "$work" "$rows" <<'PY'
import json, sys
work, rows = sys.argv[1], int(sys.argv[2])
s = json.load(open(f"{work}/solidaria.json"))
d = json.load(open(f"{work}/duckdb.json"))
key = lambda c: (c["verdict"], c["family"], c["section"])
sc = {key(c): c["count"] for c in s["counts"]}
dc = {key(c): c["count"] for c in d["counts"]}
if sc != dc:
    diff = sorted(set(sc) ^ set(dc) | {k for k in sc if k in dc and sc[k] != dc[k]})
    print("COUNTS DIFFER:", [(k, sc.get(k), dc.get(k)) for k in diff][:20])
    sys.exit(1)
assert s["rows"] == rows and s["malformed"]["total"] == 0, (s["rows"], s["malformed"])
(st, sm), (dt, dm) = (open(f"{work}/{n}.time").read().split() for n in ("s", "d"))
st, dt = float(st), float(dt)
print(f"counts agree: {len(sc)} (verdict, family, section) groups, {rows} rows")
print(f"solidaria: {st:.2f} s wall ({rows / st:,.0f} rows/s), peak RSS {int(sm) // 1024} MiB")
print(f"duckdb:    {dt:.2f} s wall ({rows / dt:,.0f} rows/s), peak RSS {int(dm) // 1024} MiB (query alone {d['elapsed_s']} s)")
print(f"speed-up: {dt / st:.2f}x wall, {d['elapsed_s'] / st:.2f}x against DuckDB's query time alone")
PY
