//! POP3's units: one line per command, a status line, and for the commands that have one
//! (RETR, LIST, UIDL, TOP, CAPA) the lines after it up to the line holding only a period.

use std::collections::VecDeque;

use postroom_proto::pop3::Pop3Narrator;
use postroom_proto::session::Narrator;
use postroom_proto::RfcRef;

use super::{left_out, Builder, Dialogue, Kind};
use crate::log::record::Side;

#[derive(Debug)]
pub(super) struct Pop3 {
    narrator: Pop3Narrator,
    /// For each response still to come, whether it answers STLS.
    stls: VecDeque<bool>,
    greeted: bool,
    /// The server's "+ " asks for the client's next line.
    challenged: bool,
    /// A multi-line response is open: its lines run to the period.
    body: bool,
    /// The open body's end is known to be left out of the log.
    told: bool,
    tls_accepted: bool,
}

impl Pop3 {
    /// `greeted`: the log shows the greeting; if not, the narrator is told of one.
    pub fn new(greeted: bool) -> Self {
        let mut narrator = Pop3Narrator::new();
        if !greeted {
            narrator.server_unit(b"+OK\r\n");
        }
        Pop3 {
            narrator,
            stls: VecDeque::new(),
            greeted: !greeted,
            challenged: false,
            body: false,
            told: false,
            tls_accepted: false,
        }
    }

    /// Finishes the open response; `whole` is what the narrator reads (the log's lines, with
    /// a period added where the log left the end out).
    fn finish(&mut self, b: &mut Builder, whole: &[u8]) {
        b.finish(self.narrator.server_unit(whole));
        self.body = false;
        self.told = false;
        let stls = if std::mem::replace(&mut self.greeted, true) {
            self.stls.pop_front().unwrap_or(false)
        } else {
            false
        };
        self.tls_accepted = stls && whole.starts_with(b"+OK");
    }
}

fn text(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_challenge(line: &[u8]) -> bool {
    line.starts_with(b"+ ") || text(line) == b"+"
}

impl Dialogue for Pop3 {
    fn side_of(&self, line: &[u8]) -> Side {
        if self.body {
            Side::Server
        } else if self.challenged {
            Side::Client
        } else if line.starts_with(b"+OK") || line.starts_with(b"-ERR") || is_challenge(line) {
            Side::Server
        } else {
            Side::Client
        }
    }

    fn line(&mut self, b: &mut Builder, side: Side, line: &[u8], at: usize) {
        match side {
            Side::Client => {
                let kind = if std::mem::take(&mut self.challenged) {
                    Kind::Continuation
                } else {
                    Kind::Command
                };
                b.start(Side::Client, kind, line, at);
                b.finish(self.narrator.client_line(&super::as_sent(line)));
                self.stls
                    .push_back(text(line).eq_ignore_ascii_case(b"STLS"));
            }
            Side::Server if self.body => {
                b.append(line, at);
                if text(line) == b"." {
                    let whole = b.open.as_ref().map(|o| o.bytes.clone()).unwrap_or_default();
                    self.finish(b, &whole);
                }
            }
            Side::Server => {
                b.start(Side::Server, Kind::Reply, line, at);
                if self.greeted && self.narrator.expects_multiline() && line.starts_with(b"+OK") {
                    self.body = true;
                } else {
                    self.challenged = is_challenge(line);
                    self.finish(b, line);
                }
            }
        }
    }

    fn cut(&mut self, b: &mut Builder, side: Side) {
        if side == Side::Server {
            // The client speaks before the period: the log left the body's end out.
            b.incomplete();
            let at = b.open.as_ref().map_or(0, |o| o.lines.1);
            let mut whole = b.open.as_ref().map(|o| o.bytes.clone()).unwrap_or_default();
            whole.extend_from_slice(b".\r\n");
            let told = self.told;
            self.finish(b, &whole);
            if !told {
                left_out(b, "this response's lines", None, RfcRef::new(1939, "3"), at);
            }
        }
    }

    fn omitted(&mut self, b: &mut Builder, side: Side, octets: Option<usize>, at: usize) {
        if side == Side::Server && self.body {
            b.incomplete();
            self.told = true;
        }
        left_out(
            b,
            "this response's lines",
            octets,
            RfcRef::new(1939, "3"),
            at,
        );
    }

    fn inside_content(&self) -> bool {
        self.body
    }

    fn tls_accepted(&mut self) -> bool {
        std::mem::take(&mut self.tls_accepted)
    }

    fn dialogue_rule(&self) -> RfcRef {
        RfcRef::new(1939, "3")
    }

    fn tls_rule(&self) -> RfcRef {
        RfcRef::new(2595, "4")
    }
}
