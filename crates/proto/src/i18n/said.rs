//! A message as data: the live stream carries each explanation and each state as its id and
//! values, so a page watching real sessions shows them in the class's language.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Arg, Message};

/// A [`Message`] that can be written and read: its id, and its values by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Value)>,
}

/// One value: a text shown as it is, a number, or a part of another message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Count(u64),
    Part { of: Box<Said>, part: String },
}

impl From<&Message> for Said {
    fn from(m: &Message) -> Said {
        let value = |arg: &Arg| match arg {
            Arg::Text(t) => Value::Text(t.clone()),
            Arg::Count(n) => Value::Count(*n),
            Arg::Part(of, part) => Value::Part {
                of: Box::new(Said::from(&**of)),
                part: (*part).to_string(),
            },
        };
        Said {
            id: m.id.to_string(),
            args: m
                .args
                .iter()
                .map(|(name, arg)| ((*name).to_string(), value(arg)))
                .collect(),
        }
    }
}

impl Said {
    /// The message again, or `None` when a name is not one a catalogue could hold (the
    /// English sent beside it stands in).
    pub fn message(&self) -> Option<Message> {
        let args = self
            .args
            .iter()
            .map(|(name, value)| {
                let arg = match value {
                    Value::Text(t) => Arg::Text(t.clone()),
                    Value::Count(n) => Arg::Count(*n),
                    Value::Part { of, part } => {
                        let part = match part.as_str() {
                            "" => "",
                            "title" => "title",
                            "why" => "why",
                            _ => return None,
                        };
                        Arg::Part(Box::new(of.message()?), part)
                    }
                };
                Some((kept(name)?, arg))
            })
            .collect::<Option<_>>()?;
        Some(Message {
            id: kept(&self.id)?,
            args,
        })
    }
}

/// The most names kept: the catalogues hold about 1,300 ids and a few dozen argument names,
/// so a stream of real messages never comes near it, and a stream of nonsense stops here.
const MOST_NAMES: usize = 4096;

/// A name that lives as long as the page: messages name their ids and arguments with
/// `&'static str`. Each distinct name is kept once.
fn kept(name: &str) -> Option<&'static str> {
    let well_formed = !name.is_empty()
        && name.len() <= 80
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !well_formed {
        return None;
    }
    thread_local!(static NAMES: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) });
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(name) = names.get(name) {
            return Some(*name);
        }
        if names.len() >= MOST_NAMES {
            return None;
        }
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(name);
        Some(name)
    })
}
