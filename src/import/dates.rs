//! Dates in article headers: `Oct 31, 2024`, `Nov. 8, 2024`, `31 October 2024`, `2024-10-31`, with an
//! optional weekday, "Published"/"Updated" label or time of day, read as ISO `2024-10-31`.

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

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Words that may stand around a date on a date line without making it prose.
const LABELS: [&str; 12] =
    ["published", "updated", "posted", "date", "last", "modified", "on", "at", "-", "–", "—", "first"];

/// The month of a month word: full name, three letters, or `Sept`, with or without a trailing period.
fn month(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower))).map(|i| i as u32 + 1)
}

/// A day of the month, allowing `1st`, `2nd`, `3rd`, `31st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

fn year(word: &str) -> Option<u32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten()
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn iso(y: u32, m: u32, d: u32) -> Option<String> {
    ((1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=days_in(m, y)).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `2024-10-31`, also as the start of `2024-10-31T08:00:00Z`.
fn iso_word(word: &str) -> Option<String> {
    let day_part = word.get(..10)?;
    let rest = &word[10..];
    if !(rest.is_empty() || rest.starts_with('T')) {
        return None;
    }
    let mut parts = day_part.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    iso(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The words of a date line: split at spaces, commas and the bars and dots sites put between parts.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '·' | '•'))
        .map(|w| w.trim_end_matches(':'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The first date in `words`: where it starts, how many words it takes, and its ISO form.
fn find_date(words: &[&str]) -> Option<(usize, usize, String)> {
    for start in 0..words.len() {
        if let Some(date) = iso_word(words[start]) {
            return Some((start, 1, date));
        }
        let Some(window) = words.get(start..start + 3) else { continue };
        // Month first (`Oct 31 2024`) or day first (`31 October 2024`).
        let found = match (month(window[0]), month(window[1])) {
            (Some(m), _) => day(window[1]).zip(year(window[2])).and_then(|(d, y)| iso(y, m, d)),
            (None, Some(m)) => day(window[0]).zip(year(window[2])).and_then(|(d, y)| iso(y, m, d)),
            _ => None,
        };
        if let Some(date) = found {
            return Some((start, 3, date));
        }
    }
    None
}

/// A clock time (`3:15`, `10:02am`, `5pm`) or its parts (`p.m.`, `AM`).
fn is_time(word: &str) -> bool {
    let lower = word.to_lowercase();
    if matches!(lower.as_str(), "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m") {
        return true;
    }
    let clock = lower.trim_end_matches(['a', 'p', 'm', '.']);
    let had_suffix = clock.len() < lower.len();
    let mut parts = clock.split(':');
    let hours = parts.next().unwrap_or_default();
    let minutes = parts.next();
    let hours_ok = !hours.is_empty() && hours.len() <= 2 && hours.bytes().all(|b| b.is_ascii_digit());
    match (minutes, parts.next()) {
        (Some(m), None) => hours_ok && m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()),
        // `5pm` needs its suffix; a bare number is not a time.
        (None, None) => hours_ok && had_suffix,
        _ => false,
    }
}

/// A time-zone abbreviation such as `ET`, `EDT`, `GMT`, `UTC+1`.
fn is_zone(word: &str) -> bool {
    let letters = word.split(['+', '-']).next().unwrap_or_default();
    (2..=5).contains(&letters.len()) && letters.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_weekday(word: &str) -> bool {
    let lower = word.trim_end_matches('.').to_lowercase();
    WEEKDAYS.iter().any(|d| *d == lower || (lower.len() >= 3 && d.starts_with(&lower) && lower.len() <= 4))
}

/// A word that may stand next to a date on a date line: a label, weekday, clock time or time zone.
fn is_filler(word: &str) -> bool {
    LABELS.contains(&word.to_lowercase().as_str()) || is_weekday(word) || is_time(word) || is_zone(word)
}

/// What a header line says about time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateLine {
    /// A date: ISO when it could be read, else as written (it has a month name and a year).
    Date(String),
    /// Only a time stamp without a date, such as `Updated 3:15 p.m. ET`.
    TimeOnly,
}

/// A line that is only a date, optionally with a label ("Published", "Updated:"), a weekday and a time
/// ("Thursday, Oct. 31, 2024, 3:15 p.m. ET"). A sentence that mentions a date is not a date line: every
/// other word must be one of those fillers.
pub fn date_line(line: &str) -> Option<DateLine> {
    let line = line.trim().trim_end_matches('.');
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    let words = words(line);
    let others_are_filler = |skip: Option<(usize, usize)>| {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| skip.is_some_and(|(start, len)| (start..start + len).contains(&i)) || is_filler(w))
    };
    if let Some((start, len, date)) = find_date(&words) {
        return others_are_filler(Some((start, len))).then_some(DateLine::Date(date));
    }
    if words.iter().any(|w| is_time(w)) && others_are_filler(None) {
        return Some(DateLine::TimeOnly);
    }
    // A date we cannot fully read (`March 2026`, `Spring, March 2026`): kept as written when it has a month
    // name and a year and is short, so a sentence is never taken for it.
    let has_month = words.iter().any(|w| w.len() >= 3 && month(w).is_some());
    let has_year = words.iter().any(|w| year(w).is_some());
    (has_month && has_year && words.len() <= 6 && !line.contains(['.', '!', '?']))
        .then(|| DateLine::Date(line.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(line: &str) -> Option<String> {
        match date_line(line) {
            Some(DateLine::Date(d)) => Some(d),
            _ => None,
        }
    }

    #[test]
    fn every_common_shape_reads_as_iso() {
        for line in [
            "Oct 31, 2024",
            "October 31, 2024",
            "Oct. 31, 2024",
            "31 October 2024",
            "31 Oct 2024",
            "2024-10-31",
            "Thursday, October 31, 2024",
            "Thu, Oct 31, 2024",
            "Published: Oct 31, 2024",
            "Updated Oct. 31, 2024 3:15 p.m. ET",
            "Oct 31, 2024, 10:02 AM EDT",
            "Posted on October 31st, 2024 at 5pm",
            "2024-10-31T08:00:00Z",
        ] {
            assert_eq!(date(line).as_deref(), Some("2024-10-31"), "{line}");
        }
        assert_eq!(date("Nov. 8, 2024").as_deref(), Some("2024-11-08"));
        assert_eq!(date("Sept. 5, 2024").as_deref(), Some("2024-09-05"));
        assert_eq!(date("Sep 5 2024").as_deref(), Some("2024-09-05"));
        assert_eq!(date("Sept 3 2026").as_deref(), Some("2026-09-03"));
    }

    #[test]
    fn impossible_dates_and_sentences_are_not_dates() {
        // Not turned into a wrong ISO date; kept as written like any date that cannot be read.
        assert_eq!(date("Feb 30, 2024").as_deref(), Some("Feb 30, 2024"));
        assert_eq!(date("2024-13-01"), None);
        assert_eq!(date("Feb 29, 2024").as_deref(), Some("2024-02-29"));
        assert_eq!(date_line("The vote on Oct 31, 2024 was close."), None);
        assert_eq!(date_line("Officials met on Oct 31, 2024"), None);
        assert_eq!(date_line("May the best team win in 2024"), None);
    }

    #[test]
    fn a_time_without_a_date_is_a_time_stamp() {
        assert_eq!(date_line("Updated 3:15 p.m. ET"), Some(DateLine::TimeOnly));
        assert_eq!(date_line("Updated"), None);
        assert_eq!(date_line("15 minutes"), None);
    }

    #[test]
    fn an_unreadable_date_is_kept_as_written() {
        assert_eq!(date("March 2026").as_deref(), Some("March 2026"));
    }
}
