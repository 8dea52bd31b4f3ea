//! Prodigy's tokens are spaCy's tokens: for every document of the sample project the Prodigy export's
//! token texts and `ws` flags rebuild the text exactly (`Doc(vocab, words=…, spaces=…)` as Prodigy's
//! users build it), they are the spaCy export's `words` and `spaces`, and every span's token range covers
//! exactly its chars.

use std::path::Path;

use factmark::formats::{ExportDoc, ExportOptions, Format, export};
use serde_json::Value;

fn rows(format: Format) -> Vec<Value> {
    let project = factmark::store::load(&factmark::ui::sample_project_path()).unwrap();
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let out = export(&project.schema, &docs, format, &ExportOptions::default(), Path::new("x.jsonl")).unwrap();
    let bytes = out.files[0].bytes.clone();
    String::from_utf8(bytes).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn prodigy_tokens_rebuild_each_text_and_match_the_spacy_words() {
    let prodigy = rows(Format::Prodigy);
    let spacy = rows(Format::Spacy);
    assert_eq!(prodigy.len(), spacy.len());
    let mut whitespace_tokens = 0;
    for (p, s) in prodigy.iter().zip(&spacy) {
        let text = p["text"].as_str().unwrap();
        let tokens = p["tokens"].as_array().unwrap();
        let mut rebuilt = String::new();
        for (id, t) in tokens.iter().enumerate() {
            assert_eq!(t["id"], id);
            let word = t["text"].as_str().unwrap();
            let (start, end) = (t["start"].as_u64().unwrap() as usize, t["end"].as_u64().unwrap() as usize);
            assert_eq!(text.chars().skip(start).take(end - start).collect::<String>(), word);
            whitespace_tokens += usize::from(word.trim().is_empty());
            rebuilt.push_str(word);
            if t["ws"].as_bool().unwrap() {
                rebuilt.push(' ');
            }
        }
        assert_eq!(rebuilt, text, "words and ws rebuild the text of {}", p["meta"]["doc_id"]);
        let words: Vec<&Value> = tokens.iter().map(|t| &t["text"]).collect();
        let spaces: Vec<&Value> = tokens.iter().map(|t| &t["ws"]).collect();
        assert_eq!(words, s["words"].as_array().unwrap().iter().collect::<Vec<_>>(), "the spaCy export's words");
        assert_eq!(spaces, s["spaces"].as_array().unwrap().iter().collect::<Vec<_>>(), "and its spaces");
        for span in p["spans"].as_array().unwrap() {
            let first = &tokens[span["token_start"].as_u64().unwrap() as usize];
            let last = &tokens[span["token_end"].as_u64().unwrap() as usize];
            assert_eq!((first["start"].clone(), last["end"].clone()), (span["start"].clone(), span["end"].clone()));
        }
    }
    assert!(whitespace_tokens > 0, "the sample's line breaks are tokens of their own");
}
