//! Learned models saved on request, to a file of their own (never into the project): to suggest in
//! another project with the same labels, or from the command line without training each time.
//!
//! The file is JSON: a header saying what it is and which version, what the models learned from, then the
//! models. Weight vectors are mostly zeros (a quarter of a million hashed buckets per class, of which a
//! project's words touch a few thousand), so they are written as `[length, [[index, weight], …]]`. A file
//! is checked whole on loading — a damaged or hand-edited one is refused with a reason, never half used.

use serde::{Deserialize, Serialize};

use super::Learned;
use super::features::BUCKETS;

/// What the file says it is.
const KIND: &str = "factmark learned models";

/// The current version of the file.
const VERSION: u32 = 1;

/// A saved set of learned models.
#[derive(Serialize, Deserialize)]
pub struct SavedModels {
    /// Always "factmark learned models".
    kind: String,
    /// The file's version.
    version: u32,
    /// The project they were trained on (its name), to tell the user.
    pub project: String,
    /// The span labels they propose.
    pub labels: Vec<String>,
    /// The models.
    models: Learned,
}

/// Why saved models cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelsError {
    /// Not JSON, or JSON of another shape.
    #[error("not a factmark models file: {0}")]
    NotModels(String),
    /// Written by a newer factmark.
    #[error("models file version {0} is newer than this factmark reads ({VERSION}); update factmark")]
    Newer(u32),
    /// The shape is right but a model's numbers do not fit together.
    #[error("the models file is damaged: {0}")]
    Damaged(String),
}

impl SavedModels {
    /// Wraps `models` trained on the project named `project`, which proposes `labels`.
    pub fn new(project: &str, models: Learned) -> SavedModels {
        SavedModels {
            kind: KIND.to_string(),
            version: VERSION,
            project: project.to_string(),
            labels: models.proposed_labels(),
            models,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> Result<String, ModelsError> {
        serde_json::to_string(self).map_err(|e| ModelsError::NotModels(e.to_string()))
    }

    /// Reads a file's text, checking every model.
    pub fn from_json(text: &str) -> Result<SavedModels, ModelsError> {
        #[derive(Deserialize)]
        struct Header {
            kind: String,
            version: u32,
        }
        let header: Header = serde_json::from_str(text).map_err(|e| ModelsError::NotModels(e.to_string()))?;
        if header.kind != KIND {
            return Err(ModelsError::NotModels(format!("it says it is {:?}", header.kind)));
        }
        if header.version > VERSION {
            return Err(ModelsError::Newer(header.version));
        }
        let saved: SavedModels = serde_json::from_str(text).map_err(|e| ModelsError::NotModels(e.to_string()))?;
        saved.models.check().map_err(ModelsError::Damaged)?;
        Ok(saved)
    }

    /// The models.
    pub fn models(self) -> Learned {
        self.models
    }
}

/// Checks a weight vector's length: empty (untrained) or one weight per bucket and class.
pub(crate) fn check_weights(what: &str, weights: &[f32], classes: usize) -> Result<(), String> {
    if weights.is_empty() || weights.len() == BUCKETS * classes {
        Ok(())
    } else {
        Err(format!("{what}: {} weights for {classes} classes (expected {})", weights.len(), BUCKETS * classes))
    }
}

/// Serde for a mostly-zero weight vector: `[length, [[index, weight], …]]` with the non-zero weights only.
pub(crate) mod sparse {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Longest vector read back (a few models' worth of buckets): a file cannot make us allocate more.
    const MAX_LEN: usize = 1 << 24;

    /// Writes the non-zero weights.
    pub fn serialize<S: Serializer>(weights: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let nonzero: Vec<(u32, f32)> = weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(i, w)| (u32::try_from(i).unwrap_or(u32::MAX), *w))
            .collect();
        (weights.len(), nonzero).serialize(s)
    }

    /// Reads them back into a full vector; an index past the length or a length too large is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        use serde::de::Error;
        let (len, nonzero): (usize, Vec<(u32, f32)>) = Deserialize::deserialize(d)?;
        if len > MAX_LEN {
            return Err(D::Error::custom(format!("a weight vector of {len} entries is too long")));
        }
        let mut out = vec![0.0; len];
        for (i, w) in nonzero {
            let slot = out.get_mut(i as usize).ok_or_else(|| D::Error::custom(format!("weight {i} out of {len}")))?;
            if !w.is_finite() {
                return Err(D::Error::custom(format!("weight {i} is not a number")));
            }
            *slot = w;
        }
        Ok(out)
    }
}
