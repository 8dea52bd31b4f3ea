//! `factmark agree <project.ron | folder> [--annotators a,b] [--by-label] [--by-doc] [--json]`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::load;
use crate::analysis::agreement::{
    AgreementOptions, AgreementReport, Alpha, Figure, Kappa, PairAgreement, SpanScores, agreement,
};
use crate::session::job::Progress;
use crate::session::project_source::DocSource;
use crate::session::project_wide::source_agreement;
use crate::store;

/// Arguments of `factmark agree …`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The project (usually made by `factmark merge`).
    pub project: PathBuf,
    /// Annotators to compare, comma-separated (default: everyone with spans except `gold`).
    #[arg(long, value_delimiter = ',')]
    pub annotators: Option<Vec<String>>,
    /// Show every label's figures too (the JSON always has them).
    #[arg(long)]
    pub by_label: bool,
    /// Show each document's figures too.
    #[arg(long)]
    pub by_doc: bool,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs `factmark agree …`. A project folder is read a batch of documents at a time on every core, never
/// whole; the report is the same as for the project loaded whole.
pub fn agree(args: &AgreeArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let annotators = args
        .annotators
        .as_ref()
        .map(|list| list.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect());
    let options = AgreementOptions { annotators, by_doc: args.by_doc };
    let context = || args.project.display().to_string();
    let (report, name) = match store::folder::read_index(&args.project)? {
        Some(index) => {
            let source = DocSource::folder(index, None, Vec::new());
            let report = source_agreement(&source, &options, &Progress::default()).with_context(context)?;
            (report, source.header().name.clone())
        }
        None => {
            let project = load(&args.project)?;
            (agreement(&project, &options).with_context(context)?, project.name)
        }
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    let mut notes = Notes::default();
    print_header(&report, &name, out)?;
    for pair in &report.pairs {
        print_pair(pair, args.by_label, &mut notes, out)?;
    }
    print_alpha(&report, args.by_label, &mut notes, out)?;
    notes.print(out)
}

/// Reasons for undefined figures, printed once at the end so the tables stay narrow.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    /// The figure as a table cell; an undefined one becomes `—` and its reason goes into the notes.
    fn cell(&mut self, figure: &Figure, what: impl FnOnce() -> String) -> String {
        match figure {
            Figure::Value(v) => format!("{v:.3}"),
            Figure::Undefined(reason) => {
                let line = format!("{}: {reason}", what());
                if !self.0.contains(&line) {
                    self.0.push(line);
                }
                "—".to_string()
            }
        }
    }

    fn print(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        if !self.0.is_empty() {
            writeln!(out, "\nundefined (—):")?;
            for line in &self.0 {
                writeln!(out, "  {line}")?;
            }
        }
        Ok(())
    }
}

fn print_header(report: &AgreementReport, name: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "agreement in {name:?}: annotators {}; labels {}",
        report.annotators.join(", "),
        report.labels.join(", ")
    )?;
    writeln!(
        out,
        "a document counts for a pair when both have spans in it; a token's category is its set of labels (O: none)"
    )?;
    if report.spans_without_annotator > 0 {
        writeln!(out, "{} spans have no annotator and are not compared", report.spans_without_annotator)?;
    }
    Ok(())
}

fn span_row(
    out: &mut dyn Write,
    notes: &mut Notes,
    context: &str,
    mode: &str,
    label: &str,
    s: &SpanScores,
) -> anyhow::Result<()> {
    let what = |figure: &'static str| move || format!("{context}, {mode} {label}, {figure}");
    let p = notes.cell(&s.precision, what("precision"));
    let r = notes.cell(&s.recall, what("recall"));
    let f = notes.cell(&s.f1, what("F1"));
    writeln!(out, "  {mode:<8} {label:<16} {p:>7} {r:>7} {f:>7} {:>6} {:>6} {:>6}", s.tp, s.fp, s.fn_)?;
    Ok(())
}

fn kappa_row(out: &mut dyn Write, notes: &mut Notes, context: &str, label: &str, k: &Kappa) -> anyhow::Result<()> {
    let what = |figure: &'static str| move || format!("{context}, κ {label}, {figure}");
    let kappa = notes.cell(&k.kappa, what("κ"));
    let po = notes.cell(&k.observed, what("p_o"));
    let pe = notes.cell(&k.expected, what("p_e"));
    writeln!(out, "  {:<8} {label:<16} {kappa:>7} {po:>7} {pe:>7} {:>8} {:>8}", "κ", k.agreed, k.items)?;
    Ok(())
}

fn print_pair(pair: &PairAgreement, by_label: bool, notes: &mut Notes, out: &mut dyn Write) -> anyhow::Result<()> {
    let context = format!("{} × {}", pair.a, pair.b);
    writeln!(
        out,
        "\n{context}: {} documents annotated by both ({} only by {}, {} only by {}), {} tokens",
        pair.documents, pair.documents_only_a, pair.a, pair.documents_only_b, pair.b, pair.tokens
    )?;
    writeln!(
        out,
        "  {:<8} {:<16} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "spans", "label", "P", "R", "F1", "tp", "fp", "fn"
    )?;
    for (mode, all, labels) in
        [("exact", &pair.exact, &pair.exact_by_label), ("overlap", &pair.overlap, &pair.overlap_by_label)]
    {
        span_row(out, notes, &context, mode, "(all)", all)?;
        if by_label {
            for l in labels {
                span_row(out, notes, &context, mode, &l.label, &l.scores)?;
            }
        }
    }
    writeln!(
        out,
        "  {:<8} {:<16} {:>7} {:>7} {:>7} {:>8} {:>8}",
        "tokens", "label", "κ", "p_o", "p_e", "agreed", "tokens"
    )?;
    kappa_row(out, notes, &context, "(all)", &pair.kappa)?;
    if by_label {
        for l in &pair.kappa_by_label {
            kappa_row(out, notes, &context, &l.label, &l.kappa)?;
        }
    }
    if !pair.by_doc.is_empty() {
        let width = pair.by_doc.iter().map(|d| d.doc.chars().count()).max().unwrap_or(0).max(8);
        writeln!(out, "  {:<width$} {:>9} {:>10} {:>7} {:>7}", "document", "exact F1", "overlap F1", "κ", "tokens")?;
        for d in &pair.by_doc {
            let doc_context = format!("{context}, document {}", d.doc);
            let what = |figure: &'static str| {
                let doc_context = doc_context.clone();
                move || format!("{doc_context}, {figure}")
            };
            let exact = notes.cell(&d.exact.f1, what("exact F1"));
            let overlap = notes.cell(&d.overlap.f1, what("overlap F1"));
            let kappa = notes.cell(&d.kappa.kappa, what("κ"));
            writeln!(out, "  {:<width$} {exact:>9} {overlap:>10} {kappa:>7} {:>7}", d.doc, d.kappa.items)?;
        }
    }
    Ok(())
}

fn alpha_row(out: &mut dyn Write, notes: &mut Notes, label: &str, a: &Alpha) -> anyhow::Result<()> {
    let what = |figure: &'static str| move || format!("α {label}, {figure}");
    let alpha = notes.cell(&a.alpha, what("α"));
    let d_o = notes.cell(&a.observed_disagreement, what("D_o"));
    let d_e = notes.cell(&a.expected_disagreement, what("D_e"));
    writeln!(out, "  {label:<25} {alpha:>7} {d_o:>7} {d_e:>7} {:>8} {:>8}", a.units, a.values)?;
    Ok(())
}

fn print_alpha(report: &AgreementReport, by_label: bool, notes: &mut Notes, out: &mut dyn Write) -> anyhow::Result<()> {
    let alpha = &report.alpha;
    writeln!(
        out,
        "\nKrippendorff's α (nominal, per token), {} annotators, {} documents annotated by at least two",
        report.annotators.len(),
        alpha.documents
    )?;
    writeln!(out, "  {:<25} {:>7} {:>7} {:>7} {:>8} {:>8}", "label", "α", "D_o", "D_e", "tokens", "values")?;
    alpha_row(out, notes, "(all)", &alpha.overall)?;
    if by_label {
        for l in &alpha.by_label {
            alpha_row(out, notes, &l.label, &l.alpha)?;
        }
    }
    let u = &report.unitizing;
    writeln!(
        out,
        "\nKrippendorff's α_u (unitizing, per character), {} documents every annotator worked on, {} chars",
        u.documents, u.chars
    )?;
    writeln!(out, "  {:<25} {:>7} {:>9} {:>9} {:>8}", "label", "α_u", "D_o", "D_e", "units")?;
    let rows = std::iter::once(("(all)", &u.overall)).chain(u.by_label.iter().map(|l| (l.label.as_str(), &l.alpha)));
    for (label, a) in rows.take(if by_label { usize::MAX } else { 1 }) {
        let alpha = notes.cell(&a.alpha, || format!("α_u {label}"));
        writeln!(out, "  {label:<25} {alpha:>7} {:>9.5} {:>9.5} {:>8}", a.observed, a.expected, a.units)?;
    }
    Ok(())
}
