//! Hashed features: every feature is a string template and its values, hashed into a fixed number of
//! buckets, so a model is a plain array of weights with no vocabulary to build, store or look up.
//!
//! The hash is FNV-1a, written here because it must not change between runs or versions (the standard
//! library's hasher is randomly seeded): a model trained in the background and used a moment later, or
//! saved and loaded, has to find its weights at the same places.

/// Number of hash buckets (a power of two). 2^18 keeps a three-class model at 3 MB while collisions stay
/// rare for the few hundred thousand distinct features a large project yields.
pub(crate) const BUCKETS: usize = 1 << 18;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Builds the features of one example.
#[derive(Clone, Debug, Default)]
pub(crate) struct FeatureSet {
    /// Bucket indices; a feature hashed twice counts twice, like a repeated word.
    pub ids: Vec<u32>,
}

impl FeatureSet {
    /// An empty set with room for `n` features.
    pub fn with_capacity(n: usize) -> FeatureSet {
        FeatureSet { ids: Vec::with_capacity(n) }
    }

    /// Adds the feature named by `kind` (a short template tag) and `value`.
    pub fn add(&mut self, kind: &str, value: &str) {
        let mut h = FNV_OFFSET;
        h = mix(h, kind.as_bytes());
        h = mix(h, &[0xff]);
        h = mix(h, value.as_bytes());
        self.ids.push(bucket(h));
    }

    /// Adds the feature `kind` with a small number as its value (a bucketed length, a distance).
    pub fn add_num(&mut self, kind: &str, value: i64) {
        let mut h = mix(FNV_OFFSET, kind.as_bytes());
        h = mix(h, &value.to_le_bytes());
        self.ids.push(bucket(h));
    }

    /// Adds the feature `kind` with two values joined (a word pair, a word and a position).
    pub fn add2(&mut self, kind: &str, a: &str, b: &str) {
        let mut h = mix(FNV_OFFSET, kind.as_bytes());
        h = mix(h, &[0xff]);
        h = mix(h, a.as_bytes());
        h = mix(h, &[0xfe]);
        h = mix(h, b.as_bytes());
        self.ids.push(bucket(h));
    }

    /// Adds a feature that is always on, so each class has a bias weight.
    pub fn bias(&mut self) {
        self.add("bias", "");
    }
}

fn mix(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn bucket(h: u64) -> u32 {
    // Fold the high bits in: FNV's low bits alone are weak for short inputs.
    ((h ^ (h >> 29)) as usize % BUCKETS) as u32
}

/// FNV-1a as a `Hasher`, for the learned models' word sets and maps: they are looked up for every token
/// of every training document, where the standard library's DoS-resistant hasher cost a tenth of the
/// training time. The keys are the user's own words, not an attacker's.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix(self.0, bytes);
    }
}

/// A hash set with [`Fnv`].
pub(crate) type FastSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<Fnv>>;
/// A hash map with [`Fnv`].
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A word's shape: runs of upper case, lower case, digits and other characters collapsed (`Ilse` → `Xx`,
/// `U.S.` → `X.X.`, `2,400` → `d,d`), so names, abbreviations and figures generalise across words.
pub(crate) fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if last != Some(class) {
            out.push(class);
            last = Some(class);
        }
    }
    out
}

/// A count bucketed on a rough log scale, so lengths generalise: 0, 1, 2, 3, 4–5, 6–8, 9–13, 14–21, 22+.
pub(crate) fn size_bucket(n: usize) -> i64 {
    match n {
        0..=3 => n as i64,
        4..=5 => 4,
        6..=8 => 6,
        9..=13 => 9,
        14..=21 => 14,
        _ => 22,
    }
}

/// The last `n` chars of `word` (all of it when shorter).
pub(crate) fn suffix(word: &str, n: usize) -> &str {
    let start = word.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &word[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_suffixes() {
        assert_eq!(shape("Ilse"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("2,400"), "d,d");
        assert_eq!(suffix("Dvořák", 3), "řák");
        assert_eq!(suffix("a", 3), "a");
    }

    #[test]
    fn the_hash_is_the_same_every_run() {
        let mut a = FeatureSet::default();
        a.add("w", "said");
        let mut b = FeatureSet::default();
        b.add("w", "said");
        assert_eq!(a.ids, b.ids);
        // A fixed bucket, worked out by hand from FNV-1a: a randomly seeded hasher would give another one
        // in every process, and models would lose their weights between runs.
        assert_eq!(a.ids, [27787]);
        let mut c = FeatureSet::default();
        c.add("w", "says");
        assert_ne!(a.ids, c.ids);
    }
}
