//! Per-token labels: which labels each annotator's spans put on each token of a document.
//!
//! A token is under a span when the span covers at least one of its characters (the tokens
//! [`char_range_to_tokens`] returns). A span over whitespace only is under no token. An annotator's
//! category for a token is the set of labels over it: `O` for none, one label name, or several joined
//! with `+` in schema order (`Claim+Source` for a Source nested in a Claim). Two annotators agree on a
//! token only when their sets are equal; the per-label figures look at one label at a time instead.

use std::collections::HashMap;

use crate::model::Span;
use crate::text::offsets::char_range_to_tokens;
use crate::text::tokens::Token;

/// The category name of a token under no span.
pub const OUTSIDE: &str = "O";

/// Label indices over each token, sorted and without repeats.
pub(crate) type TokenLabels = Vec<Vec<usize>>;

/// The labels `spans` put on each of `tokens`; `label_index` gives a span label's position in the label list.
pub(crate) fn token_labels<'s>(
    tokens: &[Token],
    spans: impl Iterator<Item = &'s Span>,
    label_index: impl Fn(&str) -> Option<usize>,
) -> TokenLabels {
    let mut out: TokenLabels = vec![Vec::new(); tokens.len()];
    for span in spans {
        let (Some(label), Some(range)) = (label_index(&span.label), char_range_to_tokens(tokens, span.range())) else {
            continue;
        };
        for labels in &mut out[range.first..=range.last] {
            if let Err(at) = labels.binary_search(&label) {
                labels.insert(at, label);
            }
        }
    }
    out
}

/// Numbers label sets so tokens can be counted by a small integer instead of a list.
#[derive(Clone, Debug, Default)]
pub(crate) struct Categories {
    ids: HashMap<Vec<usize>, u32>,
    names: Vec<String>,
    /// The ids of the sets of no label and of one label (by label), which nearly every token has: asked
    /// for every token of every annotator, they are looked up without hashing a list.
    small: Vec<Option<u32>>,
}

impl Categories {
    /// The number of a token's label set, given the label names for a new one.
    pub(crate) fn id(&mut self, labels: &[usize], label_names: &[String]) -> u32 {
        let slot = match labels {
            [] => Some(0),
            [one] => Some(one + 1),
            _ => None,
        };
        if let Some(&Some(id)) = slot.and_then(|at| self.small.get(at)) {
            return id;
        }
        if let Some(&id) = self.ids.get(labels) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name = if labels.is_empty() {
            OUTSIDE.to_string()
        } else {
            labels.iter().filter_map(|&l| label_names.get(l).map(String::as_str)).collect::<Vec<_>>().join("+")
        };
        self.names.push(name);
        self.ids.insert(labels.to_vec(), id);
        if let Some(at) = slot {
            if self.small.len() <= at {
                self.small.resize(at + 1, None);
            }
            self.small[at] = Some(id);
        }
        id
    }

    /// Takes in `other`'s categories: for each of its ids, in order, the id this numbering gives the same
    /// label set (a new one if it has none yet).
    pub(crate) fn absorb(&mut self, other: &Categories, label_names: &[String]) -> Vec<u32> {
        let mut sets: Vec<(u32, &Vec<usize>)> = other.ids.iter().map(|(set, &id)| (id, set)).collect();
        sets.sort_unstable_by_key(|&(id, _)| id);
        let mut map = vec![0; other.names.len()];
        for (id, set) in sets {
            if let Some(slot) = map.get_mut(id as usize) {
                *slot = self.id(set, label_names);
            }
        }
        map
    }

    /// The name of category `id`.
    pub(crate) fn name(&self, id: u32) -> String {
        self.names.get(id as usize).cloned().unwrap_or_default()
    }
}
