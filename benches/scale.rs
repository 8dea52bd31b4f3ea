//! Scale benchmarks of the performance issue: `cargo bench --bench scale [-- --json]`.
//!
//! One run measures every case on deterministic synthetic data (`factmark::synth`) and prints a table, or
//! with `--json` one object per line: `{"case", "median_ms", "p95_ms", "ratio"}` (`"mb"` for memory).
//! Each case is one function below. Cases that cannot be measured yet print a row saying so, never a figure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use factmark::formats::{self, ExportOptions, Filter, Format};
use factmark::model::{CharIdx, Project};
use factmark::store;
use factmark::synth::{self, CorpusSpec};
use factmark::ui::bench::FrameBench;

#[path = "scale/export_build.rs"]
mod export_build;
#[path = "scale/folder.rs"]
mod folder;
#[path = "scale/learning.rs"]
mod learning;
#[path = "scale/window_folder.rs"]
mod window_folder;

/// The flag that makes this program the child process of the `peak_memory` case.
const MEMORY_CHILD: &str = "--peak-memory-child";

/// One line of the report.
struct Row {
    case: &'static str,
    median_ms: Option<f64>,
    p95_ms: Option<f64>,
    ratio: Option<f64>,
    mb: Option<f64>,
    target: &'static str,
    note: String,
}

impl Row {
    fn timed(case: &'static str, target: &'static str, samples: &[f64]) -> Row {
        let (median, p95) = stats(samples);
        Row { case, median_ms: Some(median), p95_ms: Some(p95), ratio: None, mb: None, target, note: String::new() }
    }
}

/// Median and 95th percentile (nearest rank) of timings in ms.
fn stats(samples: &[f64]) -> (f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted.get(((q * sorted.len() as f64).ceil() as usize).saturating_sub(1)).copied();
    (at(0.5).unwrap_or(f64::NAN), at(0.95).unwrap_or(f64::NAN))
}

/// Runs `f` `runs` times after one warm-up run, returning each run's time in ms.
fn time_runs(runs: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Vec<f64>> {
    f()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    Ok(samples)
}

/// What every case works on: the 1,000-article project, in memory and saved as RON in a temp folder.
struct Setup {
    project: Project,
    dir: tempfile::TempDir,
    path: PathBuf,
    ron: Vec<u8>,
    text_bytes: usize,
}

/// Where the bench writes its files: `SCALE_BENCH_DIR` if set (e.g. `/dev/shm`, a memory file system),
/// else cargo's scratch folder for benches in `target/`: on the project's disk, like a user's export, and
/// away from `/tmp`, where a test run creates and deletes thousands of files, which slows creating files
/// there for minutes on a journal-less ext4 (see BENCHMARKS.md).
fn scratch_root() -> anyhow::Result<PathBuf> {
    let root =
        std::env::var_os("SCALE_BENCH_DIR").map_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")), PathBuf::from);
    fs::create_dir_all(&root).with_context(|| root.display().to_string())?;
    Ok(root)
}

fn setup() -> anyhow::Result<Setup> {
    let project = synth::corpus(&CorpusSpec::scale());
    let dir = tempfile::tempdir_in(scratch_root()?)?;
    let path = dir.path().join("scale.ron");
    store::save(&project, &path)?;
    let ron = fs::read(&path)?;
    let text_bytes = project.documents.iter().map(|d| d.text.len()).sum();
    Ok(Setup { project, dir, path, ron, text_bytes })
}

/// The 1 MB article with 10,000 spans, and the same article with none, for the GUI cases.
fn big_articles() -> (Project, Project) {
    let with_spans = synth::big_article(1);
    let mut bare = with_spans.clone();
    for doc in &mut bare.documents {
        doc.spans.clear();
        doc.relations.clear();
    }
    (with_spans, bare)
}

/// A window that has drawn its first frames (so every later frame is a still frame).
fn warmed(project: Project) -> FrameBench {
    let mut bench = FrameBench::new(project);
    for _ in 0..3 {
        bench.frame();
    }
    bench
}

/// ms of `runs` frames.
fn frames(bench: &mut FrameBench, runs: usize, mut frame: impl FnMut(&mut FrameBench) -> Duration) -> Vec<f64> {
    (0..runs).map(|_| frame(bench).as_secs_f64() * 1e3).collect()
}

/// A whole still frame of the window (all panels, the document view on the 1 MB article): `run_ui` plus
/// `tessellate`, headless at 1280×800; ratio = with 10,000 spans / with none.
fn still_frame(_: &Setup) -> anyhow::Result<Row> {
    let (with_spans, bare) = big_articles();
    let spans = frames(&mut warmed(with_spans), 200, FrameBench::frame);
    let plain = frames(&mut warmed(bare), 200, FrameBench::frame);
    let mut row = Row::timed("still_frame", "≤ 0.5 ms, ≤ 1.5× no spans", &spans);
    let (plain_median, _) = stats(&plain);
    row.ratio = row.median_ms.map(|m| m / plain_median);
    row.note = format!("whole window, 1 MB article, 10,000 spans; same article without spans {plain_median:.3} ms");
    Ok(row)
}

/// Scrolling one page per frame down the article.
fn scroll(_: &Setup) -> anyhow::Result<Row> {
    let (with_spans, _) = big_articles();
    let mut bench = warmed(with_spans);
    let samples = frames(&mut bench, 300, FrameBench::scroll_page);
    let mut row = Row::timed("scroll", "≤ 3 ms/frame", &samples);
    row.note = format!("one page per frame, 300 pages; {} paragraphs laid out by the end", bench.laid_out_paragraphs());
    Ok(row)
}

/// Tagging a selection: the edit applied after a frame, plus the next frame drawing it.
fn add_span(_: &Setup) -> anyhow::Result<Row> {
    let (with_spans, _) = big_articles();
    let mut bench = warmed(with_spans);
    let len = bench.app().project().documents.first().map_or(0, |d| d.char_len());
    let mut at = 0;
    let samples = frames(&mut bench, 200, |b| {
        // Spans in the visible first part of the article, on fresh ranges each time.
        at = (at + 37) % len.clamp(1, 4000);
        b.add_span(CharIdx(at)..CharIdx(at + 5))
    });
    let mut row = Row::timed("add_span", "≤ 1 ms", &samples);
    row.note = "edit applied after a frame + the next frame (two frames' work in all)".into();
    Ok(row)
}

/// The first frame after opening the article (what is visible is laid out; the rest waits).
fn first_frame(_: &Setup) -> anyhow::Result<Row> {
    let samples: Vec<f64> = (0..10)
        .map(|_| {
            let (with_spans, _) = big_articles();
            let mut bench = FrameBench::new(with_spans);
            bench.frame().as_secs_f64() * 1e3
        })
        .collect();
    let mut row = Row::timed("first_frame", "≤ 50 ms", &samples);
    row.note = "a fresh window (and egui context) showing the 1 MB article".into();
    Ok(row)
}

/// `store::load` of the RON file (read, parse, span-text check, invariants), against serde_json parsing the
/// same data as JSON into the file's own derive-based shape (no checks) — `ratio` = RON load / JSON parse.
fn open_project(setup: &Setup) -> anyhow::Result<Row> {
    let json = serde_json::to_string(&store::to_file(&setup.project))?;
    let ron_samples = time_runs(15, || {
        let loaded = store::load(&setup.path)?;
        if loaded.documents.len() != setup.project.documents.len() {
            bail!("loaded the wrong project");
        }
        Ok(())
    })?;
    let json_samples = time_runs(15, || {
        let parsed: store::ProjectFile = serde_json::from_str(&json)?;
        std::hint::black_box(parsed);
        Ok(())
    })?;
    let mut row = Row::timed("open_project", "≤ 120 ms, ≤ 3× JSON", &ron_samples);
    let (json_median, _) = stats(&json_samples);
    row.ratio = row.median_ms.map(|m| m / json_median);
    row.note = format!(
        "{:.1} MB RON; serde_json parse of the same data ({:.1} MB) {json_median:.1} ms",
        setup.ron.len() as f64 / 1e6,
        json.len() as f64 / 1e6
    );
    Ok(row)
}

/// `store::save`: serialise, write a temp file, fsync, keep the previous version as `.bak`, rename, fsync
/// the folder.
fn save_project(setup: &Setup) -> anyhow::Result<Row> {
    let path = setup.dir.path().join("save.ron");
    let samples = time_runs(10, || Ok(store::save(&setup.project, &path)?))?;
    Ok(Row::timed("save_project", "≤ 150 ms", &samples))
}

/// `factmark export --format all` without the load: select, build every format in memory, write the files
/// as one batch (`store::write_batch`, as the command does) into a new temp folder.
/// Timed runs of `export_all`, after one warm-up run: each writes 173 MB, flushed to disk between runs.
const TIMED_EXPORTS: usize = 5;

fn export_all(setup: &Setup) -> anyhow::Result<Row> {
    let written = std::cell::Cell::new((0, 0u64));
    let mut built_ms = Vec::new();
    let mut export_to = |out_dir: &Path| -> anyhow::Result<()> {
        // What `factmark export --format all` does after loading: select, build every format (shared
        // tokens, all cores), each writing its temp files as it goes, then rename them all.
        let start = Instant::now();
        let (docs, _) = formats::select(&setup.project, &Filter::default())?;
        let batch = store::Batch::new();
        let exports = formats::export_many_to(
            &setup.project.schema,
            &docs,
            &Format::ALL,
            &ExportOptions::default(),
            out_dir,
            &batch,
        )?;
        built_ms.push(start.elapsed().as_secs_f64() * 1e3);
        batch.commit()?;
        let files = exports.iter().flat_map(|(_, e)| &e.files);
        written.set((files.clone().count(), files.map(|f| f.len).sum::<u64>()));
        Ok(())
    };
    // Between timed runs (untimed): push the last run's 229 MB to disk, so a run is not slowed down by
    // the kernel still flushing the one before it (a user exports once, not four times in a row).
    let flush = |out_dir: &Path| -> anyhow::Result<()> {
        for entry in walk(out_dir)? {
            fs::File::open(&entry)?.sync_all()?;
        }
        Ok(())
    };
    // Each run exports to a new folder, as `--out dataset-v2/` does; replacing the files of an earlier
    // export is timed once on its own, because on this machine's ext4 (mounted with `discard`) freeing the
    // replaced files costs more than writing them.
    let mut samples = Vec::new();
    let mut create_ms = 0.0;
    for run in 0..=TIMED_EXPORTS {
        let out_dir = setup.dir.path().join(format!("export-{run}"));
        let start = Instant::now();
        export_to(&out_dir)?;
        // The first run warms up (allocator, page cache of the program itself) and is not counted.
        if run > 0 {
            samples.push(start.elapsed().as_secs_f64() * 1e3);
        }
        flush(&out_dir)?;
        if run == 0 {
            // The file system's own cost, in the state the timed runs meet: creating as many empty files.
            // When that is slow (recent mass deletions nearby), wait a little for it to pass.
            let started = Instant::now();
            for attempt in 0.. {
                let dir = setup.dir.path().join(format!("calibration-{attempt}"));
                create_ms = create_empty_files(&dir, written.get().0)?;
                if create_ms <= SLOW_FILE_CREATION_MS || started.elapsed() >= SETTLE_WAIT {
                    break;
                }
                if attempt == 0 {
                    eprintln!(
                        "export_all: creating files is slow here right now ({create_ms:.0} ms for {}); waiting up to {} s for it to pass",
                        written.get().0,
                        SETTLE_WAIT.as_secs()
                    );
                }
                std::thread::sleep(Duration::from_secs(10));
            }
        }
    }
    let start = Instant::now();
    export_to(&setup.dir.path().join("export-1"))?;
    let replace_ms = start.elapsed().as_secs_f64() * 1e3;
    let written = written.get();
    let mut row = Row::timed("export_all", "≤ 300 ms", &samples);
    row.note = format!(
        "{} formats built on all cores, each writing its files as it goes ({:.0} ms), then renamed into place ({} files, {:.0} MB) in a new folder; \
         over an earlier export {replace_ms:.0} ms; the file system alone: creating {} empty files there took \
         {create_ms:.0} ms (export_parts: where the building time goes)",
        Format::ALL.len(),
        stats(built_ms.get(1..=TIMED_EXPORTS).unwrap_or_default()).0,
        written.0,
        written.1 as f64 / 1e6,
        written.0,
    );
    if create_ms > SLOW_FILE_CREATION_MS {
        row.note.push_str(
            "; WARNING: creating files is slow here right now (this happens on an ext4 without a journal for \
             up to six minutes after many files were deleted near this folder, e.g. by an earlier run of this bench): \
             wait and run again",
        );
    }
    Ok(row)
}

/// Peak resident memory (VmHWM) of a fresh child process that opens the project: the executable, the
/// loaded project, the loader's transient buffers, and the app's state after a few frames.
fn peak_memory(setup: &Setup) -> anyhow::Result<Row> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe).arg(MEMORY_CHILD).arg(&setup.path).output()?;
    if !output.status.success() {
        bail!("memory child failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let kb: f64 = String::from_utf8_lossy(&output.stdout).trim().parse().context("memory child output")?;
    let mb = kb / 1024.0;
    let limit = 4.0 * setup.text_bytes as f64 / (1024.0 * 1024.0) + 80.0;
    let note =
        format!("VmHWM of a child process: store::load, then the app on it (5 headless frames); limit {limit:.0} MB");
    Ok(Row {
        case: "peak_memory",
        median_ms: None,
        p95_ms: None,
        ratio: None,
        mb: Some(mb),
        target: "≤ 4× text + 80 MB",
        note,
    })
}

/// The child side of [`peak_memory`]: load, then print VmHWM in kB.
fn memory_child(path: &Path) -> anyhow::Result<()> {
    let project = store::load(path)?;
    // The project open in the app: workspace, history, document view, panels, a few frames drawn.
    let mut window = FrameBench::new(project);
    for _ in 0..5 {
        window.frame();
    }
    let status = fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).context("no VmHWM in /proc/self/status")?;
    let kb = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim();
    println!("{kb}");
    std::hint::black_box(window);
    Ok(())
}

/// Agreement (span F1, Cohen's kappa, Krippendorff's alpha) over the whole 1,000-article project.
fn agreement(setup: &Setup) -> anyhow::Result<Row> {
    let options = factmark::analysis::agreement::AgreementOptions::default();
    let samples = time_runs(3, || {
        std::hint::black_box(factmark::analysis::agreement::agreement(&setup.project, &options)?);
        Ok(())
    })?;
    let mut row = Row::timed("agreement", "≤ 1 s", &samples);
    row.note = "every annotator pair, every label, the whole project".into();
    Ok(row)
}

/// Suggestions (built-in cues) for the 1 MB article.
fn suggestions(_: &Setup) -> anyhow::Result<Row> {
    let project = synth::big_article(1);
    let doc = project.documents.first().context("no article")?;
    let options = factmark::analysis::suggest::SuggestOptions::default();
    let (suggester, _) = factmark::analysis::suggest::Suggester::new(&project.schema, &project.rules, &options)?;
    let samples = time_runs(5, || {
        std::hint::black_box(suggester.suggest(doc));
        Ok(())
    })?;
    let mut row = Row::timed("suggestions", "≤ 500 ms", &samples);
    row.note = format!("built-in cues over one article of {:.1} MB", doc.text.len() as f64 / 1e6);
    Ok(row)
}

/// Generating the corpus itself, for reference (not a target of the issue).
fn gen_corpus(_: &Setup) -> anyhow::Result<Row> {
    let samples = time_runs(3, || {
        std::hint::black_box(synth::corpus(&CorpusSpec::scale()));
        Ok(())
    })?;
    let mut row = Row::timed("gen_corpus", "—", &samples);
    row.note = "synth::corpus(CorpusSpec::scale())".into();
    Ok(row)
}

type Case = fn(&Setup) -> anyhow::Result<Row>;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == MEMORY_CHILD) {
        let path = args.get(at + 1).context("missing project path")?;
        return memory_child(Path::new(path));
    }
    if let Some(at) = args.iter().position(|a| a == folder::CHILD) {
        return folder::child(args.get(at + 1..).unwrap_or_default());
    }
    if let Some(at) = args.iter().position(|a| a == window_folder::CHILD) {
        return window_folder::child(args.get(at + 1..).unwrap_or_default());
    }
    let json = args.iter().any(|a| a == "--json");
    // `cargo bench` has usually just written the release build: on two cores, the kernel writing those
    // hundreds of megabytes back to disk during the cases took CPU from them (export_build 179 against
    // 158 ms, export_all 278 against 212 ms). Flushing first measures factmark, not the build's tail. Best
    // effort: without a `sync` command the cases run anyway.
    let _ignored = Command::new("sync").status();
    let setup = setup()?;
    if !json {
        let relations: usize = setup.project.documents.iter().map(|d| d.relations.len()).sum();
        println!(
            "project: {} documents, {:.1} MB text, {} spans, {} relations; RON file {:.1} MB\n",
            setup.project.documents.len(),
            setup.text_bytes as f64 / 1e6,
            setup.project.span_count(),
            relations,
            setup.ron.len() as f64 / 1e6
        );
        println!("{:<14} {:>10} {:>10} {:>7}  {:<26} note", "case", "median", "p95", "ratio", "target");
    }
    let cases: [Case; 16] = [
        still_frame,
        scroll,
        add_span,
        first_frame,
        open_project,
        save_project,
        export_all,
        peak_memory,
        agreement,
        suggestions,
        gen_corpus,
        export_build::export_parts,
        export_build::export_build,
        learning::learn_all,
        learning::learned_suggestions,
        learning::frame_while_learning,
    ];
    let names: [&str; 16] = [
        "still_frame",
        "scroll",
        "add_span",
        "first_frame",
        "open_project",
        "save_project",
        "export_all",
        "peak_memory",
        "agreement",
        "suggestions",
        "gen_corpus",
        "export_parts",
        "export_build",
        "learn",
        "learned_suggest",
        "frame_learning",
    ];
    // Case names on the command line run just those (for profiling one case).
    let known =
        |a: &str| names.contains(&a) || folder::CASES.iter().chain(&window_folder::CASES).any(|(name, _)| *name == a);
    let chosen: Vec<&str> = args.iter().map(String::as_str).filter(|a| known(a)).collect();
    for (name, case) in names.into_iter().zip(cases).chain(folder::CASES).chain(window_folder::CASES) {
        if !chosen.is_empty() && !chosen.contains(&name) {
            continue;
        }
        let row = case(&setup)?;
        if json {
            println!("{}", json_line(&row));
        } else {
            println!("{}", table_line(&row));
        }
    }
    Ok(())
}

fn json_line(row: &Row) -> serde_json::Value {
    let round = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
    let mut value = serde_json::json!({ "case": row.case });
    if row.mb.is_some() {
        value["mb"] = serde_json::json!(round(row.mb));
    } else {
        value["median_ms"] = serde_json::json!(round(row.median_ms));
        value["p95_ms"] = serde_json::json!(round(row.p95_ms));
    }
    value["ratio"] = serde_json::json!(round(row.ratio));
    if !row.note.is_empty() {
        value["note"] = serde_json::json!(row.note);
    }
    value
}

fn table_line(row: &Row) -> String {
    let (median, p95) = match (row.mb, row.median_ms, row.p95_ms) {
        (Some(mb), _, _) => (format!("{mb:.1} MB"), String::new()),
        (None, Some(m), Some(p)) => (format!("{m:.2} ms"), format!("{p:.2} ms")),
        _ => ("—".to_string(), "—".to_string()),
    };
    let ratio = row.ratio.map_or(String::new(), |r| format!("{r:.2}×"));
    format!("{:<14} {median:>10} {p95:>10} {ratio:>7}  {:<26} {}", row.case, row.target, row.note)
}

/// Above this, `export_all` warns that the file system itself is slow at the moment: 2,010 empty files
/// take 30-50 ms here when it is quiet, and over a second in the state the warning describes.
const SLOW_FILE_CREATION_MS: f64 = 150.0;

/// How long `export_all` waits for slow file creation to pass before measuring anyway (with a warning):
/// it lasts one to six minutes after deletions, and the whole bench should stay under two.
const SETTLE_WAIT: Duration = Duration::from_secs(60);

/// Milliseconds to create `count` empty files in a new folder `dir`: what the file system itself charges
/// for the files of an export, whoever writes them. On a journal-less ext4 like this machine's, creating a
/// file scans for an inode not deleted in the last minutes, so this figure swings with recent deletions.
fn create_empty_files(dir: &Path, count: usize) -> anyhow::Result<f64> {
    fs::create_dir_all(dir)?;
    let start = Instant::now();
    for i in 0..count {
        fs::File::create(dir.join(format!("{i}.txt")))?;
    }
    Ok(start.elapsed().as_secs_f64() * 1e3)
}

/// Every file under `dir`, for flushing an export to disk between timed runs.
fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}
