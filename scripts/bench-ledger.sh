#!/usr/bin/env bash
# Ledger benchmark (issue #15): N transactions (default 1,000,000) over F funds (default 1,000)
# posted with every invariant checked, then a fund's report; on SQLite, and on PostgreSQL when
# SOLIDARIA_BENCH_PG holds a server URL (a fresh database is created there and dropped after),
# where the same report is also timed as one SQL query over the ledger's rows.
# Usage: scripts/bench-ledger.sh [N] [F]
set -euo pipefail
n=${1:-1000000}
funds=${2:-1000}
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet -p solidaria-app --example bench_ledger
bin="$target/release/examples/bench_ledger"
echo "== SQLite"
scripts/machine.sh "$bin" "$n" "$funds"
if [ -n "${SOLIDARIA_BENCH_PG:-}" ]; then
  db="solidaria_bench_ledger_$$"
  psql "$SOLIDARIA_BENCH_PG" -qc "CREATE DATABASE $db"
  trap 'psql "$SOLIDARIA_BENCH_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
  echo "== PostgreSQL"
  scripts/machine.sh "$bin" "$n" "$funds" "${SOLIDARIA_BENCH_PG%/*}/$db"
fi
