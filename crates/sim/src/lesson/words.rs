//! A text a lesson file writes for the student (a title, a slide, a goal item's label, a
//! hint): one text, English, or the same text in several languages,
//! `{"en": "Inside DATA", "de": "In DATA hinein"}`. The page shows the class's language and
//! English where a language is missing, so a teacher may translate one lesson at a time.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use postroom_proto::text;

use super::json::{Cx, FormatError, FromJson, Node, Value};

/// A lesson's text in its languages; English is always there and comes first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    /// `(language, text)`, English first.
    texts: Vec<(String, String)>,
}

impl Words {
    /// The English text (every lesson text has one).
    pub fn en(&self) -> &str {
        self.texts.first().map_or("", |(_, t)| t.as_str())
    }

    /// The text in `lang`, if the file has it.
    pub fn in_language(&self, lang: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, t)| t.as_str())
    }

    /// The languages the file writes this text in, English first.
    pub fn languages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }

    /// A text in the given languages; `None` without English or with a language twice.
    pub fn from_languages(texts: Vec<(String, String)>) -> Option<Words> {
        let mut texts = texts;
        let en = texts.iter().position(|(l, _)| l == "en")?;
        let first = texts.remove(en);
        texts.insert(0, first);
        let langs: std::collections::BTreeSet<&str> =
            texts.iter().map(|(l, _)| l.as_str()).collect();
        let twice = langs.len() < texts.len();
        (!twice).then_some(Words { texts })
    }

    /// Whether any language's text is blank.
    pub fn is_blank(&self) -> bool {
        self.texts.is_empty() || self.texts.iter().any(|(_, t)| t.trim().is_empty())
    }
}

impl From<&str> for Words {
    fn from(en: &str) -> Words {
        Words {
            texts: vec![("en".to_string(), en.to_string())],
        }
    }
}

impl From<String> for Words {
    fn from(en: String) -> Words {
        Words {
            texts: vec![("en".to_string(), en)],
        }
    }
}

/// A language's code as a file writes it: two or three small letters (`de`, `fr`, `ast`).
fn is_language(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

impl FromJson for Words {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let fields = match &node.value {
            Value::Text(t) => return Ok(Words::from(t.as_str())),
            Value::Object(fields) => fields,
            _ => return Err(cx.expected(node, field, text!("lesson.format.what.words"))),
        };
        let mut texts = Vec::with_capacity(fields.len());
        for (lang, value) in fields {
            let at = format!("{field}.{lang}");
            if !is_language(lang) {
                return Err(cx.error(value.at, &at, text!("lesson.format.language")));
            }
            texts.push((lang.clone(), String::from_json(value, &at, cx)?));
        }
        Words::from_languages(texts)
            .ok_or_else(|| cx.error(node.at, field, text!("lesson.format.needs-en")))
    }
}

impl Serialize for Words {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.texts.len() == 1 {
            return s.serialize_str(self.en());
        }
        let mut map = s.serialize_map(Some(self.texts.len()))?;
        for (lang, text) in &self.texts {
            map.serialize_entry(lang, text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Words, D::Error> {
        struct Texts;
        impl<'de> Visitor<'de> for Texts {
            type Value = Words;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text, or texts by language")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Words, E> {
                Ok(Words::from(v))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Words, M::Error> {
                let mut texts = Vec::new();
                while let Some((lang, text)) = m.next_entry::<String, String>()? {
                    if !is_language(&lang) {
                        return Err(de::Error::custom(format!("“{lang}” is not a language")));
                    }
                    texts.push((lang, text));
                }
                Words::from_languages(texts)
                    .ok_or_else(|| de::Error::custom(text!("lesson.format.needs-en")))
            }
        }
        d.deserialize_any(Texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_comes_first_and_stands_in_for_a_missing_language() {
        let w = Words::from_languages(vec![
            ("de".into(), "Hallo".into()),
            ("en".into(), "Hello".into()),
        ])
        .unwrap();
        assert_eq!(w.en(), "Hello");
        assert_eq!(w.in_language("de"), Some("Hallo"));
        assert_eq!(w.in_language("fr"), None);
        assert_eq!(w.languages().next(), Some(("en", "Hello")));
    }

    #[test]
    fn texts_without_english_or_with_a_language_twice_are_refused() {
        assert!(Words::from_languages(vec![("de".into(), "Hallo".into())]).is_none());
        let twice = vec![
            ("en".into(), "Hi".into()),
            ("de".into(), "A".into()),
            ("de".into(), "B".into()),
        ];
        assert!(Words::from_languages(twice).is_none());
    }

    #[test]
    fn one_text_is_written_as_a_text_and_several_as_an_object() {
        let one = serde_json::to_string(&Words::from("Hi")).unwrap();
        assert_eq!(one, "\"Hi\"");
        let both: Words = serde_json::from_str(r#"{"en": "Hi", "fr": "Salut"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&both).unwrap(),
            r#"{"en":"Hi","fr":"Salut"}"#
        );
        assert!(serde_json::from_str::<Words>(r#"{"fr": "Salut"}"#).is_err());
        assert!(serde_json::from_str::<Words>(r#"{"en": "Hi", "French": "Salut"}"#).is_err());
    }
}
