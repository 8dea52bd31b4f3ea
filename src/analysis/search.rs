//! Find text in one document or a whole project, and label every match in one undoable edit.
//!
//! Every mode runs on the `regex` crate (a plain pattern is escaped first), so matching is linear in the
//! text and a user's pattern cannot hang the app. Case-insensitive matching uses the regex engine's Unicode
//! simple case folding *on the original text*: nothing is lowercased before matching, so offsets stay exact
//! even next to letters whose lower case is longer (`İ` lowercases to two chars). Byte offsets from the
//! engine become chars only through [`crate::text::offsets`]; whole-word matching checks UAX #29 edges
//! from [`crate::text::tokens`], the same tokenizer the exports use.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use crate::edit::Edit;
use crate::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use crate::text::offsets::OffsetMap;
use crate::text::tokens::tokenize;

/// How a search pattern is read and matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchOptions {
    /// The pattern is a regular expression (Rust `regex` syntax) instead of literal text.
    pub regex: bool,
    /// Upper and lower case must match exactly.
    pub case_sensitive: bool,
    /// A match must start and end on word edges (UAX #29, as the exports tokenize).
    pub whole_word: bool,
}

/// Why a search cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Nothing to look for.
    #[error("the search pattern is empty")]
    EmptyPattern,
    /// The regular expression does not parse (or is too large to compile).
    #[error("invalid regular expression {pattern:?}: {message}")]
    BadRegex {
        /// The pattern as typed.
        pattern: String,
        /// The regex engine's explanation, on one line.
        message: String,
    },
    /// Label-all was asked for a label the schema does not have.
    #[error("label {0:?} is not in the schema")]
    UnknownLabel(String),
}

/// One match: a non-empty, half-open char range of one document's text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Match {
    /// The document it is in.
    pub doc: DocId,
    /// First char of the match.
    pub start: CharIdx,
    /// First char after it.
    pub end: CharIdx,
}

impl Match {
    /// The match's char range.
    pub fn range(&self) -> Range<CharIdx> {
        self.start..self.end
    }
}

/// A text prepared for repeated searching: its offset map, and its word edges built on first need.
///
/// Build one per document and reuse it for every query (the suggestion engine runs dozens of patterns
/// over the same text).
#[derive(Debug)]
pub struct SearchText<'a> {
    map: OffsetMap<'a>,
    edges: OnceLock<WordEdges>,
}

/// Where UAX #29 words start and end, in chars, sorted.
#[derive(Debug, Default)]
struct WordEdges {
    starts: Vec<CharIdx>,
    ends: Vec<CharIdx>,
}

impl<'a> SearchText<'a> {
    /// Indexes `text` (one pass; word edges are computed lazily).
    pub fn new(text: &'a str) -> SearchText<'a> {
        SearchText { map: OffsetMap::new(text), edges: OnceLock::new() }
    }

    /// The text.
    pub fn text(&self) -> &'a str {
        self.map.text()
    }

    /// Offset conversions over the text.
    pub fn map(&self) -> &OffsetMap<'a> {
        &self.map
    }

    fn edges(&self) -> &WordEdges {
        self.edges.get_or_init(|| {
            let tokens = tokenize(self.map.text());
            WordEdges { starts: tokens.iter().map(|t| t.start).collect(), ends: tokens.iter().map(|t| t.end).collect() }
        })
    }

    /// Whether `range` starts where a word (token) starts and ends where one ends.
    pub fn on_word_edges(&self, range: &Range<CharIdx>) -> bool {
        let edges = self.edges();
        edges.starts.binary_search(&range.start).is_ok() && edges.ends.binary_search(&range.end).is_ok()
    }
}

/// A compiled search: build it once, run it over many texts.
#[derive(Clone, Debug)]
pub struct Query {
    regex: Regex,
    whole_word: bool,
}

/// Compiled patterns are capped so one enormous word list cannot eat the machine's memory.
const REGEX_SIZE_LIMIT: usize = 32 * 1024 * 1024;

impl Query {
    /// Compiles `pattern` read as `options` say. An empty pattern or a bad regex is an error value.
    pub fn new(pattern: &str, options: SearchOptions) -> Result<Query, SearchError> {
        if pattern.is_empty() {
            return Err(SearchError::EmptyPattern);
        }
        let source = if options.regex { pattern.to_string() } else { regex::escape(pattern) };
        Query::from_regex_source(&source, pattern, options)
    }

    /// Compiles an already-built regex source; `shown` is what error messages quote.
    pub(crate) fn from_regex_source(source: &str, shown: &str, options: SearchOptions) -> Result<Query, SearchError> {
        let regex = RegexBuilder::new(source)
            .case_insensitive(!options.case_sensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|err| SearchError::BadRegex {
                pattern: shown.to_string(),
                // The engine's message spans several lines with a caret diagram; keep the gist on one line.
                message: err.to_string().lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or("").into(),
            })?;
        Ok(Query { regex, whole_word: options.whole_word })
    }

    /// Every non-overlapping, non-empty match in `text`, in order, as char ranges.
    pub fn find(&self, text: &SearchText<'_>) -> Vec<Range<CharIdx>> {
        let haystack = text.text();
        let mut out = Vec::new();
        let mut at = 0;
        while at <= haystack.len() {
            let Some(found) = self.regex.find_at(haystack, at) else { break };
            let (start, end) = (found.start(), found.end());
            let next_char = |b: usize| b + haystack[b..].chars().next().map_or(1, char::len_utf8);
            if start == end {
                // Empty matches (`a*`) label nothing; step past them.
                at = next_char(end);
                continue;
            }
            let Ok(range) = text.map().char_range_from_bytes(start..end) else { break };
            if self.whole_word && !text.on_word_edges(&range) {
                // Retry one char further on: a word-edge match may overlap the rejected one ("a a" in "ba a a").
                at = next_char(start);
                continue;
            }
            out.push(range);
            at = end;
        }
        out
    }

    /// Matches in one document.
    pub fn find_in_document(&self, doc: &Document) -> Vec<Match> {
        let text = SearchText::new(&doc.text);
        self.find(&text).into_iter().map(|r| Match { doc: doc.id.clone(), start: r.start, end: r.end }).collect()
    }

    /// Matches in every document of the project, in document order.
    pub fn find_in_project(&self, project: &Project) -> Vec<Match> {
        project.documents.iter().flat_map(|d| self.find_in_document(d)).collect()
    }
}

/// One match of a project-wide search, with where its document is in project order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundMatch {
    /// The document's position in project order.
    pub position: usize,
    /// The match.
    pub found: Match,
}

/// The matches of a project-wide search, the first `limit` kept (in project order, then text order) and the
/// rest only counted, so a pattern found millions of times across a large project stays small to hold and
/// show. Built a document at a time ([`FoundMatches::add_document`]) or from parts gathered apart and
/// merged in project order ([`FoundMatches::merge`]): either way the same as [`Query::find_in_project`]'s
/// list cut at `limit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundMatches {
    /// The matches kept, at most `limit`.
    pub matches: Vec<FoundMatch>,
    /// Every match found, kept or not.
    pub total: usize,
    /// Documents with at least one match.
    pub documents: usize,
    /// Documents searched.
    pub searched: usize,
    /// How many matches are kept.
    pub limit: usize,
}

impl FoundMatches {
    /// No matches yet; at most `limit` will be kept.
    pub fn new(limit: usize) -> FoundMatches {
        FoundMatches { matches: Vec::new(), total: 0, documents: 0, searched: 0, limit }
    }

    /// Matches found but not kept: the "N more not shown" of a capped list.
    pub fn not_shown(&self) -> usize {
        self.total.saturating_sub(self.matches.len())
    }

    /// Searches the next document in project order, at `position`.
    pub fn add_document(&mut self, query: &Query, position: usize, doc: &Document) {
        self.searched += 1;
        let found = query.find(&SearchText::new(&doc.text));
        if found.is_empty() {
            return;
        }
        self.documents += 1;
        self.total += found.len();
        let room = self.limit.saturating_sub(self.matches.len());
        self.matches.extend(
            found
                .into_iter()
                .take(room)
                .map(|r| FoundMatch { position, found: Match { doc: doc.id.clone(), start: r.start, end: r.end } }),
        );
    }

    /// Adds the matches of documents that follow these in project order (gathered apart).
    pub fn merge(&mut self, other: FoundMatches) {
        self.searched += other.searched;
        self.documents += other.documents;
        self.total += other.total;
        let room = self.limit.saturating_sub(self.matches.len());
        self.matches.extend(other.matches.into_iter().take(room));
    }
}

/// Finds `pattern` in one document.
pub fn find_in_document(doc: &Document, pattern: &str, options: SearchOptions) -> Result<Vec<Match>, SearchError> {
    Ok(Query::new(pattern, options)?.find_in_document(doc))
}

/// Finds `pattern` in every document of `project`.
pub fn find_in_project(project: &Project, pattern: &str, options: SearchOptions) -> Result<Vec<Match>, SearchError> {
    Ok(Query::new(pattern, options)?.find_in_project(project))
}

/// The result of planning "label all matches": the edit to apply and what it will do.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelAll {
    /// One [`Edit::Batch`] of [`Edit::AddSpan`]s (empty when every match already had the label).
    pub edit: Edit,
    /// Spans the edit adds.
    pub added: usize,
    /// Matches left alone: they already carry a span with that exact range and label (or were listed twice).
    pub skipped: usize,
}

/// Plans labelling every match as `label` by `annotator`: one batch edit, so it undoes in one step.
///
/// The project is not changed; span ids are taken from its counter in order, which the edit's
/// application then advances. Matches in unknown documents or outside the text make the edit fail when
/// applied (nothing changes), as any stale edit would.
pub fn label_all_edit(
    project: &Project,
    matches: &[Match],
    label: &str,
    annotator: &str,
) -> Result<LabelAll, SearchError> {
    let label = project.schema.label(label).ok_or_else(|| SearchError::UnknownLabel(label.to_string()))?.name.clone();
    let mut taken: HashSet<(&DocId, CharIdx, CharIdx)> = HashSet::new();
    for doc in &project.documents {
        for span in doc.spans.iter().filter(|s| s.label == label) {
            taken.insert((&doc.id, span.start, span.end));
        }
    }
    let mut next_id = project.next_span_id;
    let mut edits = Vec::new();
    let mut skipped = 0;
    for m in matches {
        if !taken.insert((&m.doc, m.start, m.end)) {
            skipped += 1;
            continue;
        }
        let span = Span::new(SpanId(next_id), m.range(), label.clone(), annotator);
        next_id += 1;
        edits.push(Edit::AddSpan { doc: m.doc.clone(), span, relations: Vec::new() });
    }
    let added = edits.len();
    let name = format!("Label {added} match{} as {label}", if added == 1 { "" } else { "es" });
    Ok(LabelAll { edit: Edit::Batch { name, edits }, added, skipped })
}
