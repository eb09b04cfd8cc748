#!/usr/bin/env python3
"""Checks that every IRI in crates/solidaria-formats/data/cids-terms.txt is declared (as a class
or a property) by the CIDS ontology and its SFF module.

Usage: scripts/cids-terms.py ONTOLOGY_DIR   (the directory holding cids.ttl and sff.ttl)

The ontology files are CC BY-SA 4.0 and stay outside this repository; this script reads them
where they are. It understands just enough Turtle for these two files: a subject at the start of
a line followed by `a` or `rdf:type` and an OWL class or property type.
"""
import pathlib
import re
import sys

TERMS = pathlib.Path(__file__).resolve().parent.parent / "crates/solidaria-formats/data/cids-terms.txt"


def declared(path):
    text = path.read_text(encoding="utf-8")
    prefixes = dict(re.findall(r"@prefix\s+(\w*):\s*<([^>]+)>", text))
    found = set()
    for subject, kinds in re.findall(r"^(\S+)\s+(?:a|rdf:type)\s+([^;.]+)", text, re.M):
        if subject.startswith(("@", "#")):
            continue
        if not re.search(r"owl:(Class|\w*Property)", kinds):
            continue
        if subject.startswith("<"):
            found.add(subject[1:-1])
        elif ":" in subject:
            prefix, local = subject.split(":", 1)
            if prefix in prefixes:
                found.add(prefixes[prefix] + local)
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = pathlib.Path(sys.argv[1])
    known = declared(folder / "cids.ttl") | declared(folder / "sff.ttl")
    wanted = [l.strip() for l in TERMS.read_text().splitlines() if l.strip() and not l.startswith("#")]
    missing = [t for t in wanted if t not in known]
    for t in missing:
        print(f"not declared by the ontology: {t}")
    print(f"{len(wanted) - len(missing)} of {len(wanted)} terms declared ({len(known)} in the ontology)")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
