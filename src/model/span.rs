//! Spans (labelled character ranges) and relations between them.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::ids::{CharIdx, RelationId, SpanId};

/// A value of a span attribute. Choices and URLs are stored as text; the schema says which is which.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// yes / no
    Bool(bool),
    /// a number
    Number(f64),
    /// text, a choice or a URL
    Text(String),
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::Bool(b) => b.fmt(f),
            AttrValue::Number(n) => n.fmt(f),
            AttrValue::Text(t) => f.write_str(t),
        }
    }
}

/// Where a span stands in review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReviewState {
    /// Nobody has reviewed it yet.
    #[default]
    Unreviewed,
    /// A reviewer accepted it.
    Accepted,
    /// A reviewer rejected it.
    Rejected,
}

impl ReviewState {
    /// Lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Unreviewed => "unreviewed",
            ReviewState::Accepted => "accepted",
            ReviewState::Rejected => "rejected",
        }
    }

    /// The reviewer recorded with this state: nobody when unreviewed, so un-reviewing a span also clears
    /// who reviewed it.
    pub fn reviewer(self, who: &str) -> String {
        match self {
            ReviewState::Unreviewed => String::new(),
            ReviewState::Accepted | ReviewState::Rejected => who.to_string(),
        }
    }
}

/// A review state's name is not one of `unreviewed`, `accepted`, `rejected`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?}: expected unreviewed, accepted or rejected")]
pub struct UnknownReviewState(pub String);

impl std::str::FromStr for ReviewState {
    type Err = UnknownReviewState;

    /// Reads the name [`ReviewState::as_str`] writes (the command line and the window share this).
    fn from_str(s: &str) -> Result<ReviewState, UnknownReviewState> {
        [ReviewState::Unreviewed, ReviewState::Accepted, ReviewState::Rejected]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownReviewState(s.to_string()))
    }
}

/// A labelled, half-open range of a document's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Project-wide unique id.
    pub id: SpanId,
    /// First char inside the span.
    pub start: CharIdx,
    /// First char after the span.
    pub end: CharIdx,
    /// Label name from the schema.
    pub label: String,
    /// Who made it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub annotator: String,
    /// Free-text note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Attribute values keyed by attribute name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Review state.
    #[serde(default, skip_serializing_if = "is_unreviewed")]
    pub review: ReviewState,
    /// Who reviewed it, once reviewed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer: String,
    /// Where the span came from when a person did not select it by hand: e.g. `suggest:source.reporting-verb`
    /// for an accepted suggestion, or `merge:ana` for a span chosen in curation. Empty for hand-made spans.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// Set on the alternatives a three-way merge kept when two annotators changed this span differently:
    /// `<group>/<side>`, e.g. `14/ours` and `14/theirs` (see [`Span::conflict_group`]). Empty for every
    /// span that needs no decision, which is nearly all of them, so files without conflicts do not change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conflict: String,
}

/// The origin prefix of a span made by accepting a suggestion: `suggest:<rule>`. The model knows it (not
/// only the suggestion engine) because what is counted of a document, and kept in a project folder's
/// index, includes how many accepted suggestions were kept as they came.
pub const SUGGESTED: &str = "suggest:";

/// What follows the rule in the origin of an accepted suggestion the annotator changed afterwards.
pub const CHANGED: &str = " (changed)";

/// Whether an accepted suggestion was changed afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    /// Kept exactly as suggested.
    No,
    /// Relabelled or resized after it was accepted.
    Yes,
}

fn is_unreviewed(state: &ReviewState) -> bool {
    *state == ReviewState::Unreviewed
}

impl Span {
    /// A fresh, unreviewed span with no note or attributes.
    pub fn new(id: SpanId, range: Range<CharIdx>, label: impl Into<String>, annotator: impl Into<String>) -> Span {
        Span {
            id,
            start: range.start,
            end: range.end,
            label: label.into(),
            annotator: annotator.into(),
            note: String::new(),
            attributes: BTreeMap::new(),
            review: ReviewState::Unreviewed,
            reviewer: String::new(),
            origin: String::new(),
            conflict: String::new(),
        }
    }

    /// The conflict group and side of a span a merge flagged (`14/ours` gives `(14, "ours")`); `None` for
    /// a span with no conflict or a flag that is not in that shape.
    pub fn conflict_group(&self) -> Option<(u64, &str)> {
        let (group, side) = self.conflict.split_once('/')?;
        Some((group.parse().ok()?, side))
    }

    /// How the span relates to the suggestions: `None` when it did not come from one, else whether it was
    /// changed after it was accepted (see [`SUGGESTED`] and [`CHANGED`]).
    pub fn from_suggestion(&self) -> Option<Changed> {
        let rest = self.origin.strip_prefix(SUGGESTED)?;
        Some(if rest.ends_with(CHANGED) { Changed::Yes } else { Changed::No })
    }

    /// The span's range as chars.
    pub fn range(&self) -> Range<CharIdx> {
        self.start..self.end
    }

    /// Its length in chars.
    pub fn len(&self) -> usize {
        self.end.0.saturating_sub(self.start.0)
    }

    /// Whether it covers no chars (never true of a span in a valid project).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The order spans are kept and saved in: by start, longer first (so an outer span precedes the spans
    /// nested in it), then by id so the order is total.
    pub fn sort_key(&self) -> (CharIdx, std::cmp::Reverse<CharIdx>, SpanId) {
        (self.start, std::cmp::Reverse(self.end), self.id)
    }
}

/// A directed link between two spans of the same document, e.g. Source `attributed_to` Claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Project-wide unique id.
    pub id: RelationId,
    /// The span the relation starts at (for `attributed_to`, the Source).
    pub from: SpanId,
    /// The span it points to (for `attributed_to`, the Claim or Opinion).
    pub to: SpanId,
    /// Relation type name from the schema.
    #[serde(rename = "type")]
    pub kind: String,
}
