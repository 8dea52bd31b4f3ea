//! `factmark import`: read articles into a project as one undoable edit.

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;

use super::load;
use crate::import::{ArticleOptions, DroppedLines};
use crate::session::import::plan;
use crate::session::job::Progress;
use crate::store;

/// Skipped lines listed one by one; past this only their number is printed, so a feed with thousands of
/// bad lines does not bury the summary.
const MAX_LISTED_LINES: usize = 20;

/// Imports files and folders. If any file is broken nothing is imported, so a re-run after fixing it
/// does not create duplicates. With `options.skip_bad_lines` a bad JSONL line does not make its file
/// broken: it is listed and left out.
pub fn import(path: &Path, paths: &[PathBuf], options: ArticleOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut project = load(path)?;
    // Nothing cancels the command line's plan (Ctrl+C ends the process before anything is saved).
    let Some(mut plan) = plan(&project, paths, options, &Progress::default()) else {
        bail!("import cancelled; nothing imported")
    };
    for skipped in &plan.skipped {
        writeln!(out, "skipped {}: {}", skipped.path.display(), skipped.reason)?;
    }
    for dup in &plan.duplicates {
        writeln!(
            out,
            "duplicate {}: {:?} has the same text as document {}",
            dup.path.display(),
            dup.title,
            dup.existing
        )?;
    }
    report_skipped_lines(out, &plan.skipped_lines)?;
    if let Some(first) = plan.errors.first() {
        for err in plan.errors.iter().skip(1) {
            eprintln!("error: {err}");
        }
        bail!("{first} (nothing imported)");
    }
    let added: Vec<(String, String, usize)> =
        plan.documents.iter().map(|d| (d.id.to_string(), d.title.clone(), d.char_len())).collect();
    let dropped = std::mem::take(&mut plan.dropped);
    if let Some(edit) = plan.into_edit() {
        edit.apply(&mut project).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        store::save(&project, path)?;
    }
    for (id, title, chars) in &added {
        writeln!(out, "imported {id}: {title} ({chars} chars)")?;
        if let Some(entry) = dropped.iter().find(|d| d.doc.as_str() == id) {
            report_dropped(out, entry)?;
        }
    }
    writeln!(out, "{} document(s) imported into {}", added.len(), path.display())?;
    Ok(())
}

/// Lines of one document's dropped furniture quoted one by one; the rest are counted.
const MAX_LISTED_DROPPED: usize = 10;

/// Longest quoted dropped line, in characters; a long tag list is cut with "…".
const MAX_QUOTED_CHARS: usize = 80;

/// Prints, under the document's "imported" line, the furniture lines its body lost and why:
/// `  dropped 2 lines from "Title": "Share this:" (share buttons), "Tags: x" (topic/tag list)`. Lines are
/// quoted with escapes, so a paragraph of non-breaking spaces shows as `"\u{a0}"` instead of nothing.
fn report_dropped(out: &mut dyn Write, entry: &DroppedLines) -> std::io::Result<()> {
    let quoted: Vec<String> = entry
        .lines
        .iter()
        .take(MAX_LISTED_DROPPED)
        .map(|line| {
            let mut text: String = line.text.chars().take(MAX_QUOTED_CHARS).collect();
            if text.len() < line.text.len() {
                text.push('…');
            }
            format!("{text:?} ({})", line.reason)
        })
        .collect();
    let more = entry.lines.len().saturating_sub(MAX_LISTED_DROPPED);
    let tail = if more > 0 { format!(", and {more} more") } else { String::new() };
    writeln!(out, "  dropped {} line(s) from {:?}: {}{tail}", entry.lines.len(), entry.title, quoted.join(", "))
}

/// Prints each skipped line (`skipped <file>:<line>: <problem>`, the first [`MAX_LISTED_LINES`]) and their
/// count; nothing when none was skipped. Shared by `import` and `import-annotations`.
pub(super) fn report_skipped_lines<T: Display>(out: &mut dyn Write, lines: &[T]) -> std::io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    for line in lines.iter().take(MAX_LISTED_LINES) {
        writeln!(out, "skipped {line}")?;
    }
    if lines.len() > MAX_LISTED_LINES {
        writeln!(out, "and {} more bad line(s)", lines.len() - MAX_LISTED_LINES)?;
    }
    writeln!(out, "{} bad line(s) skipped", lines.len())
}
