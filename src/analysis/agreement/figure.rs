//! A computed figure that may be undefined, with the reason instead of a NaN.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A ratio such as precision, κ or α. Where the data cannot define it (no items, a single class, expected
/// agreement 1) it is [`Figure::Undefined`] with a sentence saying why, so no NaN ever reaches a table,
/// a chart or a JSON file.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// The figure's value.
    Value(f64),
    /// Why the figure does not exist for this data.
    Undefined(String),
}

impl Figure {
    /// `numerator / denominator`, or undefined with `reason` when the denominator is zero.
    pub fn ratio(numerator: f64, denominator: f64, reason: impl FnOnce() -> String) -> Figure {
        if denominator == 0.0 { Figure::Undefined(reason()) } else { Figure::Value(numerator / denominator) }
    }

    /// The value, if defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Figure::Value(v) => Some(*v),
            Figure::Undefined(_) => None,
        }
    }

    /// The reason, if undefined.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Figure::Value(_) => None,
            Figure::Undefined(reason) => Some(reason),
        }
    }
}

impl fmt::Display for Figure {
    /// Three decimals, or `undefined`; the reason is printed separately by whoever shows a table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Value(v) => write!(f, "{v:.3}"),
            Figure::Undefined(_) => f.write_str("undefined"),
        }
    }
}

impl Serialize for Figure {
    /// `{"value": 0.75}` or `{"value": null, "undefined": "reason"}`: the same shape either way, so readers
    /// can always look at `value` and find the reason next to a null.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Value(v) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("value", v)?;
                map.end()
            }
            Figure::Undefined(reason) => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("value", &Option::<f64>::None)?;
                map.serialize_entry("undefined", reason)?;
                map.end()
            }
        }
    }
}
