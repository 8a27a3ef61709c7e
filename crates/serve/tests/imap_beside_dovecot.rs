//! The same IMAP commands to Dovecot 2.3 and to postroom-serve, side by side, for what an
//! IMAP compliance suite found we did differently. Where both answer alike the test checks
//! both; where the RFCs leave a choice and ours differs, the test quotes the sentence ours
//! follows. Each table of answers is printed (`cargo test -- --nocapture` shows it).
//!
//! Dovecot's hierarchy delimiter is "." (its Maildir++ layout), ours "/": the scripts are
//! written with "/", translated for Dovecot, and its LIST and LSUB answers translated back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, Read, Write};

use support::{peer, Connection, Serve};

/// One IMAP connection, logged in as alice.
struct Session {
    connection: Connection,
    /// The server's hierarchy delimiter, from `LIST "" ""`.
    delimiter: char,
}

impl Session {
    /// A connection whose greeting was read; the greeting.
    fn connect(port: u16) -> (Session, String) {
        let mut session = Session {
            connection: Connection::open(port),
            delimiter: '/',
        };
        let greeting = session.line();
        assert!(greeting.starts_with("* OK"), "{greeting}");
        (session, greeting)
    }

    fn open(port: u16) -> Session {
        let (mut session, _) = Session::connect(port);
        let login = session.say("l1 LOGIN alice secret");
        assert!(login.last().unwrap().starts_with("l1 OK"), "{login:?}");
        let list = session.say("l2 LIST \"\" \"\"");
        let delimiter = list.first().and_then(|l| l.split('"').nth(1)).unwrap();
        session.delimiter = delimiter.chars().next().unwrap();
        session
    }

    /// One response line, CRLF removed; a literal at its end is read and joined to it.
    fn line(&mut self) -> String {
        let mut line = String::new();
        loop {
            let mut part = Vec::new();
            self.connection.reader.read_until(b'\n', &mut part).unwrap();
            assert!(!part.is_empty(), "connection closed after {line:?}");
            let part = String::from_utf8_lossy(&part).trim_end().to_string();
            let literal = part
                .strip_suffix('}')
                .and_then(|p| p.rsplit_once('{'))
                .and_then(|(_, n)| n.parse::<usize>().ok());
            line.push_str(&part);
            match literal {
                Some(n) => {
                    let mut data = vec![0; n];
                    self.connection.reader.read_exact(&mut data).unwrap();
                    line.push_str(&String::from_utf8_lossy(&data));
                }
                None => return line,
            }
        }
    }

    /// Sends `command` (a tag, a space, the rest), hierarchy written with "/" (a MODSEQ
    /// entry name such as "/flags/\\seen" is no mailbox name, and stays), and returns every
    /// line up to its tagged completion, normalised.
    fn say(&mut self, command: &str) -> Vec<String> {
        let d = self.delimiter;
        let command = command
            .replace('/', &d.to_string())
            .replace(&format!("\"{d}flags{d}"), "\"/flags/");
        let tag = command.split(' ').next().unwrap().to_string();
        let mut bytes = octets(&command);
        bytes.extend(b"\r\n");
        self.connection.writer.write_all(&bytes).unwrap();
        let mut lines = Vec::new();
        loop {
            let raw = self.line();
            let line = self.normalise(raw);
            let done = line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// Dovecot's timing suffix goes, and its LIST and LSUB answers speak "/".
    fn normalise(&self, mut line: String) -> String {
        if let Some(at) = line.find(" (0.") {
            if line.ends_with(" secs).") || line.ends_with(" secs)") {
                line.truncate(at);
            }
        }
        let delimiter = format!("\"{}\" ", self.delimiter);
        if (line.starts_with("* LIST ") || line.starts_with("* LSUB ")) && self.delimiter != '/' {
            if let Some((head, name)) = line.split_once(&delimiter) {
                return format!("{head}\"/\" {}", name.replace(self.delimiter, "/"));
            }
        }
        line
    }
}

/// The octets of a script line, where `\xNN` stands for the octet NN (a name that is not
/// UTF-8 cannot be written in a Rust string).
fn octets(line: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = line.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        let hex = tail
            .strip_prefix(b"x")
            .and_then(|t| t.get(..2))
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (b, hex) {
            (b'\\', Some(octet)) => {
                out.push(octet);
                rest = &tail[3..];
            }
            _ => {
                out.push(b);
                rest = tail;
            }
        }
    }
    out
}

/// One command and what each server answered.
struct Step {
    command: String,
    dovecot: Vec<String>,
    ours: Vec<String>,
}

/// Runs `script` against a fresh Dovecot and a fresh postroom-serve, logged in as alice on
/// each, and prints the answers side by side.
fn beside_dovecot(script: &[&str]) -> Vec<Step> {
    let (dovecot, _, imap) = peer::dovecot();
    let serve = Serve::start(&[]);
    let mut theirs = Session::open(imap);
    let mut ours = Session::open(serve.port(143));
    let steps: Vec<Step> = script
        .iter()
        .map(|command| Step {
            command: command.to_string(),
            dovecot: theirs.say(command),
            ours: ours.say(command),
        })
        .collect();
    drop(dovecot);
    let mut table = String::new();
    for step in &steps {
        let first = step.command.lines().next().unwrap_or_default();
        table.push_str(&format!("C: {first}\n"));
        for i in 0..step.dovecot.len().max(step.ours.len()) {
            let left = step.dovecot.get(i).map_or("", String::as_str);
            let right = step.ours.get(i).map_or("", String::as_str);
            table.push_str(&format!("  Dovecot: {left:<60} | postroom: {right}\n"));
        }
    }
    println!("{table}");
    steps
}

/// The step whose command starts with `tag `.
fn step<'a>(steps: &'a [Step], tag: &str) -> &'a Step {
    steps
        .iter()
        .find(|s| s.command.starts_with(&format!("{tag} ")))
        .unwrap()
}

/// The LIST or LSUB entries of some answer lines: (name, attributes).
fn entries(lines: &[String]) -> Vec<(String, BTreeSet<String>)> {
    lines
        .iter()
        .filter(|l| l.starts_with("* LIST ") || l.starts_with("* LSUB "))
        .map(|l| {
            let open = l.find('(').unwrap();
            let close = l.find(')').unwrap();
            let attrs = l[open + 1..close]
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let name = l[close + 1..].trim_start().trim_start_matches("\"/\" ");
            (name.trim_matches('"').to_string(), attrs)
        })
        .collect()
}

/// A server's answer in a step.
type Answer = fn(&Step) -> &Vec<String>;

/// Each server's answers, by name.
const SIDES: [(&str, Answer); 2] = [("Dovecot", |s| &s.dovecot), ("ours", |s| &s.ours)];

fn attrs(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|a| a.to_string()).collect()
}

/// RFC 3501 §6.3.6: CREATE does not subscribe, and a deleted mailbox stays subscribed -- the
/// server "MUST NOT unilaterally remove an existing mailbox name from the subscription list
/// even if a mailbox by that name no longer exists" -- so LIST (SUBSCRIBED) reports it as
/// `\NonExistent \Subscribed` (RFC 9051 §6.3.9.1). Dovecot and we agree; the one difference
/// is INBOX, which our accounts start subscribed to and Dovecot's do not (no RFC says).
#[test]
fn subscriptions_outlive_their_mailbox_as_on_dovecot() {
    let steps = beside_dovecot(&[
        "s1 CREATE Work",
        "s2 LSUB \"\" *",
        "s3 SUBSCRIBE Work",
        "s4 DELETE Work",
        "s5 LSUB \"\" *",
        "s6 LIST (SUBSCRIBED) \"\" *",
    ]);
    for (server, answer) in SIDES {
        let names = |tag: &str| -> Vec<String> {
            entries(answer(step(&steps, tag)))
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        };
        assert!(!names("s2").contains(&"Work".into()), "{server}");
        assert!(names("s5").contains(&"Work".into()), "{server}");
        let listed = entries(answer(step(&steps, "s6")));
        assert!(
            listed.contains(&("Work".into(), attrs(&["\\NonExistent", "\\Subscribed"]))),
            "{server}: {listed:?}"
        );
    }
}

/// Hierarchy. Both servers drop a trailing delimiter from CREATE (RFC 3501 §6.3.3: "Server
/// implementations that do not require this declaration MUST ignore the declaration"), both
/// list the parents of "a/b/c" with "%" and mark them \HasChildren, and both answer LSUB "%"
/// with the unsubscribed parent of a subscribed mailbox, \Noselect (RFC 3501 §6.3.9). They
/// differ on what the parents are: our CREATE makes them mailboxes, as RFC 3501 §6.3.3 asks
/// ("SHOULD create foo/ and foo/bar/ if they do not already exist"), so "a" is selectable;
/// Dovecot's Maildir++ layout keeps them as names only, \Noselect.
#[test]
fn create_makes_the_hierarchy_that_list_and_lsub_show_as_on_dovecot() {
    let steps = beside_dovecot(&[
        "h1 CREATE Work/",
        "h2 SELECT Work",
        "h3 CREATE a/b/c",
        "h4 LIST \"\" %",
        "h5 LIST \"\" a/%",
        "h6 SUBSCRIBE a/b/c",
        "h7 LSUB \"\" %",
        "h8 SELECT a",
    ]);
    for (server, answer) in SIDES {
        let done = |tag: &str| answer(step(&steps, tag)).last().unwrap().clone();
        for tag in ["h1", "h2", "h3"] {
            assert!(
                done(tag).starts_with(&format!("{tag} OK")),
                "{server} {tag}"
            );
        }
        let find = |tag: &str, name: &str| {
            entries(answer(step(&steps, tag)))
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| a)
        };
        assert!(find("h4", "Work").is_some(), "{server}");
        for (tag, parent) in [("h4", "a"), ("h5", "a/b")] {
            let parent = find(tag, parent).unwrap_or_else(|| panic!("{server} {tag}"));
            assert!(parent.contains("\\HasChildren"), "{server} {tag}");
        }
        assert_eq!(find("h7", "a"), Some(attrs(&["\\Noselect"])), "{server}");
    }
    assert_eq!(
        entries(&step(&steps, "h4").ours)[2],
        ("a".into(), attrs(&["\\HasChildren"]))
    );
    assert!(step(&steps, "h8").ours.last().unwrap().starts_with("h8 OK"));
}

/// An APPEND of a small message to INBOX, as one line with a non-synchronising literal.
fn append(tag: &str, header: &str) -> String {
    let message = format!("{header}\r\nSubject: {tag}\r\n\r\nHello.\r\n");
    format!("{tag} APPEND INBOX {{{}+}}\r\n{message}", message.len())
}

/// RFC 7162 §3.1: FETCH MODSEQ and STATUS (HIGHESTMODSEQ) are "CONDSTORE enabling commands".
/// Before one, a STORE's FETCH response has no MODSEQ; the enabling command is answered
/// with the mailbox's HIGHESTMODSEQ first; after it, "the server MUST automatically include
/// both UID and mod-sequence data in all subsequent untagged FETCH responses". Dovecot
/// agrees; it leaves UID out of a STORE's response, as RFC 7162's own examples do, and so
/// do we.
#[test]
fn condstore_is_enabled_by_fetch_modseq_and_status_as_on_dovecot() {
    for enabling in [
        "c4 FETCH 1 (FLAGS MODSEQ)",
        "c4 STATUS INBOX (HIGHESTMODSEQ)",
    ] {
        let steps = beside_dovecot(&[
            &append("c1", "From: a@example.org"),
            &append("c1", "From: b@example.org"),
            "c2 SELECT INBOX",
            "c3 STORE 1 +FLAGS (\\Seen)",
            enabling,
            "c5 STORE 2 +FLAGS (\\Flagged)",
        ]);
        for (server, answer) in SIDES {
            let lines = |tag: &str| answer(step(&steps, tag)).join("\n");
            assert!(!lines("c3").contains("MODSEQ"), "{server}: {}", lines("c3"));
            assert!(
                lines("c4").starts_with("* OK [HIGHESTMODSEQ "),
                "{server}: {}",
                lines("c4")
            );
            assert!(
                lines("c5").contains("MODSEQ ("),
                "{server}: {}",
                lines("c5")
            );
        }
    }
}

/// RFC 7162 §3.1.5: "If client specifies a MODSEQ criterion in a SEARCH command and the
/// server returns a non-empty SEARCH result, the server MUST also append (to the end of the
/// untagged SEARCH response) the highest mod-sequence for all messages being returned";
/// ESEARCH ends with `MODSEQ n`; the entry-name form parses; a MODSEQ key inside OR counts
/// too. Dovecot and we agree.
#[test]
fn search_modseq_reports_the_highest_modseq_as_on_dovecot() {
    let steps = beside_dovecot(&[
        &append("m1", "From: a@example.org"),
        &append("m1", "From: b@example.org"),
        "m2 SELECT INBOX",
        "m3 STORE 1 +FLAGS.SILENT (\\Seen)",
        "m4 SEARCH MODSEQ 1",
        "m5 SEARCH MODSEQ \"/flags/\\\\seen\" all 1",
        "m6 SEARCH RETURN (ALL) MODSEQ 1",
        "m7 SEARCH MODSEQ 99999",
        "m8 SEARCH OR MODSEQ 1 DELETED",
    ]);
    for (server, answer) in SIDES {
        let first = |tag: &str| {
            answer(step(&steps, tag))
                .iter()
                .find(|l| l.starts_with("* SEARCH") || l.starts_with("* ESEARCH"))
                .cloned()
                .unwrap_or_default()
        };
        for tag in ["m4", "m5"] {
            let line = first(tag);
            assert!(
                line.starts_with("* SEARCH 1 2 (MODSEQ ") && line.ends_with(')'),
                "{server} {tag}: {line}"
            );
        }
        let line = first("m6");
        assert!(line.contains(" ALL 1:2 MODSEQ "), "{server}: {line}");
        assert_eq!(first("m7"), "* SEARCH", "{server}");
        assert!(first("m8").starts_with("* SEARCH 1 2 (MODSEQ "), "{server}");
    }
}

/// RFC 3501 §7.2.6: FLAGS names "the flags ... that are applicable for this mailbox", and
/// "The update from the FLAGS response MUST be recorded by the client". Both servers answer
/// a STORE of a keyword new to the mailbox with a new FLAGS (and PERMANENTFLAGS) response
/// before the FETCH, only once, and list the keyword when the mailbox is selected again.
#[test]
fn a_new_keyword_is_announced_in_flags_as_on_dovecot() {
    let steps = beside_dovecot(&[
        &append("k1", "From: a@example.org"),
        &append("k1", "From: b@example.org"),
        "k2 SELECT INBOX",
        "k3 STORE 1 +FLAGS ($Label1)",
        "k4 STORE 2 +FLAGS ($Label1)",
        "k5 SELECT INBOX",
    ]);
    let flags = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)";
    for (server, answer) in SIDES {
        let lines = |tag: &str| answer(step(&steps, tag)).clone();
        assert!(
            !lines("k2").iter().any(|l| l.contains("$Label1")),
            "{server}"
        );
        let k3 = lines("k3");
        assert_eq!(k3[0], flags, "{server}");
        assert!(k3[1].starts_with("* OK [PERMANENTFLAGS ("), "{server}");
        assert!(k3[2].starts_with("* 1 FETCH "), "{server}");
        assert!(
            !lines("k4").iter().any(|l| l.starts_with("* FLAGS")),
            "{server}"
        );
        assert!(lines("k5").contains(&flags.to_string()), "{server}");
    }
}

/// RFC 3501 §6.4.4: HEADER with an empty string "matches all messages that have a header
/// line with the specified field-name regardless of the contents", and FROM looks in "the
/// envelope structure's FROM field", where `<user (comment)@ (comment) domain>` is
/// user@domain. Dovecot and we agree.
#[test]
fn search_header_and_from_as_on_dovecot() {
    let steps = beside_dovecot(&[
        &append("x1", "From: Alice <alice@example.org>"),
        &append("x1", "From: <user (comment)@ (comment) domain>\r\nX-Empty:"),
        "x2 SELECT INBOX",
        "x3 SEARCH HEADER X-Empty \"\"",
        "x4 SEARCH HEADER Subject \"\"",
        "x5 SEARCH HEADER X-Nothing \"\"",
        "x6 SEARCH FROM user@domain",
        "x7 SEARCH FROM comment",
        "x8 SEARCH FROM alice@example.org",
    ]);
    for (server, answer) in SIDES {
        for (tag, found) in [
            ("x3", "* SEARCH 2"),
            ("x4", "* SEARCH 1 2"),
            ("x5", "* SEARCH"),
            ("x6", "* SEARCH 2"),
            ("x7", "* SEARCH"),
            ("x8", "* SEARCH 1"),
        ] {
            assert_eq!(answer(step(&steps, tag))[0], found, "{server} {tag}");
        }
    }
}

/// RFC 9051 §5.1: "Server implementations MUST prohibit the creation of 8-bit mailbox names
/// that do not comply with Net-Unicode." Both servers refuse a name that is not UTF-8 and
/// list nothing for it. Dovecot answers NO; we answer BAD, as RFC 9051's grammar has only
/// UTF-8 in a quoted string (QUOTED-CHAR), so such a command is malformed.
#[test]
fn a_mailbox_name_that_is_not_utf8_is_refused_as_on_dovecot() {
    let steps = beside_dovecot(&["u1 CREATE \"caf\\xe9\"", "u2 LIST \"\" *"]);
    for (server, answer) in SIDES {
        let done = answer(step(&steps, "u1")).last().unwrap().clone();
        assert!(
            done.starts_with("u1 NO ") || done.starts_with("u1 BAD "),
            "{server}: {done}"
        );
        let names: Vec<String> = entries(answer(step(&steps, "u2")))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["INBOX"], "{server}");
    }
}

/// RFC 2971: ID is named in CAPABILITY and answered in any state -- mail programs such as
/// Thunderbird send it before they log in. Dovecot and we agree.
#[test]
fn id_is_answered_before_login_as_on_dovecot() {
    let (dovecot, _, imap) = peer::dovecot();
    let serve = Serve::start(&[]);
    for (server, port) in [("Dovecot", imap), ("ours", serve.port(143))] {
        let (mut session, greeting) = Session::connect(port);
        assert!(greeting.contains(" ID "), "{server}: {greeting}");
        let answer = session.say("i1 ID (\"name\" \"Thunderbird\" \"version\" \"115.0\")");
        println!("{server}: {answer:?}");
        assert!(
            answer[0].starts_with("* ID (\"name\" "),
            "{server}: {answer:?}"
        );
        assert!(answer[1].starts_with("i1 OK "), "{server}: {answer:?}");
    }
    drop(dovecot);
}

/// The number after a response code's name in a line: `[APPENDUID 17 1:2]` → "17 1:2".
fn code_value(line: &str, name: &str) -> Option<String> {
    let start = line.find(&format!("[{name} "))? + name.len() + 2;
    let end = line[start..].find(']')? + start;
    Some(line[start..end].to_string())
}

/// MULTIAPPEND (RFC 3502) and UIDPLUS (RFC 4315). Both servers store two messages sent in
/// one APPEND and name both UIDs in APPENDUID ("as many UIDs as there were messages
/// appended"); both refuse a zero-length literal with NO and store nothing ("no partial
/// appending is permitted"); COPY answers COPYUID; UID EXPUNGE removes only the \Deleted
/// messages it names; APPEND to a missing mailbox answers NO [TRYCREATE].
#[test]
fn multiappend_and_uidplus_as_on_dovecot() {
    let one = "From: a@example.org\r\nSubject: one\r\n\r\nHello.\r\n";
    let two = "From: b@example.org\r\nSubject: two\r\n\r\nHi.\r\n";
    let multi = format!(
        "u2 APPEND INBOX (\\Seen) {{{}+}}\r\n{one} ($Label1) {{{}+}}\r\n{two}",
        one.len(),
        two.len()
    );
    let cancelled = format!("u3 APPEND INBOX {{{}+}}\r\n{one} {{0+}}\r\n", one.len());
    let steps = beside_dovecot(&[
        "u1 CAPABILITY",
        &multi,
        &cancelled,
        "u4 STATUS INBOX (MESSAGES)",
        "u5 CREATE Copies",
        "u6 SELECT INBOX",
        "u7 UID COPY 1:2 Copies",
        "u8 STORE 1:2 +FLAGS.SILENT (\\Deleted)",
        "u9 UID EXPUNGE 2",
        "u10 APPEND Nowhere {3+}\r\nabc",
    ]);
    for (server, answer) in SIDES {
        let lines = |tag: &str| answer(step(&steps, tag)).clone();
        let done = |tag: &str| lines(tag).last().unwrap().clone();
        let caps = lines("u1")[0].clone();
        for cap in [" MULTIAPPEND", " UIDPLUS"] {
            assert!(caps.contains(cap), "{server}: {caps}");
        }
        let appended = code_value(&done("u2"), "APPENDUID").unwrap_or_default();
        assert!(appended.ends_with(" 1:2"), "{server}: {:?}", lines("u2"));
        assert!(
            done("u3").starts_with("u3 NO "),
            "{server}: {:?}",
            lines("u3")
        );
        assert_eq!(lines("u4")[0], "* STATUS INBOX (MESSAGES 2)", "{server}");
        let copied = code_value(&done("u7"), "COPYUID").unwrap_or_default();
        assert!(copied.ends_with(" 1:2 1:2"), "{server}: {:?}", lines("u7"));
        // Dovecot adds a RECENT count; neither expunges message 1.
        let expunged: Vec<String> = lines("u9")
            .into_iter()
            .filter(|l| l.ends_with(" EXPUNGE"))
            .collect();
        assert_eq!(expunged, ["* 2 EXPUNGE"], "{server}");
        assert!(done("u9").starts_with("u9 OK"), "{server}");
        assert!(
            done("u10").starts_with("u10 NO [TRYCREATE]"),
            "{server}: {}",
            done("u10")
        );
    }
}

/// RFC 7162. §7: HIGHESTMODSEQ is a mod-sequence-value, "(1 <= n ...)": a new, empty mailbox
/// reports at least 1 in STATUS and SELECT on both servers (we reported 0). §3.1.2.1: "Once a
/// CONDSTORE enabling command is issued, a server supporting the persistent storage of
/// mod-sequences for the mailbox MUST send an OK untagged response, including the
/// HIGHESTMODSEQ response code with every successful SELECT or EXAMINE command": both do.
/// Before the first enabling command the RFC lets a server keep quiet ("some existing
/// CONDSTORE servers don't start tracking mod-sequences or don't report them until after a
/// CONDSTORE enabling command is issued"), and both servers do.
#[test]
fn highestmodseq_is_at_least_one_and_comes_with_every_select_once_enabled_as_on_dovecot() {
    let steps = beside_dovecot(&[
        "h1 CREATE Empty",
        "h2 SELECT Empty",
        "h3 STATUS Empty (HIGHESTMODSEQ)",
        "h4 SELECT Empty",
        "h5 EXAMINE INBOX",
        "h6 SELECT Empty (CONDSTORE)",
    ]);
    for (server, answer) in SIDES {
        let value = |tag: &str| -> Option<u64> {
            answer(step(&steps, tag))
                .iter()
                .find_map(|l| code_value(l, "HIGHESTMODSEQ"))
                .and_then(|v| v.parse().ok())
        };
        let status = answer(step(&steps, "h3"))
            .iter()
            .find(|l| l.starts_with("* STATUS "))
            .cloned()
            .unwrap_or_default();
        let reported: u64 = status
            .trim_end_matches(')')
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(reported >= 1, "{server}: {status}");
        for tag in ["h4", "h5", "h6"] {
            assert!(value(tag).is_some_and(|v| v >= 1), "{server} {tag}");
        }
    }
    for (server, answer) in SIDES {
        let before = answer(step(&steps, "h2"));
        assert!(
            !before.iter().any(|l| l.contains("HIGHESTMODSEQ")),
            "{server}: {before:?}"
        );
    }
}

/// `SEARCH RETURN (SAVE)` with a MODSEQ key: here the servers differ, and ours follows the
/// RFCs. RFC 9051 §6.4.4 (as RFC 5182 §1): "In absence of any other SEARCH result option,
/// the SAVE result option also suppresses any ESEARCH response that would have been
/// otherwise returned by the SEARCH command"; RFC 4731 §3.2 asks for the MODSEQ result
/// option only when "the client requests one or more result option described in section
/// 3.1" (MIN, MAX, ALL, COUNT), and RFC 7162 §3.1.10 refers to it. Dovecot 2.3 still sends
/// `* ESEARCH (TAG "s3") MODSEQ n`. With MIN beside SAVE both send MIN and MODSEQ, the MIN
/// message's own mod-sequence as FETCH MODSEQ gives it, as RFC 4731 §3.2 says ("If the
/// SEARCH/UID SEARCH command contained a single MIN or MAX result option, the MODSEQ result
/// option contains the mod-sequence for the found message").
#[test]
fn search_return_save_with_a_modseq_key_beside_dovecot() {
    let steps = beside_dovecot(&[
        &append("s1", "From: a@example.org"),
        &append("s1", "From: b@example.org"),
        "s2 SELECT INBOX",
        "s3 SEARCH RETURN (SAVE) MODSEQ 1",
        "s4 FETCH $ (UID)",
        "s5 SEARCH RETURN (SAVE MIN) MODSEQ 1",
        "s6 FETCH 1 (MODSEQ)",
    ]);
    let esearch = |lines: &[String]| lines.iter().find(|l| l.starts_with("* ESEARCH")).cloned();
    let s3 = step(&steps, "s3");
    assert!(esearch(&s3.dovecot).is_some_and(|l| l.contains(" MODSEQ ")));
    assert_eq!(esearch(&s3.ours), None);
    for (server, answer) in SIDES {
        let fetched = answer(step(&steps, "s4"))
            .iter()
            .filter(|l| l.contains(" FETCH (UID "))
            .count();
        assert_eq!(fetched, 2, "{server}");
        let line = esearch(answer(step(&steps, "s5"))).unwrap_or_default();
        assert!(
            line.starts_with("* ESEARCH (TAG \"s5\") MIN 1 MODSEQ "),
            "{server}: {line}"
        );
    }
    for (server, answer) in SIDES {
        let min_modseq = esearch(answer(step(&steps, "s5")))
            .and_then(|l| l.rsplit(' ').next().map(str::to_string))
            .unwrap_or_default();
        let fetched = answer(step(&steps, "s6")).first().cloned();
        let expected = format!("* 1 FETCH (MODSEQ ({min_modseq}))");
        assert_eq!(fetched.as_deref(), Some(expected.as_str()), "{server}");
    }
}
