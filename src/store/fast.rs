//! A fast reader for project files in the layout factmark writes.
//!
//! Profiling `load` on the 1,000-article benchmark project showed the generic `ron` parser spending most
//! of the time in per-character scanning, identifier comparisons and error-value construction, and the
//! version probe parsing the whole file a second time. This reader handles the subset of RON that factmark
//! writes — named-field structs without names, lists, string maps, plain and raw strings, unsigned integers,
//! enum variant names — with `memchr`-speed string scanning and no intermediate values.
//!
//! It is deliberately conservative: anything outside that subset (comments, escapes, struct names, unknown
//! or repeated fields, numbers with signs or suffixes, …) makes it give up, and the caller parses the file
//! with the `ron` crate instead, which also produces the line/column error messages. So for every file it
//! accepts, it must produce exactly what `ron` would; `tests/store_migrate.rs` checks that.

use std::collections::BTreeMap;

use super::file::{DocumentRecord, ProjectFile, SpanRecord};
use crate::model::{
    AttrValue, CharIdx, DocId, DocStatus, FieldConflict, Metadata, ProjectConflict, Relation, RelationId, ReviewState,
    Schema, SpanId, SuggestRule,
};

/// The file in a shape this reader does not handle (not necessarily invalid: the caller decides).
pub(super) struct GiveUp;

pub(super) type R<T> = Result<T, GiveUp>;

/// Parses `text` as a project file, or `None` when the fast path does not apply.
pub(crate) fn parse(text: &str) -> Option<ProjectFile> {
    let mut p = Parser { text, pos: 0 };
    let file = p.project().ok()?;
    p.ws().ok()?;
    (p.pos == text.len()).then_some(file)
}

/// A cursor over text in the subset of RON that factmark writes (also used by the folder readers).
pub(super) struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`.
    pub(super) fn new(text: &'a str) -> Self {
        Parser { text, pos: 0 }
    }

    /// Whether only whitespace is left.
    pub(super) fn at_end(&mut self) -> bool {
        self.ws().is_ok() && self.pos == self.text.len()
    }

    /// Where the cursor is (after any whitespace already skipped), for [`Parser::since`].
    pub(super) fn position(&mut self) -> R<usize> {
        self.ws()?;
        Ok(self.pos)
    }

    /// The text from `start` (a [`Parser::position`]) to the cursor.
    pub(super) fn since(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or_default()
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    /// Skips whitespace. A `/` (a comment) is outside the fast subset.
    fn ws(&mut self) -> R<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                b'/' => return Err(GiveUp),
                _ => break,
            }
        }
        Ok(())
    }

    pub(super) fn eat(&mut self, byte: u8) -> R<()> {
        self.ws()?;
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// After a value inside `(…)`, `[…]` or `{…}`: a comma, or the closing bracket (which is not eaten).
    /// Returns true when the list goes on.
    pub(super) fn next_item(&mut self, close: u8) -> R<bool> {
        self.ws()?;
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.ws()?;
                Ok(self.peek() != Some(close))
            }
            Some(b) if b == close => Ok(false),
            _ => Err(GiveUp),
        }
    }

    /// Opens a bracketed list; true when it is not empty.
    pub(super) fn open(&mut self, open: u8, close: u8) -> R<bool> {
        self.eat(open)?;
        self.ws()?;
        Ok(self.peek() != Some(close))
    }

    pub(super) fn ident(&mut self) -> R<&'a str> {
        self.ws()?;
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        // `r#ident` raw identifiers and non-ASCII identifiers are left to ron.
        if self.pos == start || self.peek() == Some(b'#') {
            return Err(GiveUp);
        }
        Ok(&self.text[start..self.pos])
    }

    /// `name:` of a struct field.
    pub(super) fn field_name(&mut self) -> R<&'a str> {
        let name = self.ident()?;
        self.eat(b':')?;
        Ok(name)
    }

    pub(super) fn string(&mut self) -> R<&'a str> {
        self.ws()?;
        let rest = &self.text[self.pos..];
        if let Some(body) = rest.strip_prefix('"') {
            let end = body.find('"').ok_or(GiveUp)?;
            let value = &body[..end];
            // Escapes are rare in factmark's files (it writes raw strings instead); ron decodes them.
            if value.contains('\\') {
                return Err(GiveUp);
            }
            self.pos += end + 2;
            return Ok(value);
        }
        let after_r = rest.strip_prefix('r').ok_or(GiveUp)?;
        let hashes = after_r.bytes().take_while(|&b| b == b'#').count();
        let body = after_r[hashes..].strip_prefix('"').ok_or(GiveUp)?;
        let mut closing = String::with_capacity(hashes + 1);
        closing.push('"');
        closing.extend(std::iter::repeat_n('#', hashes));
        let end = body.find(closing.as_str()).ok_or(GiveUp)?;
        self.pos += 1 + hashes + 1 + end + closing.len();
        Ok(&body[..end])
    }

    pub(super) fn owned_string(&mut self) -> R<String> {
        self.string().map(str::to_string)
    }

    /// A decimal unsigned integer. Signs, `_` separators, hex and type suffixes are left to ron.
    pub(super) fn uint(&mut self) -> R<u64> {
        self.ws()?;
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.text[start..self.pos];
        // Leading zeros, `_`, suffixes, exponents and fractions are ron's business.
        let odd = digits.len() > 1 && digits.starts_with('0');
        if digits.is_empty() || odd || self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            return Err(GiveUp);
        }
        digits.parse().map_err(|_| GiveUp)
    }

    pub(super) fn usize(&mut self) -> R<usize> {
        usize::try_from(self.uint()?).map_err(|_| GiveUp)
    }

    /// Skips one value of any shape, returning its text, so small nested parts can be handed to ron.
    fn skip_value(&mut self) -> R<&'a str> {
        self.ws()?;
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.peek().ok_or(GiveUp)? {
                b'"' | b'r' if self.at_string() => {
                    self.string()?;
                }
                b'\'' => self.char_literal()?,
                b'/' => return Err(GiveUp),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                b',' if depth == 0 => break,
                // Non-ASCII outside strings (identifiers) is ron's business; stepping over it byte by byte
                // would also leave `pos` inside a character.
                b if !b.is_ascii() => return Err(GiveUp),
                _ => self.pos += 1,
            }
            if depth == 0 && self.peek_after_ws_is_end() {
                break;
            }
        }
        Ok(&self.text[start..self.pos])
    }

    /// Skips a char literal such as the `'1'` of a label's key; escaped chars are left to ron.
    fn char_literal(&mut self) -> R<()> {
        let ch = self.text[self.pos + 1..].chars().next().ok_or(GiveUp)?;
        if ch == '\\' || ch == '\'' {
            return Err(GiveUp);
        }
        self.pos += 1 + ch.len_utf8();
        if self.peek() != Some(b'\'') {
            return Err(GiveUp);
        }
        self.pos += 1;
        Ok(())
    }

    /// Whether a string literal starts here (`"`, or `r"` / `r#` not inside an identifier).
    fn at_string(&self) -> bool {
        let b = self.bytes();
        match b.get(self.pos) {
            Some(b'"') => true,
            Some(b'r') => {
                let prev_is_ident =
                    self.pos > 0 && (b[self.pos - 1].is_ascii_alphanumeric() || b[self.pos - 1] == b'_');
                !prev_is_ident && matches!(b.get(self.pos + 1), Some(b'"' | b'#'))
            }
            _ => false,
        }
    }

    fn peek_after_ws_is_end(&self) -> bool {
        let rest = &self.bytes()[self.pos..];
        let next = rest.iter().find(|b| !b.is_ascii_whitespace());
        matches!(next, None | Some(b',' | b')' | b']' | b'}'))
    }

    /// A small value parsed by the `ron` crate, for the header parts whose layout the fast path does not
    /// need to know (schema, rules).
    pub(super) fn via_ron<T: serde::de::DeserializeOwned>(&mut self) -> R<T> {
        let slice = self.skip_value()?;
        ron::from_str(slice).map_err(|_| GiveUp)
    }

    fn project(&mut self) -> R<ProjectFile> {
        let (mut format, mut name, mut next_span, mut next_rel, mut schema, mut rules, mut documents) =
            (None, None, None, None, None::<Schema>, None::<Vec<SuggestRule>>, None);
        let mut recommenders_off = None::<Vec<String>>;
        let mut conflicts = None::<Vec<ProjectConflict>>;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "format" if format.is_none() => format = Some(u32::try_from(self.uint()?).map_err(|_| GiveUp)?),
                "name" if name.is_none() => name = Some(self.owned_string()?),
                "next_span_id" if next_span.is_none() => next_span = Some(self.uint()?),
                "next_relation_id" if next_rel.is_none() => next_rel = Some(self.uint()?),
                "schema" if schema.is_none() => schema = Some(self.via_ron()?),
                "rules" if rules.is_none() => rules = Some(self.via_ron()?),
                "recommenders_off" if recommenders_off.is_none() => recommenders_off = Some(self.via_ron()?),
                "conflicts" if conflicts.is_none() => conflicts = Some(self.via_ron()?),
                "documents" if documents.is_none() => documents = Some(self.documents()?),
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(ProjectFile {
            format: format.ok_or(GiveUp)?,
            name: name.ok_or(GiveUp)?,
            next_span_id: next_span.ok_or(GiveUp)?,
            next_relation_id: next_rel.ok_or(GiveUp)?,
            schema: schema.ok_or(GiveUp)?,
            rules: rules.unwrap_or_default(),
            recommenders_off: recommenders_off.unwrap_or_default(),
            conflicts: conflicts.unwrap_or_default(),
            documents: documents.ok_or(GiveUp)?,
        })
    }

    fn documents(&mut self) -> R<Vec<DocumentRecord>> {
        let mut out = Vec::new();
        let mut more = self.open(b'[', b']')?;
        while more {
            out.push(self.document()?);
            more = self.next_item(b']')?;
        }
        self.eat(b']')?;
        Ok(out)
    }

    fn document(&mut self) -> R<DocumentRecord> {
        let (mut id, mut title, mut meta, mut status, mut doc_labels, mut note, mut text, mut spans, mut relations) =
            (None, None, None, None, None, None, None, None, None);
        let mut conflicts = None::<Vec<FieldConflict>>;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "id" if id.is_none() => id = Some(DocId(self.owned_string()?)),
                "title" if title.is_none() => title = Some(self.owned_string()?),
                "meta" if meta.is_none() => meta = Some(self.meta()?),
                "status" if status.is_none() => status = Some(self.status()?),
                "doc_labels" if doc_labels.is_none() => doc_labels = Some(self.string_map()?),
                "note" if note.is_none() => note = Some(self.owned_string()?),
                "text" if text.is_none() => text = Some(self.owned_string()?),
                "spans" if spans.is_none() => spans = Some(self.spans()?),
                "relations" if relations.is_none() => relations = Some(self.relations()?),
                "conflicts" if conflicts.is_none() => conflicts = Some(self.via_ron()?),
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(DocumentRecord {
            id: id.ok_or(GiveUp)?,
            title: title.ok_or(GiveUp)?,
            meta: meta.unwrap_or_default(),
            status: status.unwrap_or_default(),
            doc_labels: doc_labels.unwrap_or_default(),
            note: note.unwrap_or_default(),
            text: text.ok_or(GiveUp)?,
            spans: spans.unwrap_or_default(),
            relations: relations.unwrap_or_default(),
            conflicts: conflicts.unwrap_or_default(),
        })
    }

    pub(super) fn meta(&mut self) -> R<Metadata> {
        let mut meta = Metadata::default();
        let mut seen = [false; 5];
        let mut more = self.open(b'(', b')')?;
        while more {
            let (slot, at) = match self.field_name()? {
                "author" => (&mut meta.author, 0),
                "date" => (&mut meta.date, 1),
                "publication" => (&mut meta.publication, 2),
                "url" => (&mut meta.url, 3),
                "source_file" => (&mut meta.source_file, 4),
                _ => return Err(GiveUp),
            };
            if std::mem::replace(&mut seen[at], true) {
                return Err(GiveUp);
            }
            *slot = self.owned_string()?;
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(meta)
    }

    pub(super) fn status(&mut self) -> R<DocStatus> {
        match self.ident()? {
            "Todo" => Ok(DocStatus::Todo),
            "InProgress" => Ok(DocStatus::InProgress),
            "NeedsReview" => Ok(DocStatus::NeedsReview),
            "Done" => Ok(DocStatus::Done),
            _ => Err(GiveUp),
        }
    }

    fn review(&mut self) -> R<ReviewState> {
        match self.ident()? {
            "Unreviewed" => Ok(ReviewState::Unreviewed),
            "Accepted" => Ok(ReviewState::Accepted),
            "Rejected" => Ok(ReviewState::Rejected),
            _ => Err(GiveUp),
        }
    }

    /// `{"key": value, …}` with string keys; a repeated key is left to ron (which keeps the last).
    pub(super) fn map<V>(&mut self, mut value: impl FnMut(&mut Self) -> R<V>) -> R<BTreeMap<String, V>> {
        let mut out = BTreeMap::new();
        let mut more = self.open(b'{', b'}')?;
        while more {
            let key = self.owned_string()?;
            self.eat(b':')?;
            if out.insert(key, value(self)?).is_some() {
                return Err(GiveUp);
            }
            more = self.next_item(b'}')?;
        }
        self.eat(b'}')?;
        Ok(out)
    }

    pub(super) fn string_map(&mut self) -> R<BTreeMap<String, String>> {
        self.map(Self::owned_string)
    }

    /// An attribute value: `true`, `false`, a string or a plain decimal number.
    fn attr_value(&mut self) -> R<AttrValue> {
        self.ws()?;
        if self.at_string() {
            return self.owned_string().map(AttrValue::Text);
        }
        if self.peek().is_some_and(|b| b == b'-' || b.is_ascii_digit()) {
            return self.number().map(AttrValue::Number);
        }
        match self.ident()? {
            "true" => Ok(AttrValue::Bool(true)),
            "false" => Ok(AttrValue::Bool(false)),
            _ => Err(GiveUp),
        }
    }

    /// `-?digits(.digits)?` as ron writes floats; exponents, `inf`, `NaN`, very long integers and other
    /// spellings are left to ron.
    fn number(&mut self) -> R<f64> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let int_len = self.pos - int_start;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == frac_start {
                return Err(GiveUp);
            }
        }
        let leading_zero = int_len > 1 && self.bytes()[int_start] == b'0';
        // A negative integer such as `-0` reads through ron's integer path; only floats are safe here.
        let negative_integer = start != int_start && !self.text[int_start..self.pos].contains('.');
        if negative_integer {
            return Err(GiveUp);
        }
        if int_len == 0 || int_len > 15 || leading_zero || self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
            return Err(GiveUp);
        }
        self.text[start..self.pos].parse().map_err(|_| GiveUp)
    }

    pub(super) fn spans(&mut self) -> R<Vec<SpanRecord>> {
        let mut out = Vec::new();
        let mut more = self.open(b'[', b']')?;
        while more {
            out.push(self.span()?);
            more = self.next_item(b']')?;
        }
        self.eat(b']')?;
        Ok(out)
    }

    fn span(&mut self) -> R<SpanRecord> {
        let (mut id, mut start, mut end, mut label, mut text) = (None, None, None, None, None);
        let (mut annotator, mut note, mut attributes, mut review, mut reviewer, mut origin) =
            (None, None, None, None, None, None);
        let mut conflict = None;
        let mut more = self.open(b'(', b')')?;
        while more {
            match self.field_name()? {
                "id" if id.is_none() => id = Some(SpanId(self.uint()?)),
                "start" if start.is_none() => start = Some(CharIdx(self.usize()?)),
                "end" if end.is_none() => end = Some(CharIdx(self.usize()?)),
                "label" if label.is_none() => label = Some(self.owned_string()?),
                "text" if text.is_none() => text = Some(self.owned_string()?),
                "annotator" if annotator.is_none() => annotator = Some(self.owned_string()?),
                "note" if note.is_none() => note = Some(self.owned_string()?),
                "attributes" if attributes.is_none() => attributes = Some(self.map(Self::attr_value)?),
                "review" if review.is_none() => review = Some(self.review()?),
                "reviewer" if reviewer.is_none() => reviewer = Some(self.owned_string()?),
                "origin" if origin.is_none() => origin = Some(self.owned_string()?),
                "conflict" if conflict.is_none() => conflict = Some(self.owned_string()?),
                _ => return Err(GiveUp),
            }
            more = self.next_item(b')')?;
        }
        self.eat(b')')?;
        Ok(SpanRecord {
            id: id.ok_or(GiveUp)?,
            start: start.ok_or(GiveUp)?,
            end: end.ok_or(GiveUp)?,
            label: label.ok_or(GiveUp)?,
            text: text.ok_or(GiveUp)?,
            annotator: annotator.unwrap_or_default(),
            note: note.unwrap_or_default(),
            attributes: attributes.unwrap_or_default(),
            review: review.unwrap_or_default(),
            reviewer: reviewer.unwrap_or_default(),
            origin: origin.unwrap_or_default(),
            conflict: conflict.unwrap_or_default(),
        })
    }

    pub(super) fn relations(&mut self) -> R<Vec<Relation>> {
        let mut out = Vec::new();
        let mut more = self.open(b'[', b']')?;
        while more {
            let (mut id, mut from, mut to, mut kind) = (None, None, None, None);
            let mut fields = self.open(b'(', b')')?;
            while fields {
                match self.field_name()? {
                    "id" if id.is_none() => id = Some(RelationId(self.uint()?)),
                    "from" if from.is_none() => from = Some(SpanId(self.uint()?)),
                    "to" if to.is_none() => to = Some(SpanId(self.uint()?)),
                    "type" if kind.is_none() => kind = Some(self.owned_string()?),
                    _ => return Err(GiveUp),
                }
                fields = self.next_item(b')')?;
            }
            self.eat(b')')?;
            out.push(Relation {
                id: id.ok_or(GiveUp)?,
                from: from.ok_or(GiveUp)?,
                to: to.ok_or(GiveUp)?,
                kind: kind.ok_or(GiveUp)?,
            });
            more = self.next_item(b']')?;
        }
        self.eat(b']')?;
        Ok(out)
    }
}
