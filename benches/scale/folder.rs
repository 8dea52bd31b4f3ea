//! The project folder cases of issue 20, on a generated folder of `FOLDER_BENCH_DOCS` articles (10,000 by
//! default; the target is 100,000), made once and kept under `target/` (or `SCALE_BENCH_DIR`):
//! opening it whole, its index alone, streaming stats, agreement, find and spaCy export, a save after one edit, and the
//! peak memory of each in a fresh process.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use factmark::analysis::agreement::AgreementOptions;
use factmark::analysis::search::{Query, SearchOptions};
use factmark::analysis::stats::folder_stats;
use factmark::edit::Edit;
use factmark::formats::{ExportOptions, Filter, Format, FormatChoice};
use factmark::session::export::{ExportRequest, export_folder};
use factmark::session::job::Progress;
use factmark::session::project_source::DocSource;
use factmark::session::project_wide::{find_in_source, source_agreement};
use factmark::store::{self, folder};
use factmark::synth::{self, CorpusSpec};

use super::{Case, Row, Setup, stats, time_runs};

/// The flag that makes this program a child process measuring the peak memory of one folder command.
pub const CHILD: &str = "--folder-memory-child";

/// This file's cases, by the name that selects them.
pub const CASES: [(&str, Case); 10] = [
    ("folder_index", index_only),
    ("folder_open", open_whole),
    ("folder_stats", streaming_stats),
    ("folder_agree", streaming_agree),
    ("folder_find", streaming_find),
    ("folder_save_one", save_one),
    ("folder_export_spacy", export_spacy),
    ("folder_memory_open", |_| memory("open", "≤ 400 MB (100k, browsing)")),
    ("folder_memory_stats", |_| memory("stats", "bounded")),
    ("folder_memory_spacy", |_| memory("spacy", "≤ 500 MB (100k)")),
];

pub fn docs() -> usize {
    std::env::var("FOLDER_BENCH_DOCS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000)
}

/// The generated folder, made on first use (the time it took is printed); a folder left half-made by an
/// interrupted run is made again.
pub fn corpus() -> anyhow::Result<PathBuf> {
    let n = docs();
    let root = super::scratch_root()?;
    let path = root.join(format!("folder-{n}.factmark"));
    let done = root.join(format!("folder-{n}.done"));
    if done.exists() {
        return Ok(path);
    }
    if path.exists() {
        fs::remove_dir_all(&path).with_context(|| path.display().to_string())?;
    }
    let start = Instant::now();
    let project = synth::corpus(&CorpusSpec { docs: n, ..CorpusSpec::scale() });
    let generated = start.elapsed().as_secs_f64();
    folder::save(&project, &path)?;
    eprintln!(
        "generated a {n}-document folder in {:.0} s ({generated:.0} s making it, the rest writing {})",
        start.elapsed().as_secs_f64(),
        path.display()
    );
    fs::write(&done, b"")?;
    Ok(path)
}

fn sizes(index: &folder::FolderIndex) -> String {
    let spans: usize = index.entries().iter().flat_map(|e| e.spans.values()).sum();
    format!("{} documents, {spans} spans", index.len())
}

/// `folder::open_index`: the index alone (what a window could show first): `project.ron` and its shards.
fn index_only(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let index = folder::open_index(&path)?;
    let samples = time_runs(5, || Ok(std::hint::black_box(folder::open_index(&path)).map(|_| ())?))?;
    let mut row = Row::timed("folder_index", "≤ 0.6 s (100k; first frame ≤ 1 s)", &samples);
    let head = fs::metadata(path.join(folder::INDEX))?.len();
    let shards = index.shard_names();
    let mut bytes = 0;
    for name in &shards {
        bytes += fs::metadata(path.join(folder::SHARDS).join(format!("{name}.ron")))?.len();
    }
    row.note = format!(
        "{}; project.ron {:.1} kB + {} shards {:.1} MB{}; warm page cache",
        sizes(&index),
        head as f64 / 1e3,
        shards.len(),
        bytes as f64 / 1e6,
        if index.is_unsharded() { " (older layout: the lines in project.ron)" } else { "" }
    );
    Ok(row)
}

/// `store::load` of the folder: every document read and checked on every core (what the window and the
/// editing commands still do).
fn open_whole(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let mut text = 0;
    let samples = time_runs(3, || {
        let project = store::load(&path)?;
        text = project.documents.iter().map(|d| d.text.len()).sum();
        Ok(())
    })?;
    let mut row = Row::timed("folder_open", "—", &samples);
    row.note = format!("store::load, {:.0} MB of text, all cores; warm page cache", text as f64 / 1e6);
    Ok(row)
}

/// `factmark stats` of the folder without the printing: a batch of documents at a time on every core.
fn streaming_stats(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let index = folder::open_index(&path)?;
    let samples = time_runs(3, || {
        let index = folder::open_index(&path)?;
        std::hint::black_box(folder_stats(&index)?);
        Ok(())
    })?;
    let mut row = Row::timed("folder_stats", "≤ 5 s (100k)", &samples);
    row.note = format!("{}; open_index + folder_stats, all cores", sizes(&index));
    Ok(row)
}

/// `factmark agree` of the folder without the printing: every pair, α and α_u over a source on the index,
/// a batch of documents at a time on every core.
fn streaming_agree(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let index = folder::open_index(&path)?;
    let mut pairs = 0;
    let samples = time_runs(3, || {
        let source = DocSource::folder(folder::open_index(&path)?, None, Vec::new());
        pairs = source_agreement(&source, &AgreementOptions::default(), &Progress::default())?.pairs.len();
        Ok(())
    })?;
    let mut row = Row::timed("folder_agree", "streams", &samples);
    row.note = format!("{}; open_index + source_agreement, all cores, {pairs} pairs", sizes(&index));
    Ok(row)
}

/// The window's Find in project on a folder: a whole-word search for a common word over a source on the
/// index, the first 1,000 matches kept and the rest counted.
fn streaming_find(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let index = folder::open_index(&path)?;
    let query = Query::new("the", SearchOptions { whole_word: true, ..SearchOptions::default() })?;
    let mut total = 0;
    let samples = time_runs(3, || {
        let source = DocSource::folder(folder::open_index(&path)?, None, Vec::new());
        total = find_in_source(&source, &query, 1_000, &Progress::default())?.total;
        Ok(())
    })?;
    let mut row = Row::timed("folder_find", "streams", &samples);
    row.note = format!("{}; open_index + find_in_source, all cores, {total} matches", sizes(&index));
    Ok(row)
}

/// A save after a one-span edit: with the index kept open (`FolderIndex::save_changed`, what the window
/// can do), and with `folder::save_changed`, which reads the index first (what a command does).
fn save_one(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let mut index = folder::open_index(&path)?;
    let mut project = index.load()?;
    let at = project.documents.len() / 2;
    let (doc, span) = {
        let d = project.documents.get(at).context("no document")?;
        (d.id.clone(), d.spans.first().context("no span")?.id)
    };
    let mut round = 0;
    let mut edit = |project: &mut factmark::model::Project| -> anyhow::Result<()> {
        round += 1;
        Edit::SetSpanNote { doc: doc.clone(), span, note: format!("bench {round}") }.apply(project)?;
        Ok(())
    };
    // The first save of a folder in the older layout writes the shards; it is not what is measured.
    if index.is_unsharded() {
        edit(&mut project)?;
        index.save_changed(&project, std::slice::from_ref(&doc))?;
    }
    let mut last = folder::Written::default();
    let samples = time_runs(10, || {
        edit(&mut project)?;
        last = index.save_changed(&project, std::slice::from_ref(&doc))?;
        if last.files != 1 || last.index_files != 1 {
            bail!("expected one document file and one shard written, got {last:?}");
        }
        Ok(())
    })?;
    let reading = time_runs(5, || {
        edit(&mut project)?;
        folder::save_changed(&project, &path, std::slice::from_ref(&doc))?;
        Ok(())
    })?;
    let full = time_runs(1, || {
        edit(&mut project)?;
        folder::save(&project, &path)?;
        Ok(())
    })?;
    // Leave the corpus as it was made, so later runs start from the same files.
    Edit::SetSpanNote { doc: doc.clone(), span, note: String::new() }.apply(&mut project)?;
    index.save_changed(&project, std::slice::from_ref(&doc))?;
    let mut row = Row::timed("folder_save_one", "≤ 50 ms (100k)", &samples);
    row.note = format!(
        "one span note changed, index kept open: its .ron and its index shard written atomically \
         ({:.0} kB in all); folder::save_changed reading the index first {:.0} ms; full folder::save {:.0} ms",
        last.bytes as f64 / 1e3,
        stats(&reading).0,
        stats(&full).0
    );
    Ok(row)
}

fn spacy_request(out: PathBuf) -> ExportRequest {
    ExportRequest {
        out,
        format: FormatChoice::One(Format::Spacy),
        filter: Filter::default(),
        options: ExportOptions::default(),
    }
}

/// `factmark export --format spacy` of the folder without the load: read in batches on every core, each
/// batch made into lines there and written in project order to a temp file, renamed at the end.
fn export_spacy(_: &Setup) -> anyhow::Result<Row> {
    let path = corpus()?;
    let out = path.with_extension("spacy.jsonl");
    let mut bytes = 0;
    let samples = time_runs(3, || {
        let index = folder::open_index(&path)?;
        export_folder(&index, "bench", &spacy_request(out.clone()), &Progress::default())?;
        bytes = fs::metadata(&out)?.len();
        Ok(())
    })?;
    fs::remove_file(&out)?;
    let mut row = Row::timed("folder_export_spacy", "streams", &samples);
    row.note = format!("{:.0} MB of JSONL written", bytes as f64 / 1e6);
    Ok(row)
}

/// Peak resident memory (VmHWM) of a fresh process doing `what` on the folder.
fn memory(what: &str, target: &'static str) -> anyhow::Result<Row> {
    let path = corpus()?;
    let output = Command::new(std::env::current_exe()?).arg(CHILD).arg(what).arg(&path).output()?;
    if !output.status.success() {
        bail!("memory child failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let kb: f64 = String::from_utf8_lossy(&output.stdout).trim().parse().context("memory child output")?;
    let (case, note) = match what {
        "open" => ("folder_memory_open", "store::load of the whole folder (the window's open, before any frame)"),
        "stats" => ("folder_memory_stats", "open_index + folder_stats"),
        _ => ("folder_memory_spacy", "open_index + export_folder --format spacy"),
    };
    Ok(Row {
        case,
        median_ms: None,
        p95_ms: None,
        ratio: None,
        mb: Some(kb / 1024.0),
        target,
        note: format!("VmHWM of a child process: {note}; {} documents", docs()),
    })
}

/// The child side of [`memory`]: `args` are what to do and the folder; prints VmHWM in kB.
pub fn child(args: &[String]) -> anyhow::Result<()> {
    let (what, path) = match args {
        [what, path, ..] => (what.as_str(), Path::new(path)),
        _ => bail!("usage: {CHILD} open|stats|spacy <folder>"),
    };
    match what {
        "open" => drop(std::hint::black_box(store::load(path)?)),
        "stats" => drop(std::hint::black_box(folder_stats(&folder::open_index(path)?)?)),
        "spacy" => {
            let out = path.with_extension("memory.jsonl");
            export_folder(&folder::open_index(path)?, "bench", &spacy_request(out.clone()), &Progress::default())?;
            fs::remove_file(&out)?;
        }
        other => bail!("unknown memory child {other:?}"),
    }
    let status = fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).context("no VmHWM in /proc/self/status")?;
    println!("{}", line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim());
    Ok(())
}
