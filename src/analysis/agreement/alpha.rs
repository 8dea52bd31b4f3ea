//! Krippendorff's α for nominal data, any number of coders, missing values allowed (Krippendorff 2011,
//! "Computing Krippendorff's Alpha-Reliability").
//!
//! Each unit (here: a token) has the values the coders who saw it gave. Only units with at least two values
//! are pairable. Every ordered pair of values (i ≠ j) inside a unit with m values adds 1/(m−1) to the
//! coincidence matrix o_ck, so each pairable value counts once in total: n_c = Σ_k o_ck is the number of
//! pairable values of category c and n = Σ_c n_c. Then
//!
//! D_o = (1/n) Σ_{c≠k} o_ck,   D_e = 1/(n(n−1)) Σ_{c≠k} n_c n_k,   α = 1 − D_o / D_e.
//!
//! For nominal data the unit's contribution to Σ_{c≠k} o_ck is (m² − Σ_c m_c²)/(m−1), where m_c counts the
//! unit's values of category c, so the matrix itself need not be kept.

use std::collections::BTreeMap;

use serde::Serialize;

use super::figure::Figure;

/// How many pairable values fell in one category (n_c).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// The category.
    pub category: String,
    /// Pairable values in it.
    pub values: usize,
}

/// Krippendorff's α with the counts behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alpha {
    /// Units with at least two values (the only ones that count).
    pub units: usize,
    /// Pairable values n: the values in those units.
    pub values: usize,
    /// Observed disagreement D_o.
    pub observed_disagreement: Figure,
    /// Disagreement expected by chance D_e.
    pub expected_disagreement: Figure,
    /// α = 1 − D_o / D_e.
    pub alpha: Figure,
    /// n_c for every category seen, sorted by category name.
    pub categories: Vec<CategoryCount>,
}

/// Adds up units one at a time (a project has too many tokens to keep them all), then gives α. Counters
/// of parts of the units gathered apart (on other threads) merge into exactly the counter of all of them.
#[derive(Clone, Debug)]
pub struct AlphaCounter<C: Ord + Clone> {
    units: usize,
    by_category: BTreeMap<C, usize>,
    /// Σ_{c≠k} o_ck, the off-diagonal mass of the coincidence matrix, as whole numerators per denominator
    /// m − 1: kept exact rather than as a float sum, so it does not depend on the order units were added
    /// or counters merged in (a streamed project gives the same α to the last bit).
    disagreeing: BTreeMap<usize, u128>,
}

impl<C: Ord + Clone> Default for AlphaCounter<C> {
    fn default() -> Self {
        AlphaCounter { units: 0, by_category: BTreeMap::new(), disagreeing: BTreeMap::new() }
    }
}

impl<C: Ord + Clone> AlphaCounter<C> {
    /// A counter with no units yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one unit given the values its coders gave (missing values simply left out). Units with fewer
    /// than two values are not pairable and are ignored, as the method requires.
    pub fn add_unit(&mut self, values: &[C]) {
        let m = values.len();
        if m < 2 {
            return;
        }
        self.units += 1;
        // A unit has a value per coder, a handful: counting each value where it first occurs (a pass over
        // the few before it) needs no map per unit, which was most of the time on a large project.
        let mut same = 0;
        for (i, value) in values.iter().enumerate() {
            if values[..i].contains(value) {
                continue;
            }
            let count = values[i..].iter().filter(|v| *v == value).count();
            same += count * count;
            match self.by_category.get_mut(value) {
                Some(n) => *n += count,
                None => {
                    self.by_category.insert(value.clone(), count);
                }
            }
        }
        if m * m > same {
            *self.disagreeing.entry(m - 1).or_default() += (m * m - same) as u128;
        }
    }

    /// Adds the units `other` counted.
    pub fn merge(&mut self, other: AlphaCounter<C>) {
        self.units += other.units;
        for (category, n) in other.by_category {
            *self.by_category.entry(category).or_default() += n;
        }
        for (denominator, numerator) in other.disagreeing {
            *self.disagreeing.entry(denominator).or_default() += numerator;
        }
    }

    /// The same counts with every category renamed by `rename` (categories it makes equal are added up).
    pub fn map<D: Ord + Clone>(self, rename: impl Fn(&C) -> D) -> AlphaCounter<D> {
        let mut by_category = BTreeMap::new();
        for (category, n) in self.by_category {
            *by_category.entry(rename(&category)).or_default() += n;
        }
        AlphaCounter { units: self.units, by_category, disagreeing: self.disagreeing }
    }

    /// α over the units added so far; `name` writes a category for the report.
    pub fn finish(&self, name: impl Fn(&C) -> String) -> Alpha {
        let n: usize = self.by_category.values().sum();
        let mut categories: Vec<CategoryCount> =
            self.by_category.iter().map(|(c, &values)| CategoryCount { category: name(c), values }).collect();
        categories.sort_by(|a, b| a.category.cmp(&b.category));
        if n < 2 {
            let reason = "no unit has values from two coders".to_string();
            return Alpha {
                units: self.units,
                values: n,
                observed_disagreement: Figure::Undefined(reason.clone()),
                expected_disagreement: Figure::Undefined(reason.clone()),
                alpha: Figure::Undefined(reason),
                categories,
            };
        }
        // Σ_{c≠k} n_c n_k = n² − Σ_c n_c², in integers so that "one category only" is detected exactly.
        let square: u128 = self.by_category.values().map(|&k| (k as u128) * (k as u128)).sum();
        let expected_pairs = (n as u128) * (n as u128) - square;
        let n_f = n as f64;
        let disagreeing: f64 = self.disagreeing.iter().map(|(&d, &sum)| sum as f64 / d as f64).sum();
        let observed = disagreeing / n_f;
        let expected = expected_pairs as f64 / (n_f * (n_f - 1.0));
        let alpha = if expected_pairs == 0 {
            let only = categories.first().map(|c| c.category.clone()).unwrap_or_default();
            Figure::Undefined(format!(
                "every one of the {n} pairable values is {only:?}: with one category there is no expected disagreement"
            ))
        } else {
            Figure::Value(1.0 - observed / expected)
        };
        Alpha {
            units: self.units,
            values: n,
            observed_disagreement: Figure::Value(observed),
            expected_disagreement: Figure::Value(expected),
            alpha,
            categories,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_with_one_value_do_not_count() {
        let mut counter = AlphaCounter::new();
        counter.add_unit(&[1]);
        counter.add_unit(&[]);
        let alpha = counter.finish(|c: &i32| c.to_string());
        assert_eq!((alpha.units, alpha.values), (0, 0));
        assert!(alpha.alpha.reason().is_some());
    }

    #[test]
    fn counters_of_parts_merge_into_the_counter_of_the_whole() {
        let units: [&[u8]; 5] = [&[1, 2, 2], &[0, 0], &[2, 1, 0, 1], &[1], &[0, 2, 2]];
        let mut whole = AlphaCounter::new();
        units.iter().for_each(|u| whole.add_unit(u));
        let (mut first, mut second) = (AlphaCounter::new(), AlphaCounter::new());
        units[..2].iter().for_each(|u| first.add_unit(u));
        units[2..].iter().for_each(|u| second.add_unit(u));
        // Renamed there and back, as parts gathered on other threads are.
        first.merge(second.map(|&c| u32::from(c) + 10).map(|&c| u8::try_from(c - 10).unwrap()));
        let name = |c: &u8| c.to_string();
        assert_eq!(first.finish(name), whole.finish(name));
        assert_eq!(whole.finish(name).units, 4);
    }

    #[test]
    fn a_single_category_is_undefined() {
        let mut counter = AlphaCounter::new();
        counter.add_unit(&["O", "O"]);
        counter.add_unit(&["O", "O", "O"]);
        let alpha = counter.finish(|c| c.to_string());
        assert_eq!(alpha.values, 5);
        assert!(alpha.alpha.reason().is_some_and(|r| r.contains("one category")));
    }
}
