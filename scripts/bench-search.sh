#!/usr/bin/env bash
# Search benchmark of the directory API: N generated actors (default 1,000,000) in a SQLite
# database (built once and kept in $BENCH_DIR), `solidaria serve` on loopback, and wrk with 100
# connections on 2 threads for each query mode of scripts/search.lua (name, word, filter).
# wrk runs on the same machine as the server, so both share its cores; its requests come from one
# address, so the anonymous API's rate is off (--api-rate 0).
# Usage: scripts/bench-search.sh [N] [DURATION]        (needs wrk: apt-get install wrk)
set -euo pipefail
n=${1:-1000000}
duration=${2:-30s}
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
# NO_BUILD=1 measures the binaries already built (e.g. side by side with an older build).
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --quiet -p solidaria-cli --bin solidaria
  cargo build --release --quiet -p solidaria-app --example generate
fi
work=${BENCH_DIR:-/tmp/solidaria-bench-search}
mkdir -p "$work"
db="$work/search-$n.db"
if [ ! -f "$db" ]; then
  "$target"/release/examples/generate "$n" > "$work/actors.jsonl"
  /usr/bin/time -f 'import: %e s, peak RSS %M KiB' "$target"/release/solidaria --db "$db" import "$work/actors.jsonl" > /dev/null
  rm -f "$work/actors.jsonl"
fi
echo "database: $(du -h "$db" | cut -f1) for $n actors"
port=18931
server=
trap 'kill $server 2>/dev/null || true' EXIT
# Each mode without the search cache (every answer computed), then with it (the default: an
# answer is reused until the next write), then without the in-memory search index and without
# the cache (the database's full-text search, as before the index).
for config in "0" "1000" "0 --no-search-index"; do
  read -r cache extra <<< "$config"
  "$target"/release/solidaria --db "$db" serve --addr "127.0.0.1:$port" --cache-entries "$cache" --api-rate 0 $extra 2> "$work/serve.log" &
  server=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  # The search index is built on another thread at start; a search by area waits for it (409 until then).
  started=$(date +%s.%N)
  if [ -z "$extra" ]; then
    until curl -sf "http://127.0.0.1:$port/api/actors?near=0,0&limit=1" >/dev/null; do sleep 0.5; done
    echo "search index ready after $(echo "$(date +%s.%N) - $started" | bc) s; server RSS $(ps -o rss= -p $server) KiB"
  fi
  echo "-- cache entries: $cache $extra"
  for mode in name word word+filter filter; do
    export SEARCH_MODE=$mode
    # A short warm-up fills the page cache and the connection pool.
    wrk -t2 -c100 -d5s --timeout 10s -s scripts/search.lua "http://127.0.0.1:$port" > /dev/null
    wrk -t2 -c100 -d"$duration" --timeout 10s -s scripts/search.lua "http://127.0.0.1:$port" | tail -n 1
    sleep 2
  done
  echo "server RSS after the runs: $(ps -o rss= -p $server) KiB"
  kill $server; wait $server 2>/dev/null || true
done
