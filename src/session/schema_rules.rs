//! Rules on the schema that need the command list: a label key must not be one a command takes.

use crate::model::Schema;

use super::commands::reserved_label_keys;

/// Why `key` cannot be given to the label at `index`, if it cannot: a command uses it with no modifier,
/// or another label has it (case ignored, see [`crate::model::same_key`]).
pub fn key_conflict(schema: &Schema, index: usize, key: char) -> Option<String> {
    if reserved_label_keys().iter().any(|&c| crate::model::same_key(c, key)) {
        return Some(format!("key {key:?} is a command shortcut"));
    }
    schema.label_keyed(key, Some(index)).map(|l| format!("key {key:?} is already used by {}", l.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelDef, Rgb};

    fn label(name: &str, key: Option<char>) -> LabelDef {
        LabelDef { name: name.into(), color: Rgb([0, 0, 0]), key, guideline: String::new(), attributes: Vec::new() }
    }

    #[test]
    fn keys_clash_whatever_their_case_and_command_keys_are_refused() {
        let schema = Schema { labels: vec![label("Claim", Some('c')), label("Opinion", None)], ..Schema::default() };
        assert!(key_conflict(&schema, 1, 'C').is_some_and(|m| m.contains("Claim")));
        assert!(key_conflict(&schema, 1, 'A').is_some_and(|m| m.contains("command")));
        assert_eq!(key_conflict(&schema, 0, 'C'), None, "a label may keep its own key");
        assert_eq!(key_conflict(&schema, 1, 'o'), None);
    }
}
