//! `factmark span resolve <project> <span id>` and `factmark resolve <project> <item> --keep ours|theirs`:
//! settle the conflicts a merge left, keeping one alternative of a span or one side of a field or setting.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::{edit_and_save, load};
use crate::merge::resolve_edit;
use crate::model::SpanId;

/// Keeps span `id` and removes the other alternatives of its conflict group (see
/// [`crate::merge::resolve_edit`], which the window's "Keep this version" button uses too). One undoable
/// step.
pub fn resolve(path: &Path, id: u64, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut project = load(path)?;
    let id = SpanId(id);
    let resolution = resolve_edit(&project, id).with_context(|| path.display().to_string())?;
    edit_and_save(path, &mut project, resolution.edit)?;
    let removed: Vec<String> = resolution.removed.iter().map(SpanId::to_string).collect();
    writeln!(
        out,
        "span {id} kept in doc {}; removed alternative(s) {}; {} relation(s) moved to it",
        resolution.doc,
        if removed.is_empty() { "none".to_string() } else { removed.join(", ") },
        resolution.moved_relations
    )?;
    Ok(())
}

/// `factmark resolve <project> <item> [--doc <doc>] --keep ours|theirs`
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// The project file or folder.
    pub project: std::path::PathBuf,
    /// What is in conflict, as `factmark validate` names it: with --doc a document field (`title`,
    /// `status`, `note`, `meta.author`, `doc_label:genre`, `relation:<id>`, `document` …); without, a
    /// project setting (`name`, `label:Claim`, `label_name:<ours' name>`, `relation_type:attributed_to`,
    /// `doc_label_set:genre`, `rule:<name>`).
    pub item: String,
    /// The document whose field is in conflict (id or title).
    #[arg(long)]
    pub doc: Option<String>,
    /// Which version to keep: ours (the value in force) or theirs.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["ours", "theirs"]))]
    pub keep: String,
}

/// Keeps one side of a document field or project setting a merge left in conflict and clears the
/// conflict, as one undoable step (the same edit as the window's "Keep ours"/"Keep theirs").
pub fn resolve_field(args: &ResolveArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let path = args.project.as_path();
    let mut project = load(path)?;
    let side: crate::merge::Side = args.keep.parse().map_err(anyhow::Error::msg)?;
    let (edit, what) = match &args.doc {
        Some(query) => {
            let doc = project.find_document(query).with_context(|| path.display().to_string())?.id.clone();
            let edit = crate::merge::keep_field(&project, &doc, &args.item, side)
                .with_context(|| path.display().to_string())?;
            (edit, format!("{} of doc {doc}", args.item))
        }
        None => {
            let edit =
                crate::merge::keep_setting(&project, &args.item, side).with_context(|| path.display().to_string())?;
            (edit, format!("project {}", args.item))
        }
    };
    edit_and_save(path, &mut project, edit)?;
    let left = crate::merge::conflict_count(&project, None);
    writeln!(out, "kept {} {what}; {left} conflict(s) left", args.keep)?;
    Ok(())
}
