//! Where the export's time goes without the file system: each format on one thread with the shared work
//! done first (`export_parts`), and every format on all cores into a destination that discards the bytes
//! (`export_build`).

use std::path::Path;
use std::time::Instant;

use factmark::formats::{self, ExportOptions, Filter, Format};

use super::{Row, Setup, stats, time_runs};

/// A destination that throws the bytes away: `export_parts` times making the files, not storing them.
struct Discard;

impl formats::Destination for Discard {
    fn open(&self, _path: &Path) -> std::io::Result<Option<Box<dyn std::io::Write + Send>>> {
        Ok(Some(Box::new(std::io::sink())))
    }
}

/// Where `export_all`'s building time goes, on one thread: tokenizing and sentence splitting (shared by the
/// token-based formats), then each format with those already made, written as it is made (as the command
/// does) to a destination that discards it, and the bytes each one writes.
pub fn export_parts(setup: &Setup) -> anyhow::Result<Row> {
    let (docs, _) = formats::select(&setup.project, &Filter::default())?;
    let mut parts = Vec::new();
    let start = Instant::now();
    for d in &docs {
        std::hint::black_box(d.tokens());
    }
    parts.push(format!("tokens {:.0} ms", start.elapsed().as_secs_f64() * 1e3));
    let start = Instant::now();
    for d in &docs {
        std::hint::black_box(d.sentences());
    }
    parts.push(format!("sentences {:.0} ms", start.elapsed().as_secs_f64() * 1e3));
    let out_dir = setup.dir.path().join("export-parts");
    let mut total = Vec::new();
    for format in Format::ALL {
        let mut samples = Vec::new();
        let mut bytes = 0;
        for _ in 0..7 {
            let start = Instant::now();
            let export = formats::export_to(
                &setup.project.schema,
                &docs,
                format,
                &ExportOptions::default(),
                &out_dir,
                &Discard,
            )?;
            samples.push(start.elapsed().as_secs_f64() * 1e3);
            bytes = export.files.iter().map(|f| f.len).sum::<u64>();
        }
        let ms = stats(&samples).0;
        total.push(ms);
        parts.push(format!("{format} {ms:.0} ms {:.1} MB", bytes as f64 / 1e6));
    }
    let mut row = Row::timed("export_parts", "—", &[total.iter().sum()]);
    row.note = format!("one thread, formats with tokens made: {}", parts.join(", "));
    Ok(row)
}

/// `export_all` without the file system: every format built on all cores from fresh documents (tokens
/// included), written to a destination that discards the bytes. The difference to `export_all` is what
/// storing the files costs.
pub fn export_build(setup: &Setup) -> anyhow::Result<Row> {
    let out_dir = setup.dir.path().join("export-build");
    let samples = time_runs(5, || {
        let (docs, _) = formats::select(&setup.project, &Filter::default())?;
        formats::export_many_to(
            &setup.project.schema,
            &docs,
            &Format::ALL,
            &ExportOptions::default(),
            &out_dir,
            &Discard,
        )?;
        Ok(())
    })?;
    let mut row = Row::timed("export_build", "—", &samples);
    row.note = "export_all's work on all cores with the bytes thrown away instead of stored".into();
    Ok(row)
}
