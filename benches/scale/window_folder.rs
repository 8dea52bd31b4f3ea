//! The window on a large project folder (issue 20): the time from starting to open it to the end of the
//! first frame, and the peak memory while browsing it, each in a fresh process so nothing is warm in the
//! heap (the page cache is: the folder was just written or read).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use factmark::ui::bench::FrameBench;

use super::{Case, Row, stats};

/// The flag that makes this program a child process measuring the window on a folder.
pub const CHILD: &str = "--window-folder-child";

/// This file's cases, by the name that selects them.
pub const CASES: [(&str, Case); 2] =
    [("folder_first_frame", |_| first_frame()), ("folder_browse_memory", |_| browse())];

/// Documents shown one after another by the browsing case, spread over the whole project.
const SHOWN: usize = 300;

fn run_child(what: &str) -> anyhow::Result<(f64, f64)> {
    let path = super::folder::corpus()?;
    let output = Command::new(std::env::current_exe()?).arg(CHILD).arg(what).arg(&path).output()?;
    if !output.status.success() {
        bail!("window child failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut figures = text.split_whitespace().map(str::parse::<f64>);
    let ms = figures.next().context("no time from the child")??;
    let kb = figures.next().context("no memory from the child")??;
    Ok((ms, kb))
}

/// Opening the folder the way the window does and drawing the first frame, in a fresh process, 3 times.
fn first_frame() -> anyhow::Result<Row> {
    let mut samples = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..3 {
        let (ms, kb) = run_child("first")?;
        samples.push(ms);
        peak = peak.max(kb);
    }
    let (median, p95) = stats(&samples);
    Ok(Row {
        case: "folder_first_frame",
        median_ms: Some(median),
        p95_ms: Some(p95),
        ratio: None,
        // The table shows a memory figure in place of the times: the peak goes in the note.
        mb: None,
        target: "≤ 1 s (100k)",
        note: format!(
            "FactmarkApp::from_path + one 1280×800 frame in a fresh process (peak {:.0} MB); {} documents",
            peak / 1024.0,
            super::folder::docs()
        ),
    })
}

/// The peak memory of a window that opened the folder and showed [`SHOWN`] documents spread over it.
fn browse() -> anyhow::Result<Row> {
    let (ms, kb) = run_child("browse")?;
    Ok(Row {
        case: "folder_browse_memory",
        median_ms: None,
        p95_ms: None,
        ratio: None,
        mb: Some(kb / 1024.0),
        target: "≤ 400 MB (100k)",
        note: format!(
            "VmHWM after opening and showing {SHOWN} documents spread over {} (a frame and a page scroll each, {ms:.0} ms in all)",
            super::folder::docs()
        ),
    })
}

/// The child side: `args` are what to do and the folder; prints the time in ms and VmHWM in kB.
pub fn child(args: &[String]) -> anyhow::Result<()> {
    let (what, path) = match args {
        [what, path, ..] => (what.as_str(), Path::new(path)),
        _ => bail!("usage: {CHILD} first|browse <folder>"),
    };
    let started = Instant::now();
    let mut bench = FrameBench::open(path);
    bench.frame();
    let count = bench.app().workspace().session.project().documents.len();
    if !bench.app().workspace().message.starts_with("Opened") {
        bail!("the window did not open {}: {}", path.display(), bench.app().workspace().message);
    }
    match what {
        "first" => {}
        "browse" => {
            for k in 0..SHOWN {
                bench.show_document(k * count / SHOWN);
                bench.frame();
                bench.scroll_page();
            }
        }
        other => bail!("unknown window child {other:?}"),
    }
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).context("no VmHWM in /proc/self/status")?;
    println!("{ms:.1} {}", line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim());
    Ok(())
}
