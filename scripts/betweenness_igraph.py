"""Exact betweenness with python-igraph on an edge list written by the bench_betweenness example,
timed, and compared with Solidaria's values (normalised as networkx does).
Usage: python3 scripts/betweenness_igraph.py EDGES_FILE THREADS"""
import json
import sys
import time

import igraph

path = sys.argv[1]
with open(path) as f:
    n = int(f.readline())
    edges = [tuple(map(int, line.split())) for line in f]
g = igraph.Graph(n=n, edges=edges, directed=False)
started = time.perf_counter()
raw = g.betweenness(directed=False)
elapsed = time.perf_counter() - started
scale = 2.0 / ((n - 1) * (n - 2))  # igraph counts each pair once; networkx normalises by (n-1)(n-2)
theirs = [x * scale for x in raw]
ours = json.load(open(path + ".solidaria.json"))
worst = max(abs(a - b) for a, b in zip(ours, theirs))
print(json.dumps({"igraph": igraph.__version__, "elapsed_s": round(elapsed, 3), "max_abs_difference": worst}))
