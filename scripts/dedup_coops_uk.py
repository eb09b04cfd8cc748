#!/usr/bin/env python3
"""Measure `solidaria dedup` on real data with a known answer (issue #14 item 5), side by side
with Splink.

Co-operatives UK's 2017 organisations file and its 2022 ESSGlobal file describe 5,670 of the same
organizations, recognisable by their CUK identifiers (2017 "CUK Organisation ID", 2022
"Identifier"). Both files are matched WITHOUT those identifiers (`--ignore-scheme coops_uk` for
Solidaria; the column is not given to Splink) and the pairs found are scored against them:
precision, recall, F1 and wall-clock seconds.

Usage:
    scripts/dedup_coops_uk.py ORGS_2017.csv ESSGLOBAL_2022.csv [--solidaria BIN] [--no-splink]
                              [--name registered|trading] [--threshold 0.5] [--work DIR]

The two CSV files are imported into a fresh SQLite database by Solidaria's own importers
(`solidaria import --from coops-uk-2017` and `--from essglobal-csv`, docs/import-mappings.md; the
2017 mapping names an organization by its trading name where it has one), or with `--convert` by
this script's own conversion to JSON Lines (which can also use the registered names), and `solidaria dedup --across-sources-only --one-to-one --ignore-scheme
coops_uk --format csv` is timed (each file lists an organization once). The 2017 file gives two
names: `--name trading` (default) takes the trading name ("The Co-operative Group"), as the
2022 file's Name is; `--name registered` the registered name ("Co-operative Group Limited").
Splink (pip install splink; it runs on DuckDB) is configured on the same columns: name,
postcode, locality, legal form and Companies House number.

Standard library only, except Splink (and pandas, which Splink installs).
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REGISTRARS = {
    "Companies House": "gb_companies_house",
    "FCA": "gb_fca_mutuals",
    "DETINI": "gb_ni_mutuals",
    "OSCR": "gb_oscr",
    "Charity Commission": "gb_charity_commission",
}
LICENCE = "ODC-By-1.0"
ATTRIBUTION = "Contains Co-operatives UK open data (uk.coop/resources/open-data)"


def rows_with_lines(path):
    """Yields (line where the row starts, row as a dict); fields may span lines."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def clean(v):
    v = (v or "").strip()
    return v or None


def drop_empty(d):
    return {k: v for k, v in d.items() if v not in (None, "", {}, [])}


def convert_2017(path, out, name_field):
    truth = {}
    with open(out, "w", encoding="utf-8") as f:
        for line, r in rows_with_lines(path):
            cuk = r["CUK Organisation ID"].strip()
            name = clean(r["Trading Name"]) if name_field == "trading" else None
            name = name or clean(r["Registered Name"]) or clean(r["Trading Name"]) or cuk
            ids = {"coops_uk": cuk}
            scheme = REGISTRARS.get(r["Registrar"].strip())
            if scheme and clean(r["Registered Number"]):
                ids[scheme] = r["Registered Number"].strip()
            rec = drop_empty({
                "type": "actor",
                "id": f"coops-uk-2017:{cuk}",
                "name": name,
                "identifiers": ids,
                "address": drop_empty({
                    "street": clean(r["Registered Street"]),
                    "locality": clean(r["Registered City"]),
                    "region": clean(r["Registered State/Province"]),
                    "postcode": clean(r["Registered Postcode"]),
                    "country": "GB",
                }),
                "legal_form": drop_empty({"label": clean(r["Legal Form"])}),
                "sources": [{"dataset": "coops-uk-2017", "edition": "2017-06", "licence": LICENCE,
                             "attribution": ATTRIBUTION, "line": line}],
            })
            f.write(json.dumps(rec) + "\n")
            truth[f"coops-uk-2017:{cuk}"] = cuk
    return truth


def convert_2022(path, out):
    truth = {}
    with open(out, "w", encoding="utf-8") as f:
        for line, r in rows_with_lines(path):
            cuk = r["Identifier"].strip()
            ids = {"coops_uk": cuk}
            if clean(r["Companies House Number"]):
                ids["gb_companies_house"] = r["Companies House Number"].strip()
            lat, lon = clean(r["Geo Container Latitude"]), clean(r["Geo Container Longitude"])
            location = None
            if lat and lon:
                location = {"lat": float(lat), "lon": float(lon), "precision": "postcode"}
            rec = drop_empty({
                "type": "actor",
                "id": f"coops-uk-essglobal:{cuk}",
                "name": clean(r["Name"]) or cuk,
                "identifiers": ids,
                "address": drop_empty({
                    "street": clean(r["Street Address"]),
                    "locality": clean(r["Locality"]),
                    "region": clean(r["Region"]),
                    "postcode": clean(r["Postcode"]),
                    "country": clean(r["Country ID"]),
                }),
                "location": location,
                "legal_form": drop_empty({"label": clean(r["Legal Form"])}),
                "sources": [{"dataset": "coops-uk-essglobal", "edition": "2022-Q2", "licence": LICENCE,
                             "attribution": ATTRIBUTION, "line": line}],
            })
            f.write(json.dumps(rec) + "\n")
            truth[f"coops-uk-essglobal:{cuk}"] = cuk
    return truth


def truth_pairs(t17, t22):
    by_cuk = {v: k for k, v in t22.items()}
    return {(a, by_cuk[c]) for a, c in t17.items() if c in by_cuk}


def figures(found, truth):
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs": len(found), "true": tp, "precision": p, "recall": r, "f1": f1}


def run_solidaria(binary, f17, f22, work, threshold, importers=False):
    db = os.path.join(work, "coops.db")
    if os.path.exists(db):
        os.remove(db)
    env = dict(os.environ, SOLIDARIA_DB=db)
    t0 = time.perf_counter()
    if importers:
        subprocess.run([binary, "import", "--from", "coops-uk-2017", f17], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([binary, "import", "--from", "essglobal-csv", f22], env=env, check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run([binary, "import", f17, f22], env=env, check=True, stdout=subprocess.DEVNULL)
    t_import = time.perf_counter() - t0
    cmd = [binary, "dedup", "--across-sources-only", "--one-to-one", "--ignore-scheme", "coops_uk",
           "--threshold", str(threshold), "--format", "csv"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    t_dedup = time.perf_counter() - t0
    found = set()
    rows = list(csv.DictReader(res.stdout.splitlines()))
    for row in rows:
        a, b = row["a_id"], row["b_id"]
        if a.startswith("coops-uk-essglobal:"):
            a, b = b, a
        found.add((a, b))
    with open(os.path.join(work, "solidaria_pairs.csv"), "w", encoding="utf-8") as f:
        f.write(res.stdout)
    return found, t_import, t_dedup, " ".join(cmd[1:])


SUFFIX = re.compile(r"\b(limited|ltd|plc|llp|cic|the)\b")


def splink_name(v):
    v = (v or "").lower()
    v = re.sub(r"[^a-z0-9 ]+", " ", v.replace("&", " and "))
    return re.sub(r"\s+", " ", SUFFIX.sub(" ", v)).strip() or None


def splink_postcode(v):
    v = re.sub(r"\s+", "", (v or "").upper())
    return (v[:-3] + " " + v[-3:]) if len(v) >= 5 else (v or None)


def run_splink(orgs17, ess22, name_field, threshold):
    import pandas as pd
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI
    import splink.comparison_library as cl

    t0 = time.perf_counter()
    a = pd.read_csv(orgs17, dtype=str, keep_default_na=False)
    b = pd.read_csv(ess22, dtype=str, keep_default_na=False)
    name17 = a["Trading Name"].where((a["Trading Name"] != "") & (name_field == "trading"), a["Registered Name"])
    left = pd.DataFrame({
        "unique_id": "coops-uk-2017:" + a["CUK Organisation ID"],
        "name": name17.map(splink_name),
        "postcode": a["Registered Postcode"].map(splink_postcode),
        "locality": a["Registered City"].str.lower().replace("", None),
        "legal_form": a["Legal Form"].replace("", None),
        "ch_number": a["Registered Number"].where(a["Registrar"] == "Companies House", "").replace("", None),
    })
    right = pd.DataFrame({
        "unique_id": "coops-uk-essglobal:" + b["Identifier"],
        "name": b["Name"].map(splink_name),
        "postcode": b["Postcode"].map(splink_postcode),
        "locality": b["Locality"].str.lower().replace("", None),
        "legal_form": b["Legal Form"].replace("", None),
        "ch_number": b["Companies House Number"].replace("", None),
    })
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]).configure(term_frequency_adjustments=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("locality"),
            cl.ExactMatch("legal_form"),
            cl.ExactMatch("ch_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("postcode"),
            block_on("ch_number"),
            block_on("name"),
            block_on("substr(name, 1, 6)", "locality"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    dl = db_api.register(left, dataset_display_name="coops_2017")
    dr = db_api.register(right, dataset_display_name="coops_2022")
    linker = Linker([dl, dr], settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("ch_number"), block_on("name", "postcode")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    pred = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    scored = []
    for l_id, r_id, prob in zip(pred["unique_id_l"], pred["unique_id_r"], pred["match_probability"]):
        if l_id.startswith("coops-uk-essglobal:"):
            l_id, r_id = r_id, l_id
        scored.append((float(prob), l_id, r_id))
    return scored, seconds


def one_to_one(scored):
    """Each record in at most one pair, best first (the same rule as `dedup --one-to-one`)."""
    used, kept = set(), set()
    for _, a, b in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        if a in used or b in used:
            continue
        used.update((a, b))
        kept.add((a, b))
    return kept


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("orgs_2017")
    ap.add_argument("essglobal_2022")
    ap.add_argument("--solidaria", default=os.environ.get("SOLIDARIA_BIN", "target/release/solidaria"))
    ap.add_argument("--name", choices=["registered", "trading"], default="trading")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--no-splink", action="store_true")
    ap.add_argument("--convert", action="store_true",
                    help="convert the CSV files here instead of importing them with solidaria import --from")
    ap.add_argument("--work", help="directory for the JSON Lines, database and pairs (default: a temporary one)")
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="dedup-coops-uk-")
    os.makedirs(work, exist_ok=True)
    f17, f22 = os.path.join(work, "coops-uk-2017.jsonl"), os.path.join(work, "coops-uk-essglobal.jsonl")
    t17 = convert_2017(args.orgs_2017, f17, args.name)
    t22 = convert_2022(args.essglobal_2022, f22)
    truth = truth_pairs(t17, t22)
    how = f"converted here, names: {args.name}" if args.convert else "imported with --from coops-uk-2017 / essglobal-csv"
    print(f"{len(t17)} + {len(t22)} records, {len(truth)} organizations in both (by CUK id); {how}")

    if args.convert:
        found, t_import, t_dedup, command = run_solidaria(args.solidaria, f17, f22, work, args.threshold)
    else:
        found, t_import, t_dedup, command = run_solidaria(
            args.solidaria, args.orgs_2017, args.essglobal_2022, work, args.threshold, importers=True)
    s = figures(found, truth)
    print(f"solidaria {command}")
    print(f"  pairs {s['pairs']}, true {s['true']}, precision {s['precision']:.4f}, recall {s['recall']:.4f}, "
          f"F1 {s['f1']:.4f}, dedup {t_dedup:.2f} s (import {t_import:.2f} s)")
    missed = sorted(truth - found)
    wrong = sorted(found - truth)
    with open(os.path.join(work, "solidaria_errors.txt"), "w", encoding="utf-8") as f:
        for p in wrong:
            f.write(f"false positive {p[0]} {p[1]}\n")
        for p in missed:
            f.write(f"missed {p[0]} {p[1]}\n")
    if not args.no_splink:
        scored, t_sp = run_splink(args.orgs_2017, args.essglobal_2022, args.name, args.threshold)
        t0 = time.perf_counter()
        best = one_to_one(scored)
        t_best = t_sp + time.perf_counter() - t0
        print(f"splink (DuckDB, link_only, match probability >= {args.threshold})")
        for label, found, secs in [("all pairs", {(a, b) for _, a, b in scored}, t_sp), ("one-to-one", best, t_best)]:
            k = figures(found, truth)
            print(f"  {label}: pairs {k['pairs']}, true {k['true']}, precision {k['precision']:.4f}, "
                  f"recall {k['recall']:.4f}, F1 {k['f1']:.4f}, {secs:.2f} s")
    print(f"work files in {work}")


if __name__ == "__main__":
    sys.exit(main())
