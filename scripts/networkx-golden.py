"""Writes the golden values of the network tests: networkx's betweenness (normalised, the
default), closeness (default, Wasserman-Faust), components and Louvain modularity on known graphs
(Zachary's karate club, the Florentine families, Davis' southern women, and a small disconnected
graph). Regenerate with: python3 scripts/networkx-golden.py > crates/solidaria-core/tests/fixtures/networkx-golden.json
"""
import json

import networkx as nx


def graphs():
    yield "karate", nx.karate_club_graph()
    yield "florentine", nx.florentine_families_graph()
    yield "davis", nx.davis_southern_women_graph()
    g = nx.Graph()
    g.add_nodes_from(range(9))
    g.add_edges_from([(0, 1), (1, 2), (2, 0), (2, 3), (4, 5), (5, 6), (6, 4), (6, 7)])  # node 8 isolated
    yield "disconnected", g


out = []
for name, g in graphs():
    nodes = sorted(g.nodes(), key=str)
    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted(sorted((index[a], index[b])) for a, b in g.edges())
    b = nx.betweenness_centrality(g)
    c = nx.closeness_centrality(g)
    louvain = nx.community.louvain_communities(g, weight=None, seed=7)
    out.append({
        "name": name,
        "nodes": len(nodes),
        "edges": edges,
        "betweenness": [b[v] for v in nodes],
        "closeness": [c[v] for v in nodes],
        "components": nx.number_connected_components(g),
        "louvain_modularity": nx.community.modularity(g, louvain, weight=None),
    })
print(json.dumps({"networkx": nx.__version__, "graphs": out}))
