#!/usr/bin/env python3
"""Rebuilds saves/sample.ron from the articles in assets/articles and the plan in
assets/sample-annotations.tsv, using only the factmark command line (so it doubles as an end-to-end check
of `new`, `import`, `span add --find` and `relation add`).

Usage: python3 scripts/build-sample.py [path/to/factmark]   (default: target/release/factmark)
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTICLES = os.path.join(ROOT, "assets", "articles")
PLAN = os.path.join(ROOT, "assets", "sample-annotations.tsv")
OUT = os.path.join(ROOT, "saves", "sample.ron")
# Annotators are spread over the spans so the sample shows several layers (the agreement views use them).
ANNOTATORS = ["ana", "ben"]


# Import order: the long articles first, so the app opens on the news story.
ORDER = ["harbour-bridge-closure.txt", "water-prices-analysis.md", "transit-oped.html", "flood-report-crlf.txt",
         "festival-social-emoji.txt", "briefs.jsonl"]


def run(binary, *args):
    result = subprocess.run([binary, *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"factmark {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def main():
    binary = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "factmark")
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "sample.ron")
        run(binary, "new", project, "--name", "factmark sample: harbour, water, transit, floods, festival")
        files = sorted((f for f in os.listdir(ARTICLES) if not f.startswith(".")),
                       key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f))
        # Relative paths, so the documents' source_file does not depend on where the repository lives.
        run(binary, "import", project, *[os.path.join("assets", "articles", f) for f in files])
        docs = json.loads(run(binary, "doc", "list", project, "--json"))
        by_source = {}
        for doc in docs:
            source = os.path.basename(doc["meta"].get("source_file", ""))
            by_source[source] = doc["id"]
        aliases = {}
        count = 0
        with open(PLAN, encoding="utf-8") as plan:
            for number, line in enumerate(plan, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                kind, source = fields[0], fields[1]
                doc = by_source.get(source)
                if doc is None:
                    sys.exit(f"{PLAN}:{number}: no imported document from {source!r} (have {sorted(by_source)})")
                if kind == "span":
                    alias, label, find, nth = fields[2], fields[3], fields[4], fields[5]
                    annotator = ANNOTATORS[count % len(ANNOTATORS)]
                    count += 1
                    span = json.loads(
                        run(binary, "span", "add", project, "--doc", doc, "--label", label, "--find", find,
                            "--nth", nth, "--annotator", annotator, "--json"))
                    aliases[(source, alias)] = span["id"]
                elif kind == "rel":
                    src, dst = aliases[(source, fields[2])], aliases[(source, fields[3])]
                    run(binary, "relation", "add", project, "--doc", doc, "--from", str(src), "--to", str(dst))
                else:
                    sys.exit(f"{PLAN}:{number}: unknown line kind {kind!r}")
        # Give the documents a spread of statuses, as a real project has.
        statuses = ["in-progress", "done", "needs-review", "done", "in-progress"]
        for doc, status in zip(docs, statuses):
            run(binary, "doc", "set", project, "--doc", doc["id"], "--status", status)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(project, encoding="utf-8") as f:
            data = f.read()
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(data)
    print(run(binary, "stats", OUT))


if __name__ == "__main__":
    main()
