//! Logs to try, one click away: real sessions captured from the tools (the fixtures of
//! tests/fixtures/logs), so a teacher can show the page without a log at hand.

/// One example log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its name in `data-example`, for tests.
    pub key: &'static str,
    pub title: &'static str,
    /// What it shows, in a few words.
    pub about: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: [Example; 6] = [
    Example {
        key: "swaks",
        title: "swaks: sending with STARTTLS and a password",
        about: "SMTP submission on port 587, AUTH PLAIN inside TLS",
        text: include_str!("../../../tests/fixtures/logs/swaks-submission-starttls.log"),
    },
    Example {
        key: "telnet-smtp",
        title: "telnet: SMTP typed by hand",
        about: "HELO, MAIL, RCPT, DATA with a dot-stuffed line, QUIT",
        text: include_str!("../../../tests/fixtures/logs/telnet-smtp.log"),
    },
    Example {
        key: "poplib",
        title: "Python poplib: fetching and deleting",
        about: "POP3 USER and PASS, STAT, LIST, UIDL, RETR, DELE, QUIT",
        text: include_str!("../../../tests/fixtures/logs/python-poplib.log"),
    },
    Example {
        key: "openssl-pop3",
        title: "openssl s_client: a POP3 session that dies",
        about: "s_client takes RETR as its own command: the session ends without QUIT",
        text: include_str!("../../../tests/fixtures/logs/openssl-pop3-renegotiating.log"),
    },
    Example {
        key: "imaplib",
        title: "Python imaplib: reading a mailbox",
        about: "IMAP LOGIN, SELECT, SEARCH, FETCH, STORE, CLOSE, LOGOUT",
        text: include_str!("../../../tests/fixtures/logs/python-imaplib.log"),
    },
    Example {
        key: "rawlog",
        title: "Dovecot rawlog: the server's side",
        about: "the same IMAP session as Dovecot recorded it",
        text: include_str!("../../../tests/fixtures/logs/dovecot-imap-session.rawlog"),
    },
];
