//! POP3 vs IMAP: each preset's outcome, checked against the RFCs' rules rather than against
//! numbers copied from a run. POP3 deletes only in the UPDATE state after QUIT (RFC 1939 §6)
//! and has no flags or folders; IMAP keeps flags and folders on the server (RFC 9051 §2.3),
//! tells an idling client at once (RFC 2177), and a client back from offline resynchronises
//! with CHANGEDSINCE (RFC 7162 §3.1.4).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_sim::compare::{compare, presets, Act, Comparison, Frame, Script, Shelf, MAX_ACTS};
use postroom_sim::{Device, Direction};

fn run(key: &str) -> Comparison {
    let preset = presets().into_iter().find(|p| p.key == key).unwrap();
    compare(&preset.script)
}

fn subjects(shelf: &Shelf) -> Vec<&str> {
    shelf
        .items
        .iter()
        .filter(|i| !i.gone)
        .map(|i| i.subject.as_str())
        .collect()
}

fn read(shelf: &Shelf, subject: &str) -> bool {
    shelf
        .items
        .iter()
        .any(|i| i.subject == subject && i.read && !i.gone)
}

fn wire(frame: &Frame, device: Device) -> Vec<&str> {
    frame
        .lines
        .iter()
        .filter(|l| l.device == device && l.direction != Direction::Local)
        .map(|l| l.text.as_str())
        .collect()
}

#[test]
fn pop3_download_and_delete_leaves_the_second_device_empty() {
    let c = run("two-devices");
    let pop3 = c.pop3.last().unwrap();
    let t = pop3.tally;
    assert_eq!((t.on_server, t.on_phone, t.on_laptop), (0, 3, 0));
    // The phone's session: every message is marked with DELE, and removed only once QUIT
    // ends the session (RFC 1939 §6: the UPDATE state).
    let phone_check = &c.pop3[3];
    let lines = wire(phone_check, Device::Phone);
    let dele = lines.iter().position(|l| l.starts_with("DELE")).unwrap();
    let quit = lines.iter().position(|l| *l == "QUIT").unwrap();
    assert!(dele < quit, "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("DELE")).count(), 3);
    assert!(phone_check.server[0].items.iter().all(|i| i.gone));
    assert!(phone_check
        .changes
        .iter()
        .any(|c| c.contains("deleted at QUIT") && c.contains("the laptop never saw it")));
    // The laptop logs in to an empty maildrop.
    assert!(wire(pop3, Device::Laptop)
        .iter()
        .any(|l| l.starts_with("+OK 0 ")));
    let imap = c.imap.last().unwrap().tally;
    assert_eq!((imap.on_server, imap.on_phone, imap.on_laptop), (3, 3, 3));
    assert_eq!(imap.read_agrees, Some(true));
}

#[test]
fn pop3_leave_on_server_shares_read_and_deleted_state_with_no_one() {
    let c = run("leave-a-copy");
    let last = c.pop3.last().unwrap();
    let t = last.tally;
    // The phone deleted one and read one; the server and the laptop know of neither.
    assert_eq!((t.on_server, t.on_phone, t.on_laptop), (2, 1, 2));
    assert_eq!(t.read_agrees, Some(false));
    assert!(read(&last.phone, "Lunch on Friday?"));
    assert!(!read(&last.laptop, "Lunch on Friday?"));
    // No command in the whole run tells the server about reading or deleting.
    for frame in &c.pop3 {
        for line in wire(frame, Device::Phone) {
            assert!(!line.starts_with("DELE"), "{line}");
        }
    }
    let imap = c.imap.last().unwrap();
    let t = imap.tally;
    assert_eq!((t.on_server, t.on_phone, t.on_laptop), (1, 1, 1));
    assert_eq!(t.read_agrees, Some(true));
    assert!(read(&imap.laptop, "Lunch on Friday?"));
}

#[test]
fn imap_seen_and_expunge_reach_the_idle_device_at_once() {
    let c = run("read-and-delete");
    // Action 5: the phone reads. In the same frame the laptop, idling, has it as read.
    let after_read = &c.imap[4];
    assert_eq!(after_read.act, Act::Read(Device::Phone));
    assert!(read(&after_read.server[0], "Lunch on Friday?"));
    assert!(read(&after_read.laptop, "Lunch on Friday?"));
    let laptop = wire(after_read, Device::Laptop);
    assert!(
        laptop
            .iter()
            .any(|l| l.contains("FETCH") && l.contains("\\Seen")),
        "{laptop:?}"
    );
    // Action 6: the laptop deletes; the idling phone is sent the EXPUNGE.
    let after_delete = &c.imap[5];
    assert!(wire(after_delete, Device::Phone)
        .iter()
        .any(|l| l.ends_with("EXPUNGE")));
    assert!(!subjects(&after_delete.phone).contains(&"Invoice #42"));
    // POP3 in the same script: the laptop still has both, unread.
    let pop3 = &c.pop3[5];
    assert!(!read(&pop3.laptop, "Lunch on Friday?"));
    assert_eq!(subjects(&pop3.phone).len(), 2);
}

#[test]
fn imap_offline_device_reads_locally_then_resyncs_with_condstore() {
    let c = run("offline");
    // Offline, both phones read what they downloaded; the IMAP server does not know yet.
    let offline_read = &c.imap[5];
    assert!(read(&offline_read.phone, "Lunch on Friday?"));
    assert!(!read(&offline_read.server[0], "Lunch on Friday?"));
    assert!(read(&c.pop3[5].phone, "Lunch on Friday?"));
    // While offline the IMAP phone misses the laptop's delete and the new message.
    let missed = &c.imap[7];
    assert!(subjects(&missed.phone).contains(&"Invoice #42"));
    assert!(!subjects(&missed.phone).contains(&"Photos"));
    // Back online: CHANGEDSINCE, the queued \Seen goes to the server, the laptop hears it.
    let back = c.imap.last().unwrap();
    let phone = wire(back, Device::Phone);
    assert!(
        phone.iter().any(|l| l.contains("(CHANGEDSINCE ")),
        "{phone:?}"
    );
    assert!(phone
        .iter()
        .any(|l| l.contains("STORE") && l.contains("\\Seen")));
    assert!(read(&back.server[0], "Lunch on Friday?"));
    assert!(read(&back.laptop, "Lunch on Friday?"));
    assert_eq!(subjects(&back.phone), subjects(&back.laptop));
    assert_eq!(back.tally.read_agrees, Some(true));
    // POP3: the phone gets the new message, and keeps the one the laptop deleted.
    let pop3 = c.pop3.last().unwrap();
    assert!(subjects(&pop3.phone).contains(&"Invoice #42"));
    assert!(subjects(&pop3.phone).contains(&"Photos"));
    assert_eq!(pop3.tally.read_agrees, Some(false));
}

#[test]
fn folders_exist_only_in_imap() {
    let c = run("folders");
    let imap = c.imap.last().unwrap();
    let work = imap
        .server
        .iter()
        .find(|s| s.title.ends_with("· Work"))
        .unwrap();
    assert_eq!(subjects(work), ["Lunch on Friday?"]);
    // The folder is on the server: both IMAP devices show the message in it, and the
    // outcome table counts it on each.
    for device in [&imap.phone, &imap.laptop] {
        let filed = device
            .items
            .iter()
            .find(|i| i.subject == "Lunch on Friday?")
            .expect("filed, and still on the device");
        assert_eq!(filed.note, "in Work, a folder on the server");
    }
    let pop3_last = c.pop3.last().unwrap();
    assert!(imap.tally.on_phone >= pop3_last.tally.on_phone);
    assert_eq!(imap.tally.on_laptop, subjects(&imap.laptop).len());
    assert!(wire(&c.imap[4], Device::Laptop)
        .iter()
        .any(|l| l.contains("UID MOVE")));
    let pop3 = c.pop3.last().unwrap();
    assert_eq!(pop3.server.len(), 1, "one maildrop");
    let filed = pop3
        .laptop
        .items
        .iter()
        .find(|i| i.subject == "Lunch on Friday?")
        .unwrap();
    assert_eq!(filed.note, "in Work on this device only");
    assert!(subjects(&pop3.phone).contains(&"Lunch on Friday?"));
}

#[test]
fn commands_and_octets_only_grow_and_are_counted_from_the_wire() {
    for preset in presets() {
        let c = compare(&preset.script);
        for frames in [&c.pop3, &c.imap] {
            let mut last = (0, 0);
            for f in frames {
                let t = (f.tally.commands, f.tally.octets);
                assert!(t >= last, "{}: {t:?} after {last:?}", preset.key);
                let commands = f
                    .lines
                    .iter()
                    .filter(|l| l.direction == Direction::ClientToServer)
                    .count();
                assert_eq!(t.0 - last.0, u32::try_from(commands).unwrap());
                last = t;
            }
        }
    }
}

#[test]
fn scripts_round_trip_through_share_links_and_bad_ones_say_why() {
    for preset in presets() {
        let text = preset.script.encode();
        assert_eq!(Script::decode(&text).unwrap(), preset.script, "{text}");
        assert_eq!(Script::decode(preset.key).unwrap(), preset.script);
        for act in &preset.script.acts {
            assert_eq!(Act::from_code(&act.code()), Some(*act));
        }
    }
    for bad in [
        "",
        "keep=2;n",
        "keep=0;n.xx",
        "nonsense",
        &format!("keep=0;{}", vec!["n"; MAX_ACTS + 1].join(".")),
    ] {
        let err = Script::decode(bad).unwrap_err();
        assert!(!err.is_empty(), "{bad}");
    }
    assert!(Script::decode("keep=0;n.xx").unwrap_err().contains("“xx”"));
}

#[test]
fn every_action_runs_in_any_order_without_surprises() {
    // Every action twice, both protocols, from an empty mailbox: nothing panics, the
    // counts stay consistent with the shelves.
    let acts: Vec<Act> = [Act::NewMail; 3]
        .iter()
        .chain(&Act::ALL)
        .chain(Act::ALL.iter().rev())
        .copied()
        .take(MAX_ACTS)
        .collect();
    for leave_on_server in [false, true] {
        let c = compare(&Script {
            leave_on_server,
            acts: acts.clone(),
        });
        for f in c.pop3.iter().chain(&c.imap) {
            assert_eq!(f.tally.on_phone, subjects(&f.phone).len(), "{:?}", f.act);
            assert_eq!(f.tally.on_laptop, subjects(&f.laptop).len(), "{:?}", f.act);
            assert!(!f.changes.is_empty());
        }
    }
}

// Found in review: without UIDL every session numbers its messages from 1, so a second
// download-and-delete session's message #1 was taken for the first one and dropped.
#[test]
fn pop3_download_and_delete_keeps_every_session_s_mail() {
    use Device::Phone;
    let c = compare(&Script {
        leave_on_server: false,
        acts: vec![
            Act::NewMail,
            Act::Check(Phone),
            Act::NewMail,
            Act::Check(Phone),
        ],
    });
    let last = c.pop3.last().unwrap();
    assert_eq!(subjects(&last.phone), ["Lunch on Friday?", "Invoice #42"]);
    assert_eq!((last.tally.on_server, last.tally.on_phone), (0, 2));
    assert!(
        last.changes
            .iter()
            .all(|c| !c.contains("no device has a copy")),
        "{:?}",
        last.changes
    );
}

#[test]
fn filing_is_reported_and_an_offline_move_waits_for_the_connection() {
    use Device::{Laptop, Phone};
    let c = run("folders");
    assert!(
        c.pop3[4]
            .changes
            .iter()
            .any(|s| s.contains("is filed in Work on this device only")),
        "{:?}",
        c.pop3[4].changes
    );
    let c = compare(&Script {
        leave_on_server: true,
        acts: vec![
            Act::NewMail,
            Act::NewMail,
            Act::Check(Phone),
            Act::Offline(Phone),
            Act::File(Phone),
            Act::File(Phone),
            Act::Online(Phone),
            Act::Check(Laptop),
        ],
    });
    let filed = &c.imap[4];
    assert!(
        !subjects(&filed.phone).contains(&"Lunch on Friday?"),
        "{:?}",
        filed.changes
    );
    // The second move takes the next message, and both happen when the phone is back.
    let back = &c.imap[6];
    let moves: Vec<&str> = wire(back, Phone)
        .into_iter()
        .filter(|l| l.contains("UID MOVE"))
        .collect();
    assert_eq!(moves.len(), 2, "{moves:?}");
    let work = c.imap[7]
        .server
        .iter()
        .find(|s| s.title.ends_with("· Work"))
        .unwrap();
    assert_eq!(subjects(work).len(), 2);
}
