"""The fr-ess-2014 register rules of issue #7 as one independent DuckDB SQL query, for the
register-screening benchmark: reads a SIRENE-layout CSV and prints the counts by verdict, family
and NAF section as JSON, in the shape of `solidaria register screen --format json`.

Usage: python3 scripts/register_duckdb.py FILE [THREADS]
"""
import json
import sys
import time

import duckdb


def codes(spec):
    out = []
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            out.extend(str(c) for c in range(int(a), int(b) + 1))
        else:
            out.append(part)
    return out


# Issue #7, written out again here on purpose: this query must not share code with Solidaria.
COOPERATIVE = codes("5191-5196, 5203, 5307, 5309, 5443, 5451, 5453, 5454, 5455, 5458, 5459, 5460, 5543, 5547, "
                    "5551-5555, 5558, 5559, 5560, 5643, 5647, 5651-5655, 5658, 5659, 5660, 6316, 6317, 6318, "
                    "6543, 6551, 6554, 6558, 6560, 6595, 6596")
MUTUAL = codes("6411, 8210, 8250, 8290")
ASSOCIATION = codes("9210, 9220, 9221, 9222, 9224, 9230, 9260")
FOUNDATION = codes("9300")
EXCLUDED_CODES = ["94.11Z", "94.12Z", "94.20Z", "94.91Z", "94.92Z"]
SECTIONS = [("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
            ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
            ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99)]


def sql_list(values):
    return ", ".join(f"'{v}'" for v in values)


def query(path):
    section = " ".join(f"WHEN d BETWEEN {a} AND {b} THEN '{s}'" for s, a, b in SECTIONS)
    return f"""
WITH t AS (
  SELECT categorieJuridiqueUniteLegale AS cj, activitePrincipaleUniteLegale AS naf,
         nomenclatureActivitePrincipaleUniteLegale AS nom, etatAdministratifUniteLegale AS st,
         economieSocialeSolidaireUniteLegale AS flag
  FROM read_csv('{path}', header = true, all_varchar = true, quote = '"', escape = '"')
), f AS (
  SELECT st, flag,
    CASE WHEN cj IN ({sql_list(COOPERATIVE)}) THEN 'cooperative'
         WHEN cj IN ({sql_list(MUTUAL)}) THEN 'mutual'
         WHEN cj IN ({sql_list(ASSOCIATION)}) THEN 'association'
         WHEN cj IN ({sql_list(FOUNDATION)}) THEN 'foundation'
         ELSE 'other' END AS family,
    coalesce(naf, '') AS naf, coalesce(nom, '') AS nom,
    TRY_CAST(substr(naf, 1, 2) AS INTEGER) AS d
  FROM t
), g AS (
  SELECT st, flag, family,
    CASE WHEN naf = '' THEN '-' WHEN nom <> '' AND nom <> 'NAFRev2' THEN '?' ELSE CASE {section} END END AS section,
    (nom = '' OR nom = 'NAFRev2') AND naf <> '' AND (d = 84 OR naf IN ({sql_list(EXCLUDED_CODES)})) AS excluded
  FROM f
)
SELECT CASE WHEN coalesce(st, '') <> 'A' THEN 'ceased'
            WHEN excluded THEN 'not_ess'
            WHEN family <> 'other' THEN 'ess_by_status'
            WHEN flag = 'O' THEN 'ess_company'
            ELSE 'not_ess' END AS verdict,
       family, section, count(*) AS n
FROM g GROUP BY ALL ORDER BY ALL
"""


def main():
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    rows = con.execute(query(path)).fetchall()
    elapsed = time.perf_counter() - started
    counts = [{"verdict": v, "family": f, "section": s, "count": n} for v, f, s, n in rows]
    print(json.dumps({"rows": sum(c["count"] for c in counts), "counts": counts, "elapsed_s": round(elapsed, 3)}))


if __name__ == "__main__":
    main()
