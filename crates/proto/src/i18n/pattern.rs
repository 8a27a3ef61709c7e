//! One catalogue text: plain text, `{arg}`, and `{count -> one: … | other: …}`, read and
//! written in one pass over its bytes (no tree kept: the pages carry as little code as can be).

use super::{is_one, Arg};

/// Writes `text` with `args` in place, plural forms chosen by `lang`'s rules; an argument
/// not given stays visible as `{name}`. Also gives the names of the arguments it uses. The
/// error says what is wrong, in words a translator understands.
pub fn write<'t>(
    text: &'t str,
    lang: &str,
    args: &[(&str, Arg)],
) -> Result<(String, Vec<&'t str>), &'static str> {
    let mut w = Walk {
        text,
        at: 0,
        lang,
        args,
        out: String::new(),
        names: Vec::new(),
    };
    w.run(false)?;
    match w.peek() {
        None => Ok((w.out, w.names)),
        Some(_) => Err("a } with no { before it: write \\} for the character itself"),
    }
}

/// The names of the arguments `text` uses, sorted, each once (none if it cannot be read).
pub fn args(text: &str) -> Vec<String> {
    let mut names: Vec<String> = write(text, "en", &[])
        .map(|(_, names)| names.into_iter().map(String::from).collect())
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

struct Walk<'t, 'a> {
    text: &'t str,
    at: usize,
    lang: &'a str,
    args: &'a [(&'a str, Arg)],
    out: String,
    names: Vec<&'t str>,
}

impl<'t> Walk<'t, '_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Text up to the end, or (in a plural form) up to its `|` or `}`, left unread.
    fn run(&mut self, in_form: bool) -> Result<(), &'static str> {
        while let Some(c) = self.peek() {
            match c {
                b'\\' => {
                    let e = self.text.get(self.at + 1..self.at + 2);
                    match e {
                        Some(e @ ("{" | "}" | "|" | "\\")) => self.out.push_str(e),
                        _ => return Err("unknown escape: write \\{ \\} \\| or \\\\"),
                    }
                    self.at += 2;
                }
                b'{' => {
                    self.at += 1;
                    self.placeholder(in_form)?;
                }
                b'}' => return Ok(()),
                b'|' if in_form => return Ok(()),
                _ => {
                    let start = self.at;
                    while self.peek().is_some_and(|c| {
                        !matches!(c, b'\\' | b'{' | b'}' | b'|') || (c == b'|' && !in_form)
                    }) {
                        self.at += 1;
                    }
                    // Every stop is an ASCII byte: the slice ends on a character boundary.
                    self.out
                        .push_str(self.text.get(start..self.at).unwrap_or_default());
                }
            }
        }
        Ok(())
    }

    fn word(&mut self) -> &'t str {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or_default()
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }

    /// After `{`: `name}`, or (outside a plural form) `name -> one: … | other: …}`.
    fn placeholder(&mut self, in_form: bool) -> Result<(), &'static str> {
        let name = self.word();
        if name.is_empty() {
            return Err("{ must be followed by an argument name (write \\{ for the character)");
        }
        self.names.push(name);
        self.spaces();
        let value = self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a);
        if self.peek() == Some(b'}') {
            self.at += 1;
            match value {
                Some(Arg::Text(t)) => self.out.push_str(t),
                Some(Arg::Count(n)) => self.out.push_str(&n.to_string()),
                // Made text by the catalogue before it comes here.
                Some(Arg::Part(..)) => {}
                None => {
                    self.out.push('{');
                    self.out.push_str(name);
                    self.out.push('}');
                }
            }
            return Ok(());
        }
        let arrow = self
            .text
            .get(self.at..)
            .is_some_and(|r| r.starts_with("->"));
        if in_form || !arrow {
            return Err("an argument is written {name}, a plural {count -> one: … | other: …}");
        }
        self.at += 2;
        let one = matches!(value, Some(Arg::Count(n)) if is_one(self.lang, *n));
        let (mut one_form, mut other_form) = (None, None);
        loop {
            self.spaces();
            let key = self.word();
            if self.peek() != Some(b':') {
                return Err("each plural form starts with one: or other:");
            }
            self.at += 1;
            self.spaces();
            let start = self.out.len();
            self.run(true)?;
            let form = self.out.split_off(start);
            // Spaces before `|` separate the forms; they are not part of the text.
            let form = form.trim_end().to_string();
            match key {
                "one" => one_form = Some(form),
                "other" => other_form = Some(form),
                _ => return Err("a plural form is one: or other:"),
            }
            self.at += 1;
            match self.text.as_bytes().get(self.at - 1) {
                Some(b'|') => continue,
                Some(b'}') => break,
                _ => return Err("a plural is not closed with }"),
            }
        }
        let Some(other) = other_form else {
            return Err("a plural needs an other: form");
        };
        self.out
            .push_str(&one_form.filter(|_| one).unwrap_or(other));
        Ok(())
    }
}
