//! `factmark merge-driver` (what git runs to merge a project file) and `factmark git-setup` (which tells a
//! repository to run it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use anyhow::{Context, bail};
use clap::Args;

use super::ExitWith;
use crate::edit::Edit;
use crate::merge::{ThreeWayReport, merge_three_way};
use crate::model::{CHANGED, DELETED, DOCUMENT_FIELD, DocId, FieldConflict, Project, validate};
use crate::store::folder_merge::{self, FolderFile, Versions};
use crate::store::{self, StoreError};

/// The line `git-setup` puts in `.gitattributes`. Every factmark project (and its recovery copy) is a
/// `.ron` file; a `.ron` file that is not a project is handed back to git's own text merge by the driver.
pub const ATTRIBUTES_LINE: &str = "*.ron merge=factmark";

/// `factmark merge-driver %O %A %B %P`
#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the merged project is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository, for messages (git's %P).
    pub path: Option<String>,
}

/// Merges the three versions into `ours`. Exit codes, as git expects of a merge driver: 0 merged cleanly,
/// 1 merged with conflicts flagged in the project, 2 an input could not be read (`ours` is left as git
/// gave it).
pub fn merge_driver(args: &MergeDriverArgs) -> anyhow::Result<()> {
    let name = args.path.clone().unwrap_or_else(|| args.ours.display().to_string());
    // A file of a project folder is told apart by its contents, so the driver works whatever %P is.
    let ours_text = std::fs::read_to_string(&args.ours).unwrap_or_default();
    if let Some(kind) = folder_merge::folder_file_kind(&ours_text) {
        return merge_folder_file(args, kind, &ours_text, &name);
    }
    let unreadable = |role: &str, err: &StoreError| ExitWith {
        code: 2,
        message: format!("factmark merge-driver: {name}: cannot read {role} version: {err}; nothing merged"),
    };
    let ours = match store::load(&args.ours) {
        Ok(project) => project,
        Err(StoreError::NotAProject { .. }) => return text_merge(args, &name),
        Err(err) => return Err(unreadable("our", &err).into()),
    };
    let theirs = store::load(&args.theirs).map_err(|e| unreadable("their", &e))?;
    let base = match std::fs::metadata(&args.base) {
        // Both sides added the file: there is no ancestor, so everything is an addition.
        // Without conflicts, so conflicts ours still has open count as ours' and stay.
        Ok(meta) if meta.len() == 0 => Project { documents: Vec::new(), conflicts: Vec::new(), ..ours.clone() },
        _ => store::load(&args.base).map_err(|e| unreadable("base", &e))?,
    };
    let merged = merge_three_way(&base, &ours, &theirs);
    if let Some(problem) = validate::problems(&merged.project).first() {
        return Err(ExitWith {
            code: 2,
            message: format!("factmark merge-driver: {name}: the merge would be invalid ({problem}); nothing merged"),
        }
        .into());
    }
    let text = store::to_ron(&merged.project).context("serializing the merged project")?;
    store::write_atomic(&args.ours, text.as_bytes())
        .map_err(|e| ExitWith { code: 2, message: format!("factmark merge-driver: {name}: {e}") })?;
    let spans = merged.project.span_count();
    eprintln!("factmark: merged {name} ({} documents, {spans} spans)", merged.project.documents.len());
    report_and_exit(&merged.report, &name)
}

/// Merges a project folder's index or document file (see [`folder_merge`]): same exit codes and messages
/// as for a single-file project.
fn merge_folder_file(args: &MergeDriverArgs, kind: FolderFile, ours: &str, name: &str) -> anyhow::Result<()> {
    let read = |path: &Path| std::fs::read_to_string(path);
    let fail = |message: String| ExitWith { code: 2, message: format!("factmark merge-driver: {name}: {message}") };
    let theirs = read(&args.theirs).map_err(|e| fail(format!("cannot read their version: {e}; nothing merged")))?;
    // An empty ancestor: both sides added the file, so everything is an addition.
    let base = read(&args.base).unwrap_or_default();
    let versions = Versions { base: Some(base.as_str()).filter(|b| !b.trim().is_empty()), ours, theirs: &theirs };
    let shown = Path::new(name);
    let merged = match kind {
        FolderFile::Index => folder_merge::merge_index(versions, shown),
        FolderFile::Shard => folder_merge::merge_shard(versions, shown),
        FolderFile::Document => folder_merge::merge_document_file(versions, shown),
    }
    .map_err(|e| fail(format!("{e}; nothing merged")))?;
    store::write_atomic(&args.ours, merged.text.as_bytes()).map_err(|e| fail(e.to_string()))?;
    eprintln!("factmark: {}", merged.summary);
    report_and_exit(&merged.report, name)
}

/// Prints the merge report and turns conflicts into exit code 1.
fn report_and_exit(report: &ThreeWayReport, name: &str) -> anyhow::Result<()> {
    if report.renumbered_spans + report.renumbered_relations > 0 {
        eprintln!(
            "factmark: gave {} span(s) and {} relation(s) of theirs new ids (their ids were taken)",
            report.renumbered_spans, report.renumbered_relations
        );
    }
    for line in report.span_conflicts.iter().chain(&report.field_conflicts) {
        eprintln!("factmark: conflict: {line}");
    }
    if report.has_conflicts() {
        let count = report.span_conflicts.len() + report.field_conflicts.len();
        // The project is the folder when the file is one of its files.
        let project = folder_of(name).unwrap_or(name);
        return Err(ExitWith {
            code: 1,
            message: format!(
                "factmark: {count} conflict(s) in {name}; `factmark validate {project}` lists each with the command \
                 that settles it (`factmark span resolve {project} <span id>` for spans, `factmark resolve {project} \
                 <item> --keep ours|theirs` for fields and settings; the window's curation view walks them too), then \
                 `git add {name}`"
            ),
        }
        .into());
    }
    Ok(())
}

/// The project folder a folder file's repository path is in (`a/x.factmark/docs/d.ron` → `a/x.factmark`).
fn folder_of(path: &str) -> Option<&str> {
    let end = path.rfind(".factmark/")? + ".factmark".len();
    Some(&path[..end])
}

/// A `.ron` file that is not a factmark project gets git's own line merge, as it would without the driver.
fn text_merge(args: &MergeDriverArgs, name: &str) -> anyhow::Result<()> {
    eprintln!("factmark: {name} is not a factmark project; merging it as text");
    let status = Process::new("git")
        .arg("merge-file")
        .args(["-L", "ours", "-L", "base", "-L", "theirs"])
        .args([&args.ours, &args.base, &args.theirs])
        .status()
        .map_err(|e| ExitWith { code: 2, message: format!("factmark merge-driver: {name}: cannot run git: {e}") })?;
    match status.code() {
        Some(0) => Ok(()),
        _ => Err(ExitWith { code: 1, message: format!("factmark: text conflicts in {name}") }.into()),
    }
}

/// Runs git in `dir` and gives its trimmed standard output; `Err` with git's message when it fails.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    Ok(String::from_utf8_lossy(&git_bytes(dir, args)?).trim().to_string())
}

/// A path as one shell word: git runs the driver command through the shell.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c)) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `factmark git-setup [<repo>]`: `.gitattributes` and the repository's git config, each changed only when
/// it is not already right.
pub fn git_setup(repo: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = repo.unwrap_or(Path::new("."));
    let top = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| anyhow::anyhow!("{}: not a git repository ({e})", dir.display()))?;
    let top = PathBuf::from(top);
    let mut changed = 0;
    let attributes = top.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| attributes.display().to_string()),
    };
    if existing.lines().any(|line| line.trim() == ATTRIBUTES_LINE) {
        writeln!(out, "{}: already has `{ATTRIBUTES_LINE}`", attributes.display())?;
    } else {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        store::write_atomic(&attributes, text.as_bytes()).with_context(|| attributes.display().to_string())?;
        writeln!(out, "{}: added `{ATTRIBUTES_LINE}`", attributes.display())?;
        changed += 1;
    }
    let exe = std::env::current_exe().context("cannot find the path of the running factmark")?;
    let driver = format!("{} merge-driver %O %A %B %P", shell_word(&exe));
    for (key, value) in [("merge.factmark.name", "factmark semantic merge"), ("merge.factmark.driver", driver.as_str())]
    {
        // `git config --get` fails when the key is unset, which here just means "set it".
        let current = git(&top, &["config", "--local", "--get", key]).ok();
        if current.as_deref() == Some(value) {
            writeln!(out, "git config {key}: already \"{value}\"")?;
        } else {
            git(&top, &["config", "--local", key, value])?;
            writeln!(out, "git config {key} \"{value}\"")?;
            changed += 1;
        }
    }
    if changed == 0 {
        writeln!(out, "nothing to change: {} is already set up", top.display())?;
    } else {
        writeln!(
            out,
            "commit .gitattributes so the rest of the team merges the same way; each clone runs git-setup once"
        )?;
    }
    Ok(())
}

/// A document file's id, the one field [`git_restore`] needs from it.
#[derive(serde::Deserialize)]
struct DocFileId {
    id: DocId,
}

/// `factmark git-restore <folder>`: in the middle of a git merge, each document file of the folder whose
/// text is missing is a document one side deleted and the other changed. Git deletes the text with the
/// deletion (nothing merges it, as it did not change) and leaves the changed side's annotations, so the
/// folder cannot open. The text comes back from the side that kept the document, and the document is
/// flagged ([`DOCUMENT_FIELD`]) for a person to keep or delete with `factmark resolve`.
pub fn git_restore(folder: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let docs = folder.join("docs");
    git(&docs, &["rev-parse", "-q", "--verify", "MERGE_HEAD"])
        .map_err(|_| anyhow::anyhow!("{}: no git merge is in progress here; nothing to restore", folder.display()))?;
    let mut flagged: Vec<(DocId, &str)> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&docs)
        .with_context(|| docs.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && !p.with_extension("txt").exists())
        .collect();
    entries.sort();
    for annotations in entries {
        let Some(stem) = annotations.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
        let has = |rev: &str| git(&docs, &["cat-file", "-e", &format!("{rev}:./{stem}.ron")]).is_ok();
        // The side whose commit lacks the document deleted it; the other kept (and changed) it.
        let (kept_in, theirs) = match (has("HEAD"), has("MERGE_HEAD")) {
            (true, false) => ("HEAD", DELETED),
            (false, true) => ("MERGE_HEAD", CHANGED),
            _ => continue,
        };
        let text = git_bytes(&docs, &["show", &format!("{kept_in}:./{stem}.txt")])?;
        let path = annotations.with_extension("txt");
        store::write_atomic(&path, &text).with_context(|| path.display().to_string())?;
        let file = std::fs::read_to_string(&annotations).with_context(|| annotations.display().to_string())?;
        let id = ron::from_str::<DocFileId>(&file).with_context(|| annotations.display().to_string())?.id;
        flagged.push((id, theirs));
    }
    if flagged.is_empty() {
        writeln!(out, "{}: every document has its text; nothing to restore", folder.display())?;
        return Ok(());
    }
    let mut project = super::load(folder)?;
    let mut edits = Vec::new();
    for (id, theirs) in &flagged {
        let Some(doc) = project.doc(id) else { continue };
        let mut conflicts: Vec<FieldConflict> =
            doc.conflicts.iter().filter(|c| c.field != DOCUMENT_FIELD).cloned().collect();
        conflicts.push(FieldConflict { field: DOCUMENT_FIELD.to_string(), theirs: theirs.to_string() });
        edits.push(Edit::SetDocConflicts { doc: id.clone(), conflicts });
    }
    super::edit_and_save(folder, &mut project, Edit::Batch { name: "Flag deleted documents".into(), edits })?;
    for (id, theirs) in &flagged {
        let what = if *theirs == DELETED {
            "deleted in theirs, changed in ours"
        } else {
            "deleted in ours, changed in theirs"
        };
        writeln!(
            out,
            "doc {id}: {what}; its text is back and it is flagged: `factmark resolve {} document --doc {id} --keep \
             ours|theirs` keeps or deletes it",
            folder.display()
        )?;
    }
    Ok(())
}

/// Runs git in `dir` and gives its standard output as it is (a file's contents).
fn git_bytes(dir: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .with_context(|| format!("cannot run git (is it installed?) in {}", dir.display()))?;
    if !output.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}
