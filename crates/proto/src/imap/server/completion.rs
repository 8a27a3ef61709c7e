//! The tagged status response that ends a command (RFC 9051 §7.1): `tag OK [code] text`,
//! or NO or BAD, built in one place so every completion has the same shape.

/// One tagged OK, NO or BAD line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Completion {
    tag: String,
    status: &'static str,
    code: Option<String>,
    text: String,
}

impl Completion {
    fn new(tag: &str, status: &'static str) -> Self {
        Completion {
            tag: tag.to_string(),
            status,
            code: None,
            text: String::new(),
        }
    }

    pub(super) fn ok(tag: &str) -> Self {
        Self::new(tag, "OK")
    }

    pub(super) fn no(tag: &str) -> Self {
        Self::new(tag, "NO")
    }

    pub(super) fn bad(tag: &str) -> Self {
        Self::new(tag, "BAD")
    }

    /// `tag OK NAME completed`: the plain success.
    pub(super) fn done(tag: &str, name: &str) -> Self {
        Self::ok(tag).text(format!("{name} completed"))
    }

    /// `NO [NONEXISTENT]` (RFC 5530): no mailbox has that name.
    pub(super) fn nonexistent(tag: &str) -> Self {
        Self::no(tag)
            .code("NONEXISTENT")
            .text("Mailbox doesn't exist")
    }

    /// `NO [TRYCREATE]` (RFC 9051 §7.1): the target mailbox of APPEND, COPY or MOVE does not
    /// exist, and CREATE could make it.
    #[cfg(feature = "mailboxes")]
    pub(super) fn try_create(tag: &str) -> Self {
        Self::no(tag)
            .code("TRYCREATE")
            .text("Mailbox doesn't exist")
    }

    /// `NO [READ-ONLY]`: the mailbox was opened with EXAMINE, so nothing in it may change.
    pub(super) fn read_only(tag: &str) -> Self {
        Self::no(tag)
            .code("READ-ONLY")
            .text("The mailbox was opened with EXAMINE")
    }

    /// The response code, written in brackets before the text.
    pub(super) fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The human-readable text.
    pub(super) fn text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }

    /// The line, CRLF included.
    pub(super) fn write_to(&self, out: &mut Vec<u8>) {
        let Completion {
            tag,
            status,
            code,
            text,
        } = self;
        let line = match code {
            Some(code) => format!("{tag} {status} [{code}] {text}\r\n"),
            None => format!("{tag} {status} {text}\r\n"),
        };
        out.extend(line.bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::Completion;

    fn line(done: Completion) -> String {
        let mut out = Vec::new();
        done.write_to(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_are_written_as_rfc_9051_shows_them() {
        assert_eq!(
            line(Completion::done("a1", "NOOP")),
            "a1 OK NOOP completed\r\n"
        );
        assert_eq!(
            line(
                Completion::ok("A142")
                    .code("READ-WRITE")
                    .text("SELECT completed")
            ),
            "A142 OK [READ-WRITE] SELECT completed\r\n"
        );
        assert_eq!(
            line(Completion::bad("*").text("Unknown command")),
            "* BAD Unknown command\r\n"
        );
        assert_eq!(
            line(Completion::read_only("a")),
            "a NO [READ-ONLY] The mailbox was opened with EXAMINE\r\n"
        );
    }
}
