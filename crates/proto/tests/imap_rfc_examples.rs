//! Known-answer tests from the IMAP RFCs' example dialogues, replayed against our server.
//! Where our answer differs from the example on purpose, the test says why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod oracle;

use postroom_proto::imap::{ImapServer, ServerConfig};
use postroom_proto::smtp::TlsPolicy;
use postroom_proto::{Instant, MailStore};

const T0: Instant = Instant::ZERO;

fn store_with(user: &str, password: &str, n: usize) -> MailStore {
    let mut store = MailStore::new();
    store.add_account(user, password);
    for i in 1..=n {
        store.deliver(
            user,
            "a@b",
            format!("Subject: m{i}\r\n\r\nbody {i}\r\n").into_bytes(),
        );
    }
    store
}

fn say(s: &mut ImapServer, store: &mut MailStore, line: &str) -> String {
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

fn logged_in(store: &mut MailStore, user: &str, password: &str) -> ImapServer {
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    drain(&mut s);
    assert!(say(&mut s, store, &format!("x LOGIN {user} {password}")).starts_with("x OK"));
    s
}

/// RFC 2177 §3: IDLE while new mail arrives and another client expunges. The example writes
/// `* FLAGS (Deleted Seen)`; we send the system flags with their backslashes. The example
/// also follows each EXPUNGE with an EXISTS, which RFC 9051 does not require; we do not.
/// With the new mail we also send `* 1 RECENT`: RFC 3501 §7.3.2 says RECENT follows a change
/// in the mailbox's size (Dovecot does the same); the example leaves it out.
#[test]
fn rfc2177_idle_example() {
    let mut store = store_with("bob", "pw", 3);
    // An earlier session saw the three messages, so they are no longer \Recent, as in the
    // example's `* 0 RECENT`.
    let mut earlier = logged_in(&mut store, "bob", "pw");
    say(&mut earlier, &mut store, "e1 SELECT INBOX");
    say(&mut earlier, &mut store, "e2 LOGOUT");
    let mut s = logged_in(&mut store, "bob", "pw");
    let mut other = logged_in(&mut store, "bob", "pw");
    let out = say(&mut s, &mut store, "A001 SELECT INBOX");
    assert!(
        out.contains("* 3 EXISTS\r\n* 0 RECENT\r\n")
            && out.ends_with("A001 OK [READ-WRITE] SELECT completed\r\n")
    );
    assert_eq!(say(&mut s, &mut store, "A002 IDLE"), "+ idling\r\n");
    store.deliver("bob", "a@b", b"Subject: m4\r\n\r\nnew\r\n".to_vec());
    s.handle_store_change(&store);
    assert_eq!(drain(&mut s), "* 4 EXISTS\r\n* 1 RECENT\r\n");
    assert_eq!(
        say(&mut s, &mut store, "DONE"),
        "A002 OK IDLE terminated\r\n"
    );
    // ...another client expunges message 2 now...
    say(&mut other, &mut store, "o1 SELECT INBOX");
    say(
        &mut other,
        &mut store,
        "o2 STORE 2 +FLAGS.SILENT (\\Deleted)",
    );
    say(&mut other, &mut store, "o3 EXPUNGE");
    let out = say(&mut s, &mut store, "A003 FETCH 4 ALL");
    assert!(
        out.starts_with("* 4 FETCH (FLAGS (\\Recent) INTERNALDATE ") && !out.contains("EXPUNGE"),
        "{out}"
    );
    assert!(out.ends_with("A003 OK FETCH completed\r\n"));
    assert_eq!(
        say(&mut s, &mut store, "A004 IDLE"),
        "* 2 EXPUNGE\r\n+ idling\r\n"
    );
    // ...another client expunges message 3...
    say(
        &mut other,
        &mut store,
        "o4 STORE 3 +FLAGS.SILENT (\\Deleted)",
    );
    say(&mut other, &mut store, "o5 EXPUNGE");
    s.handle_store_change(&store);
    assert_eq!(drain(&mut s), "* 3 EXPUNGE\r\n");
    store.deliver("bob", "a@b", b"Subject: m5\r\n\r\nnew\r\n".to_vec());
    s.handle_store_change(&store);
    assert_eq!(drain(&mut s), "* 3 EXISTS\r\n* 1 RECENT\r\n");
    assert_eq!(
        say(&mut s, &mut store, "DONE"),
        "A004 OK IDLE terminated\r\n"
    );
}

/// RFC 2595 §3.1: LOGINDISABLED until STARTTLS, then gone from the capabilities.
#[test]
fn rfc2595_starttls_with_logindisabled() {
    let mut store = store_with("joe", "password", 0);
    let mut config = ServerConfig::new("imap");
    config.tls = TlsPolicy::Required;
    let mut s = ImapServer::new(config, T0);
    drain(&mut s);
    let out = say(&mut s, &mut store, "a001 CAPABILITY");
    assert!(
        out.contains(" STARTTLS LOGINDISABLED\r\n")
            && out.ends_with("a001 OK CAPABILITY completed\r\n"),
        "{out}"
    );
    assert_eq!(
        say(&mut s, &mut store, "a002 STARTTLS"),
        "a002 OK Begin TLS negotiation now\r\n"
    );
    s.tls_established();
    let out = say(&mut s, &mut store, "a003 CAPABILITY");
    assert!(
        !out.contains("STARTTLS") && !out.contains("LOGINDISABLED"),
        "{out}"
    );
    assert!(say(&mut s, &mut store, "a004 LOGIN joe password").starts_with("a004 OK"));
}

/// RFC 6851 §3.3: `UID MOVE 42:69 foo` gives COPYUID in an untagged OK, then EXPUNGEs.
#[test]
fn rfc6851_uid_move_example() {
    let mut store = store_with("bob", "pw", 6);
    store.create_folder("bob", "foo").unwrap();
    let mut s = logged_in(&mut store, "bob", "pw");
    say(&mut s, &mut store, "a0 SELECT INBOX");
    let out = say(&mut s, &mut store, "a UID MOVE 4:5 foo");
    assert_eq!(
        out,
        "* OK [COPYUID 2 4:5 1:2] Moved\r\n* 4 EXPUNGE\r\n* 4 EXPUNGE\r\na OK MOVE completed\r\n"
    );
}

/// RFC 7162 §3.1.3 examples 2 and 7: a conditional .SILENT store still reports each new
/// modseq; UNCHANGEDSINCE 0 always fails.
#[test]
fn rfc7162_conditional_store_examples() {
    let mut store = store_with("bob", "pw", 8);
    let mut s = logged_in(&mut store, "bob", "pw");
    say(&mut s, &mut store, "a0 SELECT INBOX (CONDSTORE)");
    let out = say(
        &mut s,
        &mut store,
        "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 9) +FLAGS.SILENT (\\Deleted)",
    );
    // The empty INBOX took modseq 1 and the eight messages 2 to 9.
    assert_eq!(out, "* 4 FETCH (UID 4 MODSEQ (10))\r\n* 6 FETCH (UID 6 MODSEQ (11))\r\n* 8 FETCH (UID 8 MODSEQ (12))\r\na103 OK UID STORE completed\r\n");
    assert_eq!(
        say(
            &mut s,
            &mut store,
            "a102 STORE 2 (UNCHANGEDSINCE 0) +FLAGS.SILENT ($MDNSent)"
        ),
        "a102 OK [MODIFIED 2] Conditional STORE failed\r\n"
    );
}

/// The message of RFC 3501 §8: its 342-octet header and a 92-line, 3028-octet body.
fn rfc3501_message() -> Vec<u8> {
    let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
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

/// RFC 3501 §8, the sample IMAP4rev1 connection. Differences on purpose: our SELECT also
/// sends PERMANENTFLAGS and UIDNEXT (which RFC 3501 §6.3.1 requires; the sample predates
/// that), INTERNALDATE is written in UTC, and RFC822.SIZE is the real size (the sample's
/// 4286 does not match its own header and body). As in the sample, messages 1–16 were seen
/// by an earlier session and 17–18 arrived since: `* 2 RECENT`, and 12 is not \Recent.
#[test]
fn rfc3501_sample_connection() {
    let mut store = MailStore::new();
    store.add_account("mrc", "secret");
    for i in 1..=18 {
        let bytes = if i == 12 {
            rfc3501_message()
        } else {
            format!("Subject: {i}\r\n\r\nx\r\n").into_bytes()
        };
        let uid = store.deliver("mrc", "a@b", bytes).unwrap();
        if i != 17 && i != 18 {
            store
                .set_flags("mrc", "INBOX", uid, ["\\Seen".to_string()].into())
                .unwrap();
        }
        if i == 16 {
            let mut earlier = ImapServer::new(ServerConfig::new("imap"), T0);
            say(&mut earlier, &mut store, "e1 login mrc secret");
            say(&mut earlier, &mut store, "e2 select inbox");
            say(&mut earlier, &mut store, "e3 logout");
        }
    }
    let mut s = ImapServer::new(ServerConfig::new("imap"), T0);
    assert!(drain(&mut s).starts_with("* OK [CAPABILITY IMAP4rev1 "));
    assert!(say(&mut s, &mut store, "a001 login mrc secret").starts_with("a001 OK "));
    let out = say(&mut s, &mut store, "a002 select inbox");
    assert!(
        out.contains("* 18 EXISTS\r\n")
            && out.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n")
            && out.contains("* 2 RECENT\r\n"),
        "{out}"
    );
    assert!(
        out.contains("* OK [UNSEEN 17] First unseen\r\n")
            && out.contains("* OK [UIDVALIDITY 1] UIDs valid\r\n")
    );
    assert!(out.ends_with("a002 OK [READ-WRITE] SELECT completed\r\n"));
    let out = say(&mut s, &mut store, "a003 fetch 12 full");
    let envelope = "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\")";
    let body = "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)";
    assert!(
        out.starts_with("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \""),
        "{out}"
    );
    assert!(
        out.contains(&format!("RFC822.SIZE 3370 {envelope} {body})\r\n")),
        "{out}"
    );
    assert!(out.ends_with("a003 OK FETCH completed\r\n"));
    let out = say(&mut s, &mut store, "a004 fetch 12 body[header]");
    let header = String::from_utf8(rfc3501_message()[..342].to_vec()).unwrap();
    assert_eq!(
        out,
        format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{header})\r\na004 OK FETCH completed\r\n")
    );
    let out = say(&mut s, &mut store, "a005 store 12 +flags \\deleted");
    assert_eq!(
        out,
        "* 12 FETCH (FLAGS (\\Deleted \\Seen))\r\na005 OK STORE completed\r\n"
    );
    let out = say(&mut s, &mut store, "a006 logout");
    assert_eq!(
        out,
        "* BYE Postroom IMAP server logging out\r\na006 OK LOGOUT completed\r\n"
    );
}
