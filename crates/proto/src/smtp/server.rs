//! The SMTP server session (RFC 5321 §4.1.4 command order, §4.2 replies) for a mail exchanger
//! that accepts mail for its own domain.

use std::collections::VecDeque;

use super::decode::{self, CommandError, LineError};
use super::types::{
    Command, Mailbox, Reply, ReplyCode, ReversePath, ServerState, MAX_COMMAND_LINE, MAX_RECIPIENTS,
};
use crate::store::MailStore;

/// After this many bad commands in a row the server gives up (421), as Dovecot and Postfix
/// do, so a confused or hostile client cannot keep a session forever.
pub const MAX_BAD_COMMANDS: u32 = 10;

/// How a server presents itself and what it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The name in the greeting and EHLO reply, e.g. `mx.example.net`.
    pub hostname: String,
    /// The mail domain it accepts mail for, e.g. `example.net`.
    pub domain: String,
    /// RFC 1870 SIZE: the largest message accepted, in octets.
    pub max_message_size: usize,
}

impl ServerConfig {
    pub fn new(hostname: &str, domain: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            domain: domain.to_string(),
            max_message_size: 10 * 1024 * 1024,
        }
    }
}

/// What the server did, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    ClientIntroduced {
        name: String,
        extended: bool,
    },
    SenderAccepted(ReversePath),
    RecipientAccepted(Mailbox),
    RecipientRefused {
        to: Mailbox,
        code: ReplyCode,
    },
    /// The message was stored in each recipient's mailbox; `uids` in the same order.
    MessageStored {
        recipients: Vec<Mailbox>,
        uids: Vec<u32>,
        size: usize,
    },
    CommandRefused {
        code: ReplyCode,
    },
    SessionClosed,
}

#[derive(Debug, Clone)]
struct Transaction {
    from: ReversePath,
    recipients: Vec<Mailbox>,
}

/// One server side of one SMTP connection.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    config: ServerConfig,
    state: ServerState,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ServerEvent>,
    transaction: Option<Transaction>,
    /// Mail data received so far, already un-stuffed.
    data: Vec<u8>,
    data_at_line_start: bool,
    data_too_big: bool,
    /// Skipping the rest of an over-long command line.
    discarding: bool,
    bad_commands: u32,
}

impl SmtpServer {
    /// A new session; its 220 greeting is ready to send (RFC 5321 §4.3.1).
    pub fn new(config: ServerConfig) -> Self {
        let greeting = Reply::single(
            ReplyCode::SERVICE_READY,
            &format!("{} ESMTP Postroom", config.hostname),
        );
        SmtpServer {
            config,
            state: ServerState::ExpectHelo,
            input: Vec::new(),
            output: VecDeque::from([greeting.to_bytes()]),
            events: VecDeque::new(),
            transaction: None,
            data: Vec::new(),
            data_at_line_start: true,
            data_too_big: false,
            discarding: false,
            bad_commands: 0,
        }
    }

    pub fn state(&self) -> ServerState {
        self.state
    }

    pub fn is_closed(&self) -> bool {
        self.state == ServerState::Closed
    }

    /// Bytes to send to the client: one reply per call.
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// Feeds bytes received from the client. Commands are answered in order, so a pipelined
    /// batch (RFC 2920) gets its replies in the order of its commands.
    pub fn handle_input(&mut self, bytes: &[u8], store: &mut MailStore) {
        if self.is_closed() {
            return;
        }
        // Taken out so the parsing below can borrow it while the session changes.
        let mut input = std::mem::take(&mut self.input);
        input.extend_from_slice(bytes);
        let mut offset = 0;
        while !self.is_closed() {
            let rest = input.get(offset..).unwrap_or_default();
            let used = if self.state == ServerState::ReceivingData {
                self.receive_data(rest, store)
            } else {
                self.receive_command(rest, store)
            };
            match used {
                Some(n) if n > 0 => offset += n,
                _ => break,
            }
        }
        input.drain(..offset.min(input.len()));
        self.input = input;
    }

    /// Handles one command line from the front of `input`; returns the octets used, or
    /// `None` to wait for more.
    fn receive_command(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
        if self.discarding {
            let lf = input.iter().position(|&b| b == b'\n');
            return match lf {
                Some(lf) => {
                    self.discarding = false;
                    Some(lf + 1)
                }
                None => Some(input.len()),
            };
        }
        match decode::line(input, MAX_COMMAND_LINE) {
            Err(LineError::Incomplete) => None,
            Err(LineError::TooLong) => {
                // RFC 5321 §4.5.3.1.4 and §4.2.2: "500 Line too long."
                self.refuse(
                    ReplyCode::SYNTAX_ERROR,
                    "5.5.2 Line too long (512 octets at most, RFC 5321 §4.5.3.1.4)",
                );
                self.discarding = true;
                Some(input.len().min(MAX_COMMAND_LINE))
            }
            Ok((line, used)) => {
                if decode::line_has_bare_lf(input, used) {
                    // RFC 5321 §2.3.8: lines end in CRLF; a bare LF is not a line end.
                    self.refuse(
                        ReplyCode::SYNTAX_ERROR,
                        "5.5.2 Bare LF: SMTP lines end with CR LF (RFC 5321 §2.3.8)",
                    );
                } else if line.contains(&0) {
                    self.refuse(ReplyCode::SYNTAX_ERROR, "5.5.2 NUL character in command");
                } else {
                    match decode::command(line) {
                        Ok(cmd) => self.execute(cmd, store),
                        Err(CommandError::Unrecognized) => {
                            self.refuse(ReplyCode::SYNTAX_ERROR, "5.5.2 Command unrecognized")
                        }
                        Err(CommandError::Syntax(usage)) => self.refuse(
                            ReplyCode::PARAM_SYNTAX_ERROR,
                            &format!("5.5.4 Syntax: {usage}"),
                        ),
                    }
                }
                Some(used)
            }
        }
    }

    fn reply(&mut self, code: ReplyCode, text: &str) {
        self.output.push_back(Reply::single(code, text).to_bytes());
    }

    /// A negative reply to a bad command; too many in a row end the session.
    fn refuse(&mut self, code: ReplyCode, text: &str) {
        self.reply(code, text);
        self.events.push_back(ServerEvent::CommandRefused { code });
        self.bad_commands += 1;
        if self.bad_commands >= MAX_BAD_COMMANDS {
            // RFC 5321 §3.8: a server may close with 421 when it must.
            if let Ok(code) = ReplyCode::try_from(421) {
                self.reply(code, "4.7.0 Too many errors, closing connection");
            }
            self.close();
        }
    }

    fn close(&mut self) {
        self.state = ServerState::Closed;
        self.events.push_back(ServerEvent::SessionClosed);
    }

    fn out_of_sequence(&mut self, text: &str) {
        self.refuse(ReplyCode::BAD_SEQUENCE, &format!("5.5.1 {text}"));
    }

    fn execute(&mut self, cmd: Command, store: &mut MailStore) {
        match cmd {
            Command::Ehlo(name) => self.hello(name, true),
            Command::Helo(name) => self.hello(name, false),
            Command::Mail { from, params } => self.mail(from, &params),
            Command::Rcpt { to, params } => self.rcpt(to, &params, store),
            Command::Data => self.data_command(),
            Command::Rset => {
                // RFC 5321 §4.1.1.5: RSET aborts the transaction; the greeting still counts.
                self.transaction = None;
                if self.state != ServerState::ExpectHelo {
                    self.state = ServerState::ExpectMail;
                }
                self.ok("2.0.0 Reset");
            }
            Command::Noop(_) => self.ok("2.0.0 OK"),
            Command::Quit => {
                let text = format!("2.0.0 {} closing connection", self.config.hostname);
                self.reply(ReplyCode::CLOSING, &text);
                self.close();
            }
            Command::Vrfy(_) => {
                // RFC 5321 §3.5.3: 252 when the server will not verify but will accept mail.
                self.bad_commands = 0;
                self.reply(
                    ReplyCode::CANNOT_VRFY,
                    "2.5.2 Cannot VRFY user, but will accept message and attempt delivery",
                );
            }
            Command::Help(_) => {
                self.bad_commands = 0;
                let lines = [
                    "2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP",
                    "2.0.0 See RFC 5321 section 4.1 for what each one does",
                ];
                self.output
                    .push_back(Reply::new(ReplyCode::HELP, &lines).to_bytes());
            }
        }
    }

    fn ok(&mut self, text: &str) {
        self.bad_commands = 0;
        self.reply(ReplyCode::OK, text);
    }

    /// RFC 5321 §4.1.4: EHLO or HELO may be sent at any time and resets the transaction.
    fn hello(&mut self, name: String, extended: bool) {
        self.bad_commands = 0;
        self.transaction = None;
        self.state = ServerState::ExpectMail;
        let greeting = format!("{} greets {}", self.config.hostname, name);
        let reply = if extended {
            let size = format!("SIZE {}", self.config.max_message_size);
            Reply::new(
                ReplyCode::OK,
                &[
                    greeting.as_str(),
                    "PIPELINING",
                    size.as_str(),
                    "8BITMIME",
                    "ENHANCEDSTATUSCODES",
                    "HELP",
                ],
            )
        } else {
            Reply::single(ReplyCode::OK, &greeting)
        };
        self.output.push_back(reply.to_bytes());
        self.events
            .push_back(ServerEvent::ClientIntroduced { name, extended });
    }

    fn mail(&mut self, from: ReversePath, params: &[super::types::Param]) {
        match self.state {
            ServerState::ExpectHelo => return self.out_of_sequence("Send EHLO or HELO first"),
            ServerState::ExpectMail => {}
            _ => return self.out_of_sequence("Nested MAIL command: a transaction is already open"),
        }
        for p in params {
            match (p.keyword(), p.value()) {
                ("SIZE", Some(v)) => match v.parse::<usize>() {
                    Ok(size) if size > self.config.max_message_size => {
                        // RFC 1870 §6: a declared size above the fixed limit gets 552.
                        let code =
                            ReplyCode::try_from(552).unwrap_or(ReplyCode::TRANSACTION_FAILED);
                        return self.refuse(
                            code,
                            "5.3.4 Message size exceeds fixed maximum message size",
                        );
                    }
                    Ok(_) => {}
                    Err(_) => {
                        return self.refuse(ReplyCode::PARAM_SYNTAX_ERROR, "5.5.4 Bad SIZE value")
                    }
                },
                ("BODY", Some(v))
                    if v.eq_ignore_ascii_case("8BITMIME") || v.eq_ignore_ascii_case("7BIT") => {}
                _ => {
                    // RFC 5321 §4.1.1.11: unrecognised parameters get 555.
                    let text = format!("5.5.4 Unsupported parameter {}", p.keyword());
                    return self.refuse(ReplyCode::PARAM_NOT_IMPLEMENTED, &text);
                }
            }
        }
        self.transaction = Some(Transaction {
            from: from.clone(),
            recipients: Vec::new(),
        });
        self.state = ServerState::ExpectRcpt;
        self.ok("2.1.0 Sender OK");
        self.events.push_back(ServerEvent::SenderAccepted(from));
    }

    fn rcpt(&mut self, to: Mailbox, params: &[super::types::Param], store: &MailStore) {
        let count = match (&self.state, &self.transaction) {
            (ServerState::ExpectRcpt | ServerState::ExpectRcptOrData, Some(t)) => {
                t.recipients.len()
            }
            _ => return self.out_of_sequence("Need MAIL before RCPT"),
        };
        if let Some(p) = params.first() {
            let text = format!("5.5.4 Unsupported parameter {}", p.keyword());
            return self.refuse(ReplyCode::PARAM_NOT_IMPLEMENTED, &text);
        }
        if count >= MAX_RECIPIENTS {
            // RFC 5321 §4.5.3.1.10: "452 Too many recipients"; the client sends the rest later.
            self.reply(ReplyCode::INSUFFICIENT_STORAGE, "4.5.3 Too many recipients");
            let code = ReplyCode::INSUFFICIENT_STORAGE;
            self.events
                .push_back(ServerEvent::RecipientRefused { to, code });
            return;
        }
        let refusal = if !to.domain().eq_ignore_ascii_case(&self.config.domain) {
            Some((
                ReplyCode::TRANSACTION_FAILED,
                format!("5.7.1 <{to}>: Relay access denied"),
            ))
        } else if !store.has_user(to.local_part()) {
            Some((
                ReplyCode::MAILBOX_UNAVAILABLE,
                format!("5.1.1 <{to}>: Recipient address rejected: User unknown"),
            ))
        } else {
            None
        };
        if let Some((code, text)) = refusal {
            self.reply(code, &text);
            self.events
                .push_back(ServerEvent::RecipientRefused { to, code });
            return;
        }
        if let Some(t) = self.transaction.as_mut() {
            t.recipients.push(to.clone());
        }
        self.state = ServerState::ExpectRcptOrData;
        self.ok("2.1.5 Recipient OK");
        self.events.push_back(ServerEvent::RecipientAccepted(to));
    }

    fn data_command(&mut self) {
        match self.state {
            ServerState::ExpectRcptOrData => {
                self.state = ServerState::ReceivingData;
                self.data.clear();
                self.data_at_line_start = true;
                self.data_too_big = false;
                self.bad_commands = 0;
                self.reply(
                    ReplyCode::START_MAIL_INPUT,
                    "End data with <CR><LF>.<CR><LF>",
                );
            }
            // RFC 5321 §3.3: no valid recipients may get 554 instead of 503.
            ServerState::ExpectRcpt => {
                self.refuse(ReplyCode::TRANSACTION_FAILED, "5.5.1 No valid recipients")
            }
            _ => self.out_of_sequence("Need MAIL and RCPT before DATA"),
        }
    }

    /// Takes mail data from the front of `input` up to and including the `.` line.
    fn receive_data(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
        let Some(cr) = find_crlf(input) else {
            // A long line with no end yet: keep all but a trailing CR, so the buffer stays
            // bounded while the `.` CRLF terminator can still be recognised at a line start.
            let keep = usize::from(input.last() == Some(&b'\r'));
            let take = input.len().saturating_sub(keep);
            if take > MAX_COMMAND_LINE {
                let chunk = input.get(..take).unwrap_or_default();
                self.append_data(chunk, false);
                return Some(take);
            }
            return None;
        };
        let used = cr + 2;
        let line = input.get(..used).unwrap_or_default();
        if self.data_at_line_start && line == b".\r\n" {
            self.finish_data(store);
        } else {
            self.append_data(line, true);
        }
        Some(used)
    }

    fn append_data(&mut self, chunk: &[u8], ends_line: bool) {
        // RFC 5321 §4.5.2: a leading period at a line start is removed.
        let chunk = match chunk.split_first() {
            Some((b'.', rest)) if self.data_at_line_start => rest,
            _ => chunk,
        };
        if self.data.len() + chunk.len() > self.config.max_message_size {
            self.data_too_big = true;
        } else {
            self.data.extend_from_slice(chunk);
        }
        self.data_at_line_start = ends_line;
    }

    fn finish_data(&mut self, store: &mut MailStore) {
        let transaction = self.transaction.take();
        self.state = ServerState::ExpectMail;
        let data = std::mem::take(&mut self.data);
        if self.data_too_big {
            let code = ReplyCode::try_from(552).unwrap_or(ReplyCode::TRANSACTION_FAILED);
            return self.refuse(code, "5.3.4 Message too big for system");
        }
        let Some(t) = transaction else {
            return self.out_of_sequence("No transaction");
        };
        // RFC 5321 §4.4: at final delivery the server adds Return-Path with the MAIL FROM.
        let mut stored = format!("Return-Path: {}\r\n", t.from).into_bytes();
        stored.extend_from_slice(&data);
        let from = t.from.to_string();
        let uids: Vec<u32> = t
            .recipients
            .iter()
            .filter_map(|r| store.deliver(r.local_part(), &from, stored.clone()))
            .collect();
        let size = stored.len();
        let text = format!("2.0.0 Ok: message accepted ({} octets)", data.len());
        self.ok(&text);
        self.events.push_back(ServerEvent::MessageStored {
            recipients: t.recipients,
            uids,
            size,
        });
    }
}

fn find_crlf(input: &[u8]) -> Option<usize> {
    input.windows(2).position(|w| w == b"\r\n")
}
