//! The log page's state: the log pasted (or dropped, or an example), how the engine read
//! it, the protocol chosen over the one detected, whether secrets show, and the step shown
//! of the session's timeline. Every read and every change of protocol reads the log once;
//! revealing secrets only redraws its timeline. Pure, no DOM.

pub mod examples;
pub mod link;

use std::rc::Rc;

use postroom_sim::log::{self, Log, Options, Side, Unrecognised};
use postroom_sim::{Protocol, Timeline};
use yew::Reducible;

use super::console::link as console_link;
use super::playback::{Playback, PlaybackAction};

/// A text longer than this is long: the page says it is reading before it reads it, and
/// does not put it back in the text area (a browser takes seconds to lay out a megabyte
/// there).
pub const LONG: usize = 100_000;

/// What was given to read: a pasted text, or a Dovecot rawlog's two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(Rc<str>),
    /// What the server received (`.in`) and sent (`.out`).
    Rawlog {
        input: Rc<str>,
        output: Rc<str>,
    },
}

impl Input {
    /// The text the text area shows for it.
    pub fn text(&self) -> Rc<str> {
        match self {
            Input::Text(text) => Rc::clone(text),
            Input::Rawlog { input, output } => Rc::from(format!(
                "==> session.in <==\n{input}\n==> session.out <==\n{output}\n"
            )),
        }
    }

    fn read(&self, protocol: Option<Protocol>) -> Result<Log, Unrecognised> {
        let options = Options {
            protocol,
            ..Options::default()
        };
        match self {
            Input::Text(text) => log::read(text, &options),
            Input::Rawlog { input, output } => log::read_rawlog(input, output, &options),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogState {
    pub input: Input,
    /// Where it came from, for the bar: "pasted text", a file's name, an example's title.
    pub source: String,
    /// The protocol chosen over the one detected; None: as detected.
    pub protocol: Option<Protocol>,
    /// None until something is read; then the log, or why it could not be read.
    pub read: Option<Result<Rc<Log>, Unrecognised>>,
    /// The session as the diagram and transcript show it (empty while nothing is read).
    pub timeline: Rc<Timeline>,
    pub playback: Playback,
    /// Passwords and SASL payloads are shown.
    pub reveal: bool,
    /// The text area is shown instead of the session (always, until a log is read).
    pub editing: bool,
    pub speed: u32,
    /// The transcript shows the octets.
    pub bytes: bool,
    /// The fragment of the console's link that goes on with the session (see
    /// `console_fragment`), made once per reading: a long log has thousands of lines.
    pub console: Option<Rc<str>>,
    /// The share banner: the link, or why there is none.
    pub share: Option<Result<String, String>>,
    /// A warning under the bar: a link that could not be opened.
    pub banner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LogAction {
    /// Read this (the text area, a file dropped, an example, a link); `source` names it.
    Read {
        input: Input,
        source: String,
    },
    /// Read the log again as this protocol (None: as detected); the step shown stays.
    Protocol(Option<Protocol>),
    ToggleReveal,
    Play(PlaybackAction),
    /// Go to the step of a finding (its index in the log's findings).
    GoToFinding(usize),
    /// Back to the text area, to paste another log.
    Edit,
    /// Back to the session read, leaving the text area.
    CloseEdit,
    SetSpeed(u32),
    ToggleBytes,
    /// The Share button: the link made for what is on screen, or why there is none.
    Shared(Result<String, String>),
    DismissShare,
    DismissBanner,
}

impl Default for LogState {
    fn default() -> Self {
        LogState::new(None)
    }
}

impl LogState {
    /// The page as it opens: the text area, with a warning if the page's link could not be
    /// read.
    pub fn new(banner: Option<String>) -> Self {
        LogState {
            input: Input::Text(Rc::from("")),
            source: String::new(),
            protocol: None,
            read: None,
            timeline: Rc::new(empty()),
            playback: Playback::new(0),
            reveal: false,
            editing: true,
            speed: 100,
            bytes: false,
            console: None,
            share: None,
            banner,
        }
    }

    /// The page as a link opens it (`#log=…`), or the text area; a link that cannot be read
    /// says why in the banner.
    pub fn start(hash: Option<&str>) -> Self {
        match hash.and_then(link::open) {
            None => LogState::new(None),
            Some(Err(why)) => LogState::new(Some(why)),
            Some(Ok(opened)) => {
                let mut state = LogState::new(None);
                state.input = Input::Text(Rc::from(opened.transcript));
                state.source = crate::t!("log.shared").to_string();
                state.read_as(opened.protocol, opened.step);
                state
            }
        }
    }

    /// The log read, if it could be.
    pub fn log(&self) -> Option<&Rc<Log>> {
        self.read.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// Why the text could not be read, if it could not.
    pub fn unrecognised(&self) -> Option<&Unrecognised> {
        self.read.as_ref().and_then(|r| r.as_ref().err())
    }

    /// The findings about the step shown (their indexes in the log's findings).
    pub fn findings_here(&self) -> Vec<usize> {
        let current = self.playback.current;
        self.log()
            .map(|log| {
                log.findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.unit == Some(current))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Some unit of the log carries a secret (a password, a SASL payload).
    pub fn has_secrets(&self) -> bool {
        self.log()
            .is_some_and(|log| log.units.iter().any(|u| u.secret.is_some()))
    }

    /// The client's lines as shown (secrets hidden unless revealed).
    pub fn client_lines(&self) -> Vec<String> {
        let Some(log) = self.log() else {
            return Vec::new();
        };
        let client = log.units.iter().enumerate();
        client
            .filter(|(_, u)| u.side() == Some(Side::Client))
            .flat_map(|(i, _)| {
                let bytes = log.shown_bytes(i, self.reveal).unwrap_or_default();
                let text = String::from_utf8_lossy(bytes);
                text.lines()
                    .map(|l| l.trim_end_matches('\r').to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The fragment of the console's link that goes on with this session by hand: its
    /// server, and its client's lines offered one by one.
    fn console_fragment(&self) -> Option<Rc<str>> {
        let log = self.log()?;
        let lines = self.client_lines();
        let service = console_link::service_for(log.protocol(), &lines);
        Some(Rc::from(console_link::fragment(service, &lines)))
    }

    /// Reads the input as `protocol`, and shows it from `step`; a text that cannot be read
    /// keeps the text area open with the reason.
    fn read_as(&mut self, protocol: Option<Protocol>, step: usize) {
        self.protocol = protocol;
        self.share = None;
        match self.input.read(protocol) {
            Ok(log) => {
                let log = Rc::new(log);
                self.timeline = Rc::new(log.timeline(self.reveal));
                self.playback = Playback::at(self.timeline.len(), step);
                self.read = Some(Ok(log));
                self.editing = false;
                self.console = self.console_fragment();
            }
            Err(why) => {
                self.timeline = Rc::new(empty());
                self.playback = Playback::new(0);
                self.read = Some(Err(why));
                self.editing = true;
                self.console = None;
            }
        }
    }
}

/// A timeline with no hosts and no steps.
fn empty() -> Timeline {
    Timeline::new(Vec::new(), Vec::new())
}

impl Reducible for LogState {
    type Action = LogAction;

    fn reduce(self: Rc<Self>, action: LogAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LogAction::Read { input, source } => {
                next.input = input;
                next.source = source;
                // A new log is read as detected, secrets hidden, from its first step.
                next.reveal = false;
                next.read_as(None, 0);
            }
            LogAction::Protocol(protocol) => {
                if protocol == self.protocol || self.log().is_none() {
                    return self;
                }
                next.read_as(protocol, self.playback.current);
            }
            LogAction::ToggleReveal => {
                let Some(log) = self.log() else { return self };
                next.reveal = !self.reveal;
                next.timeline = Rc::new(log.timeline(next.reveal));
                next.share = None;
                next.console = next.console_fragment();
            }
            LogAction::Play(action) => {
                let playback = self.playback.after(action);
                if playback == self.playback {
                    return self;
                }
                next.playback = playback;
            }
            LogAction::GoToFinding(i) => {
                let unit = self
                    .log()
                    .and_then(|log| log.findings.get(i))
                    .and_then(|f| f.unit);
                let Some(unit) = unit else { return self };
                next.playback = self.playback.after(PlaybackAction::GoTo(unit));
            }
            LogAction::Edit => next.editing = true,
            // Only a session read can be gone back to.
            LogAction::CloseEdit => next.editing = self.log().is_none(),
            LogAction::SetSpeed(speed) => next.speed = speed.clamp(25, 400),
            LogAction::ToggleBytes => next.bytes = !self.bytes,
            LogAction::Shared(share) => next.share = Some(share),
            LogAction::DismissShare => next.share = None,
            LogAction::DismissBanner => next.banner = None,
        }
        // Not compared with the state before: a long log would be compared unit by unit.
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
