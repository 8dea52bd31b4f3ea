#!/usr/bin/env python3
"""Checks a `factmark export --format spacy` file against real spaCy.

For every document it builds a spaCy Doc from the export's `words` and `spaces`, as a user would
(`Doc(nlp.vocab, words=row["words"], spaces=row["spaces"])`; these are factmark's tokens — spaCy's English
tokenizer keeps curly quotes and dashes glued to words, ours splits them — plus whitespace words for line
breaks), checks that the Doc's text is the document's text character for character, puts every span into
doc.spans["sc"] with Doc.char_span(..., alignment_mode="strict"), then saves all Docs to a DocBin, loads it back and compares.
Uses a blank English pipeline: no model download.

A Prodigy export (`factmark export --format prodigy`, rows with `tokens`) is checked the way Prodigy's users
build Docs from it: `Doc(nlp.vocab, words=[t["text"] ...], spaces=[t["ws"] ...])` must give the text exactly,
and each span's `token_start`..`token_end` must cover exactly its chars.

Usage: python3 scripts/spacy_check.py EXPORT.jsonl [EXPORT.jsonl ...]
Exit status: 0 when every span of every file aligned and survived the DocBin round trip, 1 otherwise.
"""

import json
import os
import sys
import tempfile

import spacy
from spacy.tokens import Doc, DocBin


def prodigy_as_spacy(row, path, line_no, problems):
    """A Prodigy row as words, spaces and char spans, after checking that every span's token range covers
    exactly its chars; None (with a problem noted) when it does not."""
    tokens = row["tokens"]
    for i, s in enumerate(row["spans"]):
        first, last = tokens[s["token_start"]], tokens[s["token_end"]]
        if (first["start"], last["end"]) != (s["start"], s["end"]):
            problems.append(f"{path}:{line_no}: span {i} tokens {s['token_start']}..{s['token_end']} do not cover its chars")
            return None
    return {
        "words": [t["text"] for t in tokens],
        "spaces": [t["ws"] for t in tokens],
        "spans": row["spans"],
    }


def check_file(nlp, path):
    """Returns (docs, spans, problems) for one export file."""
    docs, problems, count = [], [], 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            text = row["text"]
            if "tokens" in row:
                # Prodigy: the Doc is built from the token records, and spans point at tokens.
                row = prodigy_as_spacy(row, path, line_no, problems)
                if row is None:
                    continue
            # Exactly what a user writes: the export's words and spaces are the Doc.
            doc = Doc(nlp.vocab, words=row["words"], spaces=row["spaces"])
            if doc.text != text:
                problems.append(f"{path}:{line_no}: the Doc built from words and spaces does not reproduce the text")
                continue
            group = []
            for i, s in enumerate(row["spans"]):
                count += 1
                span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                if span is None:
                    problems.append(
                        f"{path}:{line_no}: span {i} {s['label']} [{s['start']}, {s['end']}) "
                        f"{text[s['start']:s['end']]!r} does not align with token edges"
                    )
                    continue
                if "text" in s and span.text != s["text"]:
                    problems.append(f"{path}:{line_no}: span {i} covers {span.text!r}, the export says {s['text']!r}")
                    continue
                group.append(span)
            doc.spans["sc"] = group
            docs.append(doc)
    return docs, count, problems


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    nlp = spacy.blank("en")
    all_docs, total, problems = [], 0, []
    for path in paths:
        docs, count, found = check_file(nlp, path)
        all_docs.extend(docs)
        total += count
        problems.extend(found)
    bin_ = DocBin(store_user_data=True)
    for doc in all_docs:
        bin_.add(doc)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "export.spacy")
        bin_.to_disk(out)
        loaded = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    if len(loaded) != len(all_docs):
        problems.append(f"the DocBin gave back {len(loaded)} docs, {len(all_docs)} went in")
    for before, after in zip(all_docs, loaded):
        spans_before = [(s.start_char, s.end_char, s.label_) for s in before.spans["sc"]]
        spans_after = [(s.start_char, s.end_char, s.label_) for s in after.spans.get("sc", [])]
        if before.text != after.text or spans_before != spans_after:
            problems.append("a Doc changed in the DocBin round trip")
    for problem in problems:
        print(problem, file=sys.stderr)
    aligned = sum(len(d.spans["sc"]) for d in all_docs)
    print(f"spaCy {spacy.__version__}: {len(all_docs)} docs, {aligned}/{total} spans aligned strictly, DocBin round trip "
          + ("failed" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
