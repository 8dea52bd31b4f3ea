//! Label schemas a new project can start from. The default is the fact-vs-opinion schema factmark was built
//! for; the attribution preset marks attributions as the attribution corpora (PARC, PolNeAR) do: who is
//! cited (Source), the words that cite them (Cue: "said", "according to", "warned") and what is cited
//! (Content), linked Source → Cue → Content.

use std::fmt;
use std::str::FromStr;

use super::schema::{AttrKind, AttributeDef, DocLabelSet, LabelDef, RelationTypeDef, Rgb, Schema};

/// A schema to start a project with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SchemaPreset {
    /// Claim, Opinion, Source, and `attributed_to` ([`Schema::default`]).
    #[default]
    FactOpinion,
    /// Source, Cue, Content, with `source_of` (Source → Cue) and `content_of` (Cue → Content).
    Attribution,
}

impl SchemaPreset {
    /// Every preset, in the order File → New lists them.
    pub const ALL: [SchemaPreset; 2] = [SchemaPreset::FactOpinion, SchemaPreset::Attribution];

    /// The name `--preset` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaPreset::FactOpinion => "fact-opinion",
            SchemaPreset::Attribution => "attribution",
        }
    }

    /// What File → New shows.
    pub fn title(self) -> &'static str {
        match self {
            SchemaPreset::FactOpinion => "Fact vs opinion (claim, opinion, source)",
            SchemaPreset::Attribution => "Attribution (source, cue, content)",
        }
    }

    /// The schema.
    pub fn schema(self) -> Schema {
        match self {
            SchemaPreset::FactOpinion => Schema::default(),
            SchemaPreset::Attribution => attribution(),
        }
    }
}

impl fmt::Display for SchemaPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchemaPreset {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        SchemaPreset::ALL.into_iter().find(|p| p.as_str() == wanted).ok_or_else(|| {
            let names: Vec<&str> = SchemaPreset::ALL.iter().map(|p| p.as_str()).collect();
            format!("unknown preset {text:?}; the presets are {}", names.join(", "))
        })
    }
}

fn label(name: &str, color: [u8; 3], key: char, guideline: &str, attributes: Vec<AttributeDef>) -> LabelDef {
    LabelDef { name: name.into(), color: Rgb(color), key: Some(key), guideline: guideline.into(), attributes }
}

fn relation(name: &str, from: &str, to: &str, guideline: &str) -> RelationTypeDef {
    RelationTypeDef { name: name.into(), from: vec![from.into()], to: vec![to.into()], guideline: guideline.into() }
}

fn attribution() -> Schema {
    let choice = |values: &[&str]| AttrKind::Choice(values.iter().map(|v| v.to_string()).collect());
    Schema {
        labels: vec![
            label(
                "Source",
                [0x2e, 0x9e, 0x5b],
                '1',
                "Who or what the content is attributed to: a person, group, document, or an unnamed source.",
                vec![AttributeDef {
                    name: "kind".into(),
                    kind: choice(&["named person", "organisation", "government", "anonymous", "document or media"]),
                }],
            ),
            label(
                "Cue",
                [0x8e, 0x44, 0xad],
                '2',
                "The words that link a source to its content: a reporting verb or phrase such as said, told, \
                 according to, warned, believes.",
                Vec::new(),
            ),
            label(
                "Content",
                [0x2b, 0x7b, 0xd6],
                '3',
                "What is attributed: the quoted or paraphrased statement, belief or intention.",
                vec![AttributeDef { name: "form".into(), kind: choice(&["direct quote", "indirect", "mixed"]) }],
            ),
        ],
        relation_types: vec![
            relation("source_of", "Source", "Cue", "Links a Source to the Cue that cites it."),
            relation("content_of", "Cue", "Content", "Links a Cue to the Content it introduces."),
        ],
        doc_labels: vec![DocLabelSet {
            name: "genre".into(),
            choices: ["news", "analysis", "opinion", "other"].iter().map(|s| s.to_string()).collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_by_name_and_the_attribution_chain_is_source_cue_content() {
        for preset in SchemaPreset::ALL {
            assert_eq!(preset.as_str().parse::<SchemaPreset>(), Ok(preset));
        }
        assert!("parc".parse::<SchemaPreset>().unwrap_err().contains("attribution"));
        let schema = SchemaPreset::Attribution.schema();
        let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Source", "Cue", "Content"]);
        let source_of = schema.relation_type("source_of").unwrap();
        let content_of = schema.relation_type("content_of").unwrap();
        assert!(source_of.allows("Source", "Cue") && !source_of.allows("Cue", "Source"));
        assert!(content_of.allows("Cue", "Content") && !content_of.allows("Source", "Content"));
        assert_eq!(SchemaPreset::FactOpinion.schema(), Schema::default());
    }
}
