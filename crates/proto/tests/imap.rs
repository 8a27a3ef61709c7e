//! IMAP scenarios: one session's commands, and several sessions on one mailbox learning what
//! the others did — the heart of why IMAP keeps devices in sync.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod oracle;

use postroom_proto::imap::{ImapServer, ServerConfig, State};
use postroom_proto::smtp::TlsPolicy;
use postroom_proto::{Duration, Instant, MailStore};
use proptest::prelude::*;

const T0: Instant = Instant::ZERO;

fn message(subject: &str) -> Vec<u8> {
    format!("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: {subject}\r\nDate: Fri, 6 Mar 2026 09:00:00 +0000\r\n\r\nHello Bob.\r\n").into_bytes()
}

fn store_with(n: usize) -> MailStore {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.set_clock(1_772_787_600);
    for i in 1..=n {
        store.deliver("bob", "alice@example.org", message(&format!("Message {i}")));
    }
    store
}

/// A session logged in as bob (greeting and login responses consumed).
fn session(store: &mut MailStore) -> ImapServer {
    let mut s = ImapServer::new(ServerConfig::new("imap.example.net"), T0);
    say(&mut s, store, "a0 LOGIN bob secret");
    s
}

fn say(s: &mut ImapServer, store: &mut MailStore, line: &str) -> String {
    let _ = drain(s);
    s.handle_input(T0, format!("{line}\r\n").as_bytes(), store);
    drain(s)
}

fn drain(s: &mut ImapServer) -> String {
    let out: String = std::iter::from_fn(|| s.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    // imap-codec must parse it all and read the same completions we wrote.
    for (tag, status) in oracle::parse_server_output(out.as_bytes()) {
        assert!(
            out.contains(&format!("{tag} {status} ")),
            "{tag} {status} in {out}"
        );
    }
    out
}

#[test]
fn the_greeting_is_upper_case_and_names_imap4rev1() {
    let mut s = ImapServer::new(ServerConfig::new("imap.example.net"), T0);
    let greeting = drain(&mut s);
    assert!(
        greeting.starts_with("* OK [CAPABILITY IMAP4rev1 "),
        "{greeting}"
    );
    assert!(greeting.contains(" AUTH=PLAIN") && greeting.ends_with("\r\n"));
}

#[test]
fn select_reports_the_mailbox_as_rfc_9051_lists_it() {
    let mut store = store_with(3);
    let mut s = session(&mut store);
    let out = say(&mut s, &mut store, "a1 SELECT INBOX");
    assert_eq!(
        out,
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n\
* 3 EXISTS\r\n* 3 RECENT\r\n* OK [UNSEEN 1] First unseen\r\n\
* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n\
a1 OK [READ-WRITE] SELECT completed\r\n"
    );
    assert_eq!(s.state(), State::Selected);
    let out = say(&mut s, &mut store, "a2 EXAMINE nosuch");
    assert_eq!(out, "a2 NO [NONEXISTENT] Mailbox doesn't exist\r\n");
    assert_eq!(
        s.state(),
        State::Authenticated,
        "a failed SELECT leaves no mailbox selected"
    );
}

#[test]
fn fetching_a_body_sets_seen_unless_peek() {
    let mut store = store_with(2);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    let out = say(
        &mut s,
        &mut store,
        "a2 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] FLAGS)",
    );
    assert_eq!(out, "* 1 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {22}\r\nSubject: Message 1\r\n\r\n)\r\na2 OK FETCH completed\r\n");
    let out = say(
        &mut s,
        &mut store,
        "a3 UID FETCH 2 (BODY[TEXT] RFC822.SIZE)",
    );
    assert!(out.starts_with("* 2 FETCH (UID 2 FLAGS (\\Recent \\Seen) BODY[TEXT] {12}\r\nHello Bob.\r\n RFC822.SIZE 126)\r\n"), "{out}");
    assert!(store.messages("bob")[1].has_flag("\\Seen"));
    assert!(!store.messages("bob")[0].has_flag("\\Seen"));
}

#[test]
fn rfc9051_6_4_3_expunge_renumbers_as_it_goes() {
    let mut store = store_with(11);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    say(
        &mut s,
        &mut store,
        "a2 STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)",
    );
    let out = say(&mut s, &mut store, "A202 EXPUNGE");
    assert_eq!(
        out,
        "* 3 EXPUNGE\r\n* 3 EXPUNGE\r\n* 5 EXPUNGE\r\n* 8 EXPUNGE\r\nA202 OK EXPUNGE completed\r\n"
    );
    assert_eq!(store.messages("bob").len(), 7);
}

#[test]
fn imap_read_on_phone_is_seen_on_laptop_at_its_next_command() {
    let mut store = store_with(2);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    // RFC 3501 §2.3.2: the first session to see the messages has them \Recent; the next
    // one does not.
    assert!(say(&mut phone, &mut store, "p1 SELECT INBOX").contains("* 2 RECENT\r\n"));
    assert!(say(&mut laptop, &mut store, "l1 SELECT INBOX").contains("* 0 RECENT\r\n"));
    let out = say(&mut phone, &mut store, "p2 FETCH 2 BODY[]");
    assert!(out.contains("FLAGS (\\Recent \\Seen)"), "{out}");
    let out = say(&mut laptop, &mut store, "l2 NOOP");
    assert_eq!(
        out,
        "* 2 FETCH (UID 2 FLAGS (\\Seen))\r\nl2 OK NOOP completed\r\n"
    );
    // Told once: the next NOOP has nothing new.
    assert_eq!(
        say(&mut laptop, &mut store, "l3 NOOP"),
        "l3 OK NOOP completed\r\n"
    );
}

#[test]
fn no_expunge_is_sent_during_fetch_store_or_search() {
    let mut store = store_with(3);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    say(&mut phone, &mut store, "p1 SELECT INBOX");
    say(&mut laptop, &mut store, "l1 SELECT INBOX");
    say(&mut laptop, &mut store, "l2 STORE 1 +FLAGS (\\Deleted)");
    say(&mut laptop, &mut store, "l3 EXPUNGE");
    // RFC 9051 §7.5.1: message numbers must not shift under FETCH, STORE and SEARCH.
    for cmd in [
        "p2 FETCH 1:* (UID)",
        "p3 STORE 3 +FLAGS (\\Flagged)",
        "p4 SEARCH ALL",
    ] {
        let out = say(&mut phone, &mut store, cmd);
        assert!(!out.contains("EXPUNGE"), "{cmd}: {out}");
    }
    // Message 1 is gone from the store but still numbered 1 for the phone: no data for it.
    let out = say(&mut phone, &mut store, "p5 FETCH 1:3 (UID)");
    assert_eq!(
        out,
        "* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\np5 OK FETCH completed\r\n"
    );
    let out = say(&mut phone, &mut store, "p6 NOOP");
    assert_eq!(out, "* 1 EXPUNGE\r\np6 OK NOOP completed\r\n");
    // UID commands may expunge (the numbers they use do not shift).
    say(&mut laptop, &mut store, "l4 STORE 1 +FLAGS (\\Deleted)");
    say(&mut laptop, &mut store, "l5 EXPUNGE");
    let out = say(&mut phone, &mut store, "p7 UID FETCH 1:* (UID)");
    // UID 2 is gone, so only UID 3 (still number 2) is reported, then the EXPUNGE.
    assert_eq!(
        out,
        "* 2 FETCH (UID 3)\r\n* 1 EXPUNGE\r\np7 OK UID FETCH completed\r\n"
    );
}

#[test]
fn imap_expunge_on_laptop_reaches_the_idle_phone_at_once() {
    let mut store = store_with(2);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    say(&mut phone, &mut store, "p1 SELECT INBOX");
    say(&mut laptop, &mut store, "l1 SELECT INBOX");
    assert_eq!(say(&mut phone, &mut store, "p2 IDLE"), "+ idling\r\n");
    assert!(phone.is_idling());
    say(&mut laptop, &mut store, "l2 STORE 1 +FLAGS (\\Deleted)");
    phone.handle_store_change(&store);
    assert_eq!(
        drain(&mut phone),
        "* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))\r\n"
    );
    say(&mut laptop, &mut store, "l3 EXPUNGE");
    store.deliver("bob", "x@y", message("new"));
    phone.handle_store_change(&store);
    // The new message is \Recent for the phone, the first session to hear of it.
    assert_eq!(
        drain(&mut phone),
        "* 1 EXPUNGE\r\n* 2 EXISTS\r\n* 2 RECENT\r\n"
    );
    phone.handle_input(T0, b"DONE\r\n", &mut store);
    assert_eq!(drain(&mut phone), "p2 OK IDLE terminated\r\n");
}

#[test]
fn append_waits_for_its_synchronising_literal() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    let _ = drain(&mut s);
    s.handle_input(T0, b"A003 APPEND INBOX (\\Seen) {13}\r\n", &mut store);
    assert_eq!(drain(&mut s), "+ Ready for literal data\r\n");
    s.handle_input(T0, b"Hello\r\nBob.\r\n\r\n", &mut store);
    assert_eq!(
        drain(&mut s),
        "A003 OK [APPENDUID 1 1] APPEND completed\r\n"
    );
    assert_eq!(store.messages("bob")[0].bytes, b"Hello\r\nBob.\r\n");
    // LITERAL+ needs no "+".
    let out = say(&mut s, &mut store, "A004 APPEND INBOX {2+}\r\nhi");
    assert_eq!(out, "A004 OK [APPENDUID 1 2] APPEND completed\r\n");
    assert_eq!(
        say(&mut s, &mut store, "A005 APPEND Nowhere {1+}\r\nx"),
        "A005 NO [TRYCREATE] Mailbox doesn't exist\r\n"
    );
}

/// RFC 3502 (MULTIAPPEND): one APPEND carries several messages, each with its own flags and
/// date; they are stored all or none, and APPENDUID names their UIDs in the order sent (RFC
/// 3502, "MULTIAPPEND Interaction with UIDPLUS"). "A zero-length message literal argument is
/// an error, and MUST return a NO. This can be used to cancel the append."
#[test]
fn multiappend_stores_every_message_or_none() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    let caps = say(&mut s, &mut store, "c CAPABILITY");
    assert!(
        caps.contains(" MULTIAPPEND ") && caps.contains(" UIDPLUS "),
        "{caps}"
    );
    let out = say(
        &mut s,
        &mut store,
        "a1 APPEND INBOX (\\Seen) {5+}\r\nfirst ($Label1) \" 7-Feb-1994 22:43:04 -0800\" {6+}\r\nsecond {5+}\r\nthird",
    );
    assert_eq!(out, "a1 OK [APPENDUID 1 1:3] APPEND completed\r\n");
    let stored = store.messages("bob");
    let shown: Vec<(&[u8], Vec<&str>)> = stored
        .iter()
        .map(|m| {
            (
                m.bytes.as_slice(),
                m.flags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (&b"first"[..], vec!["\\Seen"]),
            (&b"second"[..], vec!["$Label1"]),
            (&b"third"[..], vec![]),
        ]
    );
    assert_eq!(stored[1].internal_date, 760_689_784);
    // Synchronising literals: a "+" for each, and one answer at the end.
    let _ = drain(&mut s);
    s.handle_input(T0, b"a2 APPEND INBOX {3}\r\n", &mut store);
    assert_eq!(drain(&mut s), "+ Ready for literal data\r\n");
    s.handle_input(T0, b"one {3}\r\n", &mut store);
    assert_eq!(drain(&mut s), "+ Ready for literal data\r\n");
    s.handle_input(T0, b"two\r\n", &mut store);
    assert_eq!(
        drain(&mut s),
        "a2 OK [APPENDUID 1 4:5] APPEND completed\r\n"
    );
    // A zero-length literal cancels the whole APPEND: the first message is not stored.
    let out = say(&mut s, &mut store, "a3 APPEND INBOX {3+}\r\nabc {0+}\r\n");
    assert!(out.starts_with("a3 NO APPEND cancelled"), "{out}");
    assert_eq!(
        say(&mut s, &mut store, "a4 APPEND INBOX {0+}\r\n").get(..5),
        Some("a4 NO")
    );
    assert_eq!(store.messages("bob").len(), 5);
    assert_eq!(
        say(&mut s, &mut store, "a5 APPEND Nowhere {1+}\r\nx {1+}\r\ny"),
        "a5 NO [TRYCREATE] Mailbox doesn't exist\r\n"
    );
    // A selected mailbox hears of the new messages (RFC 3502: "the server SHOULD notify the
    // client immediately via an untagged EXISTS response").
    say(&mut s, &mut store, "a6 SELECT INBOX");
    let out = say(&mut s, &mut store, "a7 APPEND INBOX {1+}\r\nx {1+}\r\ny");
    assert_eq!(
        out,
        "* 7 EXISTS\r\n* 7 RECENT\r\na7 OK [APPENDUID 1 6:7] APPEND completed\r\n"
    );
}

/// RFC 7162 §7: HIGHESTMODSEQ is a mod-sequence-value, "(1 <= n <= 9,223,372,036,854,775,807)";
/// STATUS may say 0 only for a mailbox without persistent mod-sequences (NOMODSEQ), which we
/// never have. A new, empty mailbox reports 1, as Dovecot's does, and any change after that
/// is greater.
#[test]
fn an_empty_mailbox_reports_highestmodseq_one_and_changes_go_above_it() {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    let mut s = session(&mut store);
    let out = say(&mut s, &mut store, "a1 STATUS INBOX (HIGHESTMODSEQ)");
    assert!(
        out.starts_with("* STATUS INBOX (HIGHESTMODSEQ 1)\r\n"),
        "{out}"
    );
    let out = say(&mut s, &mut store, "a2 SELECT INBOX (CONDSTORE)");
    assert!(out.contains("* OK [HIGHESTMODSEQ 1] Highest\r\n"), "{out}");
    assert!(!out.contains("NOMODSEQ"), "{out}");
    say(&mut s, &mut store, "a3 APPEND INBOX {2+}\r\nhi");
    let out = say(&mut s, &mut store, "a4 FETCH 1:* (FLAGS) (CHANGEDSINCE 1)");
    assert!(
        out.contains("* 1 FETCH (") && out.contains("MODSEQ (2)"),
        "{out}"
    );
    // A folder created later starts above everything before it.
    let out = say(&mut s, &mut store, "a5 CREATE Later");
    assert!(out.ends_with("a5 OK CREATE completed\r\n"), "{out}");
    let later = store.folder("bob", "Later").unwrap().highest_modseq;
    assert!(later >= 2, "{later}");
}

/// RFC 7162 §3.1.2.1: "Once a CONDSTORE enabling command is issued, a server supporting the
/// persistent storage of mod-sequences for the mailbox MUST send an OK untagged response,
/// including the HIGHESTMODSEQ response code with every successful SELECT or EXAMINE
/// command" -- and before one, the RFC allows that "some existing CONDSTORE servers don't
/// start tracking mod-sequences or don't report them until after a CONDSTORE enabling
/// command is issued". Ours reports it from the first enabling command on, to every SELECT
/// and EXAMINE, in both revisions.
#[test]
fn highestmodseq_comes_with_every_select_once_condstore_is_enabled() {
    let mut store = store_with(1);
    store.create_folder("bob", "Other").unwrap();
    for enabling in [
        "e1 ENABLE CONDSTORE",
        "e1 STATUS Other (HIGHESTMODSEQ)",
        "e1 SELECT Other (CONDSTORE)",
    ] {
        let mut s = session(&mut store);
        let before = say(&mut s, &mut store, "e0 SELECT INBOX");
        assert!(!before.contains("HIGHESTMODSEQ"), "{before}");
        say(&mut s, &mut store, "e0 UNSELECT");
        say(&mut s, &mut store, enabling);
        for open in ["e2 SELECT INBOX", "e3 EXAMINE Other", "e4 EXAMINE INBOX"] {
            let out = say(&mut s, &mut store, open);
            assert!(
                out.contains("* OK [HIGHESTMODSEQ "),
                "{enabling} / {open}: {out}"
            );
        }
    }
}

/// RFC 3501 §7.2.6: a keyword another session set is announced in FLAGS before this
/// session's own FETCH shows it (found by the many-clients run: the FETCH came first, and
/// the FLAGS only after it).
#[test]
fn a_keyword_from_another_session_is_announced_before_a_fetch_shows_it() {
    let mut store = store_with(2);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    say(&mut phone, &mut store, "p1 SELECT INBOX");
    say(&mut laptop, &mut store, "l1 SELECT INBOX");
    say(&mut laptop, &mut store, "l2 STORE 2 +FLAGS ($Label5)");
    let out = say(&mut phone, &mut store, "p2 FETCH 1:* (UID FLAGS)");
    let flags = out.find("* FLAGS (").expect(&out);
    let fetch = out.find("* 2 FETCH (UID 2 FLAGS ($Label5").expect(&out);
    assert!(flags < fetch, "{out}");
    assert_eq!(out.matches("* FLAGS (").count(), 1, "{out}");
}

#[test]
fn move_to_trash_reports_copyuid_then_expunges() {
    let mut store = store_with(2);
    store.create_folder("bob", "Trash").unwrap();
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    let out = say(&mut s, &mut store, "a2 UID MOVE 1 Trash");
    assert_eq!(
        out,
        "* OK [COPYUID 2 1 1] Moved\r\n* 1 EXPUNGE\r\na2 OK MOVE completed\r\n"
    );
    assert_eq!(store.folder("bob", "Trash").unwrap().messages.len(), 1);
    let out = say(&mut s, &mut store, "a3 COPY 1 Archive");
    assert_eq!(out, "a3 NO [TRYCREATE] Mailbox doesn't exist\r\n");
}

#[test]
fn folders_list_status_and_subscriptions() {
    let mut store = store_with(1);
    let mut s = session(&mut store);
    assert_eq!(
        say(&mut s, &mut store, "a1 CREATE Work/Reports"),
        "a1 OK CREATE completed\r\n"
    );
    say(&mut s, &mut store, "a2 CREATE \"Saved Mail\"");
    assert_eq!(
        say(&mut s, &mut store, "a3 LIST \"\" \"\""),
        "* LIST (\\Noselect) \"/\" \"\"\r\na3 OK LIST completed\r\n"
    );
    // CREATE Work/Reports created Work too (RFC 3501 §6.3.3).
    let out = say(&mut s, &mut store, "a4 LIST \"\" %");
    assert_eq!(
        out,
        "* LIST () \"/\" INBOX\r\n* LIST () \"/\" \"Saved Mail\"\r\n\
* LIST (\\HasChildren) \"/\" Work\r\na4 OK LIST completed\r\n"
    );
    let out = say(&mut s, &mut store, "a5 LIST \"\" *");
    assert!(out.contains("* LIST () \"/\" Work/Reports\r\n"));
    say(&mut s, &mut store, "a6 UNSUBSCRIBE \"Saved Mail\"");
    let out = say(&mut s, &mut store, "a7 LSUB \"\" *");
    assert!(
        !out.contains("Saved Mail") && out.contains("LSUB () \"/\" INBOX"),
        "{out}"
    );
    let out = say(
        &mut s,
        &mut store,
        "a8 STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)",
    );
    assert_eq!(out, "* STATUS INBOX (MESSAGES 1 UNSEEN 1 UIDNEXT 2 UIDVALIDITY 1)\r\na8 OK STATUS completed\r\n");
    assert_eq!(
        say(&mut s, &mut store, "a9 DELETE INBOX"),
        "a9 NO [CANNOT] INBOX cannot be deleted\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "b1 RENAME Work/Reports Archive"),
        "b1 OK RENAME completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "b2 NAMESPACE"),
        "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nb2 OK NAMESPACE completed\r\n"
    );
}

#[test]
fn a_mailbox_name_holding_crlf_is_echoed_as_a_literal_not_a_forged_line() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 CREATE {8+}\r\nINBOX\r\nX");
    let out = say(&mut s, &mut store, "a2 LIST \"\" *");
    assert!(
        out.contains("* LIST () \"/\" {8}\r\nINBOX\r\nX\r\n"),
        "{out:?}"
    );
}

// Found by fuzzing: a header name sent as a literal came back raw inside BODY[...].
#[test]
fn header_field_names_cannot_forge_a_line_and_odd_ones_come_back_quoted() {
    let mut store = store_with(1);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "b SELECT INBOX");
    let out = say(
        &mut s,
        &mut store,
        "c FETCH 1 BODY.PEEK[HEADER.FIELDS ({18+}\r\nX\r\n* BYE forged\r\nd)]",
    );
    assert!(out.starts_with("c BAD "), "{out:?}");
    assert!(!out.contains("BYE"), "{out:?}");
    let out = say(
        &mut s,
        &mut store,
        "d FETCH 1 BODY.PEEK[HEADER.FIELDS (A]B Subject)]",
    );
    assert!(
        out.starts_with("* 1 FETCH (BODY[HEADER.FIELDS (\"A]B\" SUBJECT)] {"),
        "{out:?}"
    );
    assert!(out.ends_with("d OK FETCH completed\r\n"), "{out:?}");
}

#[test]
fn a_client_may_set_only_system_flags_and_keywords() {
    let mut store = store_with(1);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "b SELECT INBOX");
    for flags in ["(\\S[en)", "(\\Recent)", "(\\Seen \\Important)"] {
        let out = say(&mut s, &mut store, &format!("c STORE 1 +FLAGS {flags}"));
        assert!(out.starts_with("c BAD "), "{flags}: {out:?}");
    }
    // The new keywords are announced first (RFC 3501 §7.2.6).
    let out = say(&mut s, &mut store, "d STORE 1 +FLAGS (\\seen $Label1 1[[[)");
    assert_eq!(
        out,
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 1[[[)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 1[[[ \\*)] Flags permitted\r\n\
* 1 FETCH (FLAGS ($Label1 1[[[ \\Recent \\Seen))\r\nd OK STORE completed\r\n"
    );
}

#[test]
fn search_finds_by_flag_header_and_uid() {
    let mut store = store_with(4);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    say(&mut s, &mut store, "a2 STORE 2 +FLAGS (\\Seen)");
    assert_eq!(
        say(&mut s, &mut store, "a3 SEARCH UNSEEN"),
        "* SEARCH 1 3 4\r\na3 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a4 SEARCH SUBJECT \"message 3\""),
        "* SEARCH 3\r\na4 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 UID SEARCH OR SEEN UID 4"),
        "* SEARCH 2 4\r\na5 OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a6 SEARCH NOT FROM alice"),
        "* SEARCH\r\na6 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "a7 SEARCH SENTSINCE 1-Mar-2026 SINCE 6-Mar-2026 2:3"
        ),
        "* SEARCH 2 3\r\na7 OK SEARCH completed\r\n"
    );
}

#[test]
fn condstore_reports_modseq_and_refuses_stale_stores() {
    let mut store = store_with(2);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    let out = say(&mut phone, &mut store, "p1 SELECT INBOX (CONDSTORE)");
    assert!(out.contains("* OK [HIGHESTMODSEQ 3] Highest\r\n"), "{out}");
    say(&mut laptop, &mut store, "l1 SELECT INBOX");
    say(&mut laptop, &mut store, "l2 STORE 1 +FLAGS (\\Flagged)");
    // The phone still believes message 1 is at modseq 2: its conditional STORE fails.
    let out = say(
        &mut phone,
        &mut store,
        "p2 STORE 1,2 (UNCHANGEDSINCE 3) +FLAGS (\\Seen)",
    );
    assert!(
        out.ends_with("p2 OK [MODIFIED 1] Conditional STORE failed\r\n"),
        "{out}"
    );
    assert!(
        out.contains("* 2 FETCH (FLAGS (\\Recent \\Seen) MODSEQ (5))"),
        "{out}"
    );
    let out = say(
        &mut phone,
        &mut store,
        "p3 FETCH 1:* (FLAGS) (CHANGEDSINCE 4)",
    );
    assert!(
        out.contains("* 2 FETCH (FLAGS (\\Recent \\Seen) MODSEQ (5))")
            && !out.contains("* 1 FETCH (FLAGS"),
        "{out}"
    );
}

#[test]
fn wrong_states_bad_commands_and_limits() {
    let mut store = store_with(1);
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    assert_eq!(
        say(&mut s, &mut store, "a1 SELECT INBOX"),
        "a1 BAD SELECT Log in first\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a2 FROB"),
        "a2 BAD Unknown command\r\n"
    );
    // Dovecot: the third bad command before login ends the session.
    assert_eq!(
        say(&mut s, &mut store, "a3 FETCH 1 FLAGS"),
        "a3 BAD FETCH Log in first\r\n* BYE Too many invalid IMAP commands.\r\n"
    );
    assert!(s.is_closed());
    let mut s = session(&mut store);
    assert_eq!(
        say(&mut s, &mut store, "a1 FETCH 1 FLAGS"),
        "a1 BAD FETCH No mailbox selected\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a2 LOGIN bob secret"),
        "a2 BAD LOGIN Already logged in\r\n"
    );
    let out = say(&mut s, &mut store, "a3 APPEND INBOX {4294967296}");
    assert_eq!(out, "* BYE Literal size too large\r\n");
    let mut s = session(&mut store);
    let _ = drain(&mut s);
    s.handle_input(T0, &vec![b'x'; 70_000], &mut store);
    assert_eq!(drain(&mut s), "* BYE Input buffer full\r\n");
}

#[test]
fn login_is_disabled_until_starttls_when_tls_is_required() {
    let mut store = store_with(0);
    let mut config = ServerConfig::new("imap");
    config.tls = TlsPolicy::Required;
    let mut s = ImapServer::new(config, T0);
    let greeting = drain(&mut s);
    assert!(greeting.contains("STARTTLS LOGINDISABLED"), "{greeting}");
    assert_eq!(
        say(&mut s, &mut store, "a1 LOGIN bob secret"),
        "a1 NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a2 STARTTLS"),
        "a2 OK Begin TLS negotiation now\r\n"
    );
    s.tls_established();
    let out = say(&mut s, &mut store, "a3 CAPABILITY");
    assert!(
        out.contains("AUTH=PLAIN") && !out.contains("STARTTLS") && !out.contains("LOGINDISABLED"),
        "{out}"
    );
    let out = say(&mut s, &mut store, "a4 AUTHENTICATE PLAIN AGJvYgBzZWNyZXQ=");
    assert!(out.starts_with("a4 OK [CAPABILITY "), "{out}");
}

#[test]
fn authenticate_plain_with_a_continuation_and_a_cancel() {
    let mut store = store_with(0);
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    assert_eq!(say(&mut s, &mut store, "a1 AUTHENTICATE PLAIN"), "+ \r\n");
    assert_eq!(
        say(&mut s, &mut store, "*"),
        "a1 BAD AUTHENTICATE cancelled\r\n"
    );
    say(&mut s, &mut store, "a2 AUTHENTICATE PLAIN");
    assert!(say(&mut s, &mut store, "AGJvYgBzZWNyZXQ=").starts_with("a2 OK "));
    assert_eq!(s.user(), Some("bob"));
}

proptest! {
    #[test]
    fn the_server_answers_the_same_whether_fed_whole_or_in_chunks(cut in 1usize..30) {
        let script = "a LOGIN bob secret\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS BODY.PEEK[HEADER])\r\nd APPEND INBOX {5+}\r\nhello\r\ne STORE 1 +FLAGS (\\Deleted)\r\nf EXPUNGE\r\ng LOGOUT\r\n";
        let mut store = store_with(2);
        let mut whole = ImapServer::new(ServerConfig::new("imap"), T0);
        whole.handle_input(T0, script.as_bytes(), &mut store);
        let expected = drain(&mut whole);
        let mut store = store_with(2);
        let mut chunked = ImapServer::new(ServerConfig::new("imap"), T0);
        let mut out = String::new();
        for chunk in script.as_bytes().chunks(cut) {
            chunked.handle_input(T0, chunk, &mut store);
            out += &drain(&mut chunked);
        }
        prop_assert_eq!(out, expected);
    }

    #[test]
    fn no_input_makes_the_server_panic(input in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut store = store_with(2);
        let mut s = session(&mut store);
        say(&mut s, &mut store, "a SELECT INBOX");
        s.handle_input(T0, &input, &mut store);
        let _ = drain(&mut s);
    }

    #[test]
    fn no_command_text_makes_the_server_panic(words in prop::collection::vec("[A-Za-z0-9\\\\()\\[\\]<>.*%:,\" {}+-]{0,12}", 1..8)) {
        let mut store = store_with(3);
        let mut s = session(&mut store);
        say(&mut s, &mut store, "a SELECT INBOX");
        s.handle_input(T0, format!("t {}\r\n", words.join(" ")).as_bytes(), &mut store);
        let _ = drain(&mut s);
    }
}

/// RFC 9051 §9 (seq-number): a message number past the end is an error (BAD), as Dovecot
/// answers; `*` and UIDs that do not exist are not.
#[test]
fn a_message_number_past_the_end_gets_bad() {
    let mut store = store_with(3);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    let out = say(&mut s, &mut store, "a2 FETCH 99 BODY[]");
    assert!(out.starts_with("a2 BAD "), "{out}");
    assert!(out.contains("1 to 3"), "{out}");
    let out = say(&mut s, &mut store, "a3 STORE 2:4 +FLAGS (\\Seen)");
    assert!(out.starts_with("a3 BAD "), "{out}");
    let out = say(&mut s, &mut store, "a4 FETCH 2:* (FLAGS)");
    assert!(out.ends_with("a4 OK FETCH completed\r\n"), "{out}");
    let out = say(&mut s, &mut store, "a5 UID FETCH 99 (FLAGS)");
    assert!(out.ends_with("a5 OK UID FETCH completed\r\n"), "{out}");
    // The session goes on.
    let out = say(&mut s, &mut store, "a6 FETCH 3 (FLAGS)");
    assert!(out.contains("* 3 FETCH"), "{out}");
}

/// Before login a command may not grow past 64 KiB, literals included (chained literals in
/// LOGIN once held half a gigabyte); the answer is BYE, as Dovecot's.
#[test]
fn a_huge_command_before_login_is_cut_off() {
    let mut store = store_with(0);
    let mut s = ImapServer::new(ServerConfig::new("imap.example.net"), T0);
    let _ = drain(&mut s);
    let mut out = String::new();
    s.handle_input(T0, b"a1 LOGIN {8000+}\r\n", &mut store);
    for _ in 0..20 {
        let mut chunk = vec![b'x'; 8000];
        chunk.extend_from_slice(b" {8000+}\r\n");
        s.handle_input(T0, &chunk, &mut store);
        out +=
            &String::from_utf8(std::iter::from_fn(|| s.poll_output()).flatten().collect()).unwrap();
        if s.is_closed() {
            break;
        }
    }
    assert!(out.contains("* BYE Command too long before login"), "{out}");
    assert!(s.is_closed());
    assert!(s.pending_input() <= 64 * 1024 + 9000);
}

/// Pipelined FETCHes of a big message are answered a bounded batch at a time.
#[test]
fn pipelined_fetches_wait_while_answers_are_unsent() {
    use postroom_proto::imap::server::OUTPUT_BOUND;
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    let body = "x".repeat(998) + "\r\n";
    let big = format!("Subject: big\r\n\r\n{}", body.repeat(200)).into_bytes();
    store.deliver("bob", "a@b", big);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    let script: String = (0..100)
        .map(|i| format!("f{i} FETCH 1 BODY.PEEK[]\r\n"))
        .collect();
    s.handle_input(T0, script.as_bytes(), &mut store);
    let mut done = 0;
    for _ in 0..1000 {
        let out: Vec<u8> = std::iter::from_fn(|| s.poll_output()).flatten().collect();
        assert!(
            out.len() <= OUTPUT_BOUND + 250_000,
            "{} octets at once",
            out.len()
        );
        done += String::from_utf8_lossy(&out)
            .matches(" OK FETCH completed")
            .count();
        if s.pending_input() == 0 {
            break;
        }
        s.handle_input(T0, &[], &mut store);
    }
    assert_eq!(done, 100);
}

/// A continuation line -- the SASL response after AUTHENTICATE's "+", or what follows IDLE --
/// that never ends is bounded as a command line is, and each octet is looked at once: the
/// session answers BYE and closes instead of buffering it (100 MB once cost 159 s of CPU).
#[test]
fn a_continuation_line_without_a_line_feed_is_bounded() {
    let chunk = vec![b'A'; 1024];
    for (login, start) in [(false, "a1 AUTHENTICATE PLAIN"), (true, "a1 IDLE")] {
        let mut store = store_with(1);
        let mut s = if login {
            let mut s = session(&mut store);
            say(&mut s, &mut store, "a0 SELECT INBOX");
            s
        } else {
            ImapServer::new(ServerConfig::new("imap.example.net"), T0)
        };
        let opened = say(&mut s, &mut store, start);
        assert!(opened.starts_with('+'), "{start}: {opened}");
        let mut out = String::new();
        let mut sent = 0;
        while !s.is_closed() && sent < 1024 {
            s.handle_input(T0, &chunk, &mut store);
            out += &drain(&mut s);
            sent += 1;
        }
        assert!(
            out.ends_with("* BYE Input buffer full\r\n"),
            "{start}: {out}"
        );
        assert!(sent <= 70, "{start}: closed after {sent} KiB");
        assert!(
            s.pending_input() <= 70 * 1024,
            "{start}: {} held",
            s.pending_input()
        );
    }
}

/// A client that trickles a byte every five minutes never completes a command: the
/// autologout still comes thirty minutes after the last whole command (RFC 9051 §5.4), as
/// POP3's does; bytes alone once kept a session, and its thread, alive for ever.
#[test]
fn a_trickle_of_bytes_does_not_hold_the_session_open() {
    let mut store = store_with(1);
    let mut s = session(&mut store);
    let five_minutes = Duration::from_secs(5 * 60);
    let mut last = T0;
    for (i, byte) in b"a1 NOOP".iter().enumerate() {
        last = T0 + five_minutes * (i as u64 + 1);
        s.handle_input(last, &[*byte], &mut store);
        s.handle_timeout(last, &mut store);
    }
    assert!(last >= T0 + Duration::from_secs(30 * 60));
    assert!(
        s.is_closed(),
        "closed by the autologout, not kept alive by bytes"
    );
    assert!(drain(&mut s).ends_with("* BYE Autologout; idle for too long\r\n"));
}

/// RFC 3501 §6.3.6: a subscription is a name, not a folder: CREATE does not subscribe, and
/// DELETE leaves the name subscribed -- the server "MUST NOT unilaterally remove an existing
/// mailbox name from the subscription list even if a mailbox by that name no longer exists."
#[test]
fn a_subscription_outlives_its_folder_and_create_does_not_subscribe() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 CREATE Work");
    assert_eq!(
        say(&mut s, &mut store, "a2 LSUB \"\" *"),
        "* LSUB () \"/\" INBOX\r\na2 OK LSUB completed\r\n",
        "CREATE does not subscribe"
    );
    say(&mut s, &mut store, "a3 SUBSCRIBE Work");
    assert_eq!(
        say(&mut s, &mut store, "a4 DELETE Work"),
        "a4 OK DELETE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 LSUB \"\" *"),
        "* LSUB () \"/\" INBOX\r\n* LSUB () \"/\" Work\r\na5 OK LSUB completed\r\n",
        "DELETE does not unsubscribe"
    );
    assert_eq!(
        say(&mut s, &mut store, "a6 UNSUBSCRIBE Work"),
        "a6 OK UNSUBSCRIBE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a7 LSUB \"\" W*"),
        "a7 OK LSUB completed\r\n"
    );
    // RFC 3501 §6.3.6: "A server MAY validate the mailbox argument to SUBSCRIBE"; this one
    // does, as Dovecot does.
    assert_eq!(
        say(&mut s, &mut store, "a8 SUBSCRIBE Nowhere"),
        "a8 NO [NONEXISTENT] Mailbox doesn't exist\r\n"
    );
}

/// RFC 3501 §6.3.3 (RFC 9051 §6.3.4): a trailing delimiter only declares that names will be
/// created under the new one -- "Server implementations that do not require this declaration
/// MUST ignore the declaration" -- and "an attempt to create "foo/bar/zap" ... SHOULD create
/// foo/ and foo/bar/ if they do not already exist." RFC 3348: parents are \HasChildren.
#[test]
fn create_ignores_a_trailing_delimiter_and_creates_the_parents() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    assert_eq!(
        say(&mut s, &mut store, "a1 CREATE Work/"),
        "a1 OK CREATE completed\r\n"
    );
    assert!(say(&mut s, &mut store, "a2 SELECT Work")
        .ends_with("a2 OK [READ-WRITE] SELECT completed\r\n"));
    assert_eq!(
        say(&mut s, &mut store, "a3 CREATE Work"),
        "a3 NO [ALREADYEXISTS] Mailbox already exists\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a4 CREATE a/b/c"),
        "a4 OK CREATE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 LIST \"\" %"),
        "* LIST () \"/\" INBOX\r\n* LIST () \"/\" Work\r\n* LIST (\\HasChildren) \"/\" a\r\n\
a5 OK LIST completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a6 LIST \"\" a/*"),
        "* LIST (\\HasChildren) \"/\" a/b\r\n* LIST () \"/\" a/b/c\r\na6 OK LIST completed\r\n"
    );
    assert!(say(&mut s, &mut store, "a7 SELECT a/b").contains("a7 OK [READ-WRITE]"));
    for (tag, name) in [("a8", "/x"), ("a9", "a//b"), ("b1", "/")] {
        let out = say(&mut s, &mut store, &format!("{tag} CREATE {name}"));
        assert!(
            out.starts_with(&format!("{tag} NO [CANNOT] ")),
            "{name}: {out}"
        );
    }
}

/// RFC 3501 §6.3.4: deleting a mailbox that has inferiors removes its messages, "and the name
/// will acquire the \Noselect mailbox name attribute"; "It is an error to attempt to delete a
/// name that has inferior hierarchical names and also has the \Noselect mailbox name
/// attribute". §6.3.8: with "%" last, "matching levels of hierarchy are also returned ...
/// with the \Noselect mailbox name attribute"; "*" lists mailboxes.
#[test]
fn deleting_a_parent_leaves_a_noselect_level_of_hierarchy() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 CREATE a/b");
    say(&mut s, &mut store, "a2 APPEND a {2+}\r\nhi");
    assert_eq!(
        say(&mut s, &mut store, "a3 DELETE a"),
        "a3 OK DELETE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a4 LIST \"\" %"),
        "* LIST () \"/\" INBOX\r\n* LIST (\\Noselect \\HasChildren) \"/\" a\r\na4 OK LIST completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 LIST \"\" *"),
        "* LIST () \"/\" INBOX\r\n* LIST () \"/\" a/b\r\na5 OK LIST completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a6 SELECT a"),
        "a6 NO [NONEXISTENT] Mailbox doesn't exist\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a7 DELETE a"),
        "a7 NO [HASCHILDREN] Name has inferior hierarchical names (RFC 3501 section 6.3.4)\r\n"
    );
    say(&mut s, &mut store, "a8 DELETE a/b");
    assert_eq!(
        say(&mut s, &mut store, "a9 LIST \"\" %"),
        "* LIST () \"/\" INBOX\r\na9 OK LIST completed\r\n",
        "with its last inferior gone, the level goes too"
    );
    // CREATE makes the level a mailbox again.
    say(&mut s, &mut store, "b1 CREATE a/b");
    say(&mut s, &mut store, "b2 DELETE a");
    assert_eq!(
        say(&mut s, &mut store, "b3 CREATE a"),
        "b3 OK CREATE completed\r\n"
    );
}

/// RFC 3501 §6.3.5: "If the name has inferior hierarchical names, then the inferior
/// hierarchical names MUST also be renamed", and the server "SHOULD create any superior
/// hierarchical names that are needed for the RENAME command to complete successfully".
#[test]
fn rename_moves_the_inferiors_and_creates_the_parents() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 CREATE Work/2026");
    assert_eq!(
        say(&mut s, &mut store, "a2 RENAME Work Archive/Work"),
        "a2 OK RENAME completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a3 LIST \"\" *"),
        "* LIST () \"/\" INBOX\r\n* LIST (\\HasChildren) \"/\" Archive\r\n\
* LIST (\\HasChildren) \"/\" Archive/Work\r\n* LIST () \"/\" Archive/Work/2026\r\n\
a3 OK LIST completed\r\n"
    );
    let out = say(&mut s, &mut store, "a4 RENAME Archive Archive/Old");
    assert!(out.starts_with("a4 NO [CANNOT] "), "{out}");
}

/// RFC 3501 §6.3.9: if "foo/bar" is subscribed but "foo" is not, "A "%" wildcard to LSUB must
/// return foo, not foo/bar, in the LSUB response, and it MUST be flagged with the \Noselect
/// attribute."
#[test]
fn lsub_percent_returns_an_unsubscribed_parent_as_noselect() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 CREATE a/b/c");
    say(&mut s, &mut store, "a2 SUBSCRIBE a/b/c");
    assert_eq!(
        say(&mut s, &mut store, "a3 LSUB \"\" %"),
        "* LSUB () \"/\" INBOX\r\n* LSUB (\\Noselect) \"/\" a\r\na3 OK LSUB completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a4 LSUB \"\" a/%"),
        "* LSUB (\\Noselect) \"/\" a/b\r\na4 OK LSUB completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 LSUB \"\" *"),
        "* LSUB () \"/\" INBOX\r\n* LSUB () \"/\" a/b/c\r\na5 OK LSUB completed\r\n"
    );
    say(&mut s, &mut store, "a6 SUBSCRIBE a");
    assert_eq!(
        say(&mut s, &mut store, "a7 LSUB \"\" %"),
        "* LSUB () \"/\" INBOX\r\n* LSUB () \"/\" a\r\na7 OK LSUB completed\r\n"
    );
}

/// RFC 7162 §3.1: FETCH with MODSEQ or CHANGEDSINCE, STATUS (HIGHESTMODSEQ), SEARCH MODSEQ and
/// STORE with UNCHANGEDSINCE are "CONDSTORE enabling commands"; after the first, "the server
/// MUST automatically include both UID and mod-sequence data in all subsequent untagged
/// FETCH responses", and the selected mailbox's HIGHESTMODSEQ is announced at once.
#[test]
fn condstore_is_enabled_by_the_first_enabling_command() {
    for enabling in [
        "e FETCH 1 (FLAGS MODSEQ)",
        "e FETCH 1:* (FLAGS) (CHANGEDSINCE 1)",
        "e STATUS INBOX (HIGHESTMODSEQ)",
        "e SEARCH MODSEQ 1",
        "e STORE 2 (UNCHANGEDSINCE 99) +FLAGS (\\Answered)",
    ] {
        let mut store = store_with(3);
        let mut s = session(&mut store);
        let out = say(&mut s, &mut store, "a1 SELECT INBOX");
        assert!(!out.contains("HIGHESTMODSEQ"), "{out}");
        assert_eq!(
            say(&mut s, &mut store, "a2 STORE 1 +FLAGS (\\Seen)"),
            "* 1 FETCH (FLAGS (\\Recent \\Seen))\r\na2 OK STORE completed\r\n",
            "no MODSEQ before CONDSTORE is enabled"
        );
        let out = say(&mut s, &mut store, enabling);
        assert!(
            out.starts_with("* OK [HIGHESTMODSEQ 5] Highest\r\n"),
            "{enabling}: {out}"
        );
        let out = say(&mut s, &mut store, "a3 STORE 1 +FLAGS (\\Flagged)");
        assert!(
            out.starts_with("* 1 FETCH (FLAGS (\\Flagged \\Recent \\Seen) MODSEQ ("),
            "{enabling}: {out}"
        );
        // A FETCH that sets \Seen reports UID and MODSEQ too.
        let out = say(&mut s, &mut store, "a4 FETCH 3 (BODY[TEXT])");
        assert!(
            out.starts_with("* 3 FETCH (UID 3 FLAGS (\\Recent \\Seen) MODSEQ ("),
            "{enabling}: {out}"
        );
        assert!(
            say(&mut s, &mut store, "a5 SELECT INBOX").contains("* OK [HIGHESTMODSEQ "),
            "{enabling}"
        );
        assert!(
            !say(&mut s, &mut store, "a6 FETCH 1 (MODSEQ)").contains("* OK [HIGHESTMODSEQ"),
            "announced once"
        );
    }
}

/// RFC 7162 §3.1.5: "If client specifies a MODSEQ criterion in a SEARCH command and the
/// server returns a non-empty SEARCH result, the server MUST also append (to the end of the
/// untagged SEARCH response) the highest mod-sequence for all messages being returned." The
/// entry-name form is read, and ignored as a server without per-flag mod-sequences must.
#[test]
fn search_modseq_ends_with_the_highest_modseq_found() {
    let mut store = store_with(3);
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX (CONDSTORE)");
    say(&mut s, &mut store, "a2 STORE 1 +FLAGS.SILENT (\\Seen)");
    assert_eq!(
        say(&mut s, &mut store, "a3 SEARCH MODSEQ 3"),
        "* SEARCH 1 2 3 (MODSEQ 5)\r\na3 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "a4 UID SEARCH MODSEQ \"/flags/\\\\seen\" all 4"
        ),
        "* SEARCH 1 3 (MODSEQ 5)\r\na4 OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 SEARCH MODSEQ 3 NOT SEEN"),
        "* SEARCH 2 3 (MODSEQ 4)\r\na5 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a6 SEARCH OR MODSEQ 5 DELETED"),
        "* SEARCH 1 (MODSEQ 5)\r\na6 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a7 SEARCH MODSEQ 99"),
        "* SEARCH\r\na7 OK SEARCH completed\r\n",
        "nothing found, no MODSEQ"
    );
    assert_eq!(
        say(&mut s, &mut store, "a8 SEARCH ALL"),
        "* SEARCH 1 2 3\r\na8 OK SEARCH completed\r\n"
    );
}

/// RFC 3501 §7.2.6: the FLAGS response names "the flags ... that are applicable for this
/// mailbox", and "The update from the FLAGS response MUST be recorded by the client": SELECT
/// lists the keywords in use, and a keyword new to the mailbox -- set here or by another
/// session -- is announced with a new FLAGS response before any FETCH shows it.
#[test]
fn flags_lists_the_keywords_and_a_new_one_is_announced() {
    let mut store = store_with(2);
    let mut phone = session(&mut store);
    let mut laptop = session(&mut store);
    say(&mut phone, &mut store, "p1 SELECT INBOX");
    say(&mut laptop, &mut store, "l1 EXAMINE INBOX");
    let out = say(&mut phone, &mut store, "p2 STORE 1 +FLAGS ($Label1)");
    assert!(
        out.starts_with("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n"),
        "{out}"
    );
    assert_eq!(
        say(&mut phone, &mut store, "p3 STORE 2 +FLAGS ($Label1)"),
        "* 2 FETCH (FLAGS ($Label1 \\Recent))\r\np3 OK STORE completed\r\n",
        "announced once"
    );
    // The other session hears of it before the FETCH that shows it; read-only, so FLAGS
    // alone.
    assert_eq!(
        say(&mut laptop, &mut store, "l2 NOOP"),
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n\
* 1 FETCH (UID 1 FLAGS ($Label1))\r\n* 2 FETCH (UID 2 FLAGS ($Label1))\r\nl2 OK NOOP completed\r\n"
    );
    // A later SELECT lists it, even once no message has it.
    say(&mut phone, &mut store, "p4 STORE 1:2 -FLAGS ($Label1)");
    let out = say(&mut laptop, &mut store, "l3 SELECT INBOX");
    assert!(
        out.starts_with("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted\r\n"),
        "{out}"
    );
    // APPEND with a keyword reaches the selected session as FLAGS before EXISTS.
    let out = say(&mut phone, &mut store, "p5 APPEND INBOX ($Work) {2+}\r\nhi");
    assert!(
        out.starts_with(
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Work)\r\n"
        ),
        "{out}"
    );
}

/// RFC 3501 §6.4.4: HEADER "If the string to search is zero-length, this matches all
/// messages that have a header line with the specified field-name regardless of the
/// contents" (any field of the name, not only the first); FROM looks for the string "in the
/// envelope structure's FROM field", so the addresses count, their comments gone.
#[test]
fn search_header_needs_the_field_and_from_reads_the_addresses() {
    let mut store = store_with(1);
    store.deliver(
        "bob",
        "x@y",
        b"From: <user (comment)@ (comment) domain>\r\nX-Empty:\r\nSubject: odd\r\n\r\nHi.\r\n"
            .to_vec(),
    );
    store.deliver(
        "bob",
        "x@y",
        b"Received: from a\r\nReceived: from b by mx\r\nSubject: two\r\n\r\nHi.\r\n".to_vec(),
    );
    let mut s = session(&mut store);
    say(&mut s, &mut store, "a1 SELECT INBOX");
    for (search, found) in [
        ("HEADER X-Empty \"\"", " 2"),
        ("HEADER Subject \"\"", " 1 2 3"),
        ("HEADER X-Nothing \"\"", ""),
        ("HEADER Received \"by mx\"", " 3"),
        ("FROM user@domain", " 2"),
        ("FROM comment", ""),
        ("FROM alice", " 1"),
        ("FROM \"alice@example.org\"", " 1"),
        ("TO bob@example.net", " 1"),
    ] {
        assert_eq!(
            say(&mut s, &mut store, &format!("b SEARCH {search}")),
            format!("* SEARCH{found}\r\nb OK SEARCH completed\r\n"),
            "{search}"
        );
    }
}

/// RFC 9051 §5.1: "Server implementations MUST prohibit the creation of 8-bit mailbox names
/// that do not comply with Net-Unicode." A name that is not UTF-8 -- quoted, where RFC 9051's
/// grammar has only UTF-8, or in a literal -- is refused, not stored with U+FFFD in it.
#[test]
fn a_mailbox_name_that_is_not_utf8_is_refused() {
    let mut store = store_with(0);
    let mut s = session(&mut store);
    for (command, name) in [
        (&b"a1 CREATE \"caf\xe9\"\r\n"[..], "CREATE"),
        (b"a2 CREATE {4+}\r\ncaf\xe9\r\n", "CREATE"),
        (b"a3 RENAME INBOX \"x\xff\"\r\n", "RENAME"),
        (b"a4 SELECT \"\xc3\"\r\n", "SELECT"),
    ] {
        let _ = drain(&mut s);
        s.handle_input(T0, command, &mut store);
        let tag = String::from_utf8_lossy(&command[..2]).into_owned();
        assert_eq!(
            drain(&mut s),
            format!(
                "{tag} BAD Error in IMAP command {name}: a mailbox name must be UTF-8 \
                 (RFC 9051 section 5.1)\r\n"
            )
        );
        say(&mut s, &mut store, "n NOOP");
    }
    assert_eq!(store.folder_names("bob"), ["INBOX"]);
    // UTF-8 is a name like any other.
    assert_eq!(
        say(&mut s, &mut store, "b1 CREATE \"café\""),
        "b1 OK CREATE completed\r\n"
    );
    assert_eq!(store.folder_names("bob"), ["INBOX", "café"]);
}

/// RFC 2971: ID is advertised and answered in any state, before login as mail programs send
/// it, with NIL or with the client's field-value pairs.
#[test]
fn id_is_advertised_and_answered_before_and_after_login() {
    let mut store = store_with(0);
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    assert!(drain(&mut s).contains(" SASL-IR ID ENABLE "));
    let answer = "* ID (\"name\" \"Postroom\" \"vendor\" \"Postroom\")\r\n";
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "a1 ID (\"name\" \"Thunderbird\" \"version\" \"115.0\")"
        ),
        format!("{answer}a1 OK ID completed\r\n")
    );
    say(&mut s, &mut store, "a2 LOGIN bob secret");
    assert_eq!(
        say(&mut s, &mut store, "a3 ID NIL"),
        format!("{answer}a3 OK ID completed\r\n")
    );
    assert!(say(&mut s, &mut store, "a4 ID (\"name\")").starts_with("a4 BAD "));
}

/// Password guessing: the third refused login in a session -- LOGIN or AUTHENTICATE -- ends
/// it with BYE, as POP3's does, so a guesser must reconnect every few guesses.
#[test]
fn a_third_refused_login_closes_the_session() {
    let mut store = store_with(0);
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    let refused = "NO [AUTHENTICATIONFAILED] Invalid credentials\r\n";
    assert_eq!(
        say(&mut s, &mut store, "a1 LOGIN bob guess1"),
        format!("a1 {refused}")
    );
    // base64 of "\0bob\0guess2"
    assert_eq!(
        say(&mut s, &mut store, "a2 AUTHENTICATE PLAIN AGJvYgBndWVzczI="),
        format!("a2 {refused}")
    );
    assert!(!s.is_closed());
    assert_eq!(
        say(&mut s, &mut store, "a3 LOGIN bob guess3"),
        format!("a3 {refused}* BYE Too many failed logins, closing the connection\r\n")
    );
    assert!(s.is_closed());
    // Two wrong passwords, then the right one: the session goes on.
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    say(&mut s, &mut store, "b1 LOGIN bob guess1");
    say(&mut s, &mut store, "b2 AUTHENTICATE PLAIN");
    assert_eq!(
        say(&mut s, &mut store, "!!!"),
        "b2 BAD Invalid base64 data\r\n"
    );
    assert!(say(&mut s, &mut store, "b3 LOGIN bob secret").starts_with("b3 OK "));
    assert_eq!(s.user(), Some("bob"));
}
