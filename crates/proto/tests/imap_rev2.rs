//! IMAP4rev2 (RFC 9051): the server with `ServerConfig::imap4rev2` set, replaying the RFCs'
//! examples as known answers. Where our answer differs from an example on purpose, the test
//! says why. Every answer goes through imap-codec as well; imap-codec 2.0.0-alpha.10 knows
//! neither the ESEARCH response (RFC 4731) nor LIST extended data items (RFC 5258), so those
//! lines are checked by their exact bytes instead.
#![cfg(feature = "imap4rev2")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod oracle;

use std::collections::BTreeSet;

use postroom_proto::imap::{decode, explain, ImapServer, ServerConfig};
use postroom_proto::smtp::TlsPolicy;
use postroom_proto::{Instant, MailStore};
use proptest::prelude::*;

const T0: Instant = Instant::ZERO;
const USER: &str = "bob";
const PASSWORD: &str = "secret";

fn rev2_config() -> ServerConfig {
    let mut config = ServerConfig::new("imap");
    config.imap4rev2 = true;
    config
}

fn drain(s: &mut ImapServer) -> String {
    let out: String = std::iter::from_fn(|| s.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    let (tagged, skipped) = oracle::parse_server_output_except(out.as_bytes(), |line| {
        line.starts_with(b"* ESEARCH ")
            || (line.starts_with(b"* LIST ")
                && line.ends_with(b" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"))
    });
    for (tag, status) in tagged {
        assert!(
            out.contains(&format!("{tag} {status} ")),
            "{tag} {status} in {out}"
        );
    }
    for line in skipped {
        assert!(line.ends_with("\r\n") && !line.contains('{'), "{line:?}");
    }
    out
}

fn say(s: &mut ImapServer, store: &mut MailStore, line: &str) -> String {
    let _ = drain(s);
    s.handle_input(T0, format!("{line}\r\n").as_bytes(), store);
    drain(s)
}

/// As [`say`], without imap-codec, for an answer it cannot read.
fn say_unchecked(s: &mut ImapServer, store: &mut MailStore, line: &str) -> String {
    let _ = drain(s);
    s.handle_input(T0, format!("{line}\r\n").as_bytes(), store);
    std::iter::from_fn(|| s.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect()
}

/// A session of a server with IMAP4rev2 on, logged in; IMAP4rev2 enabled when `enable`.
fn session(store: &mut MailStore, enable: bool) -> ImapServer {
    let mut s = ImapServer::new(rev2_config(), T0);
    assert!(say(&mut s, store, &format!("l LOGIN {USER} {PASSWORD}")).starts_with("l OK "));
    if enable {
        assert_eq!(
            say(&mut s, store, "e ENABLE IMAP4rev2"),
            "* ENABLED IMAP4rev2\r\ne OK ENABLE completed\r\n"
        );
    }
    s
}

fn account() -> MailStore {
    let mut store = MailStore::new();
    store.add_account(USER, PASSWORD);
    // 1995-01-01, after every SINCE date in the RFC examples but those of Example 10.
    store.set_clock(788_918_400);
    store
}

fn message(from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nSubject: {subject}\r\n\r\n{body}\r\n").into_bytes()
}

fn add(
    store: &mut MailStore,
    folder: &str,
    bytes: Vec<u8>,
    flags: &[&str],
    date: Option<i64>,
) -> u32 {
    let flags: BTreeSet<String> = flags.iter().map(|f| f.to_string()).collect();
    store
        .append(USER, folder, "a@b", bytes, flags, date)
        .unwrap()
}

fn days(y: i64, m: u32, d: u32) -> i64 {
    decode::days_from_civil(y, m, d).unwrap() * 86_400
}

// ---- RFC 9051 §8 ----

/// The message of RFC 9051 §8: RFC 3501's, with "IMAP4rev2" in its Subject (the same
/// length), so its header is 342 octets and its body 92 lines, 3028 octets.
fn rfc9051_message() -> Vec<u8> {
    let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev2 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n";
    assert_eq!(header.len(), 342);
    let mut body = String::new();
    for i in 0..92 {
        let width = if i < 84 { 31 } else { 30 };
        body += &format!("{:width$}\r\n", format!("minutes line {i}"));
    }
    assert_eq!(body.len(), 3028);
    format!("{header}{body}").into_bytes()
}

/// RFC 9051 §8, the sample IMAP4rev2 connection, line by line. What the sample leaves to
/// the server, and is therefore not compared: the human-readable text after OK and BYE,
/// the UIDVALIDITY value, and the order of SELECT's untagged responses (§6.3.2: "The order
/// of individual responses is not important"). Differences on purpose:
/// - the sample logs in with SCRAM-SHA-256, which this server does not offer (it says NO);
///   it logs in with AUTHENTICATE PLAIN, which RFC 9051 §6.1.1 makes mandatory;
/// - SELECT also sends UIDNEXT and PERMANENTFLAGS, which §6.3.2 REQUIRES (the sample
///   leaves them out), and its LIST has no ("OLDNAME" ("inbox")): OLDNAME is for names a
///   server normalises to NFC (§6.3.2, §6.3.9.7), and "inbox" is not such a name but INBOX
///   itself (§9: "All case variants of INBOX ... MUST be interpreted as INBOX");
/// - INTERNALDATE is written in UTC (the same instant as the sample's -0700), RFC822.SIZE
///   is the real 3370 (the sample's 4286 does not match its own header and body), and the
///   envelope's message-id is the header's, ending ".edu>" (the sample drops the "u");
/// - STORE's flags come in our order, (\Deleted \Seen): a flag list is a set.
#[test]
fn rfc9051_sample_connection() {
    let mut store = MailStore::new();
    store.add_account("user", "pencil");
    for i in 1..=18 {
        if i == 12 {
            let flags = ["\\Seen".to_string()].into();
            let date = Some(837_596_665); // 17-Jul-1996 02:44:25 -0700
            store
                .append("user", "INBOX", "a@b", rfc9051_message(), flags, date)
                .unwrap();
        } else {
            store.deliver(
                "user",
                "a@b",
                format!("Subject: {i}\r\n\r\nx\r\n").into_bytes(),
            );
        }
    }
    let mut config = rev2_config();
    config.tls = TlsPolicy::Required;
    let mut s = ImapServer::new(config, T0);
    let greeting = drain(&mut s);
    assert!(
        greeting.starts_with("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 ")
            && greeting.contains(" STARTTLS LOGINDISABLED] "),
        "{greeting}"
    );
    assert!(say(&mut s, &mut store, "a000 starttls").starts_with("a000 OK "));
    s.tls_established();
    assert!(say(
        &mut s,
        &mut store,
        "A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8="
    )
    .starts_with("A001 NO "));
    // "\0user\0pencil"
    assert!(say(
        &mut s,
        &mut store,
        "A001 AUTHENTICATE PLAIN AHVzZXIAcGVuY2ls"
    )
    .starts_with("A001 OK "));
    let out = say(&mut s, &mut store, "babc ENABLE IMAP4rev2");
    assert!(out.starts_with("* ENABLED IMAP4rev2\r\nbabc OK "), "{out}");
    assert_eq!(
        say(&mut s, &mut store, "a002 select inbox"),
        "* 18 EXISTS\r\n\
* OK [UIDVALIDITY 1] UIDs valid\r\n\
* OK [UIDNEXT 19] Predicted next UID\r\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n\
* LIST () \"/\" INBOX\r\n\
a002 OK [READ-WRITE] SELECT completed\r\n"
    );
    let envelope = "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev2 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\")";
    let body = "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)";
    let out = say(&mut s, &mut store, "a003 fetch 12 full");
    assert_eq!(
        out,
        format!(
            "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 09:44:25 +0000\" \
RFC822.SIZE 3370 {envelope} {body})\r\na003 OK FETCH completed\r\n"
        )
    );
    let header = String::from_utf8(rfc9051_message()[..342].to_vec()).unwrap();
    assert_eq!(
        say(&mut s, &mut store, "a004 fetch 12 body[header]"),
        format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{header})\r\na004 OK FETCH completed\r\n")
    );
    let out = say(&mut s, &mut store, "a005 store 12 +flags \\deleted");
    assert!(
        out.starts_with("* 12 FETCH (FLAGS (\\Deleted \\Seen))\r\na005 OK "),
        "{out}"
    );
    let out = say(&mut s, &mut store, "a006 logout");
    assert!(
        out.starts_with("* BYE ") && out.ends_with("\r\na006 OK LOGOUT completed\r\n"),
        "{out}"
    );
}

// ---- capabilities, ENABLE, SELECT (RFC 9051 §6.1.1, §6.3.1, §6.3.2) ----

/// With the setting off, nothing changes: the capabilities, ENABLE, SELECT and the answer
/// to IMAP4rev2-only syntax are IMAP4rev1's, byte for byte.
#[test]
fn with_imap4rev2_off_the_server_is_the_imap4rev1_one() {
    let mut store = account();
    for i in 1..=3 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    assert_eq!(
        drain(&mut s),
        "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE CHILDREN MULTIAPPEND UNSELECT UIDPLUS \
MOVE CONDSTORE AUTH=PLAIN] Postroom IMAP4rev1 server ready\r\n"
    );
    say(&mut s, &mut store, "l LOGIN bob secret");
    assert_eq!(
        say(&mut s, &mut store, "e ENABLE IMAP4rev2"),
        "e OK ENABLE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "a1 SELECT INBOX"),
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n\
* 3 EXISTS\r\n* 3 RECENT\r\n* OK [UNSEEN 1] First unseen\r\n\
* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n\
a1 OK [READ-WRITE] SELECT completed\r\n"
    );
    for (line, name) in [
        ("b1 SEARCH RETURN (MIN) ALL", "SEARCH"),
        ("b2 UID SEARCH RETURN () ALL", "UID"),
        ("b3 SEARCH $", "SEARCH"),
        ("b4 FETCH $ FLAGS", "FETCH"),
        ("b5 UID FETCH 1 BINARY.PEEK[1]", "UID"),
        ("b6 FETCH 1 BINARY.SIZE[1]", "FETCH"),
        ("b7 STORE $ +FLAGS (\\Seen)", "STORE"),
        ("b8 MOVE $ Trash", "MOVE"),
        ("b9 STATUS INBOX (DELETED)", "STATUS"),
    ] {
        let tag = &line[..2];
        assert_eq!(
            say(&mut s, &mut store, line),
            format!("{tag} BAD Error in IMAP command {name}: invalid arguments\r\n")
        );
        // A good command between, so that ten BADs in a row do not end the session.
        say(&mut s, &mut store, "n NOOP");
    }
    assert_eq!(
        say(&mut s, &mut store, "c1 LIST (SUBSCRIBED) \"\" *"),
        "c1 BAD Error in IMAP command LIST: invalid arguments\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "c2 SEARCH ALL"),
        "* SEARCH 1 2 3\r\nc2 OK SEARCH completed\r\n"
    );
}

/// RFC 9051 §6.1.1 and Appendix A: a server for both revisions lists both, and the
/// IMAP4rev2 extensions an IMAP4rev1 client may use; §6.3.1: "The ENABLED response is sent
/// even if no extensions were enabled", and ENABLE does not change the capabilities.
#[test]
fn both_revisions_are_advertised_and_enable_answers_enabled() {
    let mut store = account();
    let mut s = ImapServer::new(rev2_config(), T0);
    assert_eq!(
        drain(&mut s),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE CHILDREN MULTIAPPEND UNSELECT \
UIDPLUS MOVE CONDSTORE ESEARCH SEARCHRES LIST-EXTENDED LIST-STATUS STATUS=SIZE AUTH=PLAIN] \
Postroom IMAP4rev2 server ready\r\n"
    );
    say(&mut s, &mut store, "l LOGIN bob secret");
    let before = say(&mut s, &mut store, "t1 CAPABILITY");
    assert_eq!(
        say(&mut s, &mut store, "t2 ENABLE X-GOOD-IDEA"),
        "* ENABLED\r\nt2 OK ENABLE completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "a1 ENABLE CONDSTORE imap4rev2 IMAP4rev2"
        ),
        "* ENABLED CONDSTORE IMAP4rev2\r\na1 OK ENABLE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "t3 CAPABILITY").replace("t3", "t1"),
        before
    );
}

/// RFC 9051 §6.3.2's examples: SELECT answers EXISTS, UIDVALIDITY, UIDNEXT, FLAGS,
/// PERMANENTFLAGS and a LIST response, no RECENT and no [UNSEEN] (Appendix E items 11, 12);
/// selecting another mailbox first says [CLOSED]. The examples' own PERMANENTFLAGS and
/// UIDVALIDITY values belong to their server. Our Drafts carries \Drafts: §7.3.1 lets a
/// server name the special use, and this one names it for the conventional names.
/// §6.3.3's EXAMINE example follows, [READ-ONLY] with no permanent flags.
#[test]
fn rfc9051_select_and_examine_examples() {
    let mut store = account();
    for _ in 0..172 {
        store.deliver(USER, "a@b", message("a@b", "x", "x"));
    }
    store.create_folder(USER, "Drafts").unwrap();
    for _ in 0..5 {
        add(
            &mut store,
            "Drafts",
            message("a@b", "draft", "x"),
            &[],
            None,
        );
    }
    store.create_folder(USER, "blurdybloop").unwrap();
    for _ in 0..17 {
        add(
            &mut store,
            "blurdybloop",
            message("a@b", "b", "x"),
            &[],
            None,
        );
    }
    let mut s = session(&mut store, true);
    assert_eq!(
        say(&mut s, &mut store, "A142 SELECT INBOX"),
        "* 172 EXISTS\r\n\
* OK [UIDVALIDITY 1] UIDs valid\r\n\
* OK [UIDNEXT 173] Predicted next UID\r\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n\
* LIST () \"/\" INBOX\r\n\
A142 OK [READ-WRITE] SELECT completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "A143 SELECT Drafts"),
        "* OK [CLOSED] Previous mailbox is now closed\r\n\
* 5 EXISTS\r\n\
* OK [UIDVALIDITY 2] UIDs valid\r\n\
* OK [UIDNEXT 6] Predicted next UID\r\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n\
* LIST (\\Drafts) \"/\" Drafts\r\n\
A143 OK [READ-WRITE] SELECT completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "A932 EXAMINE blurdybloop"),
        "* OK [CLOSED] Previous mailbox is now closed\r\n\
* 17 EXISTS\r\n\
* OK [UIDVALIDITY 3] UIDs valid\r\n\
* OK [UIDNEXT 18] Predicted next UID\r\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [PERMANENTFLAGS ()] Flags permitted\r\n\
* LIST () \"/\" blurdybloop\r\n\
A932 OK [READ-ONLY] EXAMINE completed\r\n"
    );
    // A SELECT that fails has closed the mailbox as well, and leaves none selected.
    assert_eq!(
        say(&mut s, &mut store, "A144 SELECT Nothing"),
        "* OK [CLOSED] Previous mailbox is now closed\r\n\
A144 NO [NONEXISTENT] Mailbox doesn't exist\r\n"
    );
    assert!(say(&mut s, &mut store, "A145 SELECT INBOX").starts_with("* 172 EXISTS\r\n"));
    // An IMAP4rev1 session of the same server keeps RFC 3501's SELECT, without [CLOSED]
    // (RFC 7162 sends it only with QRESYNC, which this server lacks).
    let mut old = session(&mut store, false);
    say(&mut old, &mut store, "o1 SELECT Drafts");
    let out = say(&mut old, &mut store, "o2 SELECT INBOX");
    assert!(
        out.starts_with("* FLAGS ") && out.contains("* 0 RECENT\r\n") && !out.contains("CLOSED"),
        "{out}"
    );
}

/// RFC 9051 §6.3.13's IDLE example as an IMAP4rev2 session sees it: new mail is only
/// `* 4 EXISTS` (no RECENT, Appendix E item 12), and flags never show \Recent. The
/// example's EXISTS after each EXPUNGE is not required (§7.5.1) and not sent.
#[test]
fn rfc9051_idle_example_has_no_recent() {
    let mut store = account();
    for i in 1..=3 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    let mut s = session(&mut store, true);
    let mut other = session(&mut store, false);
    assert!(say(&mut s, &mut store, "A001 SELECT INBOX").contains("* 3 EXISTS\r\n"));
    assert_eq!(say(&mut s, &mut store, "A002 IDLE"), "+ idling\r\n");
    store.deliver(USER, "a@b", message("a@b", "m4", "new"));
    s.handle_store_change(&store);
    assert_eq!(drain(&mut s), "* 4 EXISTS\r\n");
    assert_eq!(
        say(&mut s, &mut store, "DONE"),
        "A002 OK IDLE terminated\r\n"
    );
    say(&mut other, &mut store, "o1 SELECT INBOX");
    say(
        &mut other,
        &mut store,
        "o2 STORE 2 +FLAGS.SILENT (\\Deleted)",
    );
    say(&mut other, &mut store, "o3 EXPUNGE");
    let out = say(&mut s, &mut store, "A003 FETCH 4 (FLAGS)");
    assert_eq!(out, "* 4 FETCH (FLAGS ())\r\nA003 OK FETCH completed\r\n");
    assert_eq!(
        say(&mut s, &mut store, "A004 IDLE"),
        "* 2 EXPUNGE\r\n+ idling\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "DONE"),
        "A004 OK IDLE terminated\r\n"
    );
}

// ---- SEARCH, ESEARCH and "$" (RFC 9051 §6.4.4, RFC 4731, RFC 5182) ----

/// Twenty messages: 2, 3, 10 and 11 \Flagged, 3 from Smith, 1 to 3 \Seen, 6 to 20 \Deleted,
/// all since 1-Feb-1994; so FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith" is 2, 10, 11, the first
/// unseen is 4 and fifteen are deleted, as §6.4.4's examples answer.
fn search_examples_store() -> MailStore {
    let mut store = account();
    for i in 1..=20 {
        let from = if i == 3 {
            "Smith <smith@example.org>"
        } else {
            "Jones <jones@example.org>"
        };
        let mut flags = Vec::new();
        if [2, 3, 10, 11].contains(&i) {
            flags.push("\\Flagged");
        }
        if i <= 3 {
            flags.push("\\Seen");
        }
        if i >= 6 {
            flags.push("\\Deleted");
        }
        add(
            &mut store,
            "INBOX",
            message(from, &format!("m{i}"), "x"),
            &flags,
            None,
        );
    }
    store
}

/// RFC 9051 §6.4.4's examples, exactly.
#[test]
fn rfc9051_search_examples() {
    let mut store = search_examples_store();
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""
        ),
        "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\nA282 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""
        ),
        "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\nA283 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A284 SEARCH TEXT \"string not in mailbox\""
        ),
        "* ESEARCH (TAG \"A284\")\r\nA284 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "A284 SEARCH RETURN (MIN) UNSEEN"),
        "* ESEARCH (TAG \"A284\") MIN 4\r\nA284 OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "A286 SEARCH RETURN (COUNT) DELETED"),
        "* ESEARCH (TAG \"A286\") COUNT 15\r\nA286 OK SEARCH completed\r\n"
    );
    // A match-less search still answers ESEARCH, without MIN, MAX or ALL.
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A287 UID SEARCH RETURN (MIN MAX ALL COUNT) KEYWORD nothing"
        ),
        "* ESEARCH (TAG \"A287\") UID COUNT 0\r\nA287 OK UID SEARCH completed\r\n"
    );
}

/// §6.4.4's `SEARCH CHARSET UTF-8 TEXT {12}` with a synchronising literal: message 43
/// holds "отпуск".
#[test]
fn rfc9051_search_with_a_utf8_literal() {
    let mut store = account();
    for i in 1..=43 {
        let body = if i == 43 { "в отпуск" } else { "x" };
        store.deliver(USER, "a@b", message("a@b", "m", body));
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    s.handle_input(
        T0,
        "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n".as_bytes(),
        &mut store,
    );
    assert_eq!(drain(&mut s), "+ Ready for literal data\r\n");
    s.handle_input(T0, "отпуск\r\n".as_bytes(), &mut store);
    assert_eq!(
        drain(&mut s),
        "* ESEARCH (TAG \"A285\") ALL 43\r\nA285 OK SEARCH completed\r\n"
    );
}

/// §6.4.4's `UID SEARCH RETURN (MIN MAX) 1:5000` in a mailbox whose UIDs run from 7 to
/// 3800: the UID marker, and MIN and MAX as UIDs.
#[test]
fn rfc9051_uid_search_min_max() {
    let mut store = account();
    for _ in 0..3800 {
        store.deliver(USER, "a@b", b"Subject: x\r\n\r\nx\r\n".to_vec());
    }
    store.expunge_uids(USER, "INBOX", &[1, 2, 3, 4, 5, 6]);
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A285 UID SEARCH RETURN (MIN MAX) 1:5000"
        ),
        "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\nA285 OK UID SEARCH completed\r\n"
    );
}

/// RFC 9051 §6.4.4.4 Examples 1, 2, 6, 7 and 9 (RFC 5182 §2.1 has the same): SAVE alone
/// answers no ESEARCH; "$" is the saved result in FETCH, COPY and STORE, also pipelined in
/// one read; an empty "$" matches nothing and is no error. Our FETCH answers name our
/// mailbox's messages, 2, 10 and 11, where the example's has 2, 84 and 882.
#[test]
fn rfc9051_save_examples_1_2_6_7_9() {
    let mut store = search_examples_store();
    store.create_folder(USER, "Other Messages").unwrap();
    store.create_folder(USER, "Junk").unwrap();
    add(
        &mut store,
        "INBOX",
        message("eric@example.org", "junk", "x"),
        &["$Junk"],
        None,
    );
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""
        ),
        "A282 OK SEARCH completed\r\n"
    );
    let out = say(
        &mut s,
        &mut store,
        "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])",
    );
    let numbers: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("* "))
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(numbers, ["2", "10", "11"], "{out}");
    assert!(out.starts_with("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen) INTERNALDATE "));
    // Example 2: the same, pipelined.
    s.handle_input(
        T0,
        b"A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n\
A283 FETCH $ (UID FLAGS)\r\n",
        &mut store,
    );
    assert_eq!(
        drain(&mut s),
        "A282 OK SEARCH completed\r\n\
* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen))\r\n\
* 10 FETCH (UID 10 FLAGS (\\Deleted \\Flagged))\r\n\
* 11 FETCH (UID 11 FLAGS (\\Deleted \\Flagged))\r\n\
A283 OK FETCH completed\r\n"
    );
    // Example 6: nothing found, so "$" is empty, and COPY $ copies nothing.
    s.handle_input(
        T0,
        b"E282 SEARCH RETURN (SAVE) SINCE 28-Oct-2006 NOT FROM \"Eric\"\r\n\
E283 COPY $ \"Other Messages\"\r\n",
        &mut store,
    );
    let out = drain(&mut s);
    assert!(
        out.starts_with("E282 OK SEARCH completed\r\nE283 OK ") && !out.contains("COPYUID"),
        "{out}"
    );
    assert_eq!(
        store.folder(USER, "Other Messages").unwrap().messages.len(),
        0
    );
    // Example 7: the $Junk message copied to Junk, then marked deleted.
    s.handle_input(
        T0,
        b"F282 SEARCH RETURN (SAVE) KEYWORD $Junk\r\nF283 COPY $ \"Junk\"\r\n\
F284 STORE $ +FLAGS.Silent (\\Deleted)\r\n",
        &mut store,
    );
    assert_eq!(
        drain(&mut s),
        "F282 OK SEARCH completed\r\nF283 OK [COPYUID 3 21 1] COPY completed\r\n\
F284 OK STORE completed\r\n"
    );
    assert!(store
        .folder(USER, "INBOX")
        .unwrap()
        .message(21)
        .unwrap()
        .has_flag("\\Deleted"));
    // Example 9: the second SAVE replaces the first.
    s.handle_input(
        T0,
        b"H282 SEARCH RETURN (SAVE) KEYWORD $Junk\r\n\
H283 SEARCH RETURN (SAVE) SINCE 28-Oct-2006 FROM \"Eric\"\r\nH284 FETCH $ UID\r\n",
        &mut store,
    );
    assert_eq!(
        drain(&mut s),
        "H282 OK SEARCH completed\r\nH283 OK SEARCH completed\r\nH284 OK FETCH completed\r\n"
    );
}

/// RFC 9051 §6.4.4.4 Example 10: what "$" holds after each combination of result options
/// (Table 4), read back with `SEARCH $`. The example writes C282's tag as "C283" in its
/// ESEARCH, a slip: the correlator is the command's own tag (§7.3.4).
#[test]
fn rfc9051_save_example_10_result_option_combinations() {
    let mut store = account();
    let matching = [2, 10, 11, 12, 13, 14, 15, 21];
    for i in 1..=21 {
        let from = if matching.contains(&i) {
            "Jones"
        } else {
            "Smith"
        };
        add(
            &mut store,
            "INBOX",
            message(from, "m", "x"),
            &[],
            Some(days(2006, 3, 1)),
        );
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    let criteria = "SINCE 12-Feb-2006 NOT FROM \"Smith\"";
    let mut check = |tag: &str, options: &str, esearch: &str, saved: &str| {
        let out = say(
            &mut s,
            &mut store,
            &format!("{tag} SEARCH RETURN ({options}) {criteria}"),
        );
        assert_eq!(out, format!("{esearch}{tag} OK SEARCH completed\r\n"));
        assert_eq!(
            say(&mut s, &mut store, "V SEARCH $"),
            format!("* ESEARCH (TAG \"V\"){saved}\r\nV OK SEARCH completed\r\n"),
            "after {tag}"
        );
    };
    check(
        "C281",
        "SAVE MIN",
        "* ESEARCH (TAG \"C281\") MIN 2\r\n",
        " ALL 2",
    );
    // "$ value hasn't changed": ALL without SAVE leaves it.
    check(
        "C282",
        "ALL",
        "* ESEARCH (TAG \"C282\") ALL 2,10:15,21\r\n",
        " ALL 2",
    );
    check(
        "C283",
        "ALL SAVE",
        "* ESEARCH (TAG \"C283\") ALL 2,10:15,21\r\n",
        " ALL 2,10:15,21",
    );
    check(
        "C284",
        "SAVE MIN",
        "* ESEARCH (TAG \"C284\") MIN 2\r\n",
        " ALL 2",
    );
    check(
        "C285",
        "MAX SAVE MIN",
        "* ESEARCH (TAG \"C285\") MIN 2 MAX 21\r\n",
        " ALL 2,21",
    );
    check(
        "C286",
        "MAX SAVE MIN COUNT",
        "* ESEARCH (TAG \"C286\") MIN 2 MAX 21 COUNT 8\r\n",
        " ALL 2,10:15,21",
    );
    check(
        "C287",
        "SAVE MAX",
        "* ESEARCH (TAG \"C287\") MAX 21\r\n",
        " ALL 21",
    );
    check(
        "C288",
        "ALL SAVE MIN",
        "* ESEARCH (TAG \"C288\") MIN 2 ALL 2,10:15,21\r\n",
        " ALL 2,10:15,21",
    );
    // SAVE alone answers nothing and saves every match.
    check("C289", "SAVE", "", " ALL 2,10:15,21");
}

/// RFC 9051 §6.4.4.4 Example 3 (RFC 5182 §2.1 Example 3): the result of SEARCH used as
/// UIDs by UID SEARCH, written `UID $` or plain `$`.
#[test]
fn rfc9051_save_example_3_saved_result_in_uid_search() {
    let mut store = account();
    for i in 1..=901u32 {
        let new = [17, 18, 900, 901].contains(&i);
        let date = if new {
            days(2005, 1, 1)
        } else {
            days(2003, 1, 1)
        };
        let body = if i == 18 {
            "y".repeat(5000)
        } else {
            "x".into()
        };
        add(
            &mut store,
            "INBOX",
            message("Jones", "m", &body),
            &[],
            Some(date),
        );
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A300 SEARCH RETURN (SAVE) SINCE 1-Jan-2004 NOT FROM \"Smith\""
        ),
        "A300 OK SEARCH completed\r\n"
    );
    for line in [
        "A301 UID SEARCH UID $ SMALLER 4096",
        "A301 UID SEARCH $ SMALLER 4096",
    ] {
        assert_eq!(
            say(&mut s, &mut store, line),
            "* ESEARCH (TAG \"A301\") UID ALL 17,900:901\r\nA301 OK UID SEARCH completed\r\n"
        );
    }
}

/// RFC 9051 §6.4.4.4 Example 4: "$" ORed with message numbers, with a non-synchronising
/// literal of UTF-8 text. The example writes 882,1102,3003,3005:3006; so do we.
#[test]
fn rfc9051_save_example_4_saved_result_in_or() {
    let mut store = account();
    let saved = [882, 1102, 1500];
    let with_word = [882, 1102, 2000, 3003, 3005, 3006];
    for i in 1..=3021u32 {
        let date = if saved.contains(&i) {
            days(1995, 1, 1)
        } else {
            days(1990, 1, 1)
        };
        let body = if with_word.contains(&i) {
            "мать"
        } else {
            "x"
        };
        add(
            &mut store,
            "INBOX",
            message("Jones", "m", body),
            &[],
            Some(date),
        );
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "P282 SEARCH RETURN (SAVE) SINCE 1-Feb-1994 NOT FROM \"Smith\""
        ),
        "P282 OK SEARCH completed\r\n"
    );
    s.handle_input(
        T0,
        "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\nмать\r\n".as_bytes(),
        &mut store,
    );
    assert_eq!(
        drain(&mut s),
        "* ESEARCH (TAG \"P283\") ALL 882,1102,3003,3005:3006\r\nP283 OK SEARCH completed\r\n"
    );
}

/// RFC 5182 §2.1 / RFC 9051 §6.4.4.1: "$" before any SAVE is the empty sequence, "a valid,
/// but non-matching, list of messages" -- no error; an expunged message leaves it; SELECT
/// resets it; it maps between message numbers and UIDs as the command needs.
#[test]
fn saved_result_is_empty_at_first_follows_expunges_and_resets_on_select() {
    let mut store = account();
    for i in 1..=5 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(&mut s, &mut store, "a FETCH $ FLAGS"),
        "a OK FETCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "b SEARCH $"),
        "* ESEARCH (TAG \"b\")\r\nb OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "c UID STORE $ +FLAGS (\\Seen)"),
        "c OK UID STORE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "d SEARCH RETURN (SAVE) 2:5"),
        "d OK SEARCH completed\r\n"
    );
    say(&mut s, &mut store, "e STORE 3 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        say(&mut s, &mut store, "f EXPUNGE"),
        "* 3 EXPUNGE\r\nf OK EXPUNGE completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "g SEARCH $"),
        "* ESEARCH (TAG \"g\") ALL 2:4\r\ng OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "h UID SEARCH $"),
        "* ESEARCH (TAG \"h\") UID ALL 2,4:5\r\nh OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "i UID FETCH $ UID"),
        "* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 4)\r\n* 4 FETCH (UID 5)\r\ni OK UID FETCH completed\r\n"
    );
    // UID SEARCH ... SAVE saves UIDs; FETCH $ then takes them as message numbers.
    say(&mut s, &mut store, "j UID SEARCH RETURN (SAVE) UID 4:5");
    assert_eq!(
        say(&mut s, &mut store, "k FETCH $ UID"),
        "* 3 FETCH (UID 4)\r\n* 4 FETCH (UID 5)\r\nk OK FETCH completed\r\n"
    );
    say(&mut s, &mut store, "l SELECT INBOX");
    assert_eq!(
        say(&mut s, &mut store, "m FETCH $ UID"),
        "m OK FETCH completed\r\n"
    );
}

/// RFC 4731 (ESEARCH) and RFC 5182 (SEARCHRES) are advertised, so an IMAP4rev1 session may
/// use RETURN and "$"; a plain SEARCH there still answers `* SEARCH` (RFC 9051 §7.2.2:
/// RFC 3501 answers until the client uses an additional capability).
#[test]
fn an_imap4rev1_session_may_use_esearch_and_searchres() {
    let mut store = search_examples_store();
    let mut s = session(&mut store, false);
    say(&mut s, &mut store, "s SELECT INBOX");
    assert_eq!(
        say(&mut s, &mut store, "a SEARCH FLAGGED"),
        "* SEARCH 2 3 10 11\r\na OK SEARCH completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "b UID SEARCH RETURN (COUNT SAVE) FLAGGED"
        ),
        "* ESEARCH (TAG \"b\") UID COUNT 4\r\nb OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "c SEARCH $ SEEN"),
        "* SEARCH 2 3\r\nc OK SEARCH completed\r\n"
    );
}

// ---- LIST (RFC 9051 §6.3.9, RFC 5258, RFC 5819) ----

fn folders(store: &mut MailStore, names: &[&str], subscribed: &[&str]) {
    for name in names {
        store.create_folder(USER, name).unwrap();
    }
    for name in store.subscriptions(USER) {
        store.set_subscribed(USER, &name, false).unwrap();
    }
    for name in subscribed {
        store.set_subscribed(USER, name, true).unwrap();
    }
}

fn lines(list: &[&str], tag: &str) -> String {
    let mut out: String = list.iter().map(|l| format!("* LIST {l}\r\n")).collect();
    out.push_str(&format!("{tag} OK LIST completed\r\n"));
    out
}

/// RFC 9051 §6.3.9.8 extended examples 1 to 6 on their hierarchy. Differences on purpose:
/// our INBOX has no \Marked \NoInferiors (this server does not track "interesting" and
/// lets INBOX have children), names are atoms where the example quotes them (the same
/// astring), attributes come in our order (\NonExistent before \Subscribed), and there are
/// no remote mailboxes (REMOTE changes nothing). "Fruit/Peach" is subscribed but deleted:
/// the subscription outlives it (RFC 3501 §6.3.6).
#[test]
fn rfc9051_list_extended_examples_1_to_6() {
    let mut store = account();
    folders(
        &mut store,
        &[
            "Fruit",
            "Fruit/Apple",
            "Fruit/Banana",
            "Fruit/Peach",
            "Tofu",
            "Vegetable",
            "Vegetable/Broccoli",
            "Vegetable/Corn",
        ],
        &[
            "INBOX",
            "Fruit/Banana",
            "Fruit/Peach",
            "Vegetable",
            "Vegetable/Broccoli",
        ],
    );
    store.delete_folder(USER, "Fruit/Peach").unwrap();
    let mut s = session(&mut store, true);
    let all = [
        "() \"/\" INBOX",
        "() \"/\" Fruit",
        "() \"/\" Fruit/Apple",
        "() \"/\" Fruit/Banana",
        "() \"/\" Tofu",
        "() \"/\" Vegetable",
        "() \"/\" Vegetable/Broccoli",
        "() \"/\" Vegetable/Corn",
    ];
    assert_eq!(
        say(&mut s, &mut store, "A01 LIST \"\" \"*\""),
        lines(&all, "A01")
    );
    let subscribed = [
        "(\\Subscribed) \"/\" INBOX",
        "(\\Subscribed) \"/\" Fruit/Banana",
        "(\\NonExistent \\Subscribed) \"/\" Fruit/Peach",
        "(\\Subscribed) \"/\" Vegetable",
        "(\\Subscribed) \"/\" Vegetable/Broccoli",
    ];
    assert_eq!(
        say(&mut s, &mut store, "A02 LIST (SUBSCRIBED) \"\" \"*\""),
        lines(&subscribed, "A02")
    );
    let children = [
        "(\\HasNoChildren) \"/\" INBOX",
        "(\\HasChildren) \"/\" Fruit",
        "(\\HasNoChildren) \"/\" Tofu",
        "(\\HasChildren) \"/\" Vegetable",
    ];
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A03 LIST () \"\" \"%\" RETURN (CHILDREN)"
        ),
        lines(&children, "A03")
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A04 LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)"
        ),
        lines(&children, "A04")
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A05 LIST (REMOTE SUBSCRIBED) \"\" \"*\""
        ),
        lines(&subscribed, "A05")
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A06 LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)"
        ),
        lines(
            &[
                "(\\Subscribed) \"/\" INBOX",
                "() \"/\" Fruit",
                "() \"/\" Fruit/Apple",
                "(\\Subscribed) \"/\" Fruit/Banana",
                "() \"/\" Tofu",
                "(\\Subscribed) \"/\" Vegetable",
                "(\\Subscribed) \"/\" Vegetable/Broccoli",
                "() \"/\" Vegetable/Corn",
            ],
            "A06"
        )
    );
    // Example 9's a1: one pattern in parentheses.
    assert_eq!(
        say(&mut s, &mut store, "a1 LIST \"\" (\"Tofu\")"),
        lines(&["() \"/\" Tofu"], "a1")
    );
    // Several patterns (RFC 5258 §3, LIST-EXTENDED), each mailbox once.
    assert_eq!(
        say(&mut s, &mut store, "a2 LIST \"\" (\"INBOX\" Veg* %o%)"),
        lines(
            &[
                "() \"/\" INBOX",
                "() \"/\" Tofu",
                "() \"/\" Vegetable",
                "() \"/\" Vegetable/Broccoli",
                "() \"/\" Vegetable/Corn"
            ],
            "a2"
        )
    );
}

/// RFC 9051 §6.3.9.8 example 7: \HasChildren against CHILDINFO, on Foo, Foo/Bar, Foo/Baz,
/// Moo, in each of its cases A, A1, A2, B and C.
#[test]
fn rfc9051_list_extended_example_7_childinfo() {
    let mut store = account();
    folders(
        &mut store,
        &["Foo", "Foo/Bar", "Foo/Baz", "Moo"],
        &["Foo/Baz"],
    );
    let mut s = session(&mut store, true);
    assert_eq!(
        say(&mut s, &mut store, "CA3 LIST \"\" \"%\" RETURN (CHILDREN)"),
        lines(
            &[
                "(\\HasNoChildren) \"/\" INBOX",
                "(\\HasChildren) \"/\" Foo",
                "(\\HasNoChildren) \"/\" Moo"
            ],
            "CA3"
        )
    );
    // A: only Foo/Baz is subscribed.
    assert_eq!(
        say(&mut s, &mut store, "C02 LIST (SUBSCRIBED) \"\" \"*\""),
        lines(&["(\\Subscribed) \"/\" Foo/Baz"], "C02")
    );
    assert_eq!(
        say(&mut s, &mut store, "C03 LIST (SUBSCRIBED) \"\" \"%\""),
        lines(&[], "C03")
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\""
        ),
        lines(&["() \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))"], "C04")
    );
    // A1: Foo subscribed as well.
    store.set_subscribed(USER, "Foo", true).unwrap();
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\""
        ),
        lines(
            &["(\\Subscribed) \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))"],
            "C04"
        )
    );
    // A2: "the mailbox "Foo" is not part of the original hierarchy and is not subscribed"
    // (a deleted mailbox stays subscribed until the client unsubscribes it).
    store.delete_folder(USER, "Foo").unwrap();
    store.set_subscribed(USER, "Foo", false).unwrap();
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\""
        ),
        lines(
            &["(\\NonExistent) \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))"],
            "C04"
        )
    );
    // B: nothing subscribed.
    store.create_folder(USER, "Foo").unwrap();
    folders(&mut store, &[], &[]);
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\""
        ),
        lines(&[], "C04")
    );
    // C: Foo and Moo subscribed.
    folders(&mut store, &[], &["Foo", "Moo"]);
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)"
        ),
        lines(
            &[
                "(\\HasChildren \\Subscribed) \"/\" Foo",
                "(\\HasNoChildren \\Subscribed) \"/\" Moo"
            ],
            "C04"
        )
    );
}

/// RFC 9051 §6.3.9.8 example 8: CHILDINFO whether or not the children match the pattern.
/// For "*2" the answer is the example's, in name order. For "*" the example also gives
/// foo2 and baz2 CHILDINFO "even though this information is redundant"; we follow
/// §6.3.9.6 instead ("Servers SHOULD only return a non-matching mailbox name along with
/// CHILDINFO if at least one matching child is not also being returned"), as the "*2"
/// example itself does for baz2.
#[test]
fn rfc9051_list_extended_example_8_childinfo_and_patterns() {
    let mut store = account();
    folders(
        &mut store,
        &[
            "foo2",
            "foo2/bar1",
            "foo2/bar2",
            "baz2",
            "baz2/bar2",
            "baz2/bar22",
            "baz2/bar222",
            "eps2",
            "eps2/mamba",
            "qux2/bar2",
        ],
        &[
            "foo2/bar1",
            "foo2/bar2",
            "baz2/bar2",
            "baz2/bar22",
            "baz2/bar222",
            "eps2",
            "eps2/mamba",
            "qux2/bar2",
        ],
    );
    let mut s = session(&mut store, true);
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\""
        ),
        lines(
            &[
                "(\\Subscribed) \"/\" baz2/bar2",
                "(\\Subscribed) \"/\" baz2/bar22",
                "(\\Subscribed) \"/\" baz2/bar222",
                "(\\Subscribed) \"/\" eps2 (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "() \"/\" foo2 (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "(\\Subscribed) \"/\" foo2/bar2",
                "(\\Subscribed) \"/\" qux2/bar2",
            ],
            "D03"
        )
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "D04 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*\""
        ),
        lines(
            &[
                "(\\Subscribed) \"/\" baz2/bar2",
                "(\\Subscribed) \"/\" baz2/bar22",
                "(\\Subscribed) \"/\" baz2/bar222",
                "(\\Subscribed) \"/\" eps2 (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "(\\Subscribed) \"/\" eps2/mamba",
                "(\\Subscribed) \"/\" foo2/bar1",
                "(\\Subscribed) \"/\" foo2/bar2",
                "(\\Subscribed) \"/\" qux2/bar2",
            ],
            "D04"
        )
    );
}

/// RFC 9051 §6.3.9.8 example 11 (LIST-STATUS, RFC 5819 §5): a STATUS response after each
/// LIST response of a selectable mailbox that meets the selection, none for a parent that
/// is listed only for its CHILDINFO. (The example's "bar" is \NoSelect, which no mailbox
/// here is.)
#[test]
fn rfc9051_list_status_example_11() {
    let mut store = account();
    for i in 1..=17 {
        let flags: &[&str] = if i == 1 { &["\\Seen"] } else { &[] };
        add(&mut store, "INBOX", message("a@b", "m", "x"), flags, None);
    }
    folders(&mut store, &["foo", "foo/x"], &["INBOX", "foo/x"]);
    for i in 1..=30 {
        let flags: &[&str] = if i == 1 { &["\\Seen"] } else { &[] };
        add(&mut store, "foo", message("a@b", "m", "x"), flags, None);
    }
    let mut s = session(&mut store, false);
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))"
        ),
        "* LIST () \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 17 UNSEEN 16)\r\n\
* LIST () \"/\" foo\r\n* STATUS foo (MESSAGES 30 UNSEEN 29)\r\nA01 OK LIST completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))"
        ),
        "* LIST (\\Subscribed) \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 17)\r\n\
* LIST () \"/\" foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\nA02 OK LIST completed\r\n"
    );
}

// ---- STATUS (RFC 9051 §6.3.11, RFC 8438) ----

/// RFC 8438 §3's examples: eight messages of 3224, 1222, 444, 4516, 544, 922, 31126 and
/// 2423 octets make SIZE 44421; seventeen in INBOX make 16234. UIDNEXT is the server's own
/// (the example's 242344 would take that many messages). Then RFC 9051's DELETED.
#[test]
fn rfc8438_status_size_examples_and_deleted() {
    let sized = |n: usize| {
        let mut m = b"Subject: x\r\n\r\n".to_vec();
        m.resize(n, b'x');
        m
    };
    let mut store = account();
    store.create_folder(USER, "frop").unwrap();
    for n in [3224, 1222, 444, 4516, 544, 922, 31126, 2423] {
        add(&mut store, "frop", sized(n), &[], None);
    }
    for i in 0..17 {
        add(
            &mut store,
            "INBOX",
            sized(if i == 0 { 16234 - 16 * 954 } else { 954 }),
            &[],
            None,
        );
    }
    let mut s = session(&mut store, true);
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A01 STATUS frop (MESSAGES SIZE UIDNEXT)"
        ),
        "* STATUS frop (MESSAGES 8 SIZE 44421 UIDNEXT 9)\r\nA01 OK STATUS completed\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "A04 LIST \"\" % RETURN (STATUS (MESSAGES SIZE))"
        ),
        "* LIST () \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 17 SIZE 16234)\r\n\
* LIST () \"/\" frop\r\n* STATUS frop (MESSAGES 8 SIZE 44421)\r\nA04 OK LIST completed\r\n"
    );
    say(&mut s, &mut store, "s SELECT frop");
    say(&mut s, &mut store, "d STORE 2:4 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        say(&mut s, &mut store, "A05 STATUS frop (DELETED MESSAGES)"),
        "* STATUS frop (DELETED 3 MESSAGES 8)\r\nA05 OK STATUS completed\r\n"
    );
}

// ---- BINARY (RFC 9051 §6.4.5, §7.5.2; RFC 3516) ----

fn binary_store() -> MailStore {
    let mut store = account();
    let mixed = "From: a@b\r\nSubject: binary\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
caf=C3=A9 au lait, soft=\r\nly broken\r\n\
--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n\
AAECAwQF\r\nBgc=\r\n\
--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n\
begin 644 x\r\n`\r\nend\r\n\
--XX--\r\n";
    store.deliver(USER, "a@b", mixed.as_bytes().to_vec());
    let nested = "From: a@b\r\nSubject: nested\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=OUT\r\n\r\n\
--OUT\r\nContent-Type: multipart/alternative; boundary=IN\r\n\r\n\
--IN\r\nContent-Type: text/plain\r\n\r\nplain\r\n--IN\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--IN--\r\n\
--OUT--\r\n";
    store.deliver(USER, "a@b", nested.as_bytes().to_vec());
    store
}

/// FETCH BINARY on a quoted-printable and a base64 part: decoded, with NUL only in a
/// literal8 (§4.3.1), BINARY.SIZE matching, <partial> naming its origin as BODY does, NIL
/// for a missing part, [UNKNOWN-CTE] for x-uuencode without setting \Seen, NO for a
/// multipart part (only leaf parts have BINARY), and \Seen set without .PEEK.
#[test]
fn binary_fetch_decodes_quoted_printable_and_base64() {
    let mut store = binary_store();
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    let text = "caf\u{e9} au lait, softly broken";
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "b1 FETCH 1 (BINARY.SIZE[1] BINARY.SIZE[2])"
        ),
        format!(
            "* 1 FETCH (BINARY.SIZE[1] {} BINARY.SIZE[2] 8)\r\nb1 OK FETCH completed\r\n",
            text.len()
        )
    );
    assert_eq!(
        say(&mut s, &mut store, "b2 FETCH 1 BINARY.PEEK[1]"),
        format!(
            "* 1 FETCH (BINARY[1] {{{}}}\r\n{text})\r\nb2 OK FETCH completed\r\n",
            text.len()
        )
    );
    assert_eq!(
        say(&mut s, &mut store, "b3 FETCH 1 BINARY.PEEK[2]"),
        "* 1 FETCH (BINARY[2] ~{8}\r\n\0\x01\x02\x03\x04\x05\x06\x07)\r\nb3 OK FETCH completed\r\n"
    );
    // The origin after BINARY[2] is in RFC 9051 §7.5.2's and RFC 3516 §4.3's text
    // ("BINARY[<section-binary>]<<number>>") but not in their ABNF (msg-att-static), which
    // imap-codec follows; we follow the text, as BODY[]<origin> does.
    assert_eq!(
        say_unchecked(&mut s, &mut store, "b4 UID FETCH 1 BINARY.PEEK[2]<2.3>"),
        "* 1 FETCH (UID 1 BINARY[2]<2> {3}\r\n\x02\x03\x04)\r\nb4 OK UID FETCH completed\r\n"
    );
    assert_eq!(
        say(&mut s, &mut store, "b5 FETCH 1 (FLAGS BINARY[3])"),
        "b5 NO [UNKNOWN-CTE] Cannot decode the X-UUENCODE transfer encoding\r\n"
    );
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "b6 FETCH 1 (BINARY.PEEK[9] BINARY.SIZE[9])"
        ),
        "* 1 FETCH (BINARY[9] NIL BINARY.SIZE[9] 0)\r\nb6 OK FETCH completed\r\n"
    );
    let out = say(&mut s, &mut store, "b7 FETCH 2 BINARY.PEEK[1]");
    assert!(out.starts_with("b7 NO "), "{out}");
    assert_eq!(
        say(&mut s, &mut store, "b8 FETCH 2 BINARY.PEEK[1.2]"),
        "* 2 FETCH (BINARY[1.2] {11}\r\n<p>html</p>)\r\nb8 OK FETCH completed\r\n"
    );
    let whole = store.messages(USER)[0].bytes.len();
    assert_eq!(
        say(&mut s, &mut store, "b9 FETCH 1 BINARY.SIZE[]"),
        format!("* 1 FETCH (BINARY.SIZE[] {whole})\r\nb9 OK FETCH completed\r\n")
    );
    assert_eq!(
        say(&mut s, &mut store, "c1 FETCH 1 FLAGS"),
        "* 1 FETCH (FLAGS ())\r\nc1 OK FETCH completed\r\n"
    );
    assert_eq!(
        say_unchecked(&mut s, &mut store, "c2 FETCH 1 BINARY[2]<7.10>"),
        "* 1 FETCH (FLAGS (\\Seen) BINARY[2]<7> {1}\r\n\x07)\r\nc2 OK FETCH completed\r\n"
    );
}

// ---- bad input ----

/// New syntax that is wrong gets BAD with the tag, and the session goes on: an unknown
/// SEARCH result option (RFC 9051 §6.4.4 "MUST be rejected with a BAD response"),
/// RECURSIVEMATCH alone and unknown LIST options (§6.3.9, §6.3.9.1), a section-binary with
/// a text part, a partial on BINARY.SIZE, "$" inside a longer set.
#[test]
fn malformed_imap4rev2_syntax_is_bad_and_the_session_goes_on() {
    let mut store = binary_store();
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    for (tag, args) in [
        ("a1", "SEARCH RETURN (BOGUS) ALL"),
        ("a2", "SEARCH RETURN (MIN ALL"),
        ("a3", "SEARCH RETURN MIN ALL"),
        ("a4", "UID SEARCH RETURN (SAVE)"),
        ("a5", "LIST (RECURSIVEMATCH) \"\" *"),
        ("a6", "LIST (REMOTE RECURSIVEMATCH) \"\" *"),
        ("a7", "LIST (BOGUS) \"\" *"),
        ("a8", "LIST \"\" * RETURN (BOGUS)"),
        ("a9", "LIST \"\" ()"),
        ("b1", "LIST (SUBSCRIBED \"\" *"),
        ("b2", "FETCH 1 BINARY[1.x]"),
        ("b3", "FETCH 1 BINARY[HEADER]"),
        ("b4", "FETCH 1 BINARY.SIZE[1]<0.5>"),
        ("b5", "FETCH $,1 FLAGS"),
        ("b6", "FETCH $:3 FLAGS"),
        ("b7", "STATUS INBOX (DELETED BOGUS)"),
        ("b8", "LIST \"\" * RETURN (STATUS ())"),
    ] {
        let out = say(&mut s, &mut store, &format!("{tag} {args}"));
        assert!(
            out.starts_with(&format!("{tag} BAD Error in IMAP command ")),
            "{args}: {out}"
        );
        assert_eq!(say(&mut s, &mut store, "n NOOP"), "n OK NOOP completed\r\n");
    }
    // Not selected: SEARCH RETURN belongs to the selected state; extended LIST does not.
    say(&mut s, &mut store, "u UNSELECT");
    assert_eq!(
        say(&mut s, &mut store, "c1 SEARCH RETURN (MIN) ALL"),
        "c1 BAD SEARCH No mailbox selected\r\n"
    );
    assert!(
        say(&mut s, &mut store, "c2 LIST () \"\" INBOX").starts_with("* LIST () \"/\" INBOX\r\n")
    );
}

proptest! {
    #[test]
    fn no_imap4rev2_command_text_makes_the_server_panic(
        words in prop::collection::vec(
            prop_oneof![
                Just("SEARCH".to_string()), Just("RETURN".to_string()), Just("($".to_string()),
                Just("LIST".to_string()), Just("(SUBSCRIBED".to_string()), Just("RECURSIVEMATCH)".to_string()),
                Just("BINARY[1]".to_string()), Just("BINARY.PEEK[2]<1.2>".to_string()), Just("$".to_string()),
                Just("STATUS".to_string()), Just("(DELETED)".to_string()), Just("FETCH".to_string()),
                "[A-Za-z0-9\\\\()\\[\\]<>.*%:,$\" {}+-]{0,10}",
            ],
            1..8,
        )
    ) {
        let mut store = binary_store();
        for enable in [false, true] {
            let mut s = session(&mut store, enable);
            say(&mut s, &mut store, "s SELECT INBOX");
            let line = format!("x {}\r\n", words.join(" "));
            s.handle_input(T0, line.as_bytes(), &mut store);
            while s.poll_output().is_some() {}
            let mut t = session(&mut store, enable);
            t.handle_input(T0, format!("x UID {}\r\n", words.join(" ")).as_bytes(), &mut store);
            while t.poll_output().is_some() {}
        }
    }
}

// ---- explanations ----

#[test]
fn new_commands_and_responses_are_explained_with_their_rfc_section() {
    let section = |line: &str| {
        let (_, cmd) = decode::command(format!("{line}\r\n").as_bytes()).unwrap();
        explain::command(&cmd).rfc.label()
    };
    assert_eq!(
        section("a SEARCH RETURN (MIN COUNT) ALL"),
        "RFC 9051 §6.4.4"
    );
    assert_eq!(section("a SEARCH RETURN (SAVE) ALL"), "RFC 9051 §6.4.4.1");
    assert_eq!(section("a LIST (SUBSCRIBED) \"\" *"), "RFC 9051 §6.3.9");
    assert_eq!(
        section("a LIST \"\" % RETURN (STATUS (MESSAGES))"),
        "RFC 9051 §6.3.9.2"
    );
    let unit = |bytes: &str| explain::server_unit(bytes.as_bytes()).rfc.label();
    assert_eq!(
        unit("* ESEARCH (TAG \"a\") MIN 2\r\na OK SEARCH completed\r\n"),
        "RFC 9051 §7.3.4"
    );
    assert_eq!(
        unit("* ENABLED IMAP4rev2\r\ne OK ENABLE completed\r\n"),
        "RFC 9051 §7.2.1"
    );
    let enabled = explain::server_unit(b"* ENABLED CONDSTORE\r\ne OK ENABLE completed\r\n");
    assert_eq!(enabled.title, "Now on: CONDSTORE");
    // RFC 5161 §3.2: an empty ENABLED means nothing the client named was enabled.
    let none = explain::server_unit(b"* ENABLED\r\ne OK ENABLE completed\r\n");
    assert_eq!(none.title, "Nothing was enabled");
    assert_eq!(none.rfc.label(), "RFC 5161 §3.2");
}

proptest! {
    #[test]
    fn no_bytes_make_an_imap4rev2_session_panic(input in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut store = binary_store();
        let mut s = session(&mut store, true);
        say(&mut s, &mut store, "s SELECT INBOX");
        say(&mut s, &mut store, "v SEARCH RETURN (SAVE) ALL");
        s.handle_input(T0, &input, &mut store);
        while s.poll_output().is_some() {}
    }
}

/// RFC 9051 §6.4.4.1: "$" is reset by SELECT and EXAMINE, and RFC 5182 §2.1 forgets it with
/// the mailbox — in an IMAP4rev1 session too, where SEARCHRES is advertised. (Found in review:
/// `$` once survived a SELECT without ENABLE, and UID STORE $ then hit other messages.)
#[test]
fn the_saved_result_is_forgotten_with_the_mailbox_in_either_revision() {
    let mut store = account();
    for i in 1..=3 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    let _ = store.create_folder(USER, "Other");
    let mut s = session(&mut store, false);
    say(&mut s, &mut store, "s SELECT INBOX");
    say(&mut s, &mut store, "a UID SEARCH RETURN (SAVE) ALL");
    for reset in ["t SELECT Other", "t EXAMINE INBOX", "t UNSELECT"] {
        say(&mut s, &mut store, "s SELECT INBOX");
        say(&mut s, &mut store, "a UID SEARCH RETURN (SAVE) ALL");
        say(&mut s, &mut store, reset);
        say(&mut s, &mut store, "s SELECT INBOX");
        assert_eq!(
            say(&mut s, &mut store, "b UID SEARCH $"),
            "* SEARCH\r\nb OK UID SEARCH completed\r\n",
            "after {reset}"
        );
    }
}

/// RFC 9051 §6.4.5: a partial FETCH names the origin asked for, even past the end.
#[test]
fn partial_fetches_name_the_origin_asked_for() {
    let mut store = account();
    store.deliver(USER, "a@b", message("a@b", "m1", "x"));
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "s SELECT INBOX");
    let far = say_unchecked(
        &mut s,
        &mut store,
        "a FETCH 1 (BODY.PEEK[]<5000.10> BINARY.PEEK[1]<5000.10>)",
    );
    assert!(far.contains("BODY[]<5000> {0}\r\n"), "{far}");
    assert!(far.contains("BINARY[1]<5000> {0}\r\n"), "{far}");
}

/// RFC 9051 §6.3.9.1: "SUBSCRIBED - causes the LIST command to list subscribed names, rather
/// than the existing mailboxes ... It's also possible for this list to contain the names of
/// mailboxes that don't exist": a subscribed, deleted mailbox is `\NonExistent \Subscribed`.
#[test]
fn list_subscribed_reports_a_deleted_mailbox_as_nonexistent() {
    let mut store = account();
    let mut s = session(&mut store, false);
    say(&mut s, &mut store, "a1 CREATE Work");
    say(&mut s, &mut store, "a2 SUBSCRIBE Work");
    say(&mut s, &mut store, "a3 DELETE Work");
    assert_eq!(
        say(&mut s, &mut store, "a4 LIST (SUBSCRIBED) \"\" *"),
        lines(
            &[
                "(\\Subscribed) \"/\" INBOX",
                "(\\NonExistent \\Subscribed) \"/\" Work"
            ],
            "a4"
        )
    );
    assert_eq!(
        say(&mut s, &mut store, "a5 LIST \"\" * RETURN (SUBSCRIBED)"),
        lines(&["(\\Subscribed) \"/\" INBOX"], "a5")
    );
}

/// Extended LIST over a level of hierarchy that is no mailbox (its mailbox was deleted while
/// it had children): "%" returns it \Noselect (RFC 9051 §6.3.9), with \HasChildren when
/// CHILDREN is asked for; "*" lists mailboxes only.
#[test]
fn extended_list_returns_a_level_of_hierarchy_as_noselect() {
    let mut store = account();
    store.create_folder(USER, "a/b").unwrap();
    store.delete_folder(USER, "a").unwrap();
    let mut s = session(&mut store, true);
    assert_eq!(
        say(&mut s, &mut store, "a1 LIST \"\" % RETURN (CHILDREN)"),
        lines(
            &[
                "(\\HasNoChildren) \"/\" INBOX",
                "(\\Noselect \\HasChildren) \"/\" a"
            ],
            "a1"
        )
    );
    assert_eq!(
        say(&mut s, &mut store, "a2 LIST \"\" *"),
        lines(&["() \"/\" INBOX", "() \"/\" a/b"], "a2")
    );
}

/// ESEARCH after a search with a MODSEQ key ends with `MODSEQ n` (RFC 7162's
/// search-return-data): the highest mod-sequence of the messages it returns, those of MIN
/// and MAX when only they are asked for, as Dovecot answers; nothing when nothing matched.
#[test]
fn esearch_with_a_modseq_key_ends_with_modseq() {
    let mut store = account();
    for i in 1..=3 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    let mut s = session(&mut store, true);
    say(&mut s, &mut store, "a1 SELECT INBOX (CONDSTORE)");
    say(&mut s, &mut store, "a2 STORE 1 +FLAGS.SILENT (\\Seen)");
    for (command, answer) in [
        ("b1 SEARCH MODSEQ 1", "ALL 1:3 MODSEQ 5"),
        ("b2 SEARCH RETURN (COUNT) MODSEQ 1", "COUNT 3 MODSEQ 5"),
        ("b3 SEARCH RETURN (MAX) MODSEQ 1", "MAX 3 MODSEQ 4"),
        (
            "b4 SEARCH RETURN (MIN MAX) MODSEQ 1",
            "MIN 1 MAX 3 MODSEQ 5",
        ),
        (
            "b5 UID SEARCH RETURN (ALL) MODSEQ \"/flags/\\\\seen\" all 3",
            "UID ALL 1:3 MODSEQ 5",
        ),
        ("b6 SEARCH RETURN (COUNT) MODSEQ 99", "COUNT 0"),
    ] {
        let tag = &command[..2];
        assert_eq!(
            say(&mut s, &mut store, command).lines().next().unwrap(),
            format!("* ESEARCH (TAG \"{tag}\") {answer}"),
            "{command}"
        );
    }
}

/// `SEARCH RETURN (SAVE)` with a MODSEQ key sends no ESEARCH: RFC 9051 §6.4.4 (and RFC 5182
/// §1) -- "In absence of any other SEARCH result option, the SAVE result option also
/// suppresses any ESEARCH response that would have been otherwise returned by the SEARCH
/// command" -- and RFC 4731 §3.2 asks for the MODSEQ result option only when "the client
/// requests one or more result option described in section 3.1" (MIN, MAX, ALL, COUNT),
/// which SAVE is not. Dovecot 2.3 answers `* ESEARCH (TAG "x") MODSEQ n` here; we follow the
/// RFCs. With another option beside SAVE, the ESEARCH comes with its MODSEQ.
#[test]
fn search_return_save_with_a_modseq_key_sends_no_esearch() {
    let mut store = account();
    for i in 1..=3 {
        store.deliver(USER, "a@b", message("a@b", &format!("m{i}"), "x"));
    }
    for enable in [false, true] {
        let mut s = session(&mut store, enable);
        say(&mut s, &mut store, "a1 SELECT INBOX");
        // The first CONDSTORE enabling command announces HIGHESTMODSEQ; no ESEARCH.
        assert_eq!(
            say(&mut s, &mut store, "a2 SEARCH RETURN (SAVE) MODSEQ 1"),
            "* OK [HIGHESTMODSEQ 4] Highest\r\na2 OK SEARCH completed\r\n"
        );
        let out = say(&mut s, &mut store, "a3 FETCH $ (UID)");
        assert_eq!(out.matches(" FETCH (UID ").count(), 3, "{out}");
        let out = say(&mut s, &mut store, "a4 SEARCH RETURN (SAVE MIN) MODSEQ 1");
        assert!(
            out.starts_with("* ESEARCH (TAG \"a4\") MIN 1 MODSEQ "),
            "{out}"
        );
    }
}

/// MULTIAPPEND (RFC 3502) and UIDPLUS's APPENDUID (RFC 4315 §3, RFC 9051 §7.1) in an
/// IMAP4rev2 session as in an IMAP4rev1 one: one APPEND, several messages, one uid-set.
#[test]
fn multiappend_answers_appenduid_with_a_set_in_both_revisions() {
    for enable in [false, true] {
        let mut store = account();
        let mut s = session(&mut store, enable);
        let out = say(
            &mut s,
            &mut store,
            "a1 APPEND INBOX (\\Seen) {3+}\r\none {3+}\r\ntwo",
        );
        let validity = store.uid_validity(USER).unwrap();
        assert_eq!(
            out,
            format!("a1 OK [APPENDUID {validity} 1:2] APPEND completed\r\n")
        );
        let out = say(&mut s, &mut store, "a2 UID EXPUNGE 1:*");
        assert_eq!(out, "a2 BAD UID EXPUNGE No mailbox selected\r\n");
        say(&mut s, &mut store, "a3 SELECT INBOX");
        say(&mut s, &mut store, "a4 STORE 1:2 +FLAGS.SILENT (\\Deleted)");
        // RFC 4315 §2.1: UID EXPUNGE removes only the \Deleted messages it names.
        let out = say(&mut s, &mut store, "a5 UID EXPUNGE 2");
        assert_eq!(out, "* 2 EXPUNGE\r\na5 OK UID EXPUNGE completed\r\n");
        assert_eq!(store.messages(USER).len(), 1);
    }
}
