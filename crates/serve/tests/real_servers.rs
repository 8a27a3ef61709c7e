//! Our clients against real, independent servers run as throwaway instances: Postfix for
//! SMTP (its log must show no "improper command pipelining"), Dovecot for POP3 (checking
//! its Maildir afterwards) and IMAP (two devices in sync; an idle device hears the same
//! updates from Dovecot as from our own server).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use postroom_proto::message::Message;
use postroom_proto::pop3::{
    ClientConfig as PopConfig, ClientEvent as PopEvent, Keep, Login, Pop3Client,
};
use postroom_proto::smtp::{ClientConfig, Mailbox, ReversePath, SmtpClient};
use postroom_proto::Instant;
use postroom_serve::drive::{run_client, run_pop3_client};
use support::free_offset;
use support::peer::{self, deliver_to_dovecot, Instance};

fn message(subject: &str) -> Vec<u8> {
    Message::new(
        "alice@example.org",
        "bob@example.test",
        subject,
        "Fri, 6 Mar 2026 09:00:00 +0000",
        "Hi.\n.A line that starts with a period.\n",
    )
    .to_bytes()
}

#[test]
fn our_smtp_client_pipelines_to_postfix_without_complaint() {
    let port = free_offset() + 25;
    let postfix = Instance::start("postfix-instance", &[&port.to_string()]);
    let mut client = SmtpClient::new(ClientConfig::new("postroom.example.org"), Instant::ZERO);
    let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap());
    for i in 0..3 {
        let to = vec![
            Mailbox::try_from("bob@example.test").unwrap(),
            Mailbox::try_from("carol@example.test").unwrap(),
        ];
        client
            .send(from.clone(), to, message(&format!("to postfix {i}")))
            .unwrap();
    }
    client.quit();
    let run = run_client(
        SocketAddr::from(([127, 0, 0, 1], port)),
        client,
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(run.accepted(), 3, "{:#?}", run.transcript);
    assert!(run.transcript.iter().any(|l| l == "S: 250-PIPELINING"));
    let maillog = postfix.dir.join("maillog");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let log = loop {
        let log = fs::read_to_string(&maillog).unwrap_or_default();
        if log
            .matches("status=sent (delivered via discard service)")
            .count()
            >= 6
            || std::time::Instant::now() > deadline
        {
            break log;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        log.matches("status=sent (delivered via discard service)")
            .count(),
        6,
        "{log}"
    );
    assert!(!log.contains("improper command pipelining"), "{log}");
}

fn maildir_count(dir: &Path, user: &str) -> usize {
    ["new", "cur"]
        .iter()
        .map(|sub| {
            fs::read_dir(dir.join("mail").join(user).join(sub))
                .map(|d| d.count())
                .unwrap_or(0)
        })
        .sum()
}

/// A Dovecot with `messages` seeded for alice; its POP3 and IMAP ports.
fn dovecot_with(messages: usize) -> (Instance, u16, u16) {
    let (dovecot, pop, imap) = peer::dovecot();
    for i in 0..messages {
        deliver_to_dovecot(
            &dovecot,
            &format!("seed-{i}"),
            &message(&format!("seed {i}")),
        );
    }
    (dovecot, pop, imap)
}

fn pop_client(keep: Keep, login: Login, known: BTreeMap<String, Instant>) -> Pop3Client {
    let mut config = PopConfig::new("alice", "secret");
    config.keep = keep;
    config.login = login;
    Pop3Client::new(config, known, Instant::ZERO)
}

fn downloads(events: &[PopEvent]) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter_map(|e| match e {
            PopEvent::MessageDownloaded { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn our_pop3_client_downloads_and_deletes_from_dovecot() {
    let (dovecot, port, _) = dovecot_with(3);
    assert_eq!(maildir_count(&dovecot.dir, "alice"), 3);
    let mut client = pop_client(Keep::DownloadAndDelete, Login::UserPass, BTreeMap::new());
    let run = run_pop3_client(
        SocketAddr::from(([127, 0, 0, 1], port)),
        &mut client,
        Duration::from_secs(20),
    )
    .unwrap();
    let got = downloads(&run.events);
    assert_eq!(got.len(), 3, "{:#?}", run.transcript);
    // Dovecot un-stuffs nothing of ours wrongly: the leading period survives the round trip.
    assert!(
        got.iter()
            .all(|m| String::from_utf8_lossy(m)
                .contains("\r\n.A line that starts with a period.\r\n"))
    );
    assert!(run
        .events
        .iter()
        .any(|e| matches!(e, PopEvent::SignedOff(r) if r.ok)));
    assert_eq!(
        maildir_count(&dovecot.dir, "alice"),
        0,
        "Dovecot deleted them at QUIT"
    );
}

#[test]
fn our_pop3_client_leaves_mail_on_dovecot_and_fetches_only_new_mail() {
    let (dovecot, port, _) = dovecot_with(2);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let keep = Keep::LeaveOnServer { delete_after: None };
    let mut first = pop_client(keep, Login::SaslPlain, BTreeMap::new());
    let run = run_pop3_client(addr, &mut first, Duration::from_secs(20)).unwrap();
    assert_eq!(downloads(&run.events).len(), 2, "{:#?}", run.transcript);
    assert!(run
        .transcript
        .iter()
        .any(|l| l.starts_with("C: AUTH PLAIN ")));
    assert_eq!(maildir_count(&dovecot.dir, "alice"), 2, "nothing deleted");
    // New mail arrives; the next session downloads only that one, by its UIDL.
    deliver_to_dovecot(&dovecot, "new", &message("the new one"));
    let mut second = pop_client(keep, Login::UserPass, first.known().clone());
    let run = run_pop3_client(addr, &mut second, Duration::from_secs(20)).unwrap();
    let got = downloads(&run.events);
    assert_eq!(got.len(), 1, "{:#?}", run.transcript);
    assert!(String::from_utf8_lossy(&got[0]).contains("Subject: the new one"));
    assert_eq!(maildir_count(&dovecot.dir, "alice"), 3);
}

// ---- IMAP: two of our client sessions against Dovecot ----

mod imap_devices {
    use super::*;
    use postroom_proto::imap::response::{self, Response, Token};
    use postroom_proto::imap::{
        ClientConfig as ImapConfig, ClientEvent as ImapEvent, DeviceCache, ImapClient, Intent,
    };
    use postroom_serve::drive::ImapConnection;
    use std::collections::BTreeSet;

    fn device(port: u16, cache: DeviceCache) -> ImapConnection {
        let client = ImapClient::new(ImapConfig::new("alice", "secret"), cache);
        let mut conn =
            ImapConnection::connect(SocketAddr::from(([127, 0, 0, 1], port)), client).unwrap();
        let synced = conn
            .pump_until(Duration::from_secs(20), |c, _| c.is_synchronised())
            .unwrap();
        assert!(synced, "{:#?}", conn.transcript);
        conn
    }

    #[test]
    fn our_imap_clients_stay_in_sync_through_dovecot() {
        let (dovecot, _, imap) = dovecot_with(3);
        let mut phone = device(imap, DeviceCache::default());
        let mut laptop = device(imap, DeviceCache::default());
        assert_eq!(phone.client.cache().messages.len(), 3);
        assert!(phone
            .client
            .cache()
            .messages
            .values()
            .all(|m| m.bytes.is_some()));
        // Dovecot speaks CONDSTORE: the phone remembered its HIGHESTMODSEQ.
        assert!(
            phone.client.cache().highest_modseq.is_some(),
            "{:#?}",
            phone.transcript
        );
        phone.client.act(Intent::Idle);
        assert!(phone
            .pump_until(Duration::from_secs(10), |c, _| c.is_idling())
            .unwrap());
        // The laptop reads message 1 and deletes message 2.
        let (first, second) = {
            let mut uids = laptop.client.cache().messages.keys().copied();
            (uids.next().unwrap(), uids.next().unwrap())
        };
        laptop.client.act(Intent::MarkRead(first));
        laptop.client.act(Intent::Delete(second));
        let done = laptop
            .pump_until(Duration::from_secs(10), |c, _| {
                c.cache().messages.len() == 2
            })
            .unwrap();
        assert!(done, "{:#?}", laptop.transcript);
        // The idle phone hears both at once.
        let heard = phone
            .pump_until(Duration::from_secs(20), |c, _| {
                c.cache().messages.len() == 2
                    && c.cache()
                        .messages
                        .get(&first)
                        .is_some_and(|m| m.flags.contains("\\Seen"))
            })
            .unwrap();
        assert!(heard, "{:#?}", phone.transcript);
        assert!(phone
            .events
            .contains(&ImapEvent::MessageRemoved { uid: second }));
        // On disk: Dovecot's Maildir holds two messages, one of them seen (":2,S").
        let cur: Vec<String> = ["cur", "new"]
            .iter()
            .flat_map(|d| fs::read_dir(dovecot.dir.join("mail/alice").join(d)).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(cur.len(), 2, "{cur:?}");
        assert_eq!(
            cur.iter().filter(|n| n.ends_with(":2,S")).count(),
            1,
            "{cur:?}"
        );
        // The phone stops idling, goes offline, and resyncs cheaply later.
        phone.client.stop_idle();
        phone.client.act(Intent::Logout);
        phone
            .pump_until(Duration::from_secs(10), |c, _| c.is_closed())
            .unwrap();
        let cache = phone.client.cache().clone();
        laptop.client.act(Intent::MarkRead(
            *laptop.client.cache().messages.keys().last().unwrap(),
        ));
        laptop
            .pump_until(Duration::from_secs(10), |c, _| {
                c.cache()
                    .messages
                    .values()
                    .all(|m| m.flags.contains("\\Seen"))
            })
            .unwrap();
        let again = device(imap, cache);
        assert!(
            again.transcript.iter().any(|l| l.contains("(CHANGEDSINCE")),
            "{:#?}",
            again.transcript
        );
        assert!(
            again.events.contains(&ImapEvent::Synchronised {
                downloaded: 0,
                removed: 0,
                flags_updated: 1
            }),
            "{:?} {:#?}",
            again.events,
            again.transcript
        );
    }

    /// What the idle phone saw: its client events, and the untagged responses that reached
    /// it while it idled, normalised so two servers can be compared line by line; `raw`
    /// keeps those responses as they came.
    struct Heard {
        events: Vec<String>,
        untagged: Vec<String>,
        raw: Vec<String>,
    }

    /// Seeded messages, then the one delivered while the phone idles.
    const SEEDS: [&str; 3] = ["seed 0", "seed 1", "seed 2"];
    const NEW: &str = "the new one";

    /// The phone syncs and IDLEs; the laptop reads message 1 (the phone hears it), then
    /// deletes message 2 (the phone hears it); then `deliver_new` brings one more message,
    /// and the phone fetches it and idles again. Both devices log out at the end.
    fn idle_phone_scenario(port: u16, deliver_new: impl FnOnce()) -> Heard {
        let mut phone = device(port, DeviceCache::default());
        let mut laptop = device(port, DeviceCache::default());
        let seeded: Vec<u32> = phone.client.cache().messages.keys().copied().collect();
        assert_eq!(seeded.len(), SEEDS.len(), "{:#?}", phone.transcript);
        let limit = Duration::from_secs(20);
        phone.client.act(Intent::Idle);
        assert!(phone.pump_until(limit, |c, _| c.is_idling()).unwrap());

        // One change at a time, each heard before the next, so that the updates reach the
        // phone in the same order from any server.
        let (first, second) = (seeded[0], seeded[1]);
        let seen = move |c: &ImapClient| {
            c.cache()
                .messages
                .get(&first)
                .is_some_and(|m| m.flags.contains("\\Seen"))
        };
        let gone = move |c: &ImapClient| !c.cache().messages.contains_key(&second);
        laptop.client.act(Intent::MarkRead(first));
        for (conn, done) in [(&mut laptop, &seen), (&mut phone, &seen)] {
            let heard = conn.pump_until(limit, |c, _| done(c)).unwrap();
            assert!(heard, "{:#?}", conn.transcript);
        }
        laptop.client.act(Intent::Delete(second));
        for (conn, done) in [(&mut laptop, &gone), (&mut phone, &gone)] {
            let heard = conn.pump_until(limit, |c, _| done(c)).unwrap();
            assert!(heard, "{:#?}", conn.transcript);
        }

        // New mail: the phone leaves IDLE, downloads it, and idles again.
        deliver_new();
        let fetched = phone
            .pump_until(limit, |c, _| {
                c.is_idling()
                    && c.cache().messages.len() == SEEDS.len()
                    && c.cache().messages.values().all(|m| m.bytes.is_some())
            })
            .unwrap();
        assert!(fetched, "{:#?}", phone.transcript);

        phone.client.stop_idle();
        phone.client.act(Intent::Logout);
        laptop.client.act(Intent::Logout);
        for conn in [&mut phone, &mut laptop] {
            let closed = conn.pump_until(limit, |c, _| c.is_closed()).unwrap();
            assert!(closed, "{:#?}", conn.transcript);
        }
        heard(&phone.events, &phone.transcript)
    }

    /// The phone's events and idle-time responses, normalised: a UID becomes the message's
    /// position (#1, #2, … in UID order, over every message the phone ever knew),
    /// UIDVALIDITY and MODSEQ values and literal contents are dropped, FETCH items are
    /// sorted by name, and flags are a set (\Recent included).
    fn heard(phone_events: &[ImapEvent], transcript: &[String]) -> Heard {
        let uids: BTreeSet<u32> = phone_events
            .iter()
            .filter_map(|e| match e {
                ImapEvent::MessageArrived { uid } => Some(*uid),
                _ => None,
            })
            .collect();
        let position = |uid: u64| match uids.iter().position(|&u| u64::from(u) == uid) {
            Some(i) => format!("#{}", i + 1),
            None => format!("unknown UID {uid}"),
        };
        let mut events: Vec<String> = phone_events
            .iter()
            .map(|e| match e {
                ImapEvent::Selected { exists, .. } => format!("Selected {{ exists: {exists} }}"),
                ImapEvent::MessageArrived { uid } => {
                    format!("MessageArrived {}", position(u64::from(*uid)))
                }
                ImapEvent::MessageRemoved { uid } => {
                    format!("MessageRemoved {}", position(u64::from(*uid)))
                }
                ImapEvent::FlagsChanged { uid, flags } => format!(
                    "FlagsChanged {} {}",
                    position(u64::from(*uid)),
                    flag_set(flags.iter().map(String::as_str))
                ),
                other => format!("{other:?}"),
            })
            .collect();
        let (raw, responses) = idle_responses(transcript);
        let mut untagged: Vec<(u32, String)> = Vec::new();
        for r in responses {
            match r {
                Response::Numbered { number, kind, data } if kind == "FETCH" => {
                    let mut items = fetch_items(&data);
                    items.sort();
                    untagged.push((number, format!("* {number} FETCH ({})", items.join(" "))));
                }
                // A RECENT count right after an EXPUNGE is optional: the RFCs' EXPUNGE
                // examples (RFC 3501 and 9051 §6.4.3) send none, Dovecot sends one, we do
                // not. After new mail both servers must send it (RFC 3501 §7.3.2).
                Response::Numbered { kind, .. }
                    if kind == "RECENT"
                        && untagged
                            .last()
                            .is_some_and(|(_, l)| l.ends_with(" EXPUNGE")) => {}
                Response::Numbered { number, kind, .. } => {
                    untagged.push((number, format!("* {number} {kind}")))
                }
                other => untagged.push((0, format!("{other:?}"))),
            }
        }
        // The laptop deletes with two commands, STORE \Deleted then UID EXPUNGE. A server
        // that looks in between (ours looks every 200 ms) tells the idle phone of the
        // \Deleted flag before the EXPUNGE; one that looks later tells only the EXPUNGE.
        // Both are right (RFC 9051 §5.2: flag updates as the server observes them), so
        // that passing flag is left out on both sides.
        let expunged = |n: u32, after: usize, list: &[(u32, String)]| {
            list.iter()
                .skip(after + 1)
                .find(|(_, line)| line.ends_with(" EXPUNGE") || line.ends_with(" EXISTS"))
                .is_some_and(|(m, line)| *m == n && line.ends_with(" EXPUNGE"))
        };
        let passing: Vec<usize> = untagged
            .iter()
            .enumerate()
            .filter(|(i, (n, line))| {
                line.contains(" FETCH (")
                    && line.contains("\\Deleted")
                    && expunged(*n, *i, &untagged)
            })
            .map(|(i, _)| i)
            .collect();
        let untagged = untagged
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !passing.contains(i))
            .map(|(_, (_, line))| line)
            .collect();
        let removed: Vec<String> = events
            .iter()
            .filter_map(|e| e.strip_prefix("MessageRemoved ").map(str::to_string))
            .collect();
        events.retain(|e| {
            !(e.starts_with("FlagsChanged ")
                && e.contains("\\Deleted")
                && removed
                    .iter()
                    .any(|p| e.starts_with(&format!("FlagsChanged {p} "))))
        });
        Heard {
            events,
            untagged,
            raw,
        }
    }

    fn flag_set<'a>(flags: impl Iterator<Item = &'a str>) -> String {
        // \Recent is compared too: both servers give it to the session that saw the
        // messages first (RFC 3501 §2.3.2), here the phone.
        let set: BTreeSet<&str> = flags.collect();
        format!("({})", set.into_iter().collect::<Vec<_>>().join(" "))
    }

    /// `NAME value` for each item of a FETCH response.
    fn fetch_items(data: &[Token]) -> Vec<String> {
        let Some(Token::List(items)) = data.first() else {
            return vec![format!("unparsed {data:?}")];
        };
        items
            .chunks(2)
            .filter_map(|pair| {
                let name = pair.first()?.atom().unwrap_or("?").to_ascii_uppercase();
                let value = match (name.as_str(), pair.get(1)) {
                    // Dovecot leaves UID out of the FETCH that reports another session's
                    // flag change; ours sends it. RFC 9051 names the message by its
                    // sequence number (§7.5.2) and asks for UID only in answers to UID
                    // commands (§6.4.9). RFC 7162 §3.2.4 wants UID in every untagged FETCH
                    // once CONDSTORE is on, of a server that offers QRESYNC: Dovecot does,
                    // ours does not (and sends UID anyway). The phone's events show both
                    // name the same message.
                    ("UID", _) => return None,
                    // Both send MODSEQ to a CONDSTORE client (RFC 7162 §3.2.4); the value
                    // is each server's own counter.
                    ("MODSEQ", _) => "(_)".into(),
                    ("FLAGS", Some(Token::List(flags))) => {
                        flag_set(flags.iter().filter_map(Token::atom))
                    }
                    (_, Some(Token::Str(_))) => "<literal>".into(),
                    (_, other) => format!("{other:?}"),
                };
                Some(format!("{name} {value}"))
            })
            .collect()
    }

    /// The lines the server sent between each IDLE's continuation and its tagged end, as
    /// they came and parsed.
    fn idle_responses(transcript: &[String]) -> (Vec<String>, Vec<Response>) {
        let mut idle_tag: Option<String> = None;
        let mut idling = false;
        let mut lines = Vec::new();
        for line in transcript {
            if let Some(command) = line.strip_prefix("C: ") {
                if let Some(tag) = command.strip_suffix(" IDLE") {
                    idle_tag = Some(tag.to_string());
                }
                continue;
            }
            let Some(server) = line.strip_prefix("S: ") else {
                continue;
            };
            match &idle_tag {
                Some(tag) if server.starts_with(&format!("{tag} ")) => {
                    idle_tag = None;
                    idling = false;
                }
                Some(_) if !idling && server.starts_with('+') => idling = true,
                Some(_) if idling => lines.push(server.to_string()),
                _ => {}
            }
        }
        // The transcript splits what was read at CRLF; joined again, a literal (if any)
        // keeps its octet count.
        let bytes: Vec<u8> = lines
            .iter()
            .flat_map(|l| [l.as_bytes(), b"\r\n"])
            .flatten()
            .copied()
            .collect();
        let mut parsed = Vec::new();
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let Ok((r, used)) = response::response(rest) else {
                parsed.push(Response::Data {
                    kind: format!("UNPARSED {:?}", String::from_utf8_lossy(rest)),
                    data: Vec::new(),
                });
                break;
            };
            parsed.push(r);
            rest = rest.get(used..).unwrap_or_default();
        }
        (lines, parsed)
    }

    /// `left` and `right` in two columns, row by row; `≠` marks rows that differ.
    fn side_by_side(title: (&str, &str), left: &[String], right: &[String]) -> String {
        let width = left
            .iter()
            .map(|l| l.chars().count())
            .chain([title.0.len()])
            .max()
            .unwrap_or(0);
        let mut out = format!("{:width$} | {}\n", title.0, title.1);
        out.push_str(&format!("{:-<width$}-+-{:-<width$}\n", "", ""));
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let mark = if l == r { "|" } else { "≠" };
            out.push_str(&format!("{l:width$} {mark} {r}\n"));
        }
        out
    }

    #[test]
    fn dovecot_and_postroom_send_the_idle_phone_the_same_updates() {
        let (dovecot, _, imap) = dovecot_with(SEEDS.len());
        let from_dovecot = idle_phone_scenario(imap, || {
            deliver_to_dovecot(&dovecot, "new", &message(NEW));
        });
        drop(dovecot);

        // The same messages for the same user on our server, delivered by our SMTP client.
        let serve = support::Serve::start(&[]);
        let deliver = |subjects: &[&str]| {
            let mut client = SmtpClient::new(ClientConfig::new("seed.example.org"), Instant::ZERO);
            let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap());
            let to = Mailbox::try_from("alice@example.net").unwrap();
            for subject in subjects {
                client
                    .send(from.clone(), vec![to.clone()], message(subject))
                    .unwrap();
            }
            client.quit();
            let addr = SocketAddr::from(([127, 0, 0, 1], serve.port(25)));
            let run = run_client(addr, client, Duration::from_secs(20)).unwrap();
            assert_eq!(run.accepted(), subjects.len(), "{:#?}", run.transcript);
        };
        deliver(&SEEDS);
        let from_postroom = idle_phone_scenario(serve.port(143), || deliver(&[NEW]));

        let titles = ("Dovecot", "postroom-serve");
        let table = format!(
            "the phone's client events:\n{}\nwhat reached it while it idled, normalised:\n{}\n\
             as sent:\n{}",
            side_by_side(titles, &from_dovecot.events, &from_postroom.events),
            side_by_side(titles, &from_dovecot.untagged, &from_postroom.untagged),
            side_by_side(titles, &from_dovecot.raw, &from_postroom.raw)
        );
        println!("{table}");
        assert_eq!(from_dovecot.events, from_postroom.events, "\n{table}");
        assert_eq!(from_dovecot.untagged, from_postroom.untagged, "\n{table}");
    }
}
