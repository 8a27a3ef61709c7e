//! How each part of a lesson or results file is read from JSON: the same fields and names as
//! the types' serde derives (a test reads every lesson both ways), without serde_json's size.

use postroom_proto::i18n::Text;
use postroom_proto::text;

use super::goal::{Check, CheckKind, Counted, Side};
use super::json::{named, Cx, FormatError, FromJson, Node, Obj};
use super::moves::{
    ActCode, BobAction, FaultName, Kind, Letter, Move, OutgoingSettings, ProtocolName,
    SecurityName, Settings, Which,
};
use super::observe::{By, Place, Proto};
use super::predict::{AskedIn, Prediction};
use super::results::{LessonResult, Results};
use super::{Lesson, Level, RfcLink, Slide, Start};

/// Enums written as a name: the table of names, shared by the reader and the labels.
macro_rules! names {
    ($t:ty, [$($name:literal => $v:expr),+ $(,)?]) => {
        impl FromJson for $t {
            fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
                named(node, field, cx, &[$(($name, $v)),+])
            }
        }
    };
}

names!(Level, ["beginner" => Level::Beginner, "intermediate" => Level::Intermediate, "advanced" => Level::Advanced]);
names!(Which, ["phone" => Which::Phone, "laptop" => Which::Laptop]);
names!(ProtocolName, ["pop3" => ProtocolName::Pop3, "imap" => ProtocolName::Imap]);
names!(Side, ["pop3" => Side::Pop3, "imap" => Side::Imap]);
names!(Place, ["server" => Place::Server, "phone" => Place::Phone, "laptop" => Place::Laptop, "alice" => Place::Alice]);
names!(Proto, ["smtp" => Proto::Smtp, "dns" => Proto::Dns, "pop3" => Proto::Pop3, "imap" => Proto::Imap]);
names!(By, ["client" => By::Client, "server" => By::Server, "note" => By::Note]);
names!(Counted, ["commands" => Counted::Commands, "round_trips" => Counted::RoundTrips, "moves" => Counted::Moves]);
names!(AskedIn, ["start" => AskedIn::Start, "solution" => AskedIn::Solution]);
names!(CheckKind, [
    "message" => CheckKind::Message, "seen_agrees" => CheckKind::SeenAgrees, "holds" => CheckKind::Holds,
    "sent" => CheckKind::Sent, "reached" => CheckKind::Reached, "at_most" => CheckKind::AtMost,
]);
names!(Kind, [
    "bob" => Kind::Bob, "faults" => Kind::Faults, "step_faults" => Kind::StepFaults, "settings" => Kind::Settings, "outgoing" => Kind::Outgoing,
    "compose" => Kind::Compose, "send_next" => Kind::SendNext, "acts" => Kind::Acts, "keep" => Kind::Keep,
]);

/// The names whose meaning the moves module already knows (`check-phone`, `no-mx`, `pb`).
fn coded<T>(
    node: &Node,
    field: &str,
    cx: Cx<'_>,
    read: impl Fn(String) -> Result<T, String>,
) -> Result<T, FormatError> {
    let text = String::from_json(node, field, cx)?;
    read(text).map_err(|why| cx.error(node.at, field, Text::verbatim(why)))
}

impl FromJson for BobAction {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        coded(node, field, cx, BobAction::try_from)
    }
}

impl FromJson for FaultName {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        coded(node, field, cx, FaultName::try_from)
    }
}

impl FromJson for SecurityName {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        coded(node, field, cx, SecurityName::try_from)
    }
}

impl FromJson for ActCode {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        coded(node, field, cx, ActCode::try_from)
    }
}

impl FromJson for Settings {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &[
                "device", "protocol", "keep", "server", "user", "password", "port", "security",
            ],
        )?;
        let settings = Settings {
            device: o.req("device")?,
            protocol: o.opt("protocol")?,
            keep: o.opt("keep")?,
            server: o.opt("server")?,
            user: o.opt("user")?,
            password: o.opt("password")?,
            port: o.opt("port")?,
            security: o.opt("security")?,
        };
        Ok(settings)
    }
}

impl FromJson for OutgoingSettings {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(node, field, cx, &["server", "port", "security", "user"])?;
        let settings = OutgoingSettings {
            server: o.opt("server")?,
            port: o.opt("port")?,
            security: o.opt("security")?,
            user: o.opt("user")?,
        };
        Ok(settings)
    }
}

impl FromJson for Letter {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(node, field, cx, &["subject", "body"])?;
        let letter = Letter {
            subject: o.req("subject")?,
            body: o.req("body")?,
        };
        Ok(letter)
    }
}

impl FromJson for Move {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let (key, value) = Obj::single(node, field, cx)?;
        let inner = format!("{field}.{key}");
        let inner = inner.as_str();
        Ok(match key {
            "bob" => Move::Bob(FromJson::from_json(value, inner, cx)?),
            "fault" => Move::Fault(FromJson::from_json(value, inner, cx)?),
            "clear_fault" => Move::ClearFault(FromJson::from_json(value, inner, cx)?),
            "drop_after" => Move::DropAfter(FromJson::from_json(value, inner, cx)?),
            "lose_at" => Move::LoseAt(FromJson::from_json(value, inner, cx)?),
            "drop_after_step" => Move::DropAfterStep(FromJson::from_json(value, inner, cx)?),
            "lose_at_step" => Move::LoseAtStep(FromJson::from_json(value, inner, cx)?),
            "set" => Move::Set(FromJson::from_json(value, inner, cx)?),
            "outgoing" => Move::Outgoing(FromJson::from_json(value, inner, cx)?),
            "compose" => Move::Compose(FromJson::from_json(value, inner, cx)?),
            "send_next" => Move::SendNext(FromJson::from_json(value, inner, cx)?),
            "act" => Move::Act(FromJson::from_json(value, inner, cx)?),
            "keep" => Move::Keep(FromJson::from_json(value, inner, cx)?),
            _ => {
                return Err(cx.error(node.at, field, text!("lesson.format.not-a-move", key = key)))
            }
        })
    }
}

impl FromJson for Check {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &[
                "check",
                "label",
                "side",
                "once",
                "subject",
                "on",
                "folder",
                "read",
                "absent",
                "count",
                "line",
                "by",
                "protocol",
                "device",
                "encrypted",
                "at_least",
                "never",
                "state",
                "what",
                "max",
            ],
        )?;
        let check = Check {
            check: o.req("check")?,
            label: o.opt("label")?,
            side: o.opt("side")?,
            once: o.opt("once")?.unwrap_or(false),
            subject: o.opt("subject")?,
            on: o.opt("on")?,
            folder: o.opt("folder")?,
            read: o.opt("read")?,
            absent: o.opt("absent")?.unwrap_or(false),
            count: o.opt("count")?,
            line: o.opt("line")?,
            by: o.opt("by")?,
            protocol: o.opt("protocol")?,
            device: o.opt("device")?,
            encrypted: o.opt("encrypted")?,
            at_least: o.opt("at_least")?,
            never: o.opt("never")?.unwrap_or(false),
            state: o.opt("state")?,
            what: o.opt("what")?,
            max: o.opt("max")?,
        };
        Ok(check)
    }
}

impl FromJson for Prediction {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &["reply_to", "protocol", "nth", "world", "side", "device"],
        )?;
        let p = Prediction {
            reply_to: o.req("reply_to")?,
            protocol: o.opt("protocol")?,
            nth: o.opt("nth")?,
            world: o.opt("world")?.unwrap_or_default(),
            side: o.opt("side")?,
            device: o.opt("device")?,
        };
        Ok(p)
    }
}

impl FromJson for RfcLink {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(node, field, cx, &["rfc", "section"])?;
        let link = RfcLink {
            rfc: o.req("rfc")?,
            section: o.req("section")?,
        };
        Ok(link)
    }
}

impl FromJson for Slide {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(node, field, cx, &["text", "rfc"])?;
        let slide = Slide {
            text: o.req("text")?,
            rfc: o.opt("rfc")?.unwrap_or_default(),
        };
        Ok(slide)
    }
}

impl FromJson for Start {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let (key, value) = Obj::single(node, field, cx)?;
        let inner = format!("{field}.{key}");
        match key {
            "explorer" => Ok(Start::Explorer(String::from_json(value, &inner, cx)?)),
            "compare" => Ok(Start::Compare(String::from_json(value, &inner, cx)?)),
            _ => Err(cx.error(
                node.at,
                field,
                text!("lesson.format.not-a-world", key = key),
            )),
        }
    }
}

impl FromJson for Lesson {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &[
                "id",
                "title",
                "level",
                "intro",
                "start",
                "allow",
                "goal",
                "hints",
                "solution",
                "predictions",
            ],
        )?;
        let lesson = Lesson {
            id: o.req("id")?,
            title: o.req("title")?,
            level: o.req("level")?,
            intro: o.req("intro")?,
            start: o.req("start")?,
            allow: o.req("allow")?,
            goal: o.req("goal")?,
            hints: o.opt("hints")?.unwrap_or_default(),
            solution: o.req("solution")?,
            predictions: o.opt("predictions")?.unwrap_or_default(),
        };
        Ok(lesson)
    }
}

impl FromJson for LessonResult {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &[
                "id",
                "title",
                "done",
                "moves",
                "solution_moves",
                "predictions_right",
                "predictions_wrong",
                "hints",
                "solution_shown",
                "attempt",
            ],
        )?;
        let r = LessonResult {
            id: o.req("id")?,
            title: o.opt("title")?.unwrap_or_default(),
            done: o.req("done")?,
            moves: o.req("moves")?,
            solution_moves: o.req("solution_moves")?,
            predictions_right: o.req("predictions_right")?,
            predictions_wrong: o.req("predictions_wrong")?,
            hints: o.opt("hints")?.unwrap_or_default(),
            solution_shown: o.opt("solution_shown")?.unwrap_or_default(),
            attempt: o.opt("attempt")?.unwrap_or_default(),
        };
        Ok(r)
    }
}

impl FromJson for Results {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let o = Obj::new(
            node,
            field,
            cx,
            &["postroom_results", "date", "name", "lessons"],
        )?;
        let r = Results {
            postroom_results: o.req("postroom_results")?,
            date: o.req("date")?,
            name: o.opt("name")?.unwrap_or_default(),
            lessons: o.req("lessons")?,
        };
        Ok(r)
    }
}
