//! Cohen's κ (Cohen 1960) for two annotators who each put every item into one nominal category.
//!
//! κ = (p_o − p_e) / (1 − p_e), where p_o is the share of items both put in the same category and
//! p_e = Σ_c (a_c / n)(b_c / n) is the agreement expected if each annotator kept their own category
//! frequencies but chose independently.

use std::collections::BTreeMap;

use serde::Serialize;

use super::figure::Figure;

/// One cell of the contingency table: how many items annotator A put in `a` and annotator B in `b`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KappaCell {
    /// A's category.
    pub a: String,
    /// B's category.
    pub b: String,
    /// Items with that pair of categories.
    pub count: usize,
}

/// Cohen's κ with the counts it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kappa {
    /// Items (tokens) compared.
    pub items: usize,
    /// Items both annotators put in the same category.
    pub agreed: usize,
    /// Observed agreement p_o = agreed / items.
    pub observed: Figure,
    /// Chance agreement p_e from the two annotators' category frequencies.
    pub expected: Figure,
    /// κ = (p_o − p_e) / (1 − p_e).
    pub kappa: Figure,
    /// The non-empty cells of the contingency table, sorted by category names.
    pub table: Vec<KappaCell>,
}

/// Cohen's κ from contingency counts: `(A's category, B's category, items)`. Repeated pairs are added up.
///
/// Undefined when there are no items, or when p_e = 1 (both annotators used one and the same category for
/// every item, so agreement cannot be told apart from chance). p_e = 1 is decided on integer counts, so a
/// rounding error cannot turn it into a huge or infinite κ.
pub fn cohen_kappa(cells: impl IntoIterator<Item = (String, String, usize)>) -> Kappa {
    let mut table: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (a, b, count) in cells {
        if count > 0 {
            *table.entry((a, b)).or_default() += count;
        }
    }
    let mut row: BTreeMap<&str, u128> = BTreeMap::new();
    let mut column: BTreeMap<&str, u128> = BTreeMap::new();
    let (mut items, mut agreed) = (0usize, 0usize);
    for ((a, b), &count) in &table {
        items += count;
        if a == b {
            agreed += count;
        }
        *row.entry(a).or_default() += count as u128;
        *column.entry(b).or_default() += count as u128;
    }
    // Σ_c a_c·b_c over n² is p_e; kept as integers so that p_e = 1 is detected exactly.
    let expected_pairs: u128 = row.iter().map(|(c, a)| a * column.get(c).copied().unwrap_or(0)).sum();
    let all_pairs = (items as u128) * (items as u128);
    let cells = table.iter().map(|((a, b), &count)| KappaCell { a: a.clone(), b: b.clone(), count }).collect();
    if items == 0 {
        let reason = "no items to compare".to_string();
        return Kappa {
            items,
            agreed,
            observed: Figure::Undefined(reason.clone()),
            expected: Figure::Undefined(reason.clone()),
            kappa: Figure::Undefined(reason),
            table: cells,
        };
    }
    let n = items as f64;
    let observed = agreed as f64 / n;
    let expected = expected_pairs as f64 / all_pairs as f64;
    let kappa = if expected_pairs == all_pairs {
        let only = row.keys().next().copied().unwrap_or_default();
        Figure::Undefined(format!(
            "both annotators put all {items} items in the one category {only:?}: expected agreement is 1"
        ))
    } else {
        Figure::Value((observed - expected) / (1.0 - expected))
    };
    Kappa { items, agreed, observed: Figure::Value(observed), expected: Figure::Value(expected), kappa, table: cells }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(a: &str, b: &str, count: usize) -> (String, String, usize) {
        (a.to_string(), b.to_string(), count)
    }

    #[test]
    fn perfect_agreement_on_two_classes_is_one() {
        let k = cohen_kappa([cell("x", "x", 3), cell("y", "y", 5)]);
        assert_eq!(k.kappa, Figure::Value(1.0));
        assert_eq!((k.items, k.agreed), (8, 8));
    }

    #[test]
    fn one_shared_class_is_undefined_not_nan() {
        let k = cohen_kappa([cell("O", "O", 10)]);
        assert!(k.kappa.reason().is_some_and(|r| r.contains("expected agreement is 1")));
        assert_eq!(k.observed, Figure::Value(1.0));
        let empty = cohen_kappa(Vec::new());
        assert!(empty.kappa.reason().is_some());
    }
}
