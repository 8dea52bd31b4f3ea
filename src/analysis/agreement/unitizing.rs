//! Krippendorff's unitizing α (α_u; Krippendorff 1995, "On the reliability of unitizing contiguous data",
//! and 2004): agreement on where units begin and end, measured on a continuum (here, characters) rather
//! than on tokens, per label. Every coder divides the whole continuum into units of the label and the gaps
//! between them; the disagreement between two coders is the squared distance between the ends of units
//! that overlap, plus the squared length of a unit that lies in the other coder's gap. The expected
//! disagreement is the same over every way the coders' units and gaps could have been placed.
//!
//! α_u = 1 − D_o / D_e. It is 1 when the coders place every unit exactly alike, about 0 when their units are
//! as far apart as chance makes them, and negative when they disagree more than chance.

use std::ops::Range;

use serde::Serialize;

use super::Figure;

/// One coder's unit on the continuum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedUnit {
    /// Which coder (0-based).
    pub coder: usize,
    /// Where it lies.
    pub range: Range<u64>,
}

/// α_u of one label, with the disagreements behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitizingAlpha {
    /// Observed disagreement D_o.
    pub observed: f64,
    /// Expected disagreement D_e.
    pub expected: f64,
    /// 1 − D_o / D_e; undefined when nothing can be expected to differ (no units at all, or units
    /// covering everything, or fewer than two coders).
    pub alpha: Figure,
    /// Units of the label, all coders together.
    pub units: usize,
}

/// A stretch of one coder's continuum: a unit of the label, or a gap between units.
#[derive(Clone, Copy, Debug)]
struct Section {
    start: u64,
    len: u64,
    unit: bool,
}

/// One coder's units (overlapping ones merged: α_u needs a partition of the continuum), with the gaps.
fn sections(length: u64, mut units: Vec<Range<u64>>) -> Vec<Section> {
    units.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<u64>> = Vec::with_capacity(units.len());
    for unit in units.into_iter().filter(|r| r.start < r.end && r.end <= length) {
        match merged.last_mut() {
            // Overlapping, not merely adjacent: adjacent units stay two units, as the coder marked them.
            Some(last) if unit.start < last.end => last.end = last.end.max(unit.end),
            _ => merged.push(unit),
        }
    }
    let mut out = Vec::with_capacity(merged.len() * 2 + 1);
    let mut at = 0;
    for unit in merged {
        if unit.start > at {
            out.push(Section { start: at, len: unit.start - at, unit: false });
        }
        out.push(Section { start: unit.start, len: unit.end - unit.start, unit: true });
        at = unit.end;
    }
    if at < length {
        out.push(Section { start: at, len: length - at, unit: false });
    }
    out
}

/// The squared distance between two sections that share part of the continuum.
fn distance(a: Section, b: Section) -> f64 {
    let (a0, b0) = (a.start as f64, b.start as f64);
    let (a1, b1) = (a0 + a.len as f64, b0 + b.len as f64);
    match (a.unit, b.unit) {
        (true, true) => (a0 - b0).powi(2) + (a1 - b1).powi(2),
        // A unit counts in full when the other coder's gap holds all of it.
        (true, false) if b0 <= a0 && a1 <= b1 => (a.len as f64).powi(2),
        (false, true) if a0 <= b0 && b1 <= a1 => (b.len as f64).powi(2),
        _ => 0.0,
    }
}

/// The summed distances between every overlapping pair of sections of two coders.
fn pair_disagreement(x: &[Section], y: &[Section]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < x.len() && j < y.len() {
        let (a, b) = (x[i], y[j]);
        sum += distance(a, b);
        // Step past whichever ends first; both when they end together.
        let (a_end, b_end) = (a.start + a.len, b.start + b.len);
        if a_end <= b_end {
            i += 1;
        }
        if b_end <= a_end {
            j += 1;
        }
    }
    sum
}

/// α_u of one label over a continuum of `length` characters unitized by `coders` coders.
pub fn unitizing_alpha(length: u64, coders: usize, units: &[CodedUnit]) -> UnitizingAlpha {
    if coders < 2 || length == 0 {
        // Nothing to compare: no pair of coders, or no continuum.
        let why = "α_u needs two coders and a continuum of at least one character".to_string();
        return UnitizingAlpha { observed: 0.0, expected: 0.0, alpha: Figure::Undefined(why), units: units.len() };
    }
    let per_coder: Vec<Vec<Section>> = (0..coders)
        .map(|c| sections(length, units.iter().filter(|u| u.coder == c).map(|u| u.range.clone()).collect()))
        .collect();
    let (m, l) = (coders as f64, length as f64);
    let mut observed = 0.0;
    for i in 0..coders {
        for j in 0..coders {
            if i != j {
                observed += pair_disagreement(&per_coder[i], &per_coder[j]);
            }
        }
    }
    observed /= m * (m - 1.0) * l * l;

    let unit_lens: Vec<f64> = per_coder.iter().flatten().filter(|s| s.unit).map(|s| s.len as f64).collect();
    // Gap lengths longest first, with running sums, so "every gap at least as long as this unit" is a
    // binary search rather than a walk over all gaps for every unit.
    let mut gaps: Vec<f64> = per_coder.iter().flatten().filter(|s| !s.unit).map(|s| s.len as f64).collect();
    gaps.sort_by(|a, b| b.total_cmp(a));
    let mut running = Vec::with_capacity(gaps.len() + 1);
    running.push(0.0);
    for g in &gaps {
        running.push(running.last().copied().unwrap_or(0.0) + g);
    }
    let n = unit_lens.len() as f64;
    let mut sum = 0.0;
    for &u in &unit_lens {
        // The unit placed anywhere in a gap at least as long: g − u + 1 places in each.
        let fitting = gaps.partition_point(|&g| g >= u);
        let places = running[fitting] - (u - 1.0) * fitting as f64;
        sum += (n - 1.0) * (2.0 * u.powi(3) - 3.0 * u.powi(2) + u) / 3.0 + u * u * places;
    }
    let pairs_of_positions = m * l * (m * l - 1.0) - unit_lens.iter().map(|u| u * (u - 1.0)).sum::<f64>();
    let expected = if pairs_of_positions > 0.0 { 2.0 / l * sum / pairs_of_positions } else { 0.0 };
    UnitizingAlpha { observed, expected, alpha: alpha_of(observed, expected), units: unit_lens.len() }
}

/// 1 − D_o / D_e, or undefined (with the reason) when no disagreement can be expected.
pub fn alpha_of(observed: f64, expected: f64) -> Figure {
    if expected > 0.0 {
        Figure::Value(1.0 - observed / expected)
    } else {
        Figure::Undefined("no units, or units everywhere: nothing could differ by chance".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(list: &[(usize, u64, u64)], stretch: u64) -> Vec<CodedUnit> {
        list.iter()
            .map(|&(coder, start, len)| CodedUnit { coder, range: start * stretch..(start + len) * stretch })
            .collect()
    }

    // Krippendorff's (1995, p. 57) worked example: two coders unitize a continuum of 24 into four
    // categories; (coder, start, length) of each unit.
    const A: &[(usize, u64, u64)] = &[(0, 2, 8), (0, 14, 6), (1, 4, 4), (1, 15, 2)];
    const B: &[(usize, u64, u64)] =
        &[(0, 0, 18), (1, 0, 2), (1, 2, 1), (1, 3, 1), (1, 4, 1), (1, 5, 1), (1, 6, 3), (1, 9, 1)];
    const C: &[(usize, u64, u64)] =
        &[(0, 2, 6), (0, 10, 2), (0, 14, 4), (0, 20, 2), (1, 0, 2), (1, 4, 4), (1, 10, 4), (1, 16, 2), (1, 20, 2)];
    const D: &[(usize, u64, u64)] = &[
        (0, 0, 2),
        (0, 2, 8),
        (0, 10, 4),
        (0, 14, 6),
        (0, 20, 4),
        (1, 0, 4),
        (1, 4, 4),
        (1, 8, 7),
        (1, 15, 2),
        (1, 17, 7),
    ];

    #[test]
    fn observed_disagreement_matches_krippendorffs_worked_example() {
        // D_o as the 1995 paper gives it for the four categories.
        for (category, d_o) in [(A, 0.03125), (B, 2.26736), (C, 0.02777), (D, 0.38715)] {
            let got = unitizing_alpha(24, 2, &units(category, 1)).observed;
            assert!((got - d_o).abs() < 1e-5, "D_o {got} instead of {d_o}");
        }
    }

    #[test]
    fn alpha_matches_the_worked_example_on_a_fine_grained_continuum() {
        // The paper's D_e and α treat the continuum as continuous; stretching the example 50,000 times
        // (1.2 million positions) comes as close to that as the paper's rounding.
        let stretch = 50_000;
        for (category, d_e, alpha) in
            [(A, 0.06990, 0.553), (B, 1.17731, -0.926), (C, 0.08642, 0.679), (D, 0.41445, 0.066)]
        {
            let got = unitizing_alpha(24 * stretch, 2, &units(category, stretch));
            assert!((got.expected - d_e).abs() < 0.005, "D_e {} instead of {d_e}", got.expected);
            let a = got.alpha.value().unwrap_or(f64::NAN);
            assert!((a - alpha).abs() < 0.02, "α_u {a} instead of {alpha}");
        }
    }

    #[test]
    fn identical_unitizing_is_perfect_and_no_units_leave_alpha_undefined() {
        let same = [CodedUnit { coder: 0, range: 3..9 }, CodedUnit { coder: 1, range: 3..9 }];
        let result = unitizing_alpha(40, 2, &same);
        assert_eq!(result.observed, 0.0);
        assert_eq!(result.alpha, Figure::Value(1.0));
        assert!(unitizing_alpha(40, 2, &[]).alpha.reason().is_some());
    }
}
