//! The IMAP client session of one device: it keeps a cache (UIDVALIDITY, the messages it
//! knows by UID, their flags, the highest modseq) and brings it in line with the server on
//! connect, then marks read, deletes, moves to Trash and IDLEs on request.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::encode::quoted;
use super::response::{self, fetch_item, Response, Token};
use super::types::MAX_RESPONSE_LINE;
use crate::i18n::Text;
use crate::text;
use crate::time::Instant;
use crate::wire::ClientTls;
use crate::{DecodeError, ProtocolError};

/// What a device remembers between sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceCache {
    pub uid_validity: Option<u32>,
    /// The messages this device holds, by UID: flags and, once downloaded, the octets.
    pub messages: BTreeMap<u32, CachedMessage>,
    /// RFC 7162: the mailbox's HIGHESTMODSEQ when the device last synchronised.
    pub highest_modseq: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CachedMessage {
    pub flags: BTreeSet<String>,
    pub bytes: Option<Vec<u8>>,
}

/// Something the user does on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    MarkRead(u32),
    /// `\Deleted` then UID EXPUNGE of that message only.
    Delete(u32),
    MoveTo(u32, String),
    /// Wait for changes until [`ImapClient::stop_idle`].
    Idle,
    Logout,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub user: String,
    pub password: String,
    pub mailbox: String,
    pub tls: ClientTls,
}

impl ClientConfig {
    pub fn new(user: &str, password: &str) -> Self {
        ClientConfig {
            user: user.to_string(),
            password: password.to_string(),
            mailbox: "INBOX".to_string(),
            tls: ClientTls::Never,
        }
    }
}

/// What the client did or learned, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    TlsRequested,
    LoggedIn,
    LoginFailed(String),
    Selected {
        exists: u32,
        uid_validity: u32,
    },
    /// The server's UIDVALIDITY changed: everything cached was thrown away.
    CacheInvalidated,
    /// The cache matches the server: `downloaded` new messages, `removed` expunged ones,
    /// `flags_updated` flag changes learned.
    Synchronised {
        downloaded: usize,
        removed: usize,
        flags_updated: usize,
    },
    MessageArrived {
        uid: u32,
    },
    MessageRemoved {
        uid: u32,
    },
    FlagsChanged {
        uid: u32,
        flags: BTreeSet<String>,
    },
    Idling,
    CommandFailed(String),
    LoggedOut,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Capability,
    StartTls,
    Login,
    Select,
    SearchAll,
    FetchFlags,
    /// Downloading what is new; `fetching` is false when there was nothing to fetch and
    /// a NOOP ends the round instead.
    FetchNew {
        fetching: bool,
    },
    Intent(Intent),
    Expunge,
    Idle,
    Logout,
}

impl Pending {
    /// What the client waits for, as the state panel says it.
    fn waiting_for(&self) -> Text {
        let response = |command| text!("state.waiting-response", command = command);
        match self {
            Pending::Capability => response("CAPABILITY"),
            Pending::StartTls => response("STARTTLS"),
            Pending::Login => text!("state.waiting-login"),
            Pending::Select => response("SELECT"),
            Pending::SearchAll => response("UID SEARCH"),
            Pending::FetchFlags | Pending::FetchNew { fetching: true } => response("UID FETCH"),
            Pending::FetchNew { fetching: false } => response("NOOP"),
            Pending::Intent(Intent::MoveTo(..)) => response("UID MOVE"),
            Pending::Intent(Intent::Idle) | Pending::Idle => response("IDLE"),
            Pending::Intent(Intent::Logout) | Pending::Logout => response("LOGOUT"),
            Pending::Intent(_) => response("UID STORE"),
            Pending::Expunge => response("UID EXPUNGE"),
        }
    }
}

/// One client side of one IMAP connection.
#[derive(Debug, Clone)]
pub struct ImapClient {
    config: ClientConfig,
    cache: DeviceCache,
    input: Vec<u8>,
    /// The unread input held no whole response when last looked at. Responses end with a
    /// line feed, so until one arrives there is nothing new to find: skipping the rescan
    /// keeps a long line fed one octet at a time linear.
    partial: bool,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    pending: VecDeque<(String, Pending)>,
    greeted: bool,
    next_tag: u32,
    capabilities: Vec<String>,
    encrypted: bool,
    pub(super) awaiting_tls: bool,
    closed: bool,
    /// UIDs by message sequence number, for the selected mailbox.
    sequence: Vec<u32>,
    exists: u32,
    synchronised: bool,
    sync_counts: (usize, usize, usize),
    intents: VecDeque<Intent>,
    idling: bool,
    selected_modseq: Option<u64>,
}

impl ImapClient {
    pub fn new(config: ClientConfig, cache: DeviceCache) -> Self {
        ImapClient {
            config,
            cache,
            input: Vec::new(),
            partial: false,
            output: VecDeque::new(),
            events: VecDeque::new(),
            pending: VecDeque::new(),
            greeted: false,
            next_tag: 1,
            capabilities: Vec::new(),
            encrypted: false,
            awaiting_tls: false,
            closed: false,
            sequence: Vec::new(),
            exists: 0,
            synchronised: false,
            sync_counts: (0, 0, 0),
            intents: VecDeque::new(),
            idling: false,
            selected_modseq: None,
        }
    }

    pub fn cache(&self) -> &DeviceCache {
        &self.cache
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// True once STLS/STARTTLS completed.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    pub fn is_idling(&self) -> bool {
        self.idling
    }

    pub fn is_synchronised(&self) -> bool {
        self.synchronised
    }

    /// The state for display, named for the response the client waits for.
    pub fn state(&self) -> Text {
        if self.closed {
            text!("state.closed")
        } else if self.idling {
            text!("state.idling")
        } else if let Some((_, p)) = self.pending.front() {
            p.waiting_for()
        } else if self.synchronised {
            text!("state.in-sync")
        } else {
            text!("state.connecting")
        }
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The unit `poll_output` would give next, left in place.
    pub fn peek_output(&self) -> Option<&[u8]> {
        self.output.front().map(Vec::as_slice)
    }

    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// Queues something the user did; it runs once the cache is in sync.
    pub fn act(&mut self, intent: Intent) {
        self.intents.push_back(intent);
        self.run_intents();
    }

    /// Ends IDLE (sends DONE).
    pub fn stop_idle(&mut self) {
        if self.idling {
            self.idling = false;
            self.output.push_back(b"DONE\r\n".to_vec());
        }
    }

    pub fn tls_established(&mut self) {
        if self.awaiting_tls {
            self.awaiting_tls = false;
            self.encrypted = true;
            // RFC 9051 §6.2.1: capabilities learned before TLS are discarded.
            self.capabilities.clear();
            self.send("CAPABILITY", Pending::Capability);
        }
    }

    fn send(&mut self, command: &str, pending: Pending) {
        let tag = format!("A{:03}", self.next_tag);
        self.next_tag += 1;
        self.output
            .push_back(format!("{tag} {command}\r\n").into_bytes());
        self.pending.push_back((tag, pending));
    }

    fn has(&self, capability: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(capability))
    }

    /// Bytes received from the server at `now` (the IMAP client keeps no timers, so `now`
    /// only keeps the shape every session has).
    pub fn handle_input(&mut self, _now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        if self.closed {
            return Ok(());
        }
        self.input.extend_from_slice(bytes);
        // Past the line limit the framer must look again, to refuse an endless line.
        if self.partial && !bytes.contains(&b'\n') && self.input.len() <= MAX_RESPONSE_LINE {
            return Ok(());
        }
        // Responses are read with a cursor and the buffer shortened once, in place: a big
        // FETCH must not shift the rest of the buffer after each response, and a literal
        // arriving in small chunks must not be copied again with every chunk.
        let mut input = std::mem::take(&mut self.input);
        let mut offset = 0;
        let result = loop {
            let rest = input.get(offset..).unwrap_or_default();
            let (r, used) = match response::response(rest) {
                Ok(found) => found,
                Err(DecodeError::Incomplete) => {
                    self.partial = true;
                    break Ok(());
                }
                Err(DecodeError::Failed) => {
                    self.close();
                    break Err(ProtocolError(
                        "the server sent a line that is not an IMAP response".into(),
                    ));
                }
            };
            offset += used;
            self.partial = false;
            self.on_response(r);
            if self.awaiting_tls || self.closed {
                offset = input.len();
                break Ok(());
            }
        };
        if result.is_ok() {
            input.drain(..offset.min(input.len()));
            self.input = input;
        }
        result
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.events.push_back(ClientEvent::Closed);
        }
    }

    fn on_response(&mut self, r: Response) {
        match r {
            Response::Status { status, code, .. } if !self.greeted => {
                self.greeted = true;
                if status == "BYE" {
                    return self.close();
                }
                match code.as_deref().and_then(|c| c.strip_prefix("CAPABILITY ")) {
                    Some(caps) => {
                        self.capabilities = caps.split_whitespace().map(str::to_string).collect();
                        self.after_capabilities();
                    }
                    None => self.send("CAPABILITY", Pending::Capability),
                }
            }
            Response::Status { status, code, .. } => {
                if status == "BYE" {
                    return self.close();
                }
                self.status_code(code.as_deref());
            }
            Response::Data { kind, data } => match kind.as_str() {
                "CAPABILITY" => {
                    self.capabilities = data
                        .iter()
                        .filter_map(|t| t.atom().map(str::to_string))
                        .collect();
                }
                "SEARCH" => {
                    // UIDs are nz-number: a 0 from a broken server is not echoed back.
                    let uids: Vec<u32> = data
                        .iter()
                        .filter_map(|t| t.number())
                        .filter_map(|n| u32::try_from(n).ok())
                        .filter(|&n| n != 0)
                        .collect();
                    self.on_search(uids);
                }
                _ => {}
            },
            Response::Numbered { number, kind, data } => self.numbered(number, &kind, &data),
            Response::Continue(_) => {
                if matches!(self.pending.front(), Some((_, Pending::Idle))) {
                    self.idling = true;
                    self.events.push_back(ClientEvent::Idling);
                }
            }
            Response::Tagged {
                tag,
                status,
                code,
                text,
            } => {
                let Some(position) = self.pending.iter().position(|(t, _)| *t == tag) else {
                    return;
                };
                let Some((_, pending)) = self.pending.remove(position) else {
                    return;
                };
                self.status_code(code.as_deref());
                self.completed(pending, status == "OK", code, text);
            }
        }
    }

    fn status_code(&mut self, code: Option<&str>) {
        let Some(code) = code else { return };
        let mut words = code.split_whitespace();
        match words.next() {
            Some("UIDVALIDITY") => {
                let v = words.next().and_then(|n| n.parse().ok());
                if let Some(v) = v {
                    if self.cache.uid_validity.is_some_and(|old| old != v) {
                        // RFC 9051 §2.3.1.1: a new UIDVALIDITY means the UIDs mean new things.
                        self.cache = DeviceCache::default();
                        self.events.push_back(ClientEvent::CacheInvalidated);
                    }
                    self.cache.uid_validity = Some(v);
                }
            }
            Some("HIGHESTMODSEQ") => {
                self.selected_modseq = words.next().and_then(|n| n.parse().ok())
            }
            Some("CAPABILITY") => self.capabilities = words.map(str::to_string).collect(),
            _ => {}
        }
    }

    fn numbered(&mut self, number: u32, kind: &str, data: &[Token]) {
        let index = usize::try_from(number)
            .unwrap_or(usize::MAX)
            .wrapping_sub(1);
        match kind {
            "EXISTS" => {
                let grew = number > self.exists;
                self.exists = number;
                if grew && self.synchronised && !self.busy_fetching_new() {
                    if self.idling {
                        // New mail while idling: leave IDLE, fetch it, and idle again.
                        self.stop_idle();
                        self.intents.push_front(Intent::Idle);
                    }
                    self.fetch_new();
                }
            }
            "EXPUNGE" => {
                if index < self.sequence.len() {
                    let uid = self.sequence.remove(index);
                    if self.cache.messages.remove(&uid).is_some() {
                        self.events.push_back(ClientEvent::MessageRemoved { uid });
                        self.sync_counts.1 += 1;
                    }
                }
                self.exists = self.exists.saturating_sub(1);
            }
            "FETCH" => {
                let uid = fetch_item(data, "UID")
                    .and_then(Token::number)
                    .and_then(|u| u32::try_from(u).ok())
                    .filter(|&u| u != 0)
                    .or_else(|| self.sequence.get(index).copied());
                let Some(uid) = uid else { return };
                if index >= self.sequence.len() && !self.sequence.contains(&uid) {
                    self.sequence.push(uid);
                }
                let flags = match fetch_item(data, "FLAGS") {
                    // \Recent belongs to one session (and is gone from IMAP4rev2): not a
                    // property of the message that devices share.
                    Some(Token::List(items)) => Some(crate::tree::set(
                        items
                            .iter()
                            .filter_map(|t| t.atom())
                            .filter(|f| !f.eq_ignore_ascii_case("\\Recent"))
                            .map(str::to_string),
                    )),
                    _ => None,
                };
                let body = match fetch_item(data, "BODY") {
                    Some(Token::Str(b)) => Some(b.clone()),
                    _ => None,
                };
                let is_new = !self.cache.messages.contains_key(&uid);
                let entry = self.cache.messages.entry(uid).or_default();
                if let Some(body) = body {
                    entry.bytes = Some(body);
                }
                if let Some(flags) = flags {
                    if entry.flags != flags || is_new {
                        entry.flags = flags.clone();
                        if !is_new {
                            self.sync_counts.2 += 1;
                            self.events
                                .push_back(ClientEvent::FlagsChanged { uid, flags });
                        }
                    }
                }
                if is_new {
                    self.sync_counts.0 += 1;
                    self.events.push_back(ClientEvent::MessageArrived { uid });
                }
            }
            _ => {}
        }
    }

    fn busy_fetching_new(&self) -> bool {
        self.pending
            .iter()
            .any(|(_, p)| matches!(p, Pending::FetchNew { .. }))
    }

    fn after_capabilities(&mut self) {
        let wants_tls = self.config.tls != ClientTls::Never && !self.encrypted;
        if wants_tls && self.has("STARTTLS") {
            self.send("STARTTLS", Pending::StartTls);
        } else if self.config.tls == ClientTls::Required && !self.encrypted {
            self.events.push_back(ClientEvent::CommandFailed(
                "TLS is required but the server does not offer STARTTLS".into(),
            ));
            self.send("LOGOUT", Pending::Logout);
        } else if self.has("AUTH=PLAIN") && self.has("SASL-IR") {
            let response = crate::base64::encode(
                format!("\0{}\0{}", self.config.user, self.config.password),
                crate::base64::Alphabet::Standard,
            );
            self.send(&format!("AUTHENTICATE PLAIN {response}"), Pending::Login);
        } else {
            let login = format!(
                "LOGIN {} {}",
                quote(&self.config.user),
                quote(&self.config.password)
            );
            self.send(&login, Pending::Login);
        }
    }

    fn completed(&mut self, pending: Pending, ok: bool, code: Option<String>, text: String) {
        match pending {
            Pending::Capability => self.after_capabilities(),
            Pending::StartTls if ok => {
                self.awaiting_tls = true;
                self.events.push_back(ClientEvent::TlsRequested);
            }
            Pending::StartTls => self.after_capabilities(),
            Pending::Login if ok => {
                self.events.push_back(ClientEvent::LoggedIn);
                let condstore = if self.has("CONDSTORE") {
                    " (CONDSTORE)"
                } else {
                    ""
                };
                let select = format!("SELECT {}{condstore}", quote(&self.config.mailbox));
                self.send(&select, Pending::Select);
            }
            Pending::Login => {
                self.events.push_back(ClientEvent::LoginFailed(text));
                self.send("LOGOUT", Pending::Logout);
            }
            Pending::Select if ok => {
                self.events.push_back(ClientEvent::Selected {
                    exists: self.exists,
                    uid_validity: self.cache.uid_validity.unwrap_or(0),
                });
                self.sync_counts = (0, 0, 0);
                // Which UIDs exist now, in order: this is also the message-number map.
                self.send("UID SEARCH ALL", Pending::SearchAll);
            }
            Pending::Select => {
                self.events.push_back(ClientEvent::CommandFailed(text));
                self.send("LOGOUT", Pending::Logout);
            }
            Pending::SearchAll => {
                // Known flags: only what changed since the last sync when CONDSTORE allows.
                let since = match (self.cache.highest_modseq, self.selected_modseq) {
                    (Some(old), Some(_)) => format!(" (CHANGEDSINCE {old})"),
                    _ => String::new(),
                };
                if self.cache.messages.is_empty() {
                    self.fetch_new();
                } else {
                    self.send(
                        &format!("UID FETCH 1:* (FLAGS){since}"),
                        Pending::FetchFlags,
                    );
                }
            }
            Pending::FetchFlags => self.fetch_new(),
            Pending::FetchNew { .. } => {
                if !self.synchronised {
                    self.synchronised = true;
                    self.cache.highest_modseq = self.selected_modseq;
                    let (downloaded, removed, flags_updated) = self.sync_counts;
                    self.events.push_back(ClientEvent::Synchronised {
                        downloaded,
                        removed,
                        flags_updated,
                    });
                }
                self.run_intents();
            }
            Pending::Intent(Intent::Delete(uid)) if ok => {
                let command = if self.has("UIDPLUS") {
                    format!("UID EXPUNGE {uid}")
                } else {
                    "EXPUNGE".to_string()
                };
                self.send(&command, Pending::Expunge);
            }
            Pending::Intent(_) | Pending::Expunge | Pending::Idle => {
                if !ok {
                    let why = code.map(|c| format!("[{c}] {text}")).unwrap_or(text);
                    self.events.push_back(ClientEvent::CommandFailed(why));
                }
                self.idling = false;
                self.run_intents();
            }
            Pending::Logout => {
                self.events.push_back(ClientEvent::LoggedOut);
                self.close();
            }
        }
    }

    fn on_search(&mut self, uids: Vec<u32>) {
        if matches!(self.pending.front(), Some((_, Pending::SearchAll))) {
            // Messages this device holds that the server no longer has were expunged
            // while it was away.
            let present = crate::tree::set(uids.iter().copied());
            let gone: Vec<u32> = self
                .cache
                .messages
                .keys()
                .filter(|u| !present.contains(u))
                .copied()
                .collect();
            for uid in gone {
                self.cache.messages.remove(&uid);
                self.sync_counts.1 += 1;
                self.events.push_back(ClientEvent::MessageRemoved { uid });
            }
            self.sequence = uids;
            self.exists = u32::try_from(self.sequence.len()).unwrap_or(u32::MAX);
        }
    }

    /// Downloads the messages the server has and the cache lacks.
    fn fetch_new(&mut self) {
        let missing: Vec<String> = self
            .sequence
            .iter()
            .filter(|u| self.cache.messages.get(u).is_none_or(|m| m.bytes.is_none()))
            .map(u32::to_string)
            .collect();
        let known_max = self.sequence.iter().max().copied().unwrap_or(0);
        let arrived = u32::try_from(self.sequence.len()).unwrap_or(u32::MAX) < self.exists;
        let set = match (missing.is_empty(), arrived) {
            (true, false) => {
                // Nothing to download: finish the round with a harmless NOOP-like fetch.
                self.send("NOOP", Pending::FetchNew { fetching: false });
                return;
            }
            (false, false) => missing.join(","),
            (_, true) => {
                let mut set = missing;
                // After UID 4294967295 no new UID can exist (RFC 9051 §2.3.1.1): the server
                // is broken, and asking for what it has is all that is left.
                match known_max.checked_add(1) {
                    Some(next) => set.push(format!("{next}:*")),
                    None if set.is_empty() => set.push("1:*".into()),
                    None => {}
                }
                set.join(",")
            }
        };
        // BODY.PEEK: downloading must not mark the message read on every device.
        self.send(
            &format!("UID FETCH {set} (FLAGS BODY.PEEK[])"),
            Pending::FetchNew { fetching: true },
        );
    }

    fn run_intents(&mut self) {
        if !self.synchronised || !self.pending.is_empty() || self.idling || self.closed {
            return;
        }
        let Some(intent) = self.intents.pop_front() else {
            return;
        };
        let command = match &intent {
            Intent::MarkRead(uid) => format!("UID STORE {uid} +FLAGS (\\Seen)"),
            Intent::Delete(uid) => format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"),
            Intent::MoveTo(uid, folder) if self.has("MOVE") => {
                format!("UID MOVE {uid} {}", quote(folder))
            }
            Intent::MoveTo(uid, folder) => format!("UID COPY {uid} {}", quote(folder)),
            Intent::Idle if self.has("IDLE") => "IDLE".to_string(),
            Intent::Idle => "NOOP".to_string(),
            Intent::Logout => {
                self.send("LOGOUT", Pending::Logout);
                return;
            }
        };
        let pending = if intent == Intent::Idle {
            Pending::Idle
        } else {
            Pending::Intent(intent)
        };
        self.send(&command, pending);
    }
}

/// An IMAP quoted string for our own arguments. A quoted string cannot hold CR, LF or NUL
/// (RFC 9051 §4.3); they are left out, so a configured value can never end the command line
/// early and smuggle in another one.
fn quote(s: &str) -> String {
    let clean: Vec<u8> = s
        .bytes()
        .filter(|b| !matches!(b, b'\r' | b'\n' | b'\0'))
        .collect();
    String::from_utf8_lossy(&quoted(&clean)).into_owned()
}
