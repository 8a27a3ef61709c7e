//! A move written as JSON, in the lesson files' own form (`{"fault": "no-mx"}`), so that what
//! a student did can be kept with the progress and read back by the same reader.

use super::json::quote;
use super::moves::{Letter, Move, OutgoingSettings, ProtocolName, Settings, Which};

impl Move {
    /// The move as a lesson file writes it; the page's step faults as `drop_after_step` and
    /// `lose_at_step` (the step, from 0).
    pub fn to_json(&self) -> String {
        let (key, value) = match self {
            Move::Bob(b) => ("bob", quote(&String::from(*b))),
            Move::Fault(f) => ("fault", quote(&String::from(*f))),
            Move::ClearFault(f) => ("clear_fault", quote(&String::from(*f))),
            Move::DropAfter(line) => ("drop_after", quote(line)),
            Move::LoseAt(line) => ("lose_at", quote(line)),
            Move::DropAfterStep(n) => ("drop_after_step", n.to_string()),
            Move::LoseAtStep(n) => ("lose_at_step", n.to_string()),
            Move::Set(s) => ("set", settings(s)),
            Move::Outgoing(o) => ("outgoing", outgoing(o)),
            Move::Compose(l) => ("compose", letter(l)),
            Move::SendNext(l) => ("send_next", letter(l)),
            Move::Act(a) => ("act", quote(&String::from(*a))),
            Move::Keep(keep) => ("keep", keep.to_string()),
        };
        format!("{{\"{key}\": {value}}}")
    }
}

fn letter(l: &Letter) -> String {
    format!(
        "{{\"subject\": {}, \"body\": {}}}",
        quote(&l.subject),
        quote(&l.body)
    )
}

fn settings(s: &Settings) -> String {
    let device = match s.device {
        Which::Phone => "phone",
        Which::Laptop => "laptop",
    };
    let mut fields = vec![format!("\"device\": \"{device}\"")];
    if let Some(p) = s.protocol {
        let p = match p {
            ProtocolName::Pop3 => "pop3",
            ProtocolName::Imap => "imap",
        };
        fields.push(format!("\"protocol\": \"{p}\""));
    }
    if let Some(keep) = s.keep {
        fields.push(format!("\"keep\": {keep}"));
    }
    for (key, text) in [
        ("server", &s.server),
        ("user", &s.user),
        ("password", &s.password),
    ] {
        if let Some(text) = text {
            fields.push(format!("\"{key}\": {}", quote(text)));
        }
    }
    if let Some(port) = s.port {
        fields.push(format!("\"port\": {port}"));
    }
    if let Some(security) = s.security {
        fields.push(format!("\"security\": {}", quote(&String::from(security))));
    }
    format!("{{{}}}", fields.join(", "))
}

fn outgoing(o: &OutgoingSettings) -> String {
    let mut fields = Vec::new();
    if let Some(server) = &o.server {
        fields.push(format!("\"server\": {}", quote(server)));
    }
    if let Some(port) = o.port {
        fields.push(format!("\"port\": {port}"));
    }
    if let Some(security) = o.security {
        fields.push(format!("\"security\": {}", quote(&String::from(security))));
    }
    if let Some(user) = &o.user {
        fields.push(format!("\"user\": {}", quote(user)));
    }
    format!("{{{}}}", fields.join(", "))
}
