//! A message: an id in the catalogues and the values its text needs.

/// One value of a message: text is shown as it is, a count is shown as a number and
/// chooses a plural form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Count(u64),
    /// A part of another message (`why`, `title`), in the same language: an explanation
    /// that adds a sentence to another's.
    Part(Box<Message>, &'static str),
}

impl Arg {
    /// The `part` of `message`, as a value ("" for a one-part text's own).
    pub fn part(message: &Message, part: &'static str) -> Arg {
        Arg::Part(Box::new(message.clone()), part)
    }
}

/// A text as a value of another: shown in the same language.
impl From<&super::Text> for Arg {
    fn from(text: &super::Text) -> Self {
        Arg::part(text.message(), "")
    }
}

impl From<super::Text> for Arg {
    fn from(text: super::Text) -> Self {
        Arg::from(&text)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

macro_rules! counts {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Count(n as u64)
            }
        }
    )*};
}
counts!(u8, u16, u32, u64, usize);

/// A text to show, by id, with its arguments by name: the page renders it in the chosen
/// language (`Catalogue::format`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// The value of argument `name`.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}
