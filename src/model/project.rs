//! The project: a schema and a list of documents, plus the id counters that keep ids unique.

use super::document::Document;
use super::ids::{DocId, RelationId, SpanId};
use super::rules::SuggestRule;
use super::schema::Schema;

/// Everything in one project file.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// Human-readable name.
    pub name: String,
    /// Labels, attributes, relation types, document label sets.
    pub schema: Schema,
    /// Documents in the project's order.
    pub documents: Vec<Document>,
    /// The next span id to hand out. Only grows, so deleted ids are never reused.
    pub next_span_id: u64,
    /// The next relation id to hand out. Only grows.
    pub next_relation_id: u64,
    /// The project's own suggestion rules (phrases, word lists, regexes → labels).
    pub rules: Vec<SuggestRule>,
    /// Names of the recommenders switched off for this project (`cues`, `strings` …); every other one
    /// runs. Names, not an enum, so a file naming a recommender this version lacks still opens.
    pub recommenders_off: Vec<String>,
    /// Project settings a merge could not settle: the schema, name and rules hold ours' versions, these
    /// theirs' (see [`super::ProjectConflict`]). Empty unless a merge left some.
    pub conflicts: Vec<super::ProjectConflict>,
}

/// Why a document query matched nothing or too much.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocLookupError {
    /// Nothing matched.
    #[error("no document with id or title {0:?}")]
    NotFound(String),
    /// Several titles matched and none exactly.
    #[error("{query:?} matches several documents: {candidates}; use the id")]
    Ambiguous {
        /// What was asked for.
        query: String,
        /// Ids of the matches, comma-separated.
        candidates: String,
    },
}

impl Project {
    /// An empty project with the default schema.
    pub fn new(name: impl Into<String>) -> Project {
        Project {
            name: name.into(),
            schema: Schema::default(),
            documents: Vec::new(),
            next_span_id: 1,
            next_relation_id: 1,
            rules: Vec::new(),
            recommenders_off: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    /// The project without its documents: name, schema, id counters, rules (cloning only those).
    pub fn clone_header(&self) -> Project {
        Project {
            name: self.name.clone(),
            schema: self.schema.clone(),
            documents: Vec::new(),
            next_span_id: self.next_span_id,
            next_relation_id: self.next_relation_id,
            rules: self.rules.clone(),
            recommenders_off: self.recommenders_off.clone(),
            conflicts: self.conflicts.clone(),
        }
    }

    /// The document with this id.
    pub fn doc(&self, id: &DocId) -> Option<&Document> {
        self.documents.iter().find(|d| &d.id == id)
    }

    /// The document with this id, mutably.
    pub fn doc_mut(&mut self, id: &DocId) -> Option<&mut Document> {
        self.documents.iter_mut().find(|d| &d.id == id)
    }

    /// Finds a document by id, then exact title, then title ignoring case, then a unique title prefix or
    /// substring (ignoring case). Made for people typing at a terminal.
    pub fn find_document(&self, query: &str) -> Result<&Document, DocLookupError> {
        if let Some(doc) = self.documents.iter().find(|d| d.id.as_str() == query) {
            return Ok(doc);
        }
        if let Some(doc) = self.documents.iter().find(|d| d.title == query) {
            return Ok(doc);
        }
        let lower = query.to_lowercase();
        let exact: Vec<&Document> = self.documents.iter().filter(|d| d.title.to_lowercase() == lower).collect();
        if let [doc] = exact.as_slice() {
            return Ok(doc);
        }
        let partial: Vec<&Document> = self
            .documents
            .iter()
            .filter(|d| d.title.to_lowercase().contains(&lower) || d.id.as_str().starts_with(&lower))
            .collect();
        match partial.as_slice() {
            [doc] => Ok(doc),
            [] => Err(DocLookupError::NotFound(query.to_string())),
            many => Err(DocLookupError::Ambiguous {
                query: query.to_string(),
                candidates: many.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", "),
            }),
        }
    }

    /// Hands out a fresh span id.
    pub fn alloc_span_id(&mut self) -> SpanId {
        let id = SpanId(self.next_span_id);
        self.next_span_id += 1;
        id
    }

    /// Hands out a fresh relation id.
    pub fn alloc_relation_id(&mut self) -> RelationId {
        let id = RelationId(self.next_relation_id);
        self.next_relation_id += 1;
        id
    }

    /// The document holding span `id`.
    pub fn doc_of_span(&self, id: SpanId) -> Option<&Document> {
        self.documents.iter().find(|d| d.span(id).is_some())
    }

    /// Total number of spans.
    pub fn span_count(&self) -> usize {
        self.documents.iter().map(|d| d.spans.len()).sum()
    }

    /// A document id that is not yet used, made from a title: lower-case ASCII words joined by `-`,
    /// at most 40 chars (cut at a word edge), with `-2`, `-3` … added when taken.
    pub fn unique_doc_id(&self, title: &str) -> DocId {
        unique_doc_id(title, |candidate| self.documents.iter().any(|d| d.id.as_str() == candidate))
    }
}

/// A document id made from `title` that `taken` says is free (see [`Project::unique_doc_id`]); for callers
/// that reserve several ids before adding the documents.
pub fn unique_doc_id(title: &str, taken: impl Fn(&str) -> bool) -> DocId {
    {
        let base = slug(title);
        if !taken(&base) {
            return DocId(base);
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if !taken(&candidate) {
                return DocId(candidate);
            }
            n += 1;
        }
    }
}

/// Longest id made from a title.
const MAX_SLUG: usize = 40;

/// Lower-case ASCII slug of a title. Accented letters lose their accents only by being dropped when they
/// have no ASCII form, which keeps ids safe as file names in every export format.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for ch in title.chars() {
        let mapped = fold_to_ascii(ch);
        match mapped {
            Some(c) if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    // Long titles are cut at a word edge, so ids stay short enough for file names and readable.
    if out.len() > MAX_SLUG {
        let at_word_edge = out.as_bytes().get(MAX_SLUG) == Some(&b'-');
        let cut =
            if at_word_edge { MAX_SLUG } else { out[..MAX_SLUG].rfind('-').filter(|&at| at > 0).unwrap_or(MAX_SLUG) };
        out.truncate(cut);
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "doc".to_string() } else { trimmed.to_string() }
}

/// The ASCII letter behind the common Latin accented letters, so "Zoë" gives "zoe" in ids.
fn fold_to_ascii(ch: char) -> Option<char> {
    if ch.is_ascii() {
        return Some(ch);
    }
    let folded = match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => 'I',
        'ł' => 'l',
        'Ł' => 'L',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => 'O',
        'ś' | 'š' | 'ß' => 's',
        'Ś' | 'Š' => 'S',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        'ź' | 'ż' | 'ž' => 'z',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        _ => return None,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(slug("Zoë’s “bridge” — closed!"), "zoe-s-bridge-closed");
        assert_eq!(slug("😡"), "doc");
        assert_eq!(
            slug("Festival ticket chaos sparks online fury 😡 as organisers apologise"),
            "festival-ticket-chaos-sparks-online-fury"
        );
    }

    #[test]
    fn unique_ids_get_suffixes() {
        let mut p = Project::new("t");
        let id = p.unique_doc_id("Same title");
        p.documents.push(Document::new(id, "Same title", "x"));
        assert_eq!(p.unique_doc_id("Same title").as_str(), "same-title-2");
    }

    #[test]
    fn find_document_by_id_title_and_fragment() {
        let mut p = Project::new("t");
        p.documents.push(Document::new(DocId("a".into()), "Harbour bridge closes", "x"));
        p.documents.push(Document::new(DocId("b".into()), "Harbour fees rise", "y"));
        assert_eq!(p.find_document("b").map(|d| d.id.as_str()), Ok("b"));
        assert_eq!(p.find_document("harbour bridge closes").map(|d| d.id.as_str()), Ok("a"));
        assert_eq!(p.find_document("fees").map(|d| d.id.as_str()), Ok("b"));
        assert!(matches!(p.find_document("harbour"), Err(DocLookupError::Ambiguous { .. })));
        assert!(matches!(p.find_document("zzz"), Err(DocLookupError::NotFound(_))));
    }
}
