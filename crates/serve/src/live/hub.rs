//! The live stream's history: every event as a JSON line, numbered, kept within bounds
//! (sessions and bytes, the oldest session dropped first, with a note), and a wake-up for
//! the watchers. A watcher holds no queue of its own: it remembers the last number it sent
//! and reads what follows, so a slow watcher costs no memory and loses nothing that is
//! still kept; a browser that reconnects asks for what followed the last number it has.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use postroom_proto::live::{LiveEvent, Message, Record, Settings, Told};

/// How much history is kept.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub sessions: usize,
    pub bytes: usize,
}

impl Default for Bounds {
    /// The last 200 sessions or 10 MB of events, whichever is smaller.
    fn default() -> Self {
        Bounds {
            sessions: 200,
            bytes: 10 * 1024 * 1024,
        }
    }
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    session: Option<u64>,
    json: Arc<str>,
}

#[derive(Debug, Default)]
struct Kept {
    bytes: usize,
    closed: bool,
}

#[derive(Debug, Default)]
struct History {
    entries: VecDeque<Entry>,
    sessions: BTreeMap<u64, Kept>,
    bytes: usize,
    last_seq: u64,
    dropped: u64,
    /// The note about what was dropped, as sent to a watcher that missed it.
    note: Option<Arc<str>>,
}

/// The stream's history and its watchers' wake-up.
#[derive(Debug)]
pub struct Hub {
    history: Mutex<History>,
    changed: Condvar,
    started: Instant,
    bounds: Bounds,
    hello: Arc<str>,
    /// Each mailbox as last published: a change is published once, by the session that
    /// made it, and a mailbox nobody changed is not sent again.
    mailboxes: Mutex<BTreeMap<String, (Vec<Message>, usize)>>,
}

/// What a watcher reads next.
#[derive(Debug, Default)]
pub struct Batch {
    /// JSON lines, oldest first.
    pub lines: Vec<Arc<str>>,
    /// The number of the last event in `lines` (or the cursor, if none).
    pub cursor: u64,
}

fn json(record: &Record) -> Arc<str> {
    // Our own types always serialize; an empty object would only be skipped by the page.
    Arc::from(serde_json::to_string(record).unwrap_or_else(|_| "{}".to_string()))
}

impl Hub {
    pub fn new(settings: Settings, bounds: Bounds) -> Hub {
        let hello = json(&Record {
            seq: 0,
            at_ms: 0,
            event: LiveEvent::Hello(settings),
        });
        Hub {
            history: Mutex::new(History::default()),
            changed: Condvar::new(),
            started: Instant::now(),
            bounds,
            hello,
            mailboxes: Mutex::new(BTreeMap::new()),
        }
    }

    fn history(&self) -> std::sync::MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an event to the history and wakes the watchers.
    pub fn publish(&self, event: LiveEvent) {
        let at_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let session = event.session();
        let closing = matches!(event, LiveEvent::Closed { .. });
        let mut h = self.history();
        h.last_seq += 1;
        let seq = h.last_seq;
        let line = json(&Record { seq, at_ms, event });
        let size = line.len() + 1;
        h.bytes += size;
        if let Some(id) = session {
            let kept = h.sessions.entry(id).or_default();
            kept.bytes += size;
            kept.closed |= closing;
        }
        h.entries.push_back(Entry {
            seq,
            session,
            json: line,
        });
        self.enforce(&mut h);
        drop(h);
        self.changed.notify_all();
    }

    /// Publishes, for `session`, each of `views` (a mailbox, its messages and how many more
    /// it holds) that differs from what was published last.
    pub fn mailboxes(&self, session: u64, views: Vec<(String, Vec<Message>, usize)>) {
        let mut changed = Vec::new();
        {
            let mut shown = self
                .mailboxes
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            for (mailbox, messages, more) in views {
                let now = (messages, more);
                if shown.get(&mailbox) != Some(&now) {
                    shown.insert(mailbox.clone(), now.clone());
                    changed.push(LiveEvent::Mailbox {
                        session,
                        mailbox,
                        messages: now.0,
                        more: now.1,
                    });
                }
            }
        }
        for event in changed {
            self.publish(event);
        }
    }

    /// Drops the oldest sessions, finished ones first, until the history is within bounds.
    fn enforce(&self, h: &mut History) {
        let mut dropped_now = 0;
        while h.sessions.len() > self.bounds.sessions || h.bytes > self.bounds.bytes {
            let oldest_closed = h.sessions.iter().find(|(_, k)| k.closed).map(|(id, _)| *id);
            let Some(id) = oldest_closed.or_else(|| h.sessions.keys().next().copied()) else {
                break;
            };
            if let Some(kept) = h.sessions.remove(&id) {
                h.bytes = h.bytes.saturating_sub(kept.bytes);
            }
            h.entries.retain(|e| e.session != Some(id));
            dropped_now += 1;
        }
        if dropped_now > 0 {
            h.dropped += dropped_now;
            let note = postroom_proto::text!(
                "live.dropped",
                count = h.dropped,
                sessions = self.bounds.sessions,
                megabytes = self.bounds.bytes / (1024 * 1024)
            );
            h.note = Some(json(&Record {
                seq: 0,
                at_ms: 0,
                event: LiveEvent::Dropped {
                    sessions: h.dropped,
                    note: Told::from(&note),
                },
            }));
        }
    }

    /// What a watcher that has everything up to `cursor` reads first: the settings, the
    /// note about dropped sessions, then the history after `cursor`.
    pub fn first(&self, cursor: u64, max: usize) -> Batch {
        let mut batch = Batch {
            lines: vec![self.hello.clone()],
            cursor,
        };
        if let Some(note) = self.history().note.clone() {
            batch.lines.push(note);
        }
        let rest = self.after(cursor, max);
        batch.lines.extend(rest.lines);
        batch.cursor = rest.cursor;
        batch
    }

    /// Up to `max` events after `cursor`.
    pub fn after(&self, cursor: u64, max: usize) -> Batch {
        let h = self.history();
        let start = h.entries.partition_point(|e| e.seq <= cursor);
        let lines: Vec<(u64, Arc<str>)> = h
            .entries
            .range(start..)
            .take(max)
            .map(|e| (e.seq, e.json.clone()))
            .collect();
        let cursor = lines.last().map_or(cursor, |(seq, _)| *seq);
        Batch {
            lines: lines.into_iter().map(|(_, l)| l).collect(),
            cursor,
        }
    }

    /// Waits up to `limit` for an event after `cursor`.
    pub fn wait(&self, cursor: u64, limit: Duration) {
        let h = self.history();
        if h.last_seq > cursor {
            return;
        }
        let _ = self
            .changed
            .wait_timeout_while(h, limit, |h| h.last_seq <= cursor);
    }

    /// Sessions and bytes kept now: for tests and the load check.
    pub fn kept(&self) -> (usize, usize) {
        let h = self.history();
        (h.sessions.len(), h.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postroom_proto::live::Ports;

    fn hub(bounds: Bounds) -> Hub {
        let settings = Settings {
            hostname: "mail.example.net".into(),
            domain: "example.net".into(),
            bind: "127.0.0.1".into(),
            ports: Ports {
                smtp: 25,
                submission: 587,
                submissions: 465,
                pop3: 110,
                imap: 143,
            },
            users: vec![],
            require_tls: false,
            fingerprint: String::new(),
            show_secrets: false,
        };
        Hub::new(settings, bounds)
    }

    fn closed(session: u64) -> LiveEvent {
        LiveEvent::Closed {
            session,
            how: "closed".into(),
        }
    }

    #[test]
    fn the_oldest_finished_session_goes_first_with_a_note() {
        let hub = hub(Bounds {
            sessions: 2,
            bytes: 1 << 20,
        });
        hub.publish(LiveEvent::LoginFailed { session: 1 });
        hub.publish(LiveEvent::LoginFailed { session: 2 });
        hub.publish(closed(2));
        hub.publish(LiveEvent::LoginFailed { session: 3 });
        assert_eq!(hub.kept().0, 2);
        let all = hub.first(0, 100);
        let text = all.lines.join("\n");
        assert!(text.contains("\"kind\":\"dropped\""), "{text}");
        assert!(!text.contains("\"session\":2"), "{text}");
        assert!(text.contains("\"session\":1") && text.contains("\"session\":3"));
        assert_eq!(all.cursor, 4);
    }

    #[test]
    fn bytes_are_bounded_and_a_cursor_reads_only_what_follows() {
        let hub = hub(Bounds {
            sessions: 1000,
            bytes: 2000,
        });
        for session in 1..=100 {
            hub.publish(closed(session));
        }
        let (sessions, bytes) = hub.kept();
        assert!(bytes <= 2000 && sessions < 100, "{sessions} {bytes}");
        let after = hub.after(98, 10);
        assert_eq!(after.lines.len(), 2);
        assert_eq!(after.cursor, 100);
        assert!(hub.after(100, 10).lines.is_empty());
    }

    #[test]
    fn a_mailbox_is_published_only_when_it_changed() {
        let hub = hub(Bounds::default());
        let view = |flags: &[&str]| {
            let message = Message {
                uid: 1,
                size: 10,
                subject: "hi".into(),
                flags: flags.iter().map(|f| f.to_string()).collect(),
            };
            vec![("bob · INBOX".to_string(), vec![message], 0)]
        };
        hub.mailboxes(1, view(&[]));
        hub.mailboxes(2, view(&[]));
        hub.mailboxes(2, view(&["\\Seen"]));
        let text = hub.first(0, 100).lines.join("\n");
        assert_eq!(text.matches("\"kind\":\"mailbox\"").count(), 2, "{text}");
        assert!(
            text.contains("\"session\":2,\"mailbox\":\"bob · INBOX\""),
            "{text}"
        );
        assert!(text.contains("\\\\Seen"), "{text}");
    }
}
