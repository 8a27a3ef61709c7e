//! SMTP's units: one line per command, the message from 354 to its period, and a reply up to
//! its last line (`250 ` after `250-` lines).

use std::collections::VecDeque;

use postroom_proto::session::Narrator;
use postroom_proto::smtp::{self, SmtpNarrator};
use postroom_proto::RfcRef;

use super::{left_out, Builder, Dialogue, Kind};
use crate::log::record::Side;

#[derive(Debug)]
pub(super) struct Smtp {
    narrator: SmtpNarrator,
    /// For each reply still to come, whether it answers STARTTLS.
    starttls: VecDeque<bool>,
    greeted: bool,
    tls_accepted: bool,
    /// Octets of the open message the log leaves out, once it says so.
    left_out: Option<usize>,
}

impl Smtp {
    /// `greeted`: the log shows the greeting; if not, the narrator is told of one.
    pub fn new(greeted: bool) -> Self {
        let mut narrator = SmtpNarrator::new();
        if !greeted {
            narrator.server_unit(b"220 \r\n");
        }
        Smtp {
            narrator,
            starttls: VecDeque::new(),
            greeted: !greeted,
            tls_accepted: false,
            left_out: None,
        }
    }

    fn finish_message(&mut self, b: &mut Builder) {
        let Some(open) = b.open.as_ref() else {
            return;
        };
        if open.bytes.is_empty() && self.left_out.is_none_or(|n| n == 0) {
            // Nothing of it is shown, not even its size: what a line of it is, is all there
            // is to say (the narrator is told of one, then of the period).
            self.left_out = None;
            let line = self.narrator.client_line(b"\r\n");
            self.narrator.client_line(b".\r\n");
            b.finish(line);
            self.starttls.push_back(false);
            return;
        }
        let stuffed = open
            .bytes
            .split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b".."))
            .count();
        let ends = open.bytes.ends_with(b"\r\n.\r\n") || open.bytes == b".\r\n";
        let shown = open
            .bytes
            .len()
            .saturating_sub(if ends { 3 + stuffed } else { stuffed });
        let size = shown + self.left_out.take().unwrap_or(0);
        b.finish(smtp::explain::data_content(size, stuffed));
        self.starttls.push_back(false);
    }
}

/// `250-`: more lines of this reply follow.
fn continues(line: &[u8]) -> bool {
    line.get(..3)
        .is_some_and(|c| c.iter().all(u8::is_ascii_digit))
        && line.get(3) == Some(&b'-')
}

/// A line only a server sends: a reply code, then a space, a dash or the line end.
fn is_reply(line: &[u8]) -> bool {
    line.get(..3)
        .is_some_and(|c| c.iter().all(u8::is_ascii_digit))
        && matches!(line.get(3), None | Some(b' ' | b'-' | b'\r' | b'\n'))
}

impl Dialogue for Smtp {
    fn side_of(&self, line: &[u8]) -> Side {
        if self.narrator.in_data() {
            Side::Client
        } else if is_reply(line) {
            Side::Server
        } else {
            Side::Client
        }
    }

    fn line(&mut self, b: &mut Builder, side: Side, line: &[u8], at: usize) {
        match side {
            Side::Client if self.narrator.in_data() => {
                if b.open.is_none() {
                    b.start(Side::Client, Kind::Message, line, at);
                } else {
                    b.append(line, at);
                }
                self.narrator.client_line(line);
                if !self.narrator.in_data() {
                    self.finish_message(b);
                }
            }
            Side::Client => {
                let kind = if b.units.last().is_some_and(|u| u.bytes.starts_with(b"334")) {
                    Kind::Continuation
                } else {
                    Kind::Command
                };
                let is_starttls = line.eq_ignore_ascii_case(b"STARTTLS\r\n");
                b.start(Side::Client, kind, line, at);
                b.finish(self.narrator.client_line(&super::as_sent(line)));
                self.starttls.push_back(is_starttls);
            }
            Side::Server => {
                if b.open.is_none() {
                    b.start(Side::Server, Kind::Reply, line, at);
                } else {
                    b.append(line, at);
                }
                if !continues(line) {
                    let bytes = b.open.as_ref().map(|o| o.bytes.clone()).unwrap_or_default();
                    b.finish(self.narrator.server_unit(&bytes));
                    let answers_starttls = if std::mem::replace(&mut self.greeted, true) {
                        self.starttls.pop_front().unwrap_or(false)
                    } else {
                        false
                    };
                    self.tls_accepted = answers_starttls && bytes.starts_with(b"2");
                }
            }
        }
    }

    fn cut(&mut self, b: &mut Builder, side: Side) {
        match side {
            Side::Client => {
                // The server answers while the message is still open: the log has left its
                // end out. The narrator hears the period it missed.
                b.incomplete();
                let at = b.open.as_ref().map_or(0, |o| o.lines.1);
                let told = self.left_out.is_some();
                if b.open.as_ref().is_some_and(|o| !o.bytes.is_empty()) || told {
                    self.narrator.client_line(b".\r\n");
                }
                self.finish_message(b);
                if !told {
                    left_out(
                        b,
                        "the message's end",
                        None,
                        RfcRef::new(5321, "4.1.1.4"),
                        at,
                    );
                }
            }
            Side::Server => {
                b.incomplete();
                let bytes = b.open.as_ref().map(|o| o.bytes.clone()).unwrap_or_default();
                b.finish(self.narrator.server_unit(&bytes));
                self.starttls.pop_front();
            }
        }
    }

    fn omitted(&mut self, b: &mut Builder, side: Side, octets: Option<usize>, at: usize) {
        let what = if side == Side::Client && self.narrator.in_data() {
            if b.open.is_none() {
                b.start(Side::Client, Kind::Message, b"", at);
            }
            b.incomplete();
            *self.left_out.get_or_insert(0) += octets.unwrap_or(0);
            "the message"
        } else {
            "this exchange"
        };
        left_out(b, what, octets, RfcRef::new(5321, "4.1.1.4"), at);
    }

    fn inside_content(&self) -> bool {
        self.narrator.in_data()
    }

    fn tls_accepted(&mut self) -> bool {
        std::mem::take(&mut self.tls_accepted)
    }

    fn dialogue_rule(&self) -> RfcRef {
        RfcRef::new(5321, "3")
    }

    fn tls_rule(&self) -> RfcRef {
        RfcRef::new(3207, "4")
    }

    fn before_server_line(&mut self, b: &mut Builder, at: usize) {
        // A reply while the narrator waits for message lines: the log (Postfix's smtpd)
        // leaves the message out entirely.
        if self.narrator.in_data() && b.open.is_none() {
            b.start(Side::Client, Kind::Message, b"", at);
            b.incomplete();
            self.finish_message(b);
            left_out(b, "the message", None, RfcRef::new(5321, "4.1.1.4"), at);
        }
    }
}
