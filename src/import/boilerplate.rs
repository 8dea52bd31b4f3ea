//! Finding the byline and date among an article's first lines, and the page furniture around the body
//! ("Share this:", "Topic: … Tags: …", the headline printed again, blank paragraphs of non-breaking
//! spaces). Shared by the plain-text and HTML readers, which hand over lines or paragraphs.
//!
//! Noise is only looked for in the first and last lines, where sites put it, and only lines made
//! entirely of furniture words go: an article sentence that merely mentions sharing or tags stays.
//! Every line left out is reported ([`DroppedLine`]) so the user can see what went.

use std::fmt;

use super::dates::{DateLine, date_line};

/// How many non-empty lines after the title are searched for the byline, date and header noise. Real
/// pages put a share bar, a section label or a repeated headline above the byline, so the byline is
/// rarely the very next line, but it is always within the first dozen.
pub const HEADER_LINES: usize = 12;

/// How many non-empty lines at the end are searched for footer noise (share bars, tags, "Read more").
pub const FOOTER_LINES: usize = 12;

/// Why a line was left out of an article's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// "Share this:", "Share on Facebook", and the network names listed under it.
    ShareBar,
    /// "Topic: … Region: … Tags: …" and similar index lines.
    Tags,
    /// "Print", "Email".
    PageTool,
    /// "Advertisement" and similar ad labels.
    Advertisement,
    /// A "Related:" header or link line.
    Related,
    /// "Read more" and similar links.
    ReadMore,
    /// The headline printed again as the first body line.
    RepeatedTitle,
    /// A byline after the one already read as the author.
    ExtraByline,
    /// A date or time line after the one already read as the date.
    ExtraDate,
    /// A line of nothing but spaces (often non-breaking spaces), which would be an empty paragraph.
    Blank,
}

impl DropReason {
    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::ShareBar => "share buttons",
            DropReason::Tags => "topic/tag list",
            DropReason::PageTool => "page tool link",
            DropReason::Advertisement => "advertisement label",
            DropReason::Related => "related-links header",
            DropReason::ReadMore => "read-more link",
            DropReason::RepeatedTitle => "the title repeated",
            DropReason::ExtraByline => "another byline",
            DropReason::ExtraDate => "another date line",
            DropReason::Blank => "blank line of spaces",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A line import left out of an article's body, as written, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedLine {
    /// The line (or HTML paragraph) exactly as it was.
    pub text: String,
    /// Why it is not body text.
    pub reason: DropReason,
}

/// What happens to one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Body text.
    Keep,
    /// Read into the metadata (byline, date).
    Metadata,
    /// Left out, and reported.
    Drop(DropReason),
}

/// The header read from an article's lines and what to do with each line.
#[derive(Debug, Default)]
pub struct Sifted {
    /// The author, if a byline was found.
    pub author: Option<String>,
    /// The date (ISO when readable), if a date line was found.
    pub date: Option<String>,
    /// One verdict per line given.
    pub verdicts: Vec<Verdict>,
}

impl Sifted {
    /// The lines left out, in order, with their reasons.
    pub fn dropped<S: AsRef<str>>(&self, lines: &[S]) -> Vec<DroppedLine> {
        lines
            .iter()
            .zip(&self.verdicts)
            .filter_map(|(line, verdict)| match verdict {
                Verdict::Drop(reason) => Some(DroppedLine { text: line.as_ref().to_string(), reason: *reason }),
                _ => None,
            })
            .collect()
    }
}

/// Sorts the lines after the title into metadata, noise and body. `has_author` / `has_date` say the
/// caller already knows them (an HTML page's meta tags), so a byline or date line found here is
/// reported as dropped instead of replacing them.
pub fn sift<S: AsRef<str>>(title: &str, lines: &[S], has_author: bool, has_date: bool) -> Sifted {
    let mut sifted = Sifted { verdicts: vec![Verdict::Keep; lines.len()], ..Sifted::default() };
    let filled: Vec<usize> = (0..lines.len()).filter(|&i| !is_blank(lines[i].as_ref())).collect();
    for (i, line) in lines.iter().enumerate() {
        if !line.as_ref().is_empty() && is_blank(line.as_ref()) {
            sifted.verdicts[i] = Verdict::Drop(DropReason::Blank);
        }
    }
    let title_key = comparable(title);
    let (mut author_known, mut date_known) = (has_author, has_date);
    let mut in_share_run = false;
    for &i in filled.iter().take(HEADER_LINES) {
        let line = strip_emphasis(lines[i].as_ref());
        let verdict = if !title_key.is_empty() && comparable(line) == title_key {
            Verdict::Drop(DropReason::RepeatedTitle)
        } else if let Some((author, date)) = byline(line) {
            // A byline with its date ("Name | Oct 31, 2024") fills both; a part already known is not
            // overwritten, and a line that adds nothing is reported.
            let new_author = author.filter(|_| !author_known);
            let new_date = date.filter(|_| !date_known);
            if new_author.is_none() && new_date.is_none() {
                Verdict::Drop(DropReason::ExtraByline)
            } else {
                author_known |= new_author.is_some();
                date_known |= new_date.is_some();
                sifted.author = sifted.author.or(new_author);
                sifted.date = sifted.date.or(new_date);
                Verdict::Metadata
            }
        } else if let Some(found) = date_line(line) {
            match found {
                DateLine::Date(date) if !date_known => {
                    date_known = true;
                    sifted.date = Some(date);
                    Verdict::Metadata
                }
                _ => Verdict::Drop(DropReason::ExtraDate),
            }
        } else {
            noise(line, &mut in_share_run).map_or(Verdict::Keep, Verdict::Drop)
        };
        if verdict != Verdict::Drop(DropReason::ShareBar) {
            in_share_run = false;
        }
        sifted.verdicts[i] = verdict;
    }
    let header_end = HEADER_LINES.min(filled.len());
    let footer_start = filled.len().saturating_sub(FOOTER_LINES).max(header_end);
    // In a short article the zones meet, and a share bar can run across the seam.
    in_share_run &= footer_start == header_end;
    for &i in &filled[footer_start..] {
        let found = noise(strip_emphasis(lines[i].as_ref()), &mut in_share_run);
        if let Some(reason) = found {
            sifted.verdicts[i] = Verdict::Drop(reason);
        }
    }
    sifted
}

/// Whitespace only, counting the invisible characters editors leave in "empty" paragraphs.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}'))
}

/// `*By X*`, `_By X_`, `**By X**`, `### Title` → the text inside.
fn strip_emphasis(line: &str) -> &str {
    line.trim().trim_start_matches('#').trim().trim_matches(|c| c == '*' || c == '_').trim()
}

/// A line reduced so the same headline compares equal however it was typed: case, spacing, quote style,
/// dash style and Markdown marks do not matter.
fn comparable(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in strip_emphasis(line).split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '‘' | '’' | '‛' | '′' | '`' => out.push('\''),
                '“' | '”' | '„' | '″' | '«' | '»' => out.push('"'),
                '–' | '—' | '‐' | '‑' => out.push('-'),
                '*' | '_' => {}
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    // Pages quote the repeated headline (“Title”) or end it with a stop; neither makes it different text.
    out.trim_matches(['"', '\'']).trim_end_matches(['.', ':', '"', '\'']).to_string()
}

/// Words a share bar is made of. A line counts as a share bar only if every word is one of these and
/// one is "share", so a sentence such as "We share this view with…" stays in the body.
const SHARE_WORDS: [&str; 38] = [
    "share",
    "this",
    "article",
    "story",
    "post",
    "page",
    "on",
    "via",
    "by",
    "with",
    "to",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "email",
    "e-mail",
    "mail",
    "reddit",
    "telegram",
    "pinterest",
    "print",
    "copy",
    "link",
    "threads",
    "bluesky",
    "mastodon",
    "messenger",
    "flipboard",
    "tumblr",
    "sms",
    "opens",
    "in",
    "new",
    "window",
    "tab",
    "friends",
];

/// Labels that start an index line ("Topic: Economy Region: Europe Tags: trade"). Not "Section": law and
/// budget articles quote "Section: …" lines of their own.
const TAG_LABELS: [&str; 11] = [
    "topic",
    "topics",
    "tag",
    "tags",
    "region",
    "regions",
    "category",
    "categories",
    "filed under",
    "keywords",
    "subjects",
];

const AD_LINES: [&str; 7] = [
    "advertisement",
    "advertisements",
    "ad",
    "sponsored",
    "sponsored content",
    "story continues below advertisement",
    "article continues below advertisement",
];

const RELATED_LINES: [&str; 6] =
    ["related", "related articles", "related stories", "related content", "related coverage", "see also"];

const READ_MORE_LINES: [&str; 4] = ["read more", "continue reading", "read next", "read the full story"];

/// Lower-case words of a line, split at spaces and the separators share bars use.
fn plain_words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | '·' | '•' | ',' | '(' | ')' | ':'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '!' | '»' | '›' | '→' | '…')))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Why a header or footer line is furniture, or `None` for anything that could be prose.
/// `in_share_run` is true right after a share bar line, where lone network names ("Facebook", "X")
/// belong to it; it is updated for the next line.
fn noise(line: &str, in_share_run: &mut bool) -> Option<DropReason> {
    let lower = line.trim().to_lowercase();
    let words = plain_words(&lower);
    let bare = lower.trim_end_matches([':', '»', '›', '→', '…', '.', ' ']);
    let all_share_words = !words.is_empty() && words.iter().all(|w| SHARE_WORDS.contains(w));
    if all_share_words && (words.contains(&"share") || *in_share_run) {
        *in_share_run = true;
        return Some(DropReason::ShareBar);
    }
    *in_share_run = false;
    let labelled = |labels: &[&str]| {
        labels.iter().any(|label| lower.strip_prefix(label).is_some_and(|rest| rest.trim_start().starts_with(':')))
    };
    if labelled(&TAG_LABELS) {
        return Some(DropReason::Tags);
    }
    let tool_words = ["print", "email", "e-mail", "this", "article", "page", "story"];
    if !words.is_empty()
        && words.iter().all(|w| tool_words.contains(w))
        && words.iter().any(|w| matches!(*w, "print" | "email" | "e-mail"))
    {
        return Some(DropReason::PageTool);
    }
    if AD_LINES.contains(&bare) {
        return Some(DropReason::Advertisement);
    }
    if RELATED_LINES.contains(&bare) || labelled(&["related"]) {
        return Some(DropReason::Related);
    }
    if READ_MORE_LINES.contains(&bare) || labelled(&["read more", "read next"]) {
        return Some(DropReason::ReadMore);
    }
    None
}

/// Lower-case words allowed inside a name: particles of names in several languages, and "and"/"&"
/// between two authors.
const CONNECTORS: [&str; 16] =
    ["and", "&", "of", "de", "da", "do", "dos", "van", "von", "der", "den", "la", "le", "di", "du", "y"];

/// Whether `text` is a list of names: capitalised words (any script's capitals: José, Łukasz, Çelik),
/// name particles, initials, and a student's class year (`’26`); not a sentence.
fn is_names(text: &str) -> bool {
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let class_year = |w: &str| {
        let digits = w.trim_start_matches(['’', '\'']);
        digits.len() < w.len() && digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit())
    };
    !words.is_empty()
        && words.len() <= 12
        && !text.ends_with(['.', '!', '?', ':'])
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || CONNECTORS.contains(w) || class_year(w))
}

/// `By X` (any case of "By"), `Posted by X`, `Written by X` → `X`.
fn strip_by(text: &str) -> Option<&str> {
    ["By ", "by ", "BY ", "Posted by ", "Written by ", "Words by "]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .map(str::trim)
}

/// A name as printed, without the footnote marks that point to an author's note (`Palma*`, `Lee†`), after
/// each of several names too (`By Ana Quiñones* and Piotr Wójcik*`).
fn without_footnote(name: &str) -> String {
    const MARKS: [char; 3] = ['*', '†', '‡'];
    let words = name.split_whitespace().map(|word| match word.strip_suffix(',') {
        Some(bare) => format!("{},", bare.trim_end_matches(MARKS)),
        None => word.trim_end_matches(MARKS).to_string(),
    });
    words.filter(|w| !w.is_empty() && w != ",").collect::<Vec<_>>().join(" ")
}

/// `Ellen Jordan ’26 in Opinions` → `Ellen Jordan ’26`: student and magazine sites print the section after
/// the name. Metadata has no section field and the section is not the publication, so it is not kept.
fn without_section(name: &str) -> &str {
    match name.rsplit_once(" in ") {
        Some((who, section)) if is_names(section) && section.split_whitespace().count() <= 4 => who.trim(),
        _ => name,
    }
}

/// A byline: the author and perhaps a date. Shapes: `By X`, `By X and Y`, `By X*`, `By X, Publication`,
/// `Posted by X on Oct 31, 2024`, `X | Oct 31, 2024`, `X ’26 in Opinions | November 8, 2024`. Without "By"
/// the line must have a date beside the name, because a short capitalised line alone could be a
/// subheading. The author is kept as printed (a class year `’26` included), without "By" and footnote marks.
pub fn byline(line: &str) -> Option<(Option<String>, Option<String>)> {
    let parts: Vec<&str> = line.split(['|', '•', '·']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 {
        let (mut author, mut date) = (None, None);
        for part in parts {
            match date_line(part) {
                Some(DateLine::Date(found)) => {
                    date = date.or(Some(found));
                    continue;
                }
                // "Name | Oct 31, 2024 | Updated 3:15 p.m. ET": the time adds nothing to a date.
                Some(DateLine::TimeOnly) => continue,
                None => {}
            }
            let unmarked = without_footnote(strip_by(part).unwrap_or(part));
            let name = without_section(&unmarked);
            if author.is_some() || !is_names(name) {
                return None;
            }
            author = Some(name.to_string());
        }
        return (author.is_some() && date.is_some()).then_some((author, date));
    }
    let rest = strip_by(line)?;
    // `Posted by X on Oct 31, 2024`, `By X, Oct. 31, 2024`: a date after the name.
    for (at, _) in rest.match_indices([',', ' ']) {
        let (name, tail) = (&rest[..at], rest[at..].trim_start_matches([',', ' ']));
        let tail = tail.strip_prefix("on ").unwrap_or(tail);
        if let Some(DateLine::Date(date)) = date_line(tail) {
            let name = without_footnote(name);
            return is_names(&name).then_some((Some(name), Some(date)));
        }
    }
    let name = without_footnote(rest);
    is_names(&name).then_some((Some(name), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(line: &str) -> Option<String> {
        byline(line).and_then(|(a, _)| a)
    }

    #[test]
    fn byline_shapes() {
        assert_eq!(author("By José Carlos Palma*").as_deref(), Some("José Carlos Palma"));
        assert_eq!(author("By Marta Quiñones* and Piotr Wójcik†").as_deref(), Some("Marta Quiñones and Piotr Wójcik"));
        assert_eq!(
            author("By Marta Quiñones*, Piotr Wójcik* and Lee Chen").as_deref(),
            Some("Marta Quiñones, Piotr Wójcik and Lee Chen")
        );
        assert_eq!(author("By Łukasz Nowak and Ayşe Çelik").as_deref(), Some("Łukasz Nowak and Ayşe Çelik"));
        assert_eq!(author("Posted by Maria dos Santos").as_deref(), Some("Maria dos Santos"));
        assert_eq!(author("BY ANA PEREIRA").as_deref(), Some("ANA PEREIRA"));
        let (who, when) = byline("Ellen Jordan ’26 in Opinions | November 8, 2024").unwrap();
        assert_eq!((who.as_deref(), when.as_deref()), (Some("Ellen Jordan ’26"), Some("2024-11-08")));
        let (who, when) = byline("Tomás Ruiz | Oct 31, 2024").unwrap();
        assert_eq!((who.as_deref(), when.as_deref()), (Some("Tomás Ruiz"), Some("2024-10-31")));
        let (who, when) = byline("Posted by Dana Whitfield on Sept. 5, 2024").unwrap();
        assert_eq!((who.as_deref(), when.as_deref()), (Some("Dana Whitfield"), Some("2024-09-05")));
        let (who, when) = byline("Ayşe Çelik | Thursday, Oct 31, 2024 | Updated 3:15 p.m. ET").unwrap();
        assert_eq!((who.as_deref(), when.as_deref()), (Some("Ayşe Çelik"), Some("2024-10-31")));
        let (who, when) = byline("By Ana Pereira, Oct. 31, 2024").unwrap();
        assert_eq!((who.as_deref(), when.as_deref()), (Some("Ana Pereira"), Some("2024-10-31")));
    }

    #[test]
    fn sentences_and_subheadings_are_not_bylines() {
        assert_eq!(byline("By noon the bridge was closed."), None);
        assert_eq!(byline("By the river, the town waited for news."), None);
        // Without "By" a name needs a date beside it.
        assert_eq!(byline("Pipes Not Profits"), None);
        assert_eq!(byline("Prices rose | Oct 31, 2024"), None);
        assert_eq!(byline("Home | News | Opinion"), None);
    }

    #[test]
    fn noise_lines_and_prose_that_looks_like_them() {
        let check = |line: &str| noise(line, &mut false);
        assert_eq!(check("Share this:"), Some(DropReason::ShareBar));
        assert_eq!(check("Share this article"), Some(DropReason::ShareBar));
        assert_eq!(check("Share on Facebook | Share on X | Share via Email"), Some(DropReason::ShareBar));
        assert_eq!(check("Topic: Economy Region: Europe Tags: trade, tariffs"), Some(DropReason::Tags));
        assert_eq!(check("Tags: budget"), Some(DropReason::Tags));
        assert_eq!(check("Print"), Some(DropReason::PageTool));
        assert_eq!(check("Email this article"), Some(DropReason::PageTool));
        assert_eq!(check("ADVERTISEMENT"), Some(DropReason::Advertisement));
        assert_eq!(check("Related:"), Some(DropReason::Related));
        assert_eq!(check("Related: Ports brace for a slow winter"), Some(DropReason::Related));
        assert_eq!(check("Read more »"), Some(DropReason::ReadMore));
        for prose in [
            "We share this view with most economists.",
            "Share prices fell by 3 percent on Monday.",
            "Tags on the crates showed they came from Rotterdam.",
            "Print newspapers are shrinking.",
            "Related reporting by our Lisbon desk.",
            "Section: 4 of the act sets the fee.",
            "Facebook",
        ] {
            assert_eq!(check(prose), None, "{prose}");
        }
        // Network names belong to the share bar right above them.
        let mut run = false;
        assert_eq!(noise("Share this:", &mut run), Some(DropReason::ShareBar));
        assert_eq!(noise("Facebook", &mut run), Some(DropReason::ShareBar));
        assert_eq!(noise("X", &mut run), Some(DropReason::ShareBar));
    }

    #[test]
    fn sift_finds_the_byline_past_noise_and_reports_what_it_drops() {
        let lines = [
            "Share this:",
            "",
            "By José Carlos Palma*",
            "\u{a0}",
            "“Ports in Limbo” — A Report",
            "Oct 31, 2024",
            "Updated Nov. 1, 2024",
            "We share this view with the port’s own economists.",
            "Share this:",
        ];
        let sifted = sift("\"Ports in limbo\" - a report", &lines, false, false);
        assert_eq!(sifted.author.as_deref(), Some("José Carlos Palma"));
        assert_eq!(sifted.date.as_deref(), Some("2024-10-31"));
        let dropped = sifted.dropped(&lines);
        let dropped: Vec<(&str, DropReason)> = dropped.iter().map(|d| (d.text.as_str(), d.reason)).collect();
        assert_eq!(
            dropped,
            [
                ("Share this:", DropReason::ShareBar),
                ("\u{a0}", DropReason::Blank),
                ("“Ports in Limbo” — A Report", DropReason::RepeatedTitle),
                ("Updated Nov. 1, 2024", DropReason::ExtraDate),
                ("Share this:", DropReason::ShareBar),
            ]
        );
        assert_eq!(sifted.verdicts[7], Verdict::Keep);
    }

    #[test]
    fn known_metadata_is_not_replaced() {
        let sifted = sift("T", &["By Other Person", "Oct 31, 2024", "Body."], true, true);
        assert_eq!((sifted.author, sifted.date), (None, None));
        assert_eq!(
            sifted.verdicts[..2],
            [Verdict::Drop(DropReason::ExtraByline), Verdict::Drop(DropReason::ExtraDate)]
        );
    }
}
