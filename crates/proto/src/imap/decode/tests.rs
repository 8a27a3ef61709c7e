//! Known answers for the command parsers, from the RFCs' own examples.

use super::datetime::date;
use super::search::MAX_SEARCH_DEPTH;
use super::{command, days_from_civil, frame, Framing};
use crate::imap::section::SectionText;
#[cfg(feature = "mailboxes")]
use crate::imap::types::AppendMessage;
use crate::imap::types::{Command, FetchItem, SearchKey, StoreMode, MAX_LINE};

fn cmd(s: &str) -> Command {
    let input = format!("{s}\r\n");
    command(input.as_bytes()).unwrap().1
}

#[test]
fn framing_finds_commands_and_counts_sync_literals() {
    assert_eq!(frame(b"a1 NOOP\r\nrest"), Framing::Complete(9));
    assert_eq!(frame(b"a1 NOOP"), Framing::Incomplete { sync_literals: 0 });
    assert_eq!(
        frame(b"A003 APPEND saved-messages (\\Seen) {3}\r\n"),
        Framing::Incomplete { sync_literals: 1 }
    );
    assert_eq!(
        frame(b"A003 APPEND x {3}\r\nabc\r\n"),
        Framing::Complete(24)
    );
    assert_eq!(
        frame(b"A003 APPEND x {3+}\r\nab"),
        Framing::Incomplete { sync_literals: 0 }
    );
    assert_eq!(frame(b"a LOGIN {4294967296}\r\n"), Framing::LiteralTooLarge);
    assert_eq!(frame(&vec![b'x'; MAX_LINE + 1]), Framing::LineTooLong);
}

#[test]
fn commands_parse_as_the_rfc_writes_them() {
    assert_eq!(
        cmd("a001 login fred \"my pass\""),
        Command::Login {
            user: "fred".into(),
            password: "my pass".into()
        }
    );
    assert_eq!(
        cmd("a002 select inbox"),
        Command::Select {
            mailbox: "INBOX".into(),
            read_only: false,
            condstore: false
        }
    );
    assert_eq!(
        cmd("A142 SELECT INBOX (CONDSTORE)"),
        Command::Select {
            mailbox: "INBOX".into(),
            read_only: false,
            condstore: true
        }
    );
    assert_eq!(
        cmd("A101 LIST \"\" \"\""),
        Command::List {
            reference: "".into(),
            pattern: "".into(),
            subscribed_only: false
        }
    );
    assert_eq!(
        cmd("A682 LIST \"\" *"),
        Command::List {
            reference: "".into(),
            pattern: "*".into(),
            subscribed_only: false
        }
    );
    let Command::Fetch {
        uid: false,
        set,
        items,
        ..
    } = cmd("a003 fetch 12 full")
    else {
        panic!()
    };
    assert_eq!(set.to_string(), "12");
    assert_eq!(items.len(), 5);
    let Command::Fetch { items, .. } = cmd("a004 fetch 12 body[header]") else {
        panic!()
    };
    assert!(
        matches!(&items[0], FetchItem::BodySection { peek: false, section, partial: None } if section.text == Some(SectionText::Header))
    );
    let Command::Fetch {
        uid: true, items, ..
    } = cmd("A999 UID FETCH 4827313:4828442 FLAGS")
    else {
        panic!()
    };
    assert_eq!(items, [FetchItem::Flags]);
    let Command::Fetch { items, .. } =
        cmd("a FETCH 1:* (UID BODY.PEEK[1.2.MIME] BODY[]<0.2048> RFC822.SIZE)")
    else {
        panic!()
    };
    assert_eq!(items.len(), 4);
    let Command::Store {
        mode,
        silent,
        flags,
        ..
    } = cmd("A003 STORE 2:4 +FLAGS (\\deleted)")
    else {
        panic!()
    };
    assert_eq!(
        (mode, silent, flags),
        (StoreMode::Add, false, vec!["\\Deleted".to_string()])
    );
    assert_eq!(cmd("A202 EXPUNGE"), Command::Expunge { uids: None });
    assert!(matches!(
        cmd("A005 UID EXPUNGE 3000:3002"),
        Command::Expunge { uids: Some(_) }
    ));
    assert!(matches!(
        cmd("a MOVE 1:3 Trash"),
        Command::Copy { remove: true, .. }
    ));
    assert!(matches!(
        cmd("a UID COPY 1 \"Saved Mail\""),
        Command::Copy {
            uid: true,
            remove: false,
            ..
        }
    ));
    let Command::Search { key, .. } =
        cmd("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")
    else {
        panic!()
    };
    assert!(matches!(key, SearchKey::And(ref keys) if keys.len() == 3));
    let Command::Search { key, .. } = cmd("a SEARCH OR SEEN (DELETED UID 1:5)") else {
        panic!()
    };
    assert!(matches!(key, SearchKey::Or(..)));
    assert_eq!(
        cmd("a ENABLE CONDSTORE"),
        Command::Enable(vec!["CONDSTORE".into()])
    );
    let Command::Append { mailbox, messages } =
        cmd("A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello")
    else {
        panic!()
    };
    let [AppendMessage {
        flags,
        date,
        message,
    }] = messages.as_slice()
    else {
        panic!("{messages:?}")
    };
    assert_eq!(
        (mailbox.as_str(), flags.as_slice(), message.as_slice()),
        ("saved-messages", &["\\Seen".to_string()][..], &b"hello"[..])
    );
    assert_eq!(
        *date,
        Some(days_from_civil(1996, 7, 17).unwrap() * 86400 + 9 * 3600 + 44 * 60 + 25)
    );
    // RFC 3502 (MULTIAPPEND): several messages, each with its own flags and date.
    let Command::Append { messages, .. } =
        cmd("A003 APPEND x (\\Seen) {3}\r\none {3}\r\ntwo ($Label1) \" 7-Feb-1994 22:43:04 -0800\" {5}\r\nthree")
    else {
        panic!()
    };
    let shown: Vec<(&[String], bool, &[u8])> = messages
        .iter()
        .map(|m| (m.flags.as_slice(), m.date.is_some(), m.message.as_slice()))
        .collect();
    assert_eq!(
        shown,
        [
            (&["\\Seen".to_string()][..], false, &b"one"[..]),
            (&[][..], false, &b"two"[..]),
            (&["$Label1".to_string()][..], true, &b"three"[..]),
        ]
    );
    assert!(command(b"a APPEND x (\\Seen)\r\n").is_err());
    assert_eq!(
        cmd("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=="),
        Command::Authenticate {
            mechanism: "PLAIN".into(),
            initial_response: Some("AGFsaWNlAHNlY3JldA==".into())
        }
    );
    assert_eq!(
        cmd("a login {5}\r\nalice {6}\r\nsecret"),
        Command::Login {
            user: "alice".into(),
            password: "secret".into()
        }
    );
}

#[test]
fn bad_commands_say_why_with_the_tag() {
    assert_eq!(
        command(b"a1 FROB\r\n").unwrap_err().reason,
        "Unknown command"
    );
    assert_eq!(
        command(b"a1 SELECT\r\n").unwrap_err().tag.as_deref(),
        Some("a1")
    );
    assert!(command(b"\r\n").unwrap_err().tag.is_none());
    assert!(
        command(b"a1 FETCH 0 FLAGS\r\n").is_err(),
        "message numbers start at 1"
    );
    assert!(command(b"a1 STORE 1 FLAGS (\\Seen\r\n").is_err());
}

#[test]
fn dates_count_days_from_1970() {
    assert_eq!(days_from_civil(1970, 1, 1), Some(0));
    assert_eq!(days_from_civil(2000, 3, 1), Some(11017));
    assert_eq!(days_from_civil(2023, 2, 29), None);
    assert_eq!(
        date(b"1-Feb-1994").unwrap().1,
        days_from_civil(1994, 2, 1).unwrap()
    );
}

#[test]
fn every_search_key_parses_whole_and_case_blind() {
    use SearchKey as K;
    let flag = |f: &str, has| K::Flag(f.to_string(), has);
    let header = |h: &str, v: &str| K::Header(h.to_string(), v.to_string());
    let address = |h: &str, v: &str| K::Address(h.to_string(), v.to_string());
    // Search dates count days, not seconds.
    let day = days_from_civil(1994, 2, 1).unwrap();
    for (text, expected) in [
        ("ALL", K::All),
        ("answered", flag("\\Answered", true)),
        ("UNANSWERED", flag("\\Answered", false)),
        ("DELETED", flag("\\Deleted", true)),
        ("UNDELETED", flag("\\Deleted", false)),
        ("Draft", flag("\\Draft", true)),
        ("UNDRAFT", flag("\\Draft", false)),
        ("FLAGGED", flag("\\Flagged", true)),
        ("UNFLAGGED", flag("\\Flagged", false)),
        ("SEEN", flag("\\Seen", true)),
        ("UNSEEN", flag("\\Seen", false)),
        ("RECENT", flag("\\Recent", true)),
        ("OLD", flag("\\Recent", false)),
        (
            "NEW",
            K::And(vec![flag("\\Recent", true), flag("\\Seen", false)]),
        ),
        ("KEYWORD $Work", flag("$Work", true)),
        ("UNKEYWORD $Work", flag("$Work", false)),
        ("FROM smith", address("From", "smith")),
        ("TO \"bob b\"", address("To", "bob b")),
        ("CC x", address("Cc", "x")),
        ("BCC x", address("Bcc", "x")),
        ("SUBJECT lunch", header("Subject", "lunch")),
        ("HEADER X-Tag urgent", header("X-Tag", "urgent")),
        ("BODY cake", K::Body("cake".into())),
        ("TEXT cake", K::Text("cake".into())),
        ("BEFORE 1-Feb-1994", K::Before(day)),
        ("ON 1-Feb-1994", K::On(day)),
        ("SINCE 1-Feb-1994", K::Since(day)),
        ("SENTBEFORE 1-Feb-1994", K::SentBefore(day)),
        ("SENTON 1-Feb-1994", K::SentOn(day)),
        ("SENTSINCE 1-Feb-1994", K::SentSince(day)),
        ("LARGER 100", K::Larger(100)),
        ("SMALLER 100", K::Smaller(100)),
        ("MODSEQ 7", K::ModSeq(7)),
        // RFC 7162 §3.1.5: an entry name and type before the mod-sequence.
        ("MODSEQ \"/flags/\\\\seen\" all 1", K::ModSeq(1)),
        ("MODSEQ \"/flags/$Work\" priv 5", K::ModSeq(5)),
        ("MODSEQ 5 ALL", K::And(vec![K::ModSeq(5), K::All])),
        ("NOT SEEN", K::Not(Box::new(flag("\\Seen", true)))),
        (
            "OR SEEN LARGER 5",
            K::Or(Box::new(flag("\\Seen", true)), Box::new(K::Larger(5))),
        ),
        ("(SEEN)", K::And(vec![flag("\\Seen", true)])),
    ] {
        let Command::Search { key, .. } = cmd(&format!("a SEARCH {text}")) else {
            panic!("{text}")
        };
        assert_eq!(key, expected, "{text}");
    }
    assert!(matches!(
        cmd("a SEARCH UID 1:5"),
        Command::Search { key: K::Uid(_), .. }
    ));
    assert!(matches!(
        cmd("a SEARCH 2,4:*"),
        Command::Search {
            key: K::Sequence(_),
            ..
        }
    ));
    // A keyword is read whole: a longer word is not a shorter key plus junk.
    for bad in [
        "ALLX",
        "SEENS",
        "ON",
        "TOO x",
        "LARGER x",
        "FROB",
        "MODSEQ \"/flags/\\\\seen\" 1",
        "MODSEQ \"/other\" all 1",
    ] {
        assert!(
            command(format!("a SEARCH {bad}\r\n").as_bytes()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn search_keys_nest_only_so_deep() {
    let deep = |n: usize| format!("a SEARCH {}SEEN{}\r\n", "(".repeat(n), ")".repeat(n));
    assert!(command(deep(MAX_SEARCH_DEPTH).as_bytes()).is_ok());
    assert!(command(deep(MAX_SEARCH_DEPTH + 1).as_bytes()).is_err());
    let nots = format!("a SEARCH {}SEEN\r\n", "NOT ".repeat(20_000));
    assert!(command(nots.as_bytes()).is_err());
    let parens = format!("a SEARCH {}\r\n", "(".repeat(60_000));
    assert!(command(parens.as_bytes()).is_err());
}
