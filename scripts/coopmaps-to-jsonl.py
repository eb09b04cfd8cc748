#!/usr/bin/env python3
"""The US rural electric co-operative federation network (CED lab "coopmaps", CC BY-SA 4.0; see
/work/shared/data/us-electric-coop-network/SOURCE.md) as Solidaria JSONL, to measure the
diagnostic's brokers on a real network (docs/ecosystem.md). The data stays outside the repository.

    python3 scripts/coopmaps-to-jsonl.py DIR/national > /tmp/coopmaps.jsonl
    solidaria --db /tmp/coopmaps.db import /tmp/coopmaps.jsonl --format jsonl
    solidaria --db /tmp/coopmaps.db diagnose --territory US --format json

DIR/national is the prefix of national_nodes.csv and national_edges.csv. Each organization is an
actor in US-<its state> (US when none), with the category below; each edge a partners_with
relation (the source does not say its kind or direction). Self-loops are dropped.

Categories from the source's cat2 (kind) and cat3 (what it does):
- distribution co-ops and co-operative business networks (G&T, statewide, research, marketing,
  construction, support co-ops): sse_organization, except those whose cat3 is Finance
  (finance_provider);
- associations (state, statewide, national): support_network;
- vendors: private_business;
- other organizations: regulators and state or federal support: public_authority; education and
  research: knowledge_institution; insurance: finance_provider; business associations and
  advocacy: support_network; economic development: public_authority; the rest (businesses, press,
  power partnerships): private_business;
- programmes (community, youth, food bank, political action, solar...): civil_society_movement,
  except education and training ones (knowledge_institution) and financial assistance or
  investing (finance_provider).
"""
import csv
import json
import re
import sys


def category(cat2, cat3):
    c3 = cat3.strip().lower()
    if cat2 in ("Distribution", "CBN"):
        return "finance_provider" if c3 == "finance" else "sse_organization"
    if cat2 == "Association":
        return "support_network"
    if cat2.startswith("Vendor"):
        return "private_business"
    if cat2 == "Other":
        if "regulation" in c3 or "support" in c3:
            return "public_authority"
        if c3 in ("education", "research"):
            return "knowledge_institution"
        if c3 == "insurance":
            return "finance_provider"
        if c3 in ("business association", "business advocacy"):
            return "support_network"
        if "development" in c3:
            return "public_authority"
        return "private_business"
    if any(w in c3 for w in ("education", "training", "stem")):
        return "knowledge_institution"
    if "financ" in c3 or "investing" in c3:
        return "finance_provider"
    return "civil_society_movement"


def main(prefix):
    out = sys.stdout
    ids = set()
    with open(prefix + "_nodes.csv", newline="") as f:
        for row in csv.DictReader(f):
            state = row["State"].strip().upper()
            territory = f"US-{state}" if re.fullmatch(r"[A-Z]{2}", state) and state != "NA" else "US"
            ids.add(row["ID"])
            out.write(json.dumps({
                "type": "actor", "id": f"coopmaps-{row['ID']}", "name": row["Label"].strip(),
                "category": category(row["cat2"], row["cat3"]), "territory": territory,
            }, ensure_ascii=False) + "\n")
    seen = set()
    with open(prefix + "_edges.csv", newline="") as f:
        for row in csv.DictReader(f):
            a, b = row["source"], row["target"]
            if a == b or (a, b) in seen or a not in ids or b not in ids:
                continue
            seen.add((a, b))
            out.write(json.dumps({"type": "relation", "from": f"coopmaps-{a}", "to": f"coopmaps-{b}",
                                  "kind": "partners_with"}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
