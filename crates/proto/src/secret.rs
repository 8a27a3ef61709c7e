//! Secrets on the wire: POP3's PASS, IMAP's LOGIN password, and the SASL payloads of AUTH and
//! AUTHENTICATE with the answers to their challenges. [`SecretFilter`] follows a dialogue as
//! it happens, one client line and one server unit at a time, and hides them; pasted logs
//! (postroom-sim) hide them in whole logs with the same [`hide`] and [`HIDDEN`].

/// What stands for a hidden secret.
pub const HIDDEN: &str = "••••••••";

/// `bytes` with the last occurrence of `secret` hidden.
pub fn hide(bytes: &[u8], secret: &[u8]) -> Option<Vec<u8>> {
    if secret.is_empty() {
        return None;
    }
    let at = bytes.windows(secret.len()).rposition(|w| w == secret)?;
    let mut masked = bytes.get(..at)?.to_vec();
    masked.extend_from_slice(HIDDEN.as_bytes());
    masked.extend_from_slice(bytes.get(at + secret.len()..)?);
    Some(masked)
}

/// Which protocol's secrets a filter looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Smtp,
    Pop3,
    Imap,
}

/// The longest IMAP LOGIN kept while its literals arrive; a longer one is hidden whole.
const LOGIN_LIMIT: usize = 8 * 1024;

/// Follows one connection's dialogue and hides the secrets of the client's lines.
#[derive(Debug, Clone)]
pub struct SecretFilter {
    dialect: Dialect,
    /// An AUTH/AUTHENTICATE exchange is under way: a challenge asks for a secret answer.
    sasl: bool,
    /// The next client line answers a challenge.
    answer_next: bool,
    /// An IMAP LOGIN sent in parts (literals): its lines so far.
    login: Option<Vec<u8>>,
}

/// The line without its line end.
fn text(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The line's words, upper-cased, split on spaces.
fn words(line: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(text(line))
        .split(' ')
        .map(str::to_ascii_uppercase)
        .collect()
}

/// Ends with a literal's announcement, `{n}` or `{n+}`: more of the command follows.
fn ends_with_literal(line: &[u8]) -> bool {
    let t = text(line);
    t.ends_with(b"}") && t.contains(&b'{')
}

impl SecretFilter {
    pub fn new(dialect: Dialect) -> Self {
        SecretFilter {
            dialect,
            sasl: false,
            answer_next: false,
            login: None,
        }
    }

    /// One unit the server sent: a challenge asks for a secret answer, anything else ends
    /// the exchange.
    pub fn server_unit(&mut self, unit: &[u8]) {
        let body = text(unit);
        let last = body.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        let last = text(last);
        let challenge = match self.dialect {
            Dialect::Smtp => unit.starts_with(b"334"),
            Dialect::Pop3 | Dialect::Imap => last.starts_with(b"+ ") || last == b"+",
        };
        if challenge && self.sasl {
            self.answer_next = true;
        } else {
            // IMAP's untagged news comes during a command and ends nothing.
            let news = self.dialect == Dialect::Imap && last.starts_with(b"* ");
            if challenge || news {
                return;
            }
            self.sasl = false;
            self.login = None;
        }
    }

    /// One line the client sent: the line with its secret hidden, or `None` when it holds
    /// none.
    pub fn client_line(&mut self, line: &[u8]) -> Option<Vec<u8>> {
        if std::mem::take(&mut self.answer_next) {
            let answer = text(line);
            // "*" cancels the exchange and hides nothing.
            return (answer != b"*").then(|| hide(line, answer)).flatten();
        }
        if let Some(mut login) = self.login.take() {
            login.extend_from_slice(line);
            return self.login_part(login, line);
        }
        let words = words(line);
        let word = |i: usize| words.get(i).map(String::as_str);
        let auth_at = match self.dialect {
            Dialect::Smtp | Dialect::Pop3 if word(0) == Some("AUTH") => Some(1),
            Dialect::Imap if word(1) == Some("AUTHENTICATE") => Some(2),
            _ => None,
        };
        if let Some(at) = auth_at {
            self.sasl = true;
            let initial = text(line).split(|&b| b == b' ').nth(at + 1)?;
            return (initial != b"=").then(|| hide(line, initial)).flatten();
        }
        match self.dialect {
            Dialect::Pop3 if word(0) == Some("PASS") => hide(line, text(line).get(5..)?),
            Dialect::Imap if word(1) == Some("LOGIN") => self.login_part(line.to_vec(), line),
            _ => None,
        }
    }

    /// A LOGIN's line: its password is the last argument, so it is in the command's last
    /// line, once no literal is announced.
    fn login_part(&mut self, whole: Vec<u8>, line: &[u8]) -> Option<Vec<u8>> {
        if ends_with_literal(line) {
            if whole.len() > LOGIN_LIMIT {
                return hide(line, text(line));
            }
            self.login = Some(whole);
            return None;
        }
        match crate::imap::decode::command(&whole) {
            Ok((_, crate::imap::Command::Login { password, .. })) => {
                let escaped = password.replace('\\', "\\\\").replace('"', "\\\"");
                hide(line, password.as_bytes()).or_else(|| hide(line, escaped.as_bytes()))
            }
            // Not a LOGIN the server can read: hide what follows the user name, to be safe.
            _ => {
                let t = text(line);
                let at = t.iter().rposition(|&b| b == b' ')?;
                hide(line, t.get(at + 1..)?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dialect: Dialect, dialogue: &[(&str, &str)]) -> Vec<String> {
        let mut filter = SecretFilter::new(dialect);
        let mut shown = Vec::new();
        for (side, line) in dialogue {
            if *side == "S" {
                filter.server_unit(line.as_bytes());
                shown.push(line.to_string());
            } else {
                let masked = filter.client_line(line.as_bytes());
                shown.push(masked.map_or(line.to_string(), |m| {
                    String::from_utf8_lossy(&m).into_owned()
                }));
            }
        }
        shown
    }

    #[test]
    fn only_the_last_occurrence_is_hidden() {
        assert_eq!(
            hide(b"a1 LOGIN bob bob\r\n", b"bob"),
            Some("a1 LOGIN bob ••••••••\r\n".as_bytes().to_vec())
        );
        assert_eq!(hide(b"PASS \r\n", b""), None);
    }

    #[test]
    fn smtp_auth_plain_and_login_are_hidden() {
        let shown = run(
            Dialect::Smtp,
            &[
                ("C", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"),
                ("S", "235 2.7.0 ok\r\n"),
                ("C", "AUTH LOGIN\r\n"),
                ("S", "334 VXNlcm5hbWU6\r\n"),
                ("C", "YWxpY2U=\r\n"),
                ("S", "334 UGFzc3dvcmQ6\r\n"),
                ("C", "c2VjcmV0\r\n"),
                ("S", "235 2.7.0 ok\r\n"),
                ("C", "MAIL FROM:<a@b>\r\n"),
            ],
        );
        assert_eq!(shown[0], "AUTH PLAIN ••••••••\r\n");
        assert_eq!(shown[4], "••••••••\r\n");
        assert_eq!(shown[6], "••••••••\r\n");
        assert_eq!(shown[8], "MAIL FROM:<a@b>\r\n");
    }

    #[test]
    fn pop3_pass_and_imap_login_are_hidden() {
        let shown = run(
            Dialect::Pop3,
            &[("C", "USER alice\r\n"), ("C", "PASS se cret\r\n")],
        );
        assert_eq!(shown, ["USER alice\r\n", "PASS ••••••••\r\n"]);
        let shown = run(
            Dialect::Imap,
            &[
                ("C", "a1 LOGIN alice \"se\\\"cret\"\r\n"),
                ("S", "a1 OK done\r\n"),
                ("C", "a2 LOGIN {5}\r\n"),
                ("S", "+ go on\r\n"),
                ("C", "alice {6}\r\n"),
                ("S", "+ go on\r\n"),
                ("C", "secret\r\n"),
                ("S", "a2 OK done\r\n"),
                ("C", "a3 SELECT INBOX\r\n"),
            ],
        );
        assert_eq!(shown[0], "a1 LOGIN alice \"••••••••\"\r\n");
        assert_eq!(shown[4], "alice {6}\r\n");
        assert_eq!(shown[6], "••••••••\r\n");
        assert_eq!(shown[8], "a3 SELECT INBOX\r\n");
    }

    #[test]
    fn imap_authenticate_answers_are_hidden_and_a_cancel_is_not() {
        let shown = run(
            Dialect::Imap,
            &[
                ("C", "a1 AUTHENTICATE PLAIN\r\n"),
                ("S", "+ \r\n"),
                ("C", "AGFsaWNlAHNlY3JldA==\r\n"),
                ("S", "a1 OK done\r\n"),
                ("C", "a2 AUTHENTICATE LOGIN\r\n"),
                ("S", "+ VXNlcm5hbWU6\r\n"),
                ("C", "*\r\n"),
            ],
        );
        assert_eq!(shown[2], "••••••••\r\n");
        assert_eq!(shown[6], "*\r\n");
    }
}
