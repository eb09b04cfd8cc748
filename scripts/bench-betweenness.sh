#!/usr/bin/env bash
# Betweenness benchmark: Solidaria's exact betweenness against python-igraph's on the same random
# graph (NODES nodes, EDGES edges, fixed seed), in one run, values compared.
# Needs python-igraph: `pip install python-igraph`.
# Usage: scripts/bench-betweenness.sh [NODES] [EDGES]
set -euo pipefail
nodes=${1:-10000}
edges=${2:-50000}
cd "$(dirname "$0")/.."
cargo build --release --quiet -p solidaria-app --example bench_betweenness
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/bench_betweenness "$nodes" "$edges" "$work/graph.edges"
python3 scripts/betweenness_igraph.py "$work/graph.edges"
