//! Logs to try, one click away: real sessions captured from the tools (the fixtures of
//! tests/fixtures/logs), so a teacher can show the page without a log at hand.

/// One example log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its name in `data-example`, for tests.
    pub key: &'static str,
    /// Its title's id in the catalogue.
    pub title: &'static str,
    /// What it shows, in a few words: an id in the catalogue.
    pub about: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: [Example; 6] = [
    Example {
        key: "swaks",
        title: crate::id!("log.example.swaks"),
        about: crate::id!("log.example.swaks-about"),
        text: include_str!("../../../tests/fixtures/logs/swaks-submission-starttls.log"),
    },
    Example {
        key: "telnet-smtp",
        title: crate::id!("log.example.telnet-smtp"),
        about: crate::id!("log.example.telnet-smtp-about"),
        text: include_str!("../../../tests/fixtures/logs/telnet-smtp.log"),
    },
    Example {
        key: "poplib",
        title: crate::id!("log.example.poplib"),
        about: crate::id!("log.example.poplib-about"),
        text: include_str!("../../../tests/fixtures/logs/python-poplib.log"),
    },
    Example {
        key: "openssl-pop3",
        title: crate::id!("log.example.openssl-pop3"),
        about: crate::id!("log.example.openssl-pop3-about"),
        text: include_str!("../../../tests/fixtures/logs/openssl-pop3-renegotiating.log"),
    },
    Example {
        key: "imaplib",
        title: crate::id!("log.example.imaplib"),
        about: crate::id!("log.example.imaplib-about"),
        text: include_str!("../../../tests/fixtures/logs/python-imaplib.log"),
    },
    Example {
        key: "rawlog",
        title: crate::id!("log.example.rawlog"),
        about: crate::id!("log.example.rawlog-about"),
        text: include_str!("../../../tests/fixtures/logs/dovecot-imap-session.rawlog"),
    },
];
