#!/usr/bin/env bash
# Contract check of the JSON API (issue #18 item 17): schemathesis generates requests from the
# OpenAPI document the app serves (/api/openapi.json) and checks every answer against it (status
# codes, content types, headers, response schemas, invalid input refused, valid input accepted,
# ...; scripts/contract.toml says which answers the document cannot state). It runs against
# `solidaria serve --demo` over a fresh SQLite database on a free loopback port, twice:
# anonymously, then with an admin's API token (made with the command line). Any failure makes
# this script exit non-zero.
#
# Usage: scripts/contract.sh
# Environment:
#   SOLIDARIA_BIN         the solidaria binary (default: built with cargo, debug profile)
#   SCHEMATHESIS          the schemathesis command (default: installed at the pinned version
#                         in a virtual environment under $CONTRACT_VENV)
#   CONTRACT_VENV         where that environment lives (default: target/contract-venv)
#   CONTRACT_EXAMPLES     test cases per operation and phase (default 25)
#   CONTRACT_SECONDS      time budget of each of the two runs, in seconds (default 120)
#   CONTRACT_SEED         random seed (default 1, so that CI draws the same cases; "random" for a
#                         new one each run, which schemathesis prints to replay it)
#   CONTRACT_REPORT       a directory for the JUnit reports and the server's log (default: the
#                         temporary directory, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
examples=${CONTRACT_EXAMPLES:-25}
seconds=${CONTRACT_SECONDS:-120}

step() { printf '\n== contract: %s\n' "$*"; }

if [ -z "${SOLIDARIA_BIN:-}" ]; then
  cargo build --quiet --locked -p solidaria-cli --bin solidaria
  SOLIDARIA_BIN="${CARGO_TARGET_DIR:-target}/debug/solidaria"
fi

if [ -z "${SCHEMATHESIS:-}" ]; then
  venv=$(realpath -m "${CONTRACT_VENV:-target/contract-venv}")
  if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
    step "installing schemathesis $SCHEMATHESIS_VERSION in $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  SCHEMATHESIS="$venv/bin/schemathesis"
fi

config=$(realpath scripts/contract.toml)
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -z "${CONTRACT_REPORT:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
report=${CONTRACT_REPORT:-$work}
mkdir -p "$report"
report=$(realpath "$report")
SOLIDARIA_BIN=$(realpath "$SOLIDARIA_BIN")
export SOLIDARIA_DB="$work/contract.db"

step "serve --demo on a free loopback port"
# Without the anonymous rate (--api-rate 0): schemathesis sends thousands of requests from one
# address, which would otherwise mostly be answered 429 (the rate has its own tests).
"$SOLIDARIA_BIN" serve --demo --addr 127.0.0.1:0 --api-rate 0 >"$work/demo-accounts.txt" 2>"$report/serve.log" &
server=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$report/serve.log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$report/serve.log"; echo "the server exited"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not listen within 30 s"; exit 1; }
echo "serving at $url"

step "an admin account and its API token"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | "$SOLIDARIA_BIN" user add contract-admin --role admin >/dev/null
token=$("$SOLIDARIA_BIN" user token contract-admin --label contract 2>/dev/null)
[ ${#token} -ge 32 ] || { echo "no API token was issued"; exit 1; }

run() {
  local name=$1
  shift
  step "schemathesis, $name (at most $examples cases per operation, $seconds s)"
  local seed=()
  if [ "${CONTRACT_SEED:-1}" != random ]; then seed=(--seed "${CONTRACT_SEED:-1}"); fi
  local out="$work/$name.out" attempt status
  for attempt in 1 2; do
    status=0
    # From the temporary directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    (cd "$work" && "$SCHEMATHESIS" --config-file "$config" run "$url/api/openapi.json" \
      --checks all \
      --max-examples "$examples" \
      --max-time "$seconds" \
      --workers 2 \
      --request-timeout 30 \
      --report junit --report-junit-path "$report/$name.xml" \
      "${seed[@]}" "$@") > "$out" 2>&1 || status=$?
    cat "$out"
    [ "$status" -eq 0 ] && return 0
    # With two workers, Hypothesis (inside schemathesis) parses lambdas' source with Python's
    # `ast` from two threads, which CPython 3.11 does not support: the tool can then stop on
    # "AST constructor recursion depth mismatch" (seen once in CI). That is the tool's crash,
    # not a finding about the API: run once more. Any failure of a check stands.
    if [ "$attempt" -eq 1 ] && grep -q "AST constructor recursion depth mismatch" "$out" &&
      ! grep -q "=== FAILURES ===" "$out"; then
      echo "(schemathesis crashed in Python's ast module, not on a finding: running once more)"
      continue
    fi
    return "$status"
  done
}

passed=0
failed=0
if run anonymous; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if run admin --header "Authorization: Bearer $token"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if ! kill -0 "$server" 2>/dev/null; then
  echo "the server died during the run"
  failed=$((failed + 1))
fi
if [ "$failed" -ne 0 ]; then
  echo "contract check failed (the server's log: ${CONTRACT_REPORT:-kept nowhere; set CONTRACT_REPORT})"
fi
echo
echo "contract: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
