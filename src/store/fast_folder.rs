//! Fast readers for the files of a project folder in the layout factmark writes: `project.ron`, its index
//! shards and the documents' `docs/<id>.ron`.
//!
//! Opening a 100,000-document folder reads 100,000 index lines, and `factmark stats` reads every document
//! file; the `ron` crate spent most of that time scanning character by character and building error values
//! it then threw away. These readers use the single-file fast reader's cursor ([`crate::store::fast`]) and
//! are as conservative: anything outside what factmark writes (comments, escapes in plain strings, unknown
//! or repeated fields, struct names …) gives `None`, and the caller parses the text with `ron`, which also
//! words the errors. So for every text they accept they must give exactly what `ron` gives; the tests at
//! the end of this file and `tests/folder_fast_read.rs` check that.

use super::{DocFile, Index, IndexEntry, LineCounts, Shard};
use crate::model::{DocCounts, DocId};
use crate::store::fast::{GiveUp, Parser, R};

/// `project.ron` of either layout, or `None` when the fast path does not apply.
pub(in crate::store) fn index(text: &str) -> Option<Index> {
    whole(text, Parser::index)
}

/// An index shard, or `None` when the fast path does not apply.
pub(in crate::store) fn shard(text: &str) -> Option<Shard> {
    whole(text, Parser::shard)
}

/// An index line's counts as [`LineCounts`] holds them, or `None` when the fast path does not apply.
pub(in crate::store) fn counts(text: &str) -> Option<DocCounts> {
    whole(text, Parser::counts)
}

/// A document's `docs/<id>.ron`, or `None` when the fast path does not apply.
pub(in crate::store) fn doc_file(text: &str) -> Option<DocFile> {
    whole(text, Parser::doc_file)
}

/// `read` over all of `text`, which must hold nothing after the value but whitespace.
fn whole<'a, T>(text: &'a str, read: impl FnOnce(&mut Parser<'a>) -> R<T>) -> Option<T> {
    let mut p = Parser::new(text);
    let value = read(&mut p).ok()?;
    p.at_end().then_some(value)
}

/// Sets `slot` to `value`, giving up when the field was already there (ron would refuse the file).
fn once<T>(slot: &mut Option<T>, value: R<T>) -> R<()> {
    if slot.is_some() {
        return Err(GiveUp);
    }
    *slot = Some(value?);
    Ok(())
}

impl Parser<'_> {
    fn u32(&mut self) -> R<u32> {
        u32::try_from(self.uint()?).map_err(|_| GiveUp)
    }

    fn index(&mut self) -> R<Index> {
        let (mut format, mut layout, mut name, mut next_span, mut next_rel) = (None, None, None, None, None);
        let (mut schema, mut rules, mut off, mut shards, mut documents) = (None, None, None, None, None);
        let mut conflicts = None;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "format" => once(&mut format, self.u32())?,
                "layout" => once(&mut layout, self.owned_string())?,
                "name" => once(&mut name, self.owned_string())?,
                "next_span_id" => once(&mut next_span, self.uint())?,
                "next_relation_id" => once(&mut next_rel, self.uint())?,
                "schema" => once(&mut schema, self.via_ron())?,
                "rules" => once(&mut rules, self.via_ron())?,
                "recommenders_off" => once(&mut off, self.via_ron())?,
                "conflicts" => once(&mut conflicts, self.via_ron())?,
                "shards" => once(&mut shards, self.strings())?,
                "documents" => once(&mut documents, self.entries())?,
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(Index {
            format: format.ok_or(GiveUp)?,
            layout: layout.ok_or(GiveUp)?,
            name: name.ok_or(GiveUp)?,
            next_span_id: next_span.ok_or(GiveUp)?,
            next_relation_id: next_rel.ok_or(GiveUp)?,
            schema: schema.ok_or(GiveUp)?,
            rules: rules.unwrap_or_default(),
            recommenders_off: off.unwrap_or_default(),
            conflicts: conflicts.unwrap_or_default(),
            shards: shards.unwrap_or_default(),
            documents: documents.unwrap_or_default(),
        })
    }

    fn shard(&mut self) -> R<Shard> {
        let (mut format, mut layout, mut next_span, mut next_rel, mut documents) = (None, None, None, None, None);
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "format" => once(&mut format, self.u32())?,
                "layout" => once(&mut layout, self.owned_string())?,
                "next_span_id" => once(&mut next_span, self.uint())?,
                "next_relation_id" => once(&mut next_rel, self.uint())?,
                "documents" => once(&mut documents, self.entries())?,
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(Shard {
            format: format.ok_or(GiveUp)?,
            layout: layout.ok_or(GiveUp)?,
            next_span_id: next_span.ok_or(GiveUp)?,
            next_relation_id: next_rel.ok_or(GiveUp)?,
            documents: documents.unwrap_or_default(),
        })
    }

    /// `["a", "b", …]`.
    fn strings(&mut self) -> R<Vec<String>> {
        let mut out = Vec::new();
        let mut more = self.open(b'[', b']')?;
        while more {
            out.push(self.owned_string()?);
            more = self.next_item(b']')?;
        }
        self.eat(b']')?;
        Ok(out)
    }

    fn entries(&mut self) -> R<Vec<IndexEntry>> {
        let mut out = Vec::new();
        let mut more = self.open(b'[', b']')?;
        while more {
            out.push(self.entry()?);
            more = self.next_item(b']')?;
        }
        self.eat(b']')?;
        Ok(out)
    }

    fn entry(&mut self) -> R<IndexEntry> {
        let (mut id, mut title, mut status, mut spans, mut text, mut annotations) =
            (None, None, None, None, None, None);
        let mut counts = None;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "id" => once(&mut id, self.owned_string().map(DocId))?,
                "title" => once(&mut title, self.owned_string())?,
                "status" => once(&mut status, self.status())?,
                "spans" => once(&mut spans, self.map(Self::usize))?,
                "text" => once(&mut text, self.owned_string())?,
                "annotations" => once(&mut annotations, self.owned_string())?,
                "counts" => once(&mut counts, self.some_counts())?,
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(IndexEntry {
            id: id.ok_or(GiveUp)?,
            title: title.ok_or(GiveUp)?,
            status: status.ok_or(GiveUp)?,
            spans: spans.unwrap_or_default(),
            text: text.ok_or(GiveUp)?,
            annotations: annotations.ok_or(GiveUp)?,
            counts,
        })
    }

    /// `Some((words: …, chars: …, …))`: an index line's counts (`None` is never written: the field is left
    /// out instead), checked and kept as the text they are written as.
    fn some_counts(&mut self) -> R<LineCounts> {
        if self.ident()? != "Some" {
            return Err(GiveUp);
        }
        self.eat(b'(')?;
        let start = self.position()?;
        self.counts_checked()?;
        let text = self.since(start);
        self.eat(b')')?;
        Ok(LineCounts::from_text(text))
    }

    /// `(words: …, chars: …, …)` checked to be what [`Parser::counts`] reads, without building it: opening
    /// a large project reads 100,000 lines, whose counts are kept as text (a repeated map key is let
    /// through: reading the text later goes to `ron` for it, which keeps the last, as it would here).
    fn counts_checked(&mut self) -> R<()> {
        const FIELDS: [&str; 8] =
            ["words", "chars", "annotators", "relations", "nested", "suggested", "kept", "conflicts"];
        let mut seen = [false; FIELDS.len()];
        let mut more = self.open(b'(', b')')?;
        while more {
            let name = self.field_name()?;
            let field = FIELDS.iter().position(|f| *f == name).ok_or(GiveUp)?;
            if std::mem::replace(&mut seen[field], true) {
                return Err(GiveUp);
            }
            if matches!(FIELDS[field], "annotators" | "relations" | "suggested" | "kept") {
                let mut more = self.open(b'{', b'}')?;
                while more {
                    self.string()?;
                    self.eat(b':')?;
                    self.usize()?;
                    more = self.next_item(b'}')?;
                }
                self.eat(b'}')?;
            } else {
                self.usize()?;
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        if seen[0] && seen[1] { Ok(()) } else { Err(GiveUp) }
    }

    /// `(words: …, chars: …, …)`.
    fn counts(&mut self) -> R<DocCounts> {
        let (mut words, mut chars, mut annotators, mut relations) = (None, None, None, None);
        let (mut nested, mut suggested, mut kept, mut conflicts) = (None, None, None, None);
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "words" => once(&mut words, self.usize())?,
                "chars" => once(&mut chars, self.usize())?,
                "annotators" => once(&mut annotators, self.map(Self::usize))?,
                "relations" => once(&mut relations, self.map(Self::usize))?,
                "nested" => once(&mut nested, self.usize())?,
                "suggested" => once(&mut suggested, self.map(Self::usize))?,
                "kept" => once(&mut kept, self.map(Self::usize))?,
                "conflicts" => once(&mut conflicts, self.usize())?,
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(DocCounts {
            words: words.ok_or(GiveUp)?,
            chars: chars.ok_or(GiveUp)?,
            annotators: annotators.unwrap_or_default(),
            relations: relations.unwrap_or_default(),
            nested: nested.unwrap_or_default(),
            suggested: suggested.unwrap_or_default(),
            kept: kept.unwrap_or_default(),
            conflicts: conflicts.unwrap_or_default(),
        })
    }

    fn doc_file(&mut self) -> R<DocFile> {
        let (mut format, mut id, mut title, mut meta, mut status) = (None, None, None, None, None);
        let (mut doc_labels, mut note, mut spans, mut relations) = (None, None, None, None);
        let mut conflicts = None;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "format" => once(&mut format, self.u32())?,
                "id" => once(&mut id, self.owned_string().map(DocId))?,
                "title" => once(&mut title, self.owned_string())?,
                "meta" => once(&mut meta, self.meta())?,
                "status" => once(&mut status, self.status())?,
                "doc_labels" => once(&mut doc_labels, self.string_map())?,
                "note" => once(&mut note, self.owned_string())?,
                "spans" => once(&mut spans, self.spans())?,
                "relations" => once(&mut relations, self.relations())?,
                // Rare (left by a merge until settled): read the slow, sure way.
                "conflicts" => once(&mut conflicts, self.via_ron())?,
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(DocFile {
            format: format.ok_or(GiveUp)?,
            id: id.ok_or(GiveUp)?,
            title: title.ok_or(GiveUp)?,
            meta: meta.unwrap_or_default(),
            status: status.unwrap_or_default(),
            doc_labels: doc_labels.unwrap_or_default(),
            note: note.unwrap_or_default(),
            spans: spans.unwrap_or_default(),
            relations: relations.unwrap_or_default(),
            conflicts: conflicts.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
#[path = "fast_folder_tests.rs"]
mod tests;
