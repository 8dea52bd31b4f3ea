//! Plain-text and Markdown articles: the first non-empty line is the title; a byline and a date among the
//! first lines become metadata; share bars, tag lines, a repeated headline and blank non-breaking-space
//! paragraphs are left out (and reported); the rest is the body, kept exactly as written.

use crate::model::Metadata;

use super::ImportedArticle;
use super::boilerplate::{DropReason, Verdict, sift};

/// Splits an article into title, metadata and body. `markdown` strips heading marks and emphasis from
/// the title.
pub fn parse(text: &str, markdown: bool) -> ImportedArticle {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let title = lines.get(first).map(|l| clean_title(l, markdown)).unwrap_or_default();
    let rest = lines.get(first + 1..).unwrap_or_default();
    let sifted = sift(&title, rest, false, false);
    let meta = Metadata {
        author: sifted.author.clone().unwrap_or_default(),
        date: sifted.date.clone().unwrap_or_default(),
        ..Metadata::default()
    };
    let dropped = sifted.dropped(rest);
    ImportedArticle { title, meta, text: body(rest, &sifted.verdicts), dropped }
}

/// The kept lines joined as they were. A line of only spaces (often non-breaking ones) stands where a
/// paragraph break was meant, so it becomes an empty line; where lines were taken out or blanked, the blank
/// lines around them close up to one, so no empty paragraph is left. Blank lines elsewhere stay as written.
fn body(lines: &[&str], verdicts: &[Verdict]) -> String {
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut removed_since_kept = false;
    for (line, verdict) in lines.iter().zip(verdicts) {
        let as_break = *verdict == Verdict::Drop(DropReason::Blank);
        if *verdict != Verdict::Keep && !as_break {
            removed_since_kept = true;
            continue;
        }
        let line = if as_break { "" } else { line };
        let after_blank = kept.last().is_some_and(|l| l.trim().is_empty());
        // The body starts at its first text line.
        if line.trim().is_empty() && (kept.is_empty() || (after_blank && (removed_since_kept || as_break))) {
            removed_since_kept |= as_break;
            continue;
        }
        kept.push(line);
        removed_since_kept = as_break;
    }
    kept.join("\n").trim_end().to_string()
}

fn clean_title(line: &str, markdown: bool) -> String {
    let title = line.trim();
    if markdown {
        // Emphasis marks are markup, not part of the headline.
        return title.trim_start_matches('#').trim().replace(['*', '`'], "");
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_byline_date_then_body_as_written() {
        let a = parse(
            "\n\nBridge closes\nBy Zoë Marchetti and José Álvarez\nMarch 14, 2026\n\nFirst — “para”.\n\nSecond.\n",
            false,
        );
        assert_eq!(a.title, "Bridge closes");
        assert_eq!(a.meta.author, "Zoë Marchetti and José Álvarez");
        assert_eq!(a.meta.date, "2026-03-14");
        assert_eq!(a.text, "First — “para”.\n\nSecond.");
    }

    #[test]
    fn markdown_headers() {
        let a = parse("# Water *prices*\n\n*By Ana Pereira*\n\nPublished 2 February 2026\n\n## Why\nBody", true);
        assert_eq!(a.title, "Water prices");
        assert_eq!(a.meta.author, "Ana Pereira");
        assert_eq!(a.meta.date, "2026-02-02");
        assert_eq!(a.text, "## Why\nBody");
    }

    #[test]
    fn body_starts_at_first_non_header_line() {
        let a = parse("Title\nBy the river, the town waited for news.\n", false);
        assert_eq!(a.meta.author, "");
        assert_eq!(a.text, "By the river, the town waited for news.");
        let c = parse("Title\nBy Ana Pereira, The Harbour Gazette\n\nBody", false);
        assert_eq!(c.meta.author, "Ana Pereira, The Harbour Gazette");
        let b = parse("Title\nThe town waited.\nBy noon it was over.", false);
        assert_eq!(b.meta.author, "");
        assert_eq!(b.text, "The town waited.\nBy noon it was over.");
    }

    #[test]
    fn noise_above_the_byline_and_blank_paragraphs_go() {
        let a = parse(
            "Ports wait\nShare this:\n\nBy José Carlos Palma*\n\nPorts Wait\n\nFirst — “para”.\n\n\u{a0}\u{a0}\n\nWe share this view.\n\n\n\nLast.\n",
            false,
        );
        assert_eq!(a.meta.author, "José Carlos Palma");
        assert_eq!(a.text, "First — “para”.\n\nWe share this view.\n\n\n\nLast.");
        let dropped: Vec<&str> = a.dropped.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(dropped, ["Share this:", "Ports Wait", "\u{a0}\u{a0}"]);
        // A line of spaces between two paragraphs was their paragraph break, and stays one.
        for text in ["T\nOne.\n\u{a0}\nTwo.", "T\nOne.\n\u{202f}\n\nTwo.", "T\nOne.\n\n \u{2007}\nTwo."] {
            assert_eq!(parse(text, false).text, "One.\n\nTwo.", "{text:?}");
        }
    }
}
