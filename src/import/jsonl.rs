//! JSON Lines feeds: one article per line, `{"text": …, "title": …, "meta": {…}}`.

use std::path::Path;

use serde_json::Value;

use crate::model::Metadata;

use super::{ImportError, ImportedArticle, decode::normalize_line_ends};

/// Longest title made from a text's first line when the record has none.
const MAX_DERIVED_TITLE: usize = 80;

/// Reads every line; the first bad line is an error naming its line number.
pub fn parse(path: &Path, text: &str) -> Result<Vec<ImportedArticle>, ImportError> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |problem: String| ImportError::BadLine { path: path.to_path_buf(), line: index + 1, problem };
        let value: Value = serde_json::from_str(line).map_err(|e| bad(format!("not valid JSON ({e})")))?;
        let Value::Object(record) = value else { return Err(bad("expected a JSON object".into())) };
        let Some(Value::String(body)) = record.get("text") else {
            return Err(bad("expected a \"text\" string".into()));
        };
        let body = normalize_line_ends(body);
        if body.trim().is_empty() {
            return Err(bad("\"text\" is empty".into()));
        }
        let field = |key: &str| -> Result<String, ImportError> {
            let nested = record.get("meta").and_then(|m| m.get(key));
            match nested.or_else(|| record.get(key)) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.trim().to_string()),
                Some(_) => Err(bad(format!("\"{key}\" must be a string"))),
            }
        };
        if record.get("meta").is_some_and(|m| !m.is_object() && !m.is_null()) {
            return Err(bad("\"meta\" must be an object".into()));
        }
        let mut title = field("title")?;
        if title.is_empty() {
            let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
            title = first.chars().take(MAX_DERIVED_TITLE).collect();
        }
        let meta = Metadata {
            author: field("author")?,
            date: field("date")?,
            publication: field("publication")?,
            url: field("url")?,
            source_file: format!("{}#{}", path.display(), index + 1),
        };
        out.push(ImportedArticle { title, meta, text: body });
    }
    if out.is_empty() {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    Ok(out)
}
