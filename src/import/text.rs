//! Plain-text and Markdown articles: the first non-empty line is the title; byline and date lines right
//! under it become metadata; the rest is the body, kept exactly as written.

use crate::model::Metadata;

use super::ImportedArticle;

/// At most this many header lines (byline, date, publication) are looked for under the title.
const MAX_HEADER_LINES: usize = 4;

/// Splits an article into title, metadata and body. `markdown` strips heading marks and emphasis from
/// the title and header lines.
pub fn parse(text: &str, markdown: bool) -> ImportedArticle {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    let title = lines.get(i).map(|l| clean_title(l, markdown)).unwrap_or_default();
    i += 1;
    let mut meta = Metadata::default();
    let mut header_lines = 0;
    loop {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i >= lines.len() || header_lines >= MAX_HEADER_LINES {
            break;
        }
        let line = strip_emphasis(lines[i].trim());
        if let Some(author) = byline(line) {
            if !meta.author.is_empty() {
                break;
            }
            meta.author = author;
        } else if let Some(date) = date_line(line) {
            if !meta.date.is_empty() {
                break;
            }
            meta.date = date;
        } else {
            break;
        }
        header_lines += 1;
        i += 1;
    }
    let body = lines.get(i..).map(|rest| rest.join("\n")).unwrap_or_default();
    ImportedArticle { title, meta, text: body.trim_end().to_string() }
}

fn clean_title(line: &str, markdown: bool) -> String {
    let title = line.trim();
    if markdown {
        // Emphasis marks are markup, not part of the headline.
        return title.trim_start_matches('#').trim().replace(['*', '`'], "");
    }
    title.to_string()
}

/// `*By X*`, `_By X_`, `**By X**` → `By X`.
fn strip_emphasis(line: &str) -> &str {
    line.trim_matches(|c| c == '*' || c == '_').trim()
}

/// `By Name`, `By Name and Name`, `By Name, Publication` → the name(s).
fn byline(line: &str) -> Option<String> {
    let rest = line.strip_prefix("By ").or_else(|| line.strip_prefix("by "))?.trim();
    // A byline is names (and maybe a publication): capitalised words and a few connectors. This keeps a
    // first sentence such as "By noon the bridge was closed." in the body.
    const CONNECTORS: [&str; 14] =
        ["and", "&", "of", "de", "da", "do", "van", "von", "der", "la", "le", "di", "du", "y"];
    let words: Vec<&str> = rest.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let names = words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) || CONNECTORS.contains(w));
    (names && !words.is_empty() && words.len() <= 12 && !rest.ends_with('.')).then(|| rest.to_string())
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A line that is only a date (optionally after "Published"/"Updated"), returned as ISO `YYYY-MM-DD` when it
/// can be read, else as written.
fn date_line(line: &str) -> Option<String> {
    let mut rest = line;
    for word in ["Published:", "Published", "Updated:", "Updated", "Posted:", "Posted", "Date:"] {
        if let Some(r) = rest.strip_prefix(word) {
            rest = r.trim();
            break;
        }
    }
    let rest = rest.trim().trim_end_matches('.');
    if rest.is_empty() || rest.len() > 40 {
        return None;
    }
    iso_date(rest).or_else(|| {
        // A date with a time or weekday we cannot fully read: keep it as written if it has a month name and a year.
        let lower = rest.to_lowercase();
        let has_month = MONTHS.iter().any(|m| lower.contains(&m[..3]));
        let has_year = rest.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 4);
        (has_month && has_year && rest.split_whitespace().count() <= 6).then(|| rest.to_string())
    })
}

/// Reads `2026-04-03`, `March 14, 2026`, `14 March 2026` (month names in full or 3 letters).
fn iso_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let number = |w: &str| w.parse::<u32>().ok();
    let month = |w: &str| {
        let lower = w.to_lowercase();
        let lower = lower.trim_end_matches('.');
        MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower))).map(|i| i as u32 + 1)
    };
    let (y, m, d) = match words.as_slice() {
        [one] => {
            let parts: Vec<&str> = one.split('-').collect();
            match parts.as_slice() {
                [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
                _ => return None,
            }
        }
        [m, d, y] if month(m).is_some() => (number(y)?, month(m)?, number(d)?),
        [d, m, y] if month(m).is_some() => (number(y)?, month(m)?, number(d)?),
        _ => return None,
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1000..=9999).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
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
        assert_eq!(iso_date("2026-04-03").as_deref(), Some("2026-04-03"));
        assert_eq!(iso_date("Sept 3 2026"), None);
    }
}
