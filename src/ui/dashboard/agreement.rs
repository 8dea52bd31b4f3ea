//! The dashboard's agreement section: one figure per label as bars, the counts behind each, and the reason
//! wherever a figure is undefined.

use crate::analysis::agreement::{AgreementReport, Figure, PairAgreement, SpanScores};

/// Which agreement figure the chart shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FigureKind {
    /// Krippendorff's α on tokens, all annotators together.
    #[default]
    Alpha,
    /// Krippendorff's unitizing α on characters, all annotators together.
    AlphaUnitizing,
    /// Cohen's κ on tokens, one pair.
    Kappa,
    /// Span F1 with exact matches, one pair.
    F1Exact,
    /// Span F1 with overlap matches, one pair.
    F1Overlap,
}

impl FigureKind {
    /// Every figure, in menu order.
    pub const ALL: [FigureKind; 5] =
        [FigureKind::Alpha, FigureKind::AlphaUnitizing, FigureKind::Kappa, FigureKind::F1Exact, FigureKind::F1Overlap];

    /// Its name in the menu and the chart's title.
    pub fn name(self) -> &'static str {
        match self {
            FigureKind::Alpha => "Krippendorff's α (tokens, all annotators)",
            FigureKind::AlphaUnitizing => "Krippendorff's α_u (span boundaries on characters, all annotators)",
            FigureKind::Kappa => "Cohen's κ (tokens, pair)",
            FigureKind::F1Exact => "F1, exact span match (pair)",
            FigureKind::F1Overlap => "F1, overlapping span match (pair)",
        }
    }

    /// Whether it compares one pair of annotators.
    pub fn is_pair(self) -> bool {
        !matches!(self, FigureKind::Alpha | FigureKind::AlphaUnitizing)
    }
}

/// One label's figure with the counts behind it.
pub struct LabelFigure {
    /// The label.
    pub label: String,
    /// The figure.
    pub figure: Figure,
    /// The observed counts, in words.
    pub counts: String,
}

/// The overall figure and the per-label ones for `kind` (and `pair`, for pair figures).
pub fn figures(report: &AgreementReport, kind: FigureKind, pair: usize) -> Option<(LabelFigure, Vec<LabelFigure>)> {
    let span_counts = |p: &PairAgreement, s: &SpanScores| {
        format!("{} matched · {} {} · {} {} spans", s.tp, p.a, s.spans_a, p.b, s.spans_b)
    };
    let overall_name = "all labels".to_string();
    match kind {
        FigureKind::Alpha => {
            let alpha_counts =
                |a: &crate::analysis::agreement::Alpha| format!("{} tokens · {} values", a.units, a.values);
            let overall = &report.alpha.overall;
            let all = LabelFigure { label: overall_name, figure: overall.alpha.clone(), counts: alpha_counts(overall) };
            let by = report.alpha.by_label.iter().map(|l| LabelFigure {
                label: l.label.clone(),
                figure: l.alpha.alpha.clone(),
                counts: alpha_counts(&l.alpha),
            });
            Some((all, by.collect()))
        }
        FigureKind::AlphaUnitizing => {
            let u = &report.unitizing;
            let counts = |a: &crate::analysis::agreement::UnitizingAlpha| {
                format!("{} units · D_o {:.4} · D_e {:.4} · {} chars", a.units, a.observed, a.expected, u.chars)
            };
            let all = LabelFigure { label: overall_name, figure: u.overall.alpha.clone(), counts: counts(&u.overall) };
            let by = u.by_label.iter().map(|l| LabelFigure {
                label: l.label.clone(),
                figure: l.alpha.alpha.clone(),
                counts: counts(&l.alpha),
            });
            Some((all, by.collect()))
        }
        FigureKind::Kappa => {
            let p = report.pairs.get(pair)?;
            let kappa_counts =
                |k: &crate::analysis::agreement::Kappa| format!("{} of {} tokens agree", k.agreed, k.items);
            let all =
                LabelFigure { label: overall_name, figure: p.kappa.kappa.clone(), counts: kappa_counts(&p.kappa) };
            let by = p.kappa_by_label.iter().map(|l| LabelFigure {
                label: l.label.clone(),
                figure: l.kappa.kappa.clone(),
                counts: kappa_counts(&l.kappa),
            });
            Some((all, by.collect()))
        }
        FigureKind::F1Exact | FigureKind::F1Overlap => {
            let p = report.pairs.get(pair)?;
            let (all, by) = if kind == FigureKind::F1Exact {
                (&p.exact, &p.exact_by_label)
            } else {
                (&p.overlap, &p.overlap_by_label)
            };
            let all = LabelFigure { label: overall_name, figure: all.f1.clone(), counts: span_counts(p, all) };
            let by = by.iter().map(|l| LabelFigure {
                label: l.label.clone(),
                figure: l.scores.f1.clone(),
                counts: span_counts(p, &l.scores),
            });
            Some((all, by.collect()))
        }
    }
}
