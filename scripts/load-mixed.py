#!/usr/bin/env python3
"""Mixed load on one `solidaria serve` (issue #18 item 22): for a stated time, at once,
searches of the directory and the API, page views (actor pages, a diagnostic, the dashboard,
the map, the cases), API writes by several moderator accounts (each creating and then updating
its own actors), and a command-line import of a few thousand actors into the same database
every minute while the server serves. Counts every request, every error (a 5xx, a refused
connection, or a status other than the one expected) and the server's resident memory every 10
seconds; prints latencies per kind and exits non-zero on any error or when memory keeps growing
(the last third's median more than 20 % above the middle third's).

Usage: scripts/load-mixed.py --binary target/release/solidaria [--minutes 10] [--db FILE]

Only the standard library: it runs where Python 3 does.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client

WORDS = ["coop", "solidaire", "economie", "housing", "fund", "social", "quebec", "ontario", "network",
         "credit", "finance", "association", "workers", "food", "energy", "chantier", "caisse", "mutual"]
PAGES = ["/", "/?q=coop&lang=fr", "/territories/CA-QC/diagnostic", "/dashboard?territory=CA-QC", "/map",
         "/cases", "/funds", "/strategies", "/territories", "/profiles"]


class Tally:
    """Counts, errors and latencies per kind of request, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = []

    def add(self, kind, seconds, error=None):
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if error is not None:
                self.errors.append(f"{kind}: {error}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, token=None, expect=(200,)):
    """One request on a fresh connection; returns (status, body bytes, seconds, error or None)."""
    headers = {"Accept": "application/json" if path.startswith("/api") else "text/html"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    started = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
    except OSError as e:
        return 0, b"", time.monotonic() - started, f"{method} {path}: {e}"
    took = time.monotonic() - started
    error = None if r.status in expect else f"{method} {path}: {r.status} {data[:200]!r}"
    return r.status, data, took, error


def searcher(port, tally, stop, seed):
    rnd = random.Random(seed)
    while not stop.is_set():
        w = rnd.choice(WORDS)
        if rnd.random() < 0.5:
            _, _, t, e = request(port, "GET", f"/api/actors?q={w}&limit=20")
            tally.add("api search", t, e)
        else:
            _, _, t, e = request(port, "GET", f"/?q={w}&territory=CA")
            tally.add("page search", t, e)


def viewer(port, tally, stop, seed, ids):
    rnd = random.Random(seed)
    while not stop.is_set():
        if rnd.random() < 0.5 and ids:
            path = f"/actors/{rnd.choice(ids)}?lang={rnd.choice(['en', 'fr', 'es'])}"
        else:
            path = rnd.choice(PAGES)
        _, _, t, e = request(port, "GET", path)
        tally.add("page", t, e)


def writer(port, tally, stop, name, token):
    i = 0
    while not stop.is_set():
        actor_id = f"load-{name}-{i % 200}"
        record = {"type": "actor", "id": actor_id, "name": f"Load test {name} {i}", "territory": "CA-QC",
                  "category": "sse_organization", "legal_form": {"family": "cooperative"},
                  "facts": {"employees.count": {"value": i % 50, "source": "load test"}}}
        # Created the first time round (POST, 201), replaced afterwards (PUT, 200).
        if i < 200:
            _, _, t, e = request(port, "POST", "/api/actors", json.dumps(record), token, (201,))
        else:
            _, _, t, e = request(port, "PUT", f"/api/actors/{actor_id}", json.dumps(record), token, (200,))
        tally.add("api write", t, e)
        i += 1


def importer(binary, db, tally, stop, workdir):
    n = 0
    while not stop.is_set():
        path = os.path.join(workdir, f"import-{n % 3}.jsonl")
        with open(path, "w") as f:
            for i in range(3000):
                f.write(json.dumps({"type": "actor", "id": f"imp-{i}", "name": f"Imported {i} round {n}",
                                    "territory": "CA-ON", "category": "sse_organization"}) + "\n")
        started = time.monotonic()
        p = subprocess.run([binary, "--db", db, "import", path], capture_output=True, text=True)
        error = None if p.returncode == 0 else f"import exit {p.returncode}: {p.stderr[-300:]}"
        tally.add("cli import (3,000 actors)", time.monotonic() - started, error)
        n += 1
        stop.wait(60)


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="the solidaria binary (a release build)")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--db", help="a SQLite file to use (default: a fresh one with the demo)")
    ap.add_argument("--searchers", type=int, default=8)
    ap.add_argument("--viewers", type=int, default=4)
    ap.add_argument("--writers", type=int, default=3)
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="solidaria-load-")
    db = a.db or os.path.join(work, "load.db")
    run = lambda *args, **kw: subprocess.run([a.binary, "--db", db, *args], check=True, capture_output=True,
                                             text=True, **kw)
    if not a.db:
        run("demo")
    tokens = {}
    for w in range(a.writers):
        name = f"load{w}-{os.getpid()}"
        run("user", "add", name, "--role", "moderator", input="a long passphrase for the load test\n")
        tokens[name] = run("user", "token", name, "--label", "load").stdout.split()[0]
    ids = [json.loads(line)["id"] for line in run("export", "--format", "jsonl").stdout.splitlines()
           if line.startswith('{"type":"actor"')][:500]

    port = free_port()
    # Every simulated client is on loopback: no rate for anonymous API requests (--api-rate 0).
    server = subprocess.Popen([a.binary, "--db", db, "serve", "--addr", f"127.0.0.1:{port}", "--api-rate", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if request(port, "GET", "/healthz")[0] == 200:
            break
        time.sleep(0.1)
    else:
        server.kill()
        sys.exit("the server did not answer /healthz")

    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=searcher, args=(port, tally, stop, s)) for s in range(a.searchers)]
    threads += [threading.Thread(target=viewer, args=(port, tally, stop, 100 + s, ids)) for s in range(a.viewers)]
    threads += [threading.Thread(target=writer, args=(port, tally, stop, n, t)) for n, t in tokens.items()]
    threads.append(threading.Thread(target=importer, args=(a.binary, db, tally, stop, work)))
    for t in threads:
        t.start()
    memory = []
    started = time.monotonic()
    end = started + a.minutes * 60
    while time.monotonic() < end:
        time.sleep(min(10, max(0, end - time.monotonic())))
        kib = rss_kib(server.pid)
        memory.append((round(time.monotonic() - started), kib))
        done = sum(len(v) for v in tally.times.values())
        print(f"{memory[-1][0]:>5} s  {done:>8} requests  {len(tally.errors)} errors  server RSS {kib} KiB",
              flush=True)
    stop.set()
    for t in threads:
        t.join()
    server.terminate()
    server.wait()

    elapsed = time.monotonic() - started
    print(f"\n{a.minutes:g} minutes, {a.searchers} searchers, {a.viewers} page viewers, {a.writers} API writers, "
          f"one CLI import a minute; database {db}")
    print(f"{'kind':<28}{'requests':>10}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, ts in sorted(tally.times.items()):
        ts = sorted(ts)
        p = lambda q: ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
        print(f"{kind:<28}{len(ts):>10}{len(ts) / elapsed:>9.1f}{p(0.5):>9.1f}{p(0.99):>9.1f}{ts[-1] * 1000:>9.1f}")
    kibs = [k for _, k in memory if k]
    third = max(1, len(kibs) // 3)
    middle, last = kibs[third:2 * third] or kibs, kibs[-third:]
    print(f"server RSS: first {kibs[0] if kibs else '?'} KiB, median of the middle third "
          f"{statistics.median(middle) if middle else '?'} KiB, of the last third "
          f"{statistics.median(last) if last else '?'} KiB, max {max(kibs) if kibs else '?'} KiB")
    growing = bool(middle and last) and statistics.median(last) > 1.2 * statistics.median(middle)
    for e in tally.errors[:20]:
        print("error:", e)
    if tally.errors or growing:
        print(f"FAILED: {len(tally.errors)} errors{', memory still growing' if growing else ''}")
        sys.exit(1)
    print("no error; memory flat")


if __name__ == "__main__":
    main()
