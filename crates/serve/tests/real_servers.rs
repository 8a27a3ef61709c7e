//! Our clients against real, independent servers run as throwaway instances: Postfix for
//! SMTP (its log must show no "improper command pipelining"), Dovecot for POP3 (checking
//! its Maildir afterwards).
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
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use postroom_proto::message::Message;
use postroom_proto::pop3::{
    ClientConfig as PopConfig, ClientEvent as PopEvent, Keep, Login, Pop3Client,
};
use postroom_proto::smtp::{ClientConfig, Mailbox, ReversePath, SmtpClient};
use postroom_proto::Instant;
use postroom_serve::drive::{run_client, run_pop3_client};
use support::free_offset;

const PEERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/peers");

/// A throwaway server instance, stopped when dropped.
struct Instance {
    script: &'static str,
    dir: PathBuf,
}

impl Instance {
    fn start(script: &'static str, args: &[&str]) -> Instance {
        let dir = std::env::temp_dir().join(format!(
            "postroom-{script}-{}-{}",
            std::process::id(),
            free_offset()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let out = Command::new(format!("{PEERS}/{script}"))
            .arg("start")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script} start: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Instance { script, dir }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = Command::new(format!("{PEERS}/{}", self.script))
            .arg("stop")
            .arg(&self.dir)
            .output();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

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
    let base = free_offset();
    let (pop, imap) = (base + 110, base + 143);
    let dovecot = Instance::start(
        "dovecot-instance",
        &[&pop.to_string(), &imap.to_string(), "alice:secret"],
    );
    for i in 0..messages {
        let file = dovecot.dir.join(format!("seed-{i}.eml"));
        fs::write(&file, message(&format!("seed {i}"))).unwrap();
        let out = Command::new(format!("{PEERS}/dovecot-instance"))
            .args(["deliver"])
            .arg(&dovecot.dir)
            .arg("alice")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
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
    let file = dovecot.dir.join("new.eml");
    fs::write(&file, message("the new one")).unwrap();
    Command::new(format!("{PEERS}/dovecot-instance"))
        .arg("deliver")
        .arg(&dovecot.dir)
        .arg("alice")
        .arg(&file)
        .output()
        .unwrap();
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
    use postroom_proto::imap::{
        ClientConfig as ImapConfig, ClientEvent as ImapEvent, DeviceCache, ImapClient, Intent,
    };
    use postroom_serve::drive::ImapConnection;

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
}
