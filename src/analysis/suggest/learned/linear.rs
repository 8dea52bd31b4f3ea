//! A multinomial logistic regression over hashed features, trained by stochastic gradient descent with
//! averaged weights.
//!
//! Why this model: it trains in one pass over a few thousand examples in milliseconds, gives
//! probabilities (the suggestion's score, and "least certain first" for active learning), and needs no
//! downloaded weights. Averaging the weights over the updates makes the result stable when the training
//! set is small, as it is after a user's first few documents.

use super::features::{BUCKETS, FeatureSet};

/// One training example: its features and its class (0 = "none" by convention of the callers).
#[derive(Clone, Debug)]
pub(crate) struct Example {
    pub features: FeatureSet,
    pub class: usize,
    /// How much this example counts (rare classes are weighted up).
    pub weight: f32,
}

/// A trained classifier.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Linear {
    classes: usize,
    /// `weights[bucket * classes + class]`.
    #[serde(with = "super::saved::sparse")]
    weights: Vec<f32>,
}

/// Most example visits in one training (examples × epochs).
const MAX_VISITS: usize = 800_000;

/// Training settings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Train {
    pub epochs: usize,
    pub rate: f32,
}

impl Default for Train {
    fn default() -> Self {
        Train { epochs: 6, rate: 0.2 }
    }
}

impl Linear {
    /// Whether a loaded model's numbers fit together: `classes` classes, and weights for all of them.
    pub fn check(&self, what: &str, classes: usize) -> Result<(), String> {
        if self.classes != classes {
            return Err(format!("{what}: {} classes where {classes} are needed", self.classes));
        }
        super::saved::check_weights(what, &self.weights, classes)
    }

    /// A model that knows nothing: every class equally likely.
    pub fn empty(classes: usize) -> Linear {
        Linear { classes, weights: Vec::new() }
    }

    /// Trains on `examples`, visiting them in a fixed shuffled order each epoch (a seeded generator, so
    /// the same labels always give the same model).
    pub fn train(classes: usize, examples: &[Example], settings: Train) -> Linear {
        if examples.is_empty() || classes < 2 {
            return Linear::empty(classes);
        }
        let size = BUCKETS * classes;
        let mut w = vec![0.0f32; size];
        // Averaging by the usual trick: `u` sums each update times the step it was made at, and the
        // average is w - u / steps.
        let mut u = vec![0.0f32; size];
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut step = 1.0f32;
        let mut probs = vec![0.0f32; classes];
        // A large project has examples enough that one pass learns what six would: cap the visits, so
        // training a thousand articles stays in the background budget.
        let epochs = settings.epochs.min(MAX_VISITS / examples.len()).max(1);
        for epoch in 0..epochs {
            shuffle(&mut order, &mut rng);
            let rate = settings.rate / (1.0 + epoch as f32 * 0.5);
            for &i in &order {
                let ex = &examples[i];
                softmax_into(&w, classes, &ex.features, &mut probs);
                for (class, p) in probs.iter().enumerate() {
                    let target = if class == ex.class { 1.0 } else { 0.0 };
                    let g = (target - p) * rate * ex.weight;
                    if g == 0.0 {
                        continue;
                    }
                    for &id in &ex.features.ids {
                        let at = id as usize * classes + class;
                        w[at] += g;
                        u[at] += g * step;
                    }
                }
                step += 1.0;
            }
        }
        for (wi, ui) in w.iter_mut().zip(&u) {
            *wi -= ui / step;
        }
        Linear { classes, weights: w }
    }

    /// Class probabilities for `features`.
    pub fn probabilities(&self, features: &FeatureSet) -> Vec<f32> {
        let mut out = vec![0.0; self.classes];
        if self.weights.is_empty() {
            out.fill(1.0 / self.classes.max(1) as f32);
        } else {
            softmax_into(&self.weights, self.classes, features, &mut out);
        }
        out
    }

    /// Whether the model was trained on anything.
    pub fn is_trained(&self) -> bool {
        !self.weights.is_empty()
    }
}

fn softmax_into(w: &[f32], classes: usize, features: &FeatureSet, out: &mut [f32]) {
    out.fill(0.0);
    for &id in &features.ids {
        let base = id as usize * classes;
        for (class, o) in out.iter_mut().enumerate() {
            *o += w[base + class];
        }
    }
    let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for o in out.iter_mut() {
        *o = (*o - max).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

/// Fisher–Yates with xorshift: deterministic, no dependency for a shuffle.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(words: &[&str], class: usize) -> Example {
        let mut features = FeatureSet::default();
        features.bias();
        for w in words {
            features.add("w", w);
        }
        Example { features, class, weight: 1.0 }
    }

    #[test]
    fn learns_words_that_decide_the_class() {
        let examples = vec![
            example(&["costs", "rose", "percent"], 1),
            example(&["budget", "percent", "fell"], 1),
            example(&["should", "shameful"], 2),
            example(&["must", "should", "wrong"], 2),
            example(&["the", "a"], 0),
            example(&["and", "the"], 0),
        ];
        // Six examples need more passes than the default's six to settle.
        let model = Linear::train(3, &examples, Train { epochs: 20, rate: 0.2 });
        let p = model.probabilities(&example(&["percent", "rose"], 0).features);
        assert!(p[1] > p[0] && p[1] > p[2], "{p:?}");
        let p = model.probabilities(&example(&["should"], 0).features);
        assert!(p[2] > 0.5, "{p:?}");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn an_untrained_model_is_uniform() {
        let p = Linear::empty(2).probabilities(&example(&["x"], 0).features);
        assert_eq!(p, [0.5, 0.5]);
    }
}
