#!/usr/bin/env bash
# Broad searches over HTTP, binaries side by side: each `solidaria` binary given serves the same
# database (no answer cache, no rate limit), waits until its search index is built, then for each
# mode of scripts/search.lua runs a 5 s warm-up and DURATION of wrk with 100 connections, with
# scripts/machine.sh saying the CPU steal of each run. Give the binaries in alternated order
# (A B B A) to see the machine's drift as well as the change. After each run, the server's CPU
# time per request: the work each binary does, less moved by the machine than requests/s; and
# the whole machine's, which counts PostgreSQL's work for each answer too.
# Usage: scripts/bench-search-pair.sh DB DURATION BINARY...   (needs wrk: apt-get install wrk)
# A binary given as BINARY@N serves with --db-requests N, to compare settings of one binary side
# by side.
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: scripts/bench-search-pair.sh DB DURATION BINARY..." >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
db=$1
duration=$2
shift 2
port=${PORT:-8787}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The server's CPU time so far (user + system, in clock ticks): divided by the requests answered,
# the work per request, which moves less than the wall clock when wrk shares the cores.
server_cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The whole machine's busy CPU time (clock ticks): with PostgreSQL, its server processes' share
# of each answer too (wrk's as well, the same for every binary).
machine_cpu() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
for bin in "$@"; do
  # Another server on the port would answer in this one's place (and be measured as it).
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    echo "port $port already answers: stop that server or set PORT" >&2
    exit 1
  fi
  extra=()
  case $bin in *@*) extra=(--db-requests "${bin##*@}"); bin=${bin%@*} ;; esac
  "$bin" --db "$db" serve --addr "127.0.0.1:$port" --cache-entries 0 --api-rate 0 "${extra[@]}" 2> /dev/null &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  until curl -sf "http://127.0.0.1:$port/api/actors?near=0,0&limit=1" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "$bin stopped before serving" >&2; exit 1; }
    sleep 0.5
  done
  echo "== $bin ${extra[*]}"
  for mode in word word+filter filter; do
    export SEARCH_MODE=$mode
    wrk -t2 -c100 -d5s --timeout 10s -s "$here/search.lua" "http://127.0.0.1:$port" > /dev/null
    cpu0=$(server_cpu $server)
    all0=$(machine_cpu)
    "$here/machine.sh" wrk -t2 -c100 -d"$duration" --timeout 10s -s "$here/search.lua" "http://127.0.0.1:$port" 2>&1 |
      grep -E "requests,|machine" | tee "$out"
    cpu1=$(server_cpu $server)
    all1=$(machine_cpu)
    requests=$(grep -oE "^[^:]+: [0-9]+ requests" "$out" | grep -oE "[0-9]+ requests" | cut -d' ' -f1)
    awk -v c="$((cpu1 - cpu0))" -v a="$((all1 - all0))" -v n="${requests:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN {
      if (n > 0) printf "server: %.3f ms of CPU per request (machine: %.3f ms)\n", 1000 * c / hz / n, 1000 * a / hz / n
    }'
    sleep 2
  done
  kill $server
  wait $server 2>/dev/null
done
