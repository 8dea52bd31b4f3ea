//! JSON Lines feeds: one article per line, `{"text": …, "title": …, "meta": {…}}`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::model::Metadata;

use super::{FileArticles, ImportError, ImportedArticle, SkippedLine, decode::normalize_line_ends};

/// Longest title made from a text's first line when the record has none.
const MAX_DERIVED_TITLE: usize = 80;

/// Reads every line. By default the first bad line is an error naming its line number; with
/// `skip_bad_lines` bad lines are listed in the result instead and the good ones kept.
pub fn parse(path: &Path, text: &str, skip_bad_lines: bool) -> Result<FileArticles, ImportError> {
    let mut read = FileArticles::default();
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        match record(path, number, line) {
            Ok(article) => read.articles.push(article),
            Err(problem) if skip_bad_lines => {
                read.skipped_lines.push(SkippedLine { path: path.to_path_buf(), line: number, problem });
            }
            Err(problem) => return Err(ImportError::BadLine { path: path.to_path_buf(), line: number, problem }),
        }
    }
    if read.articles.is_empty() {
        // A feed without one usable line is broken even when bad lines may be skipped: importing nothing
        // and calling it a success would hide that; its first bad line says what is wrong.
        return Err(match read.skipped_lines.into_iter().next() {
            Some(SkippedLine { path, line, problem }) => ImportError::BadLine { path, line, problem },
            None => ImportError::Empty { path: path.to_path_buf() },
        });
    }
    Ok(read)
}

/// One line as an article, or the problem with it.
fn record(path: &Path, number: usize, line: &str) -> Result<ImportedArticle, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON ({e})"))?;
    let Value::Object(record) = value else { return Err("expected a JSON object".into()) };
    let Some(Value::String(body)) = record.get("text") else {
        return Err("expected a \"text\" string".into());
    };
    let body = normalize_line_ends(body);
    if body.trim().is_empty() {
        return Err("\"text\" is empty".into());
    }
    if record.get("meta").is_some_and(|m| !m.is_object() && !m.is_null()) {
        return Err("\"meta\" must be an object".into());
    }
    let mut title = field(&record, "title")?;
    if title.is_empty() {
        let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
        title = first.chars().take(MAX_DERIVED_TITLE).collect();
    }
    let meta = Metadata {
        author: field(&record, "author")?,
        date: field(&record, "date")?,
        publication: field(&record, "publication")?,
        url: field(&record, "url")?,
        source_file: format!("{}#{number}", path.display()),
    };
    // A feed's text is taken as given: it was extracted by a program that knew the page, and guessing at
    // furniture inside a record's field would change data the feed vouches for.
    Ok(ImportedArticle { title, meta, text: body, dropped: Vec::new() })
}

/// A metadata string, under `meta` or at the top level; missing or null is empty.
fn field(record: &Map<String, Value>, key: &str) -> Result<String, String> {
    let nested = record.get("meta").and_then(|m| m.get(key));
    match nested.or_else(|| record.get(key)) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}
