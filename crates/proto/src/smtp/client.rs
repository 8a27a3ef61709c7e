//! The SMTP client session: turns "send this message" into commands, one reply at a time.

use std::collections::VecDeque;

use super::decode;
use super::types::{ClientState, Command, Mailbox, Reply, ReplyTo, ReversePath, Verb};
use crate::message::dot_stuff;
use crate::{DecodeError, ProtocolError, UsageError};

/// What the client did or learned, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    GreetingReceived(Reply),
    /// EHLO (or the HELO fallback) was accepted; `extensions` are the EHLO keywords.
    Introduced {
        extended: bool,
        extensions: Vec<String>,
    },
    RecipientRefused {
        to: Mailbox,
        reply: Reply,
    },
    MessageAccepted(Reply),
    MessageRejected(Reply),
    Closed,
}

#[derive(Debug, Clone)]
struct Job {
    from: ReversePath,
    to: Vec<Mailbox>,
    content: Vec<u8>,
}

/// One client side of one SMTP connection.
#[derive(Debug, Clone)]
pub struct SmtpClient {
    helo_name: String,
    state: ClientState,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    jobs: VecDeque<Job>,
    current: Option<Job>,
    next_rcpt: usize,
    accepted_rcpts: usize,
    quit_when_idle: bool,
}

impl SmtpClient {
    /// A client that will introduce itself as `helo_name`; it waits for the greeting.
    pub fn new(helo_name: &str) -> Self {
        SmtpClient {
            helo_name: helo_name.to_string(),
            state: ClientState::ExpectGreeting,
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
            jobs: VecDeque::new(),
            current: None,
            next_rcpt: 0,
            accepted_rcpts: 0,
            quit_when_idle: false,
        }
    }

    pub fn state(&self) -> ClientState {
        self.state
    }

    /// What the next reply from the server will answer.
    pub fn expecting(&self) -> Option<ReplyTo> {
        Some(match self.state {
            ClientState::ExpectGreeting => ReplyTo::Greeting,
            ClientState::ExpectEhloReply => ReplyTo::Command(Verb::Ehlo),
            ClientState::ExpectHeloReply => ReplyTo::Command(Verb::Helo),
            ClientState::ExpectMailReply => ReplyTo::Command(Verb::Mail),
            ClientState::ExpectRcptReply => ReplyTo::Command(Verb::Rcpt),
            ClientState::ExpectDataReply => ReplyTo::Command(Verb::Data),
            ClientState::ExpectDataEndReply => ReplyTo::DataEnd,
            ClientState::ExpectRsetReply => ReplyTo::Command(Verb::Rset),
            ClientState::ExpectQuitReply => ReplyTo::Command(Verb::Quit),
            ClientState::Ready | ClientState::Closed => return None,
        })
    }

    /// Queues a message for `to`, sent as soon as the session is ready. `message` is the
    /// RFC 5322 message with CRLF line ends; it is dot-stuffed on the way out.
    pub fn send(
        &mut self,
        from: ReversePath,
        to: Vec<Mailbox>,
        message: Vec<u8>,
    ) -> Result<(), UsageError> {
        if to.is_empty() {
            return Err(UsageError("a message needs at least one recipient".into()));
        }
        if self.state == ClientState::Closed || self.quit_when_idle {
            return Err(UsageError("the session is closing".into()));
        }
        self.jobs.push_back(Job {
            from,
            to,
            content: message,
        });
        if self.state == ClientState::Ready {
            self.start_next_job();
        }
        Ok(())
    }

    /// Asks the client to send QUIT once every queued message is done.
    pub fn quit(&mut self) {
        self.quit_when_idle = true;
        if self.state == ClientState::Ready {
            self.send_command(&Command::Quit, ClientState::ExpectQuitReply);
        }
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// Feeds bytes from the server. A reply that cannot be parsed, or that arrives when none
    /// is expected, is the server's fault: the session closes and says why.
    pub fn handle_input(&mut self, bytes: &[u8]) -> Result<(), ProtocolError> {
        self.input.extend_from_slice(bytes);
        loop {
            let (reply, used) = match decode::reply(&self.input) {
                Ok(found) => found,
                Err(DecodeError::Incomplete) => return Ok(()),
                Err(DecodeError::Failed) => {
                    self.input.clear();
                    return Err(self.fail("the server sent a line that is not an SMTP reply"));
                }
            };
            self.input.drain(..used.min(self.input.len()));
            self.on_reply(reply)?;
        }
    }

    fn fail(&mut self, why: &str) -> ProtocolError {
        self.state = ClientState::Closed;
        self.events.push_back(ClientEvent::Closed);
        ProtocolError(why.to_string())
    }

    fn send_command(&mut self, cmd: &Command, next: ClientState) {
        self.output.push_back(cmd.to_bytes());
        self.state = next;
    }

    fn on_reply(&mut self, reply: Reply) -> Result<(), ProtocolError> {
        let code = reply.code();
        match self.state {
            ClientState::ExpectGreeting => {
                self.events.push_back(ClientEvent::GreetingReceived(reply));
                if code.value() == 220 {
                    let ehlo = Command::Ehlo(self.helo_name.clone());
                    self.send_command(&ehlo, ClientState::ExpectEhloReply);
                } else {
                    // RFC 5321 §3.1: a 554 greeting means "no service here"; say QUIT.
                    self.send_command(&Command::Quit, ClientState::ExpectQuitReply);
                }
            }
            ClientState::ExpectEhloReply if !code.is_positive_completion() => {
                // RFC 5321 §4.1.4: a server that does not know EHLO gets HELO instead.
                let helo = Command::Helo(self.helo_name.clone());
                self.send_command(&helo, ClientState::ExpectHeloReply);
            }
            ClientState::ExpectEhloReply | ClientState::ExpectHeloReply => {
                if !code.is_positive_completion() {
                    self.send_command(&Command::Quit, ClientState::ExpectQuitReply);
                    return Ok(());
                }
                let extended = self.state == ClientState::ExpectEhloReply;
                let extensions = if extended {
                    reply.lines().iter().skip(1).cloned().collect()
                } else {
                    Vec::new()
                };
                self.events.push_back(ClientEvent::Introduced {
                    extended,
                    extensions,
                });
                self.state = ClientState::Ready;
                self.start_next_job();
            }
            ClientState::ExpectMailReply => {
                if code.is_positive_completion() {
                    self.send_next_rcpt();
                } else {
                    self.events.push_back(ClientEvent::MessageRejected(reply));
                    self.current = None;
                    self.state = ClientState::Ready;
                    self.start_next_job();
                }
            }
            ClientState::ExpectRcptReply => {
                if code.is_positive_completion() {
                    self.accepted_rcpts += 1;
                } else if let Some(to) = self
                    .current
                    .as_ref()
                    .and_then(|j| j.to.get(self.next_rcpt.saturating_sub(1)))
                {
                    let to = to.clone();
                    self.events
                        .push_back(ClientEvent::RecipientRefused { to, reply });
                }
                self.send_next_rcpt();
            }
            ClientState::ExpectDataReply => {
                if code.is_intermediate() {
                    let content = self
                        .current
                        .as_ref()
                        .map(|j| dot_stuff(&j.content))
                        .unwrap_or_else(|| b".\r\n".to_vec());
                    self.output.push_back(content);
                    self.state = ClientState::ExpectDataEndReply;
                } else {
                    self.finish_job(reply, false);
                }
            }
            ClientState::ExpectDataEndReply => {
                let ok = code.is_positive_completion();
                self.finish_job(reply, ok);
            }
            ClientState::ExpectRsetReply => {
                self.state = ClientState::Ready;
                self.start_next_job();
            }
            ClientState::ExpectQuitReply => {
                self.state = ClientState::Closed;
                self.events.push_back(ClientEvent::Closed);
            }
            ClientState::Ready | ClientState::Closed => {
                return Err(self.fail("the server sent a reply nobody asked for"));
            }
        }
        Ok(())
    }

    fn start_next_job(&mut self) {
        match self.jobs.pop_front() {
            Some(job) => {
                let mail = Command::Mail {
                    from: job.from.clone(),
                    params: Vec::new(),
                };
                self.current = Some(job);
                self.next_rcpt = 0;
                self.accepted_rcpts = 0;
                self.send_command(&mail, ClientState::ExpectMailReply);
            }
            None if self.quit_when_idle => {
                self.send_command(&Command::Quit, ClientState::ExpectQuitReply)
            }
            None => self.state = ClientState::Ready,
        }
    }

    /// RCPT for the next recipient; when all are asked, DATA if any was accepted, else RSET.
    fn send_next_rcpt(&mut self) {
        let next = self
            .current
            .as_ref()
            .and_then(|j| j.to.get(self.next_rcpt))
            .cloned();
        if let Some(to) = next {
            self.next_rcpt += 1;
            let rcpt = Command::Rcpt {
                to,
                params: Vec::new(),
            };
            self.send_command(&rcpt, ClientState::ExpectRcptReply);
        } else if self.accepted_rcpts > 0 {
            self.send_command(&Command::Data, ClientState::ExpectDataReply);
        } else {
            // RFC 5321 §3.3: with no accepted recipient there is nothing to send: abort.
            let reply = Reply::single(
                super::types::ReplyCode::TRANSACTION_FAILED,
                "no recipient was accepted",
            );
            self.events.push_back(ClientEvent::MessageRejected(reply));
            self.current = None;
            self.send_command(&Command::Rset, ClientState::ExpectRsetReply);
        }
    }

    fn finish_job(&mut self, reply: Reply, accepted: bool) {
        self.events.push_back(if accepted {
            ClientEvent::MessageAccepted(reply)
        } else {
            ClientEvent::MessageRejected(reply)
        });
        self.current = None;
        self.state = ClientState::Ready;
        self.start_next_job();
    }
}
