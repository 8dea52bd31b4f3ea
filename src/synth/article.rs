//! Article text for synthetic corpora, written sentence by sentence so the char range of every claim,
//! opinion and source is known exactly as it is generated (no searching the text afterwards).

use std::ops::Range;

use super::Rng;
use super::words::*;
use crate::text::offsets;

/// Labels of the default schema that synthetic spans use.
pub(super) const CLAIM: &str = "Claim";
pub(super) const OPINION: &str = "Opinion";
pub(super) const SOURCE: &str = "Source";

/// A statement that can be annotated: its range and label, and the range of the source it is attributed to.
pub(super) struct Candidate {
    pub range: Range<usize>,
    pub label: &'static str,
    pub source: Option<Range<usize>>,
}

/// Generated text with everything in it worth annotating.
pub(super) struct Draft {
    pub text: String,
    /// Claims and opinions, each with its source if the sentence names one.
    pub candidates: Vec<Candidate>,
    /// Smaller spans (amounts, organisations mentioned in passing), often nested inside a candidate.
    pub extras: Vec<(Range<usize>, &'static str)>,
}

/// Appends text while counting chars, so ranges are known without converting offsets afterwards.
struct Builder {
    text: String,
    chars: usize,
    words: usize,
}

impl Builder {
    fn push(&mut self, piece: &str) -> Range<usize> {
        let start = self.chars;
        self.text.push_str(piece);
        self.chars += offsets::char_len(piece);
        self.words += piece.split_whitespace().count();
        start..self.chars
    }

    /// Runs `build` and returns the range of everything it pushed; for spans made of several pieces.
    fn mark(&mut self, build: impl FnOnce(&mut Builder)) -> Range<usize> {
        let start = self.chars;
        build(self);
        start..self.chars
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes an article of about `words` words in paragraphs of two to five sentences.
pub(super) fn draft(rng: &mut Rng, words: usize) -> Draft {
    let mut b = Builder { text: String::with_capacity(words * 7), chars: 0, words: 0 };
    let mut draft = Draft { text: String::new(), candidates: Vec::new(), extras: Vec::new() };
    while b.words < words.max(1) {
        if b.chars > 0 {
            b.push("\n\n");
        }
        let sentences = 2 + rng.below(4);
        for i in 0..sentences {
            if i > 0 {
                b.push(" ");
            }
            sentence(rng, &mut b, &mut draft);
        }
    }
    draft.text = b.text;
    draft
}

fn claim_body(rng: &mut Rng, b: &mut Builder, draft: &mut Draft) -> Range<usize> {
    b.mark(|b| {
        let amount = b.push(rng.pick(AMOUNTS));
        draft.extras.push((amount, CLAIM));
        b.push(" ");
        b.push(rng.pick(THINGS));
        b.push(" ");
        b.push(rng.pick(VERBS));
        b.push(" ");
        b.push(rng.pick(PLACES));
        b.push(&format!(" in {}", 1990 + rng.below(36)));
    })
}

fn opinion_body(rng: &mut Rng, b: &mut Builder) -> Range<usize> {
    b.mark(|b| {
        b.push(rng.pick(TOPICS));
        match rng.below(3) {
            0 => b.push(&format!(" is ‘{}’", rng.pick(ADJECTIVES))),
            1 => b.push(&format!(" is {} — and everyone knows it", rng.pick(ADJECTIVES))),
            _ => b.push(&format!(" is simply {}", rng.pick(ADJECTIVES))),
        };
    })
}

fn maybe_emoji(rng: &mut Rng, b: &mut Builder) {
    if rng.chance(15) {
        b.push(" ");
        b.push(rng.pick(EMOJI));
    }
}

/// One sentence of a randomly chosen kind, recording what in it can be annotated.
fn sentence(rng: &mut Rng, b: &mut Builder, draft: &mut Draft) {
    match rng.below(10) {
        // “Opinion or claim,” said Person, role.
        0..=2 => {
            b.push("“");
            let (range, label) = if rng.chance(60) {
                let start = b.chars;
                let topic = capitalised(rng.pick(TOPICS));
                b.push(&topic);
                b.push(&format!(" is {}", rng.pick(ADJECTIVES)));
                (start..b.chars, OPINION)
            } else {
                b.push("We counted ");
                (claim_body(rng, b, draft), CLAIM)
            };
            b.push(",” said ");
            let source = b.push(rng.pick(PEOPLE));
            b.push(", ");
            b.push(rng.pick(ROLES));
            b.push(".");
            draft.candidates.push(Candidate { range, label, source: Some(source) });
        }
        // According to Org, claim.
        3 | 4 => {
            b.push("According to ");
            let source = b.push(rng.pick(ORGS));
            b.push(", ");
            let range = claim_body(rng, b, draft);
            maybe_emoji(rng, b);
            b.push(".");
            draft.candidates.push(Candidate { range, label: CLAIM, source: Some(source) });
        }
        // Person said on Day that claim — a claim with its source nested inside.
        5 => {
            let mut source = 0..0;
            let range = b.mark(|b| {
                source = b.push(rng.pick(PEOPLE));
                b.push(" said ");
                b.push(rng.pick(DAYS));
                b.push(" that ");
                claim_body(rng, b, draft);
            });
            b.push(".");
            draft.candidates.push(Candidate { range, label: CLAIM, source: Some(source) });
        }
        // An unattributed opinion.
        6 | 7 => {
            let range = b.mark(|b| {
                b.push("Frankly, ");
                opinion_body(rng, b);
            });
            maybe_emoji(rng, b);
            b.push(".");
            draft.candidates.push(Candidate { range, label: OPINION, source: None });
        }
        // Filler, sometimes naming an organisation in passing.
        _ => {
            b.push(rng.pick(FILLERS));
            if rng.chance(50) {
                b.push(", ");
                let org = b.push(rng.pick(ORGS));
                b.push(" confirmed");
                draft.extras.push((org, SOURCE));
            }
            maybe_emoji(rng, b);
            b.push(".");
        }
    }
}

/// A headline for an article.
pub(super) fn title(rng: &mut Rng, number: usize) -> String {
    format!(
        "{} {} as {} warns of “{}” risk — part {}",
        capitalised(rng.pick(PLACES)),
        rng.pick(&["closes bridge", "raises fares", "cuts budget", "opens barrier", "moves festival"]),
        rng.pick(ORGS),
        rng.pick(ADJECTIVES),
        number + 1
    )
}
