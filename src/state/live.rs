//! The live page's state: the sessions the bridge streams, each growing into a timeline the
//! explorer's panels draw, the one selected, and the connection to the bridge. Pure: the page
//! feeds it the stream's records and the user's actions.

use std::collections::HashMap;
use std::rc::Rc;

use postroom_proto::base64::{self, Alphabet};
use postroom_proto::i18n::{Arg, Message, Said, Text};
use postroom_proto::live::{self, LiveEvent, Record, Sender, Settings};
use postroom_proto::{msg, text, Duration, Explanation, Instant, RfcRef};
use postroom_sim::{
    Direction, Host, HostId, MailboxEntry, MailboxView, Phase, Protocol, Step, Timeline,
};
use yew::Reducible;

use super::{Playback, PlaybackAction};

/// Sessions the page keeps, as the bridge does; the oldest go first.
pub const KEPT: usize = 200;

/// The connection to the bridge's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Open,
    /// Lost after it was open: trying again in so many seconds.
    Retrying(u32),
    /// Never reached: the page is served without the bridge (trying again, slowly).
    NoBridge(u32),
}

/// Where a session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Open,
    Closed(live::Told),
}

/// One session as the page knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSession {
    pub id: u64,
    pub protocol: Protocol,
    pub service: String,
    pub client: String,
    pub port: u16,
    pub user: Option<String>,
    pub tls: bool,
    pub progress: Progress,
    /// What happened besides the lines: logins, messages stored, mailboxes changed.
    pub events: Vec<Text>,
    pub timeline: Rc<Timeline>,
    /// The server's state after its last line.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiveState {
    pub settings: Option<Settings>,
    pub sessions: Vec<LiveSession>,
    pub selected: Option<u64>,
    pub playback: Playback,
    /// Follow the newest line: off once the user steps back, on again at the last step.
    pub follow: bool,
    pub link: Link,
    /// The last record's number: a reconnect asks for what follows.
    pub last_seq: u64,
    /// The bridge's notes (old sessions dropped).
    pub notes: Vec<String>,
    pub bytes: bool,
    pub speed: u32,
    /// Every mailbox as the stream has told it so far.
    mailboxes: Rc<Vec<MailboxView>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiveAction {
    /// One WebSocket message: JSON records, one a line.
    Records(String),
    Link(Link),
    Select(u64),
    Play(PlaybackAction),
    ToggleBytes,
    SetSpeed(u32),
}

impl Default for LiveState {
    fn default() -> Self {
        LiveState {
            settings: None,
            sessions: Vec::new(),
            selected: None,
            playback: Playback::new(0),
            follow: true,
            link: Link::Connecting,
            last_seq: 0,
            notes: Vec::new(),
            bytes: false,
            speed: 100,
            mailboxes: Rc::new(Vec::new()),
        }
    }
}

/// An RFC section as the explanation needs it. The engine's sections are a small fixed set:
/// each is kept once for the page's life, and past a bound an unknown one reads as "?".
fn section(text: &str) -> &'static str {
    thread_local! {
        static KNOWN: std::cell::RefCell<HashMap<String, &'static str>> =
            std::cell::RefCell::new(HashMap::new());
    }
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        if let Some(s) = known.get(text) {
            return *s;
        }
        if known.len() >= 1000 {
            return "?";
        }
        let kept: &'static str = Box::leak(text.to_string().into_boxed_str());
        known.insert(text.to_string(), kept);
        kept
    })
}

fn protocol(name: &str) -> Protocol {
    match name {
        "POP3" => Protocol::Pop3,
        "IMAP" => Protocol::Imap,
        _ => Protocol::Smtp,
    }
}

/// Where each protocol's RFC says how TLS starts.
fn tls_rfc(p: Protocol) -> RfcRef {
    match p {
        Protocol::Pop3 => RfcRef::new(2595, "4"),
        Protocol::Imap => RfcRef::new(9051, "6.2.1"),
        _ => RfcRef::new(3207, "4"),
    }
}

const CLIENT: HostId = HostId(0);
const SERVER: HostId = HostId(1);

impl LiveSession {
    fn phase(&self) -> Rc<Phase> {
        let name = self.protocol.name();
        Rc::new(Phase {
            label: if self.tls {
                text!("log.phase.tls", protocol = name)
            } else {
                Text::verbatim(name)
            },
            protocol: self.protocol,
        })
    }

    fn push(&mut self, at_ms: u64, step: StepParts, mailboxes: &Rc<Vec<MailboxView>>) {
        let fresh = self.phase();
        let tls = self.tls;
        let t = Rc::make_mut(&mut self.timeline);
        let at = Instant::ZERO + Duration::from_millis(at_ms);
        let (from, to, direction) = match step.from {
            Some(Sender::Client) => (CLIENT, SERVER, Direction::ClientToServer),
            Some(Sender::Server) => (SERVER, CLIENT, Direction::ServerToClient),
            None => (SERVER, SERVER, Direction::Local),
        };
        let phase = t
            .steps
            .last()
            .filter(|s| s.encrypted == tls)
            .map_or(fresh, |s| s.phase.clone());
        t.steps.push(Step {
            sent_at: at,
            arrived_at: at,
            from,
            to,
            protocol: self.protocol,
            direction,
            bytes: step.bytes,
            note: None,
            explanation: step.explanation,
            // A real program's state is its own: the bridge sees only what it sends.
            client_state: text!("live.state.client"),
            server_state: Text::verbatim(self.state.clone()),
            encrypted: tls,
            connection: if direction == Direction::Local { 0 } else { 1 },
            phase,
            mailboxes: mailboxes.clone(),
        });
    }

    /// The session as a log in RFC style (`C:`/`S:`), as the paste-a-log reader takes it.
    pub fn log(&self) -> String {
        let mut out = format!(
            "# Postroom live: {} session #{} from {} to port {}\n",
            self.protocol.name(),
            self.id,
            self.client,
            self.port
        );
        for step in &self.timeline.steps {
            let mark = match step.direction {
                Direction::ClientToServer => "C:",
                Direction::ServerToClient => "S:",
                Direction::Local => {
                    if step.explanation.title.starts_with("TLS") {
                        out.push_str("C: <starts TLS negotiation>\n");
                    }
                    continue;
                }
            };
            for line in step.lines() {
                out.push_str(&format!("{mark} {line}\n"));
            }
        }
        out
    }
}

struct StepParts {
    from: Option<Sender>,
    bytes: Vec<u8>,
    explanation: Explanation,
}

impl LiveState {
    pub fn session(&self, id: u64) -> Option<&LiveSession> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Every mailbox as the bridge last sent it; none before anything was stored.
    pub fn mailboxes(&self) -> &[MailboxView] {
        &self.mailboxes
    }

    pub fn selected_session(&self) -> Option<&LiveSession> {
        self.selected.and_then(|id| self.session(id))
    }

    fn session_mut(&mut self, id: u64) -> Option<&mut LiveSession> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// The session a record speaks of, made if the page missed its opening.
    fn session_for(&mut self, id: u64) -> Option<&mut LiveSession> {
        if self.session(id).is_none() {
            self.open(id, Protocol::Smtp, "?", "?", 0);
        }
        self.session_mut(id)
    }

    fn open(&mut self, id: u64, protocol: Protocol, service: &str, client: &str, port: u16) {
        let hostname = self
            .settings
            .as_ref()
            .map_or_else(|| "the bridge".to_string(), |s| s.hostname.clone());
        let name = protocol.name();
        let timeline = Timeline::new(
            vec![
                Host::new(
                    text!("live.host.client", client = client),
                    "",
                    text!("live.host.client-role", protocol = name),
                ),
                Host::new(
                    text!("live.host.bridge"),
                    &hostname,
                    text!("live.host.bridge-role", protocol = name, port = port),
                ),
            ],
            Vec::new(),
        );
        self.sessions.push(LiveSession {
            id,
            protocol,
            service: service.to_string(),
            client: client.to_string(),
            port,
            user: None,
            tls: false,
            progress: Progress::Open,
            events: Vec::new(),
            timeline: Rc::new(timeline),
            state: String::new(),
        });
        if self.sessions.len() > KEPT {
            self.sessions.remove(0);
        }
        if self.selected.is_none_or(|s| self.session(s).is_none()) || self.follow {
            self.select(id);
        }
    }

    fn select(&mut self, id: u64) {
        self.selected = Some(id);
        let len = self.session(id).map_or(0, |s| s.timeline.len());
        self.playback = Playback::at(len, len.saturating_sub(1));
        self.follow = true;
    }

    /// A mailbox as the bridge now has it: the view every later step carries.
    fn mailbox(&mut self, title: String, messages: Vec<live::Message>, more: usize) {
        let mut entries: Vec<MailboxEntry> = messages
            .into_iter()
            .map(|m| MailboxEntry {
                id: format!("UID {}", m.uid),
                subject: m.subject,
                size: m.size,
                flags: m.flags,
            })
            .collect();
        if more > 0 {
            entries.push(MailboxEntry {
                id: format!("+{more}"),
                subject: crate::t!("live.more", count = more).to_string(),
                size: 0,
                flags: Vec::new(),
            });
        }
        let views = Rc::make_mut(&mut self.mailboxes);
        match views.iter_mut().find(|v| *v.title == *title) {
            Some(view) => view.entries = entries,
            None => views.push(MailboxView {
                title: Text::verbatim(title),
                entries,
            }),
        }
    }

    fn record(&mut self, record: Record) {
        if record.seq > 0 {
            self.last_seq = self.last_seq.max(record.seq);
        }
        match record.event {
            LiveEvent::Hello(settings) => self.settings = Some(settings),
            LiveEvent::Dropped { note, .. } => {
                let note = crate::i18n::told(note);
                if !self.notes.contains(&note) {
                    self.notes = vec![note];
                }
            }
            LiveEvent::Opened {
                session,
                protocol: p,
                service,
                client,
                port,
            } => {
                if self.session(session).is_none() {
                    self.open(session, protocol(&p), &service, &client, port);
                }
            }
            LiveEvent::Line(line) => {
                let bytes = if line.base64 {
                    base64::decode(&line.text, Alphabet::Standard).unwrap_or_default()
                } else {
                    line.text.into_bytes()
                };
                // The bridge sends each explanation as a message too: shown in the class's
                // language, with the page's own notes added in the same language.
                let mut message = line.said.as_ref().and_then(Said::message);
                let mut why = line.why;
                let noted = |note: Text, message: Option<Message>| {
                    message.map(|m| {
                        msg!(
                            "live.line",
                            title = Arg::part(&m, "title"),
                            why = Arg::part(&m, "why"),
                            note = note
                        )
                    })
                };
                if line.masked {
                    // The bridge's English `why` already says so.
                    message = noted(text!("live.masked"), message);
                }
                if line.cut > 0 {
                    let note = text!("live.cut", count = line.cut);
                    why.push(' ');
                    why.push_str(&note);
                    message = noted(note, message);
                }
                let mut explanation = Explanation::new(
                    line.title,
                    why,
                    RfcRef::new(line.rfc, section(&line.section)),
                );
                explanation.message = message;
                let state = crate::i18n::told(line.state);
                let mailboxes = self.mailboxes.clone();
                if let Some(s) = self.session_for(line.session) {
                    s.state = state;
                    s.tls |= line.encrypted;
                    let parts = StepParts {
                        from: Some(line.from),
                        bytes,
                        explanation,
                    };
                    s.push(record.at_ms, parts, &mailboxes);
                }
            }
            LiveEvent::Tls { session, how } => {
                let mailboxes = self.mailboxes.clone();
                if let Some(s) = self.session_for(session) {
                    s.tls = true;
                    let rfc = tls_rfc(s.protocol);
                    let explanation =
                        Explanation::from_message(msg!("live.tls", how = how.arg()), rfc);
                    s.events.push(text!("live.tls-started", how = how.arg()));
                    let parts = StepParts {
                        from: None,
                        bytes: b"-- TLS started: encrypted on the wire from here --".to_vec(),
                        explanation,
                    };
                    s.push(record.at_ms, parts, &mailboxes);
                }
            }
            LiveEvent::LoggedIn {
                session,
                user,
                detail,
            } => {
                if let Some(s) = self.session_for(session) {
                    s.events.push(if detail.en.is_empty() {
                        text!("live.logged-in", user = user.as_str())
                    } else {
                        text!(
                            "live.logged-in-detail",
                            user = user.as_str(),
                            detail = detail.arg()
                        )
                    });
                    s.user = Some(user);
                }
            }
            LiveEvent::LoginFailed { session } => {
                if let Some(s) = self.session_for(session) {
                    s.events.push(text!("live.login-refused"));
                }
            }
            LiveEvent::Stored {
                session,
                mailbox,
                uid,
                size,
            } => {
                if let Some(s) = self.session_for(session) {
                    s.events.push(text!(
                        "live.stored",
                        mailbox = mailbox.as_str(),
                        uid = uid,
                        size = size
                    ));
                }
            }
            LiveEvent::Removed {
                session,
                mailbox,
                uids,
                how,
            } => {
                if let Some(s) = self.session_for(session) {
                    let list: Vec<String> = uids.iter().map(u32::to_string).collect();
                    s.events.push(text!(
                        "live.removed",
                        how = how.arg(),
                        count = uids.len(),
                        uids = list.join(", "),
                        mailbox = mailbox.as_str()
                    ));
                }
            }
            LiveEvent::Mailbox {
                mailbox,
                messages,
                more,
                ..
            } => self.mailbox(mailbox, messages, more),
            LiveEvent::Closed { session, how } => {
                if let Some(s) = self.session_for(session) {
                    s.progress = Progress::Closed(how);
                }
            }
        }
    }

    /// After new records: the selected session's playback grows, following the newest line
    /// unless the user stepped back.
    fn grow(&mut self) {
        let len = self.selected_session().map_or(0, |s| s.timeline.len());
        self.playback.len = len;
        if self.follow {
            self.playback.current = len.saturating_sub(1);
        }
        self.playback.current = self.playback.current.min(len.saturating_sub(1));
    }
}

impl Reducible for LiveState {
    type Action = LiveAction;

    fn reduce(self: Rc<Self>, action: LiveAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LiveAction::Records(text) => {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    // A line this page cannot read (a newer bridge) is skipped, not fatal.
                    if let Ok(record) = serde_json::from_str::<Record>(line) {
                        next.record(record);
                    }
                }
                next.grow();
            }
            LiveAction::Link(link) => next.link = link,
            LiveAction::Select(id) => next.select(id),
            LiveAction::Play(action) => {
                next.playback = next.playback.after(action);
                next.follow =
                    next.playback.current + 1 >= next.playback.len && !next.playback.playing;
            }
            LiveAction::ToggleBytes => next.bytes = !next.bytes,
            LiveAction::SetSpeed(speed) => next.speed = speed.clamp(25, 400),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
