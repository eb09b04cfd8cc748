#!/usr/bin/env python3
"""Relevance of the directory search on real data with known answers (issue #18 item 19).

Imports Co-operatives UK's 2022 ESSGlobal CSV into a fresh SQLite database, serves it, and asks
/api/actors 50 queries whose answer is one known row of the file, drawn with a fixed seed:
  - 20 exact names (names that only one row has),
  - 15 names with one typo (a letter of a word of 6 letters or more removed),
  - 15 a word of the name and the place (the name's longest distinctive word and the row's
    Locality, a pair that only that row has).
Prints each query with the rank of its answer, and the hit rates at rank 1 and in the top 5.

Usage: scripts/relevance.py CSV [--bin target/release/solidaria] [--port 18940] [--serve-arg ARG]...
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
import csv

STOP = {"the", "and", "of", "co", "op", "operative", "cooperative", "limited", "ltd", "society",
        "community", "cic", "llp", "plc", "c", "i", "uk", "for", "in", "at", "on", "a", "de"}


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def words(s):
    return [w for w in re.split(r"[^0-9a-z]+", fold(s)) if w]


def queries(rows, seed=2022):
    rng = random.Random(seed)
    names = {}
    for r in rows:
        names.setdefault(fold(r["Name"]).strip(), []).append(r)
    unique = [r for r in rows if len(names[fold(r["Name"]).strip()]) == 1 and len(words(r["Name"])) >= 2]
    out = []
    for r in rng.sample(unique, 20):
        out.append(("exact name", r["Name"], r["Identifier"]))
    typo_rows = [r for r in unique if any(len(w) >= 6 and w.isalpha() for w in r["Name"].split())]
    for r in rng.sample(typo_rows, 15):
        ws = r["Name"].split()
        long_ones = [i for i, w in enumerate(ws) if len(w) >= 6 and w.isalpha()]
        i = rng.choice(long_ones)
        w = ws[i]
        k = rng.randrange(1, len(w) - 1)
        ws[i] = w[:k] + w[k + 1:]
        out.append(("name with a typo", " ".join(ws), r["Identifier"]))
    pairs = {}
    for r in rows:
        loc = fold(r["Locality"]).strip()
        for w in set(words(r["Name"])):
            pairs.setdefault((w, loc), []).append(r)
    place_rows = []
    for r in rows:
        loc = fold(r["Locality"]).strip()
        distinct = [w for w in words(r["Name"]) if w not in STOP and len(w) >= 4 and not w.isdigit()]
        if not loc or not distinct:
            continue
        w = max(distinct, key=len)
        if len(pairs[(w, loc)]) == 1 and len(names[fold(r["Name"]).strip()]) == 1:
            place_rows.append((r, w))
    for r, w in rng.sample(place_rows, 15):
        out.append(("word and place", f"{w} {r['Locality']}", r["Identifier"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "solidaria"))
    ap.add_argument("--port", type=int, default=18940)
    ap.add_argument("--serve-arg", action="append", default=[], help="extra argument for solidaria serve")
    a = ap.parse_args()
    rows = list(csv.DictReader(open(a.csv, encoding="utf-8")))
    qs = queries(rows)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "r.db")
        subprocess.run([a.bin, "--db", db, "import", "--from", "essglobal-csv", a.csv], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = subprocess.Popen([a.bin, "--db", db, "serve", "--addr", f"127.0.0.1:{a.port}",
                                   "--cache-entries", "0", *a.serve_arg], stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{a.port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz").read()
                    break
                except OSError:
                    time.sleep(0.1)
            hits = {}
            started = time.time()
            for kind, q, ident in qs:
                url = base + "/api/actors?limit=5&q=" + urllib.parse.quote(q)
                body = json.load(urllib.request.urlopen(url))
                got = [x["id"] for x in body["items"]]
                want = "coops-uk-essglobal:" + ident
                rank = got.index(want) + 1 if want in got else None
                hits.setdefault(kind, []).append(rank)
                print(f"{kind:18} {rank if rank else '-':>2}  {q!r} ({body['total']} matches)")
            elapsed = time.time() - started
        finally:
            server.terminate()
            server.wait()
    print()
    all_ranks = [r for rs in hits.values() for r in rs]
    for kind, rs in list(hits.items()) + [("all", all_ranks)]:
        top1 = sum(1 for r in rs if r == 1)
        top5 = sum(1 for r in rs if r is not None)
        print(f"{kind:18} {len(rs):2} queries: rank 1 {top1}/{len(rs)} ({100 * top1 / len(rs):.0f} %), "
              f"top 5 {top5}/{len(rs)} ({100 * top5 / len(rs):.0f} %)")
    print(f"{len(qs)} queries in {elapsed:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
