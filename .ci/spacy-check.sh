#!/usr/bin/env bash
# Loads factmark's spaCy export in real spaCy (pinned, blank English pipeline, no model download): every
# span must align strictly with token edges and survive a DocBin save/load. Fails otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned so a spaCy release cannot change the verdict; `pip index versions spacy` lists newer ones.
SPACY_VERSION=3.8.18
venv="${SPACY_VENV:-target/spacy-venv}"

if ! "$venv/bin/python" -c "import spacy, sys; sys.exit(spacy.__version__ != '$SPACY_VERSION')" 2>/dev/null; then
    echo "== creating $venv with spacy==$SPACY_VERSION"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "spacy==$SPACY_VERSION"
fi

cargo build --quiet --bin factmark
factmark=target/debug/factmark
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

project="${SPACY_CHECK_PROJECT:-saves/sample.ron}"
if [ ! -f "$project" ]; then
    # No sample project yet: build a small one through the command line, with the cases that break other
    # tools (curly quotes, em dashes, an astral emoji, combining accents, CRLF line ends, nested spans).
    echo "== $project is missing; building a stand-in project"
    project="$work/standin.ron"
    printf 'Stand-in\r\n\r\nU.S. intelligence has \xe2\x80\x9cconfirmed\xe2\x80\x9d that up to 10,000 troops\xe2\x80\x94mostly infantry\xe2\x80\x94are in Kursk.\r\nCritics \xf0\x9f\x98\xa1 say Zoe\xcc\x88\xe2\x80\x99s plan is \xe2\x80\x9creckless\xe2\x80\x9d.\r\n' >"$work/standin.txt"
    "$factmark" new "$project" >/dev/null
    "$factmark" import "$project" "$work/standin.txt" >/dev/null
    doc="$("$factmark" doc list "$project" | cut -f1 | head -n1)"
    "$factmark" span add "$project" --doc "$doc" --label Source --find "U.S. intelligence" >/dev/null
    "$factmark" span add "$project" --doc "$doc" --label Claim \
        --find "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk" >/dev/null
    "$factmark" span add "$project" --doc "$doc" --label Source --find "Critics" >/dev/null
    "$factmark" span add "$project" --doc "$doc" --label Opinion \
        --find $'Zoe\xcc\x88\xe2\x80\x99s plan is \xe2\x80\x9creckless\xe2\x80\x9d' >/dev/null
fi

echo "== exporting $project"
"$factmark" export "$project" --format spacy --out "$work/export.jsonl"
"$factmark" export "$project" --format prodigy --out "$work/prodigy.jsonl"
echo "== spaCy check (the spaCy export, and Prodigy's tokens built into spaCy Docs)"
"$venv/bin/python" scripts/spacy_check.py "$work/export.jsonl" tests/golden/spacy.jsonl \
    "$work/prodigy.jsonl" tests/golden/prodigy.jsonl
