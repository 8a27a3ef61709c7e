//! The mail transaction (RFC 5321 §3.3): MAIL, RCPT, DATA and the message data up to the
//! final period, then storing it for local recipients.

use super::{Role, ServerEvent, SmtpServer, Transaction};
use crate::smtp::types::{
    Mailbox, Param, ReplyCode, ReversePath, ServerState, MAX_COMMAND_LINE, MAX_RECIPIENTS,
};
use crate::store::MailStore;

/// Where mail for the postmaster is kept.
const POSTMASTER: &str = "postmaster";

impl SmtpServer {
    pub(super) fn mail(&mut self, from: ReversePath, params: &[Param]) {
        match self.state {
            ServerState::ExpectHelo => return self.out_of_sequence("Send EHLO or HELO first"),
            ServerState::ExpectMail => {}
            _ => return self.out_of_sequence("Nested MAIL command: a transaction is already open"),
        }
        if self.tls_missing() {
            return self.refuse(
                ReplyCode::AUTH_REQUIRED,
                "5.7.0 Must issue a STARTTLS command first",
            );
        }
        if self.config.role == Role::Submission && self.user.is_none() {
            // RFC 6409 §4.3 with RFC 4954 §6: "530 5.7.0 Authentication required".
            return self.refuse(ReplyCode::AUTH_REQUIRED, "5.7.0 Authentication required");
        }
        if !self.extended && !params.is_empty() {
            // Extensions exist only for a client that asked with EHLO (RFC 5321 §2.2.1);
            // aiosmtpd and Postfix answer parameters after HELO with 501 as well.
            return self.refuse(
                ReplyCode::PARAM_SYNTAX_ERROR,
                "5.5.4 ESMTP parameters need EHLO, not HELO",
            );
        }
        for p in params {
            match (p.keyword(), p.value()) {
                ("SIZE", Some(v)) => match v.parse::<usize>() {
                    Ok(size) if size > self.config.max_message_size => {
                        // RFC 1870 §6.1: a declared size above the fixed limit gets 552.
                        return self.refuse(
                            ReplyCode::EXCEEDED_STORAGE,
                            "5.3.4 Message size exceeds fixed maximum message size",
                        );
                    }
                    Ok(_) => {}
                    Err(_) => {
                        return self.refuse(ReplyCode::PARAM_SYNTAX_ERROR, "5.5.4 Bad SIZE value")
                    }
                },
                // RFC 6152 §2: BODY=8BITMIME or 7BIT.
                ("BODY", Some(v))
                    if v.eq_ignore_ascii_case("8BITMIME") || v.eq_ignore_ascii_case("7BIT") => {}
                // RFC 4954 §5: AUTH=<mailbox> or AUTH=<> names who submitted it; informative.
                ("AUTH", Some(_)) if self.config.role == Role::Submission => {}
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

    pub(super) fn rcpt(&mut self, to: Mailbox, params: &[Param], store: &mut MailStore) {
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
        // RFC 5321 §4.5.1: every server MUST take mail for its postmaster, domain or not.
        let local = to.domain().is_empty() || to.domain().eq_ignore_ascii_case(&self.config.domain);
        let postmaster = local && to.is_postmaster();
        let is_local = |m: &Mailbox| {
            m.domain().is_empty() || m.domain().eq_ignore_ascii_case(&self.config.domain)
        };
        // One mailbox, however it is written: case aside, and <Postmaster> is the
        // postmaster of this domain.
        let same = |r: &Mailbox| {
            (postmaster && r.is_postmaster() && is_local(r))
                || r.to_string().eq_ignore_ascii_case(&to.to_string())
        };
        let listed = self
            .transaction
            .as_ref()
            .is_some_and(|t| t.recipients.iter().any(same));
        if listed {
            // Named twice: it still gets one copy.
            self.ok("2.1.5 Recipient OK (already listed: one copy)");
            return;
        }
        let refusal = if local && !postmaster && !store.has_user(to.local_part()) {
            Some((
                ReplyCode::MAILBOX_UNAVAILABLE,
                format!("5.1.1 <{to}>: Recipient address rejected: User unknown"),
            ))
        } else if !local && self.config.role == Role::Exchanger {
            Some((
                ReplyCode::TRANSACTION_FAILED,
                format!("5.7.1 <{to}>: Relay access denied"),
            ))
        } else if !local && !self.config.accept_remote {
            Some((
                ReplyCode::MAILBOX_UNAVAILABLE,
                format!(
                    "5.7.1 <{to}>: this server delivers only to @{} (it has no route onwards)",
                    self.config.domain
                ),
            ))
        } else {
            None
        };
        let refusal = refusal.or_else(|| {
            let from = self
                .transaction
                .as_ref()
                .map(|t| t.from.to_string())
                .unwrap_or_default();
            let triplet = format!("{} {from} {to}", self.client_name);
            // Greylisting: an unknown triplet is told to come back later (RFC 5321 §4.2.5:
            // 4yz is a transient failure the client must retry).
            (self.config.greylisting && local && !store.greylist_passes(&triplet)).then(|| {
                (
                    ReplyCode::try_from(451).unwrap_or(ReplyCode::INSUFFICIENT_STORAGE),
                    "4.7.1 Greylisted: please try again later".to_string(),
                )
            })
        });
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

    pub(super) fn data_command(&mut self) {
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
    pub(super) fn receive_data(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
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
        let received = std::mem::take(&mut self.data);
        if self.data_too_big {
            // RFC 1870 §6.3: a message larger than announced or allowed gets 552.
            return self.refuse(
                ReplyCode::EXCEEDED_STORAGE,
                "5.3.4 Message too big for system",
            );
        }
        let Some(t) = transaction else {
            return self.out_of_sequence("No transaction");
        };
        // RFC 5321 §4.4: every server that takes a message adds its Received: line at the
        // top, relayed onwards or not; at final delivery it also adds Return-Path with the
        // MAIL FROM.
        let mut data = self
            .received_line(&t.recipients, store.clock())
            .into_bytes();
        data.extend_from_slice(&received);
        let mut stored = format!("Return-Path: {}\r\n", t.from).into_bytes();
        stored.extend_from_slice(&data);
        let from = t.from.to_string();
        let (local, remote): (Vec<Mailbox>, Vec<Mailbox>) =
            t.recipients.into_iter().partition(|r| {
                r.domain().is_empty() || r.domain().eq_ignore_ascii_case(&self.config.domain)
            });
        if let Some(full) = local
            .iter()
            .find(|r| store.over_quota(r.local_part(), stored.len()))
        {
            // RFC 3463 5.2.2: "Mailbox full"; nothing is stored for anyone.
            let text = format!("5.2.2 <{full}>: Mailbox full");
            return self.refuse(ReplyCode::EXCEEDED_STORAGE, &text);
        }
        let uids: Vec<u32> = local
            .iter()
            .filter_map(|r| {
                let user = if r.is_postmaster() {
                    // The postmaster's mailbox exists as soon as mail arrives for it.
                    if !store.has_user(POSTMASTER) {
                        store.add_user(POSTMASTER);
                    }
                    POSTMASTER
                } else {
                    r.local_part()
                };
                store.deliver(user, &from, stored.clone())
            })
            .collect();
        let text = format!("2.0.0 Ok: message accepted ({} octets)", received.len());
        self.ok(&text);
        self.events.push_back(ServerEvent::MessageAccepted {
            from: t.from,
            local,
            uids,
            remote,
            content: data,
        });
    }

    /// RFC 5321 §4.4 Time-stamp-line: who handed the message over (the EHLO name), who took
    /// it, how (RFC 3848: ESMTP, plus S with TLS and A with AUTH), for whom when there is
    /// one recipient (more would tell each about the others), and when.
    fn received_line(&self, recipients: &[Mailbox], unix_seconds: i64) -> String {
        let mut with = String::from("SMTP");
        if self.extended {
            // Only ESMTP has the S and A forms.
            with.insert(0, 'E');
            if self.encrypted {
                with.push('S');
            }
            if self.user.is_some() {
                with.push('A');
            }
        }
        let from = if self.client_name.is_empty() {
            "unknown"
        } else {
            &self.client_name
        };
        let by = &self.config.hostname;
        let date = crate::message::date(unix_seconds);
        match recipients {
            [one] => format!(
                "Received: from {from}\r\n\tby {by} with {with}\r\n\tfor <{one}>; {date}\r\n"
            ),
            _ => format!("Received: from {from}\r\n\tby {by} with {with}; {date}\r\n"),
        }
    }
}

fn find_crlf(input: &[u8]) -> Option<usize> {
    input.windows(2).position(|w| w == b"\r\n")
}
