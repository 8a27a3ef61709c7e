//! Many clients at once, every answer checked (see `stress`): thirty-two IMAP clients with
//! keywords, flags and folders (half CONDSTORE-aware), SMTP deliveries and POP3 readers
//! against one `postroom-serve` on 127.0.0.1, for a fixed number of operations, with no
//! protocol error; and the rules themselves, shown to catch each fault they look for. The longer run with its figures is
//! `examples/many_clients.rs` (`scripts/stress`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod stress;
mod support;

use stress::{Plan, Ports};
use support::Serve;

/// The rules in `stress::rules`, by the name each counts under.
const RULES: [&str; 14] = [
    "tagged completion",
    "SELECT/EXAMINE",
    "EXISTS",
    "EXPUNGE",
    "FETCH FLAGS",
    "FETCH UID",
    "FETCH MODSEQ",
    "HIGHESTMODSEQ",
    "first CONDSTORE enabling command",
    "SEARCH",
    "ESEARCH",
    "STATUS",
    "APPENDUID",
    "LIST",
];

#[test]
fn many_imap_clients_with_keywords_flags_and_folders_make_no_protocol_error() {
    let users = ["alice", "bob", "carol", "dave"];
    let mut args = vec![
        "--quiet",
        "--max-connections",
        "200",
        "--max-per-address",
        "200",
    ];
    let accounts: Vec<String> = users.iter().map(|u| format!("{u}:secret")).collect();
    for account in &accounts {
        args.extend(["--user", account.as_str()]);
    }
    let serve = Serve::start(&args);
    let plan = Plan {
        users: users.iter().map(|u| u.to_string()).collect(),
        imap_clients: 32,
        operations_per_client: 300,
        smtp_messages: 60,
        pop3_sessions: 30,
        seed: 15,
    };
    let ports = Ports {
        smtp: serve.port(25),
        pop3: serve.port(110),
        imap: serve.port(143),
    };
    let report = stress::run(ports, &plan);
    let rss = support::rss::peak_rss_kib(serve.pid());
    println!(
        "operations {} (IMAP sessions {}, commands {}, SMTP deliveries {}, POP3 sessions {}), \
         IMAP responses {}, protocol errors {}, POP3 logins in use {}, {:?}, peak RSS {rss:?} KiB",
        report.operations,
        report.imap_sessions,
        report.imap_commands,
        report.smtp_deliveries,
        report.pop3_sessions,
        report.responses,
        report.errors.len(),
        report.pop3_in_use,
        report.duration
    );
    println!("responses checked by rule: {:?}", report.checked);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    // Every rule met what it checks, so none passed for want of work.
    for rule in RULES {
        assert!(
            report.checked.get(rule).is_some_and(|&n| n > 0),
            "{rule} never applied"
        );
    }
    // Every client finished its work: at least LOGIN, SELECT, one command per operation and
    // LOGOUT for each IMAP client (some operations take two), every SMTP transaction, and
    // every POP3 session (or its login refused while the other reader held the maildrop).
    let least = (plan.imap_clients * (plan.operations_per_client + 3)) as u64;
    assert!(
        report.imap_commands >= least,
        "{} < {least}",
        report.imap_commands
    );
    assert_eq!(report.smtp_deliveries, plan.smtp_messages as u64);
    assert_eq!(
        report.pop3_sessions + report.pop3_in_use,
        2 * plan.pop3_sessions as u64
    );
}

/// A SELECT of three messages, UIDs 1 to 3, in a CONDSTORE session when `condstore`.
fn selected(condstore: bool) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut lines = vec![
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)",
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Ok",
        "* 3 EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 7] UIDs valid",
        "* OK [UIDNEXT 4] Predicted next UID",
    ];
    if condstore {
        lines.push("* OK [HIGHESTMODSEQ 10] Highest");
    }
    lines.push("{tag} OK [READ-WRITE] SELECT completed");
    let select = if condstore {
        "SELECT INBOX (CONDSTORE)"
    } else {
        "SELECT INBOX"
    };
    vec![
        ("LOGIN alice secret", vec!["{tag} OK LOGIN completed"]),
        (select, lines),
    ]
}

/// The rules catch what they are meant to: each seeded fault, played by a scripted server on
/// 127.0.0.1, is reported, and the same session without it is not.
#[test]
fn the_rules_report_each_seeded_fault() {
    let ok = "{tag} OK done";
    let cases: [(bool, &str, &[&str], &str); 16] = [
        (false, "NOOP", &[ok], ""),
        (
            false,
            "FETCH 1 (FLAGS)",
            &["* 1 FETCH (FLAGS (todo))", ok],
            "before FLAGS named it",
        ),
        (
            false,
            "NOOP",
            &["* 2 EXISTS", ok],
            "EXISTS fell from 3 to 2",
        ),
        (
            false,
            "NOOP",
            &["* 9 EXPUNGE", ok],
            "EXPUNGE 9 of 3 messages",
        ),
        (
            false,
            "FETCH 1 (FLAGS)",
            &["* 1 EXPUNGE", ok],
            "while answering FETCH",
        ),
        (
            false,
            "FETCH 1:2 (UID)",
            &["* 1 FETCH (UID 3)", "* 2 FETCH (UID 2)", ok],
            "out of order",
        ),
        (
            false,
            "FETCH 3 (UID)",
            &["* 3 FETCH (UID 9)", ok],
            "not below UIDNEXT 4",
        ),
        (
            false,
            "NOOP",
            &["t9 OK done", ok],
            "completion of another tag",
        ),
        (
            true,
            "STORE 1 +FLAGS (\\Seen)",
            &["* 1 FETCH (FLAGS (\\Seen))", ok],
            "without MODSEQ",
        ),
        (
            true,
            "FETCH 1 (MODSEQ)",
            &[
                "* 1 FETCH (UID 1 MODSEQ (9))",
                "* 1 FETCH (UID 1 MODSEQ (8))",
                ok,
            ],
            "went from 9 to 8",
        ),
        (
            false,
            "SEARCH MODSEQ 5",
            &["* SEARCH 1 2", "* OK [HIGHESTMODSEQ 10] Hi", ok],
            "without (MODSEQ n)",
        ),
        (
            false,
            "FETCH 1 (MODSEQ)",
            &["* 1 FETCH (UID 1 MODSEQ (9))", ok],
            "without HIGHESTMODSEQ",
        ),
        (
            true,
            "SEARCH RETURN (COUNT) ALL",
            &["* ESEARCH (TAG \"x1\") COUNT 3", ok],
            "tag",
        ),
        (
            true,
            "SEARCH RETURN (SAVE) ALL",
            &["* ESEARCH (TAG \"{tag}\") ALL 1:3", ok],
            "was not asked for",
        ),
        (
            true,
            "SEARCH RETURN (MIN) MODSEQ 2",
            &["* ESEARCH (TAG \"{tag}\") MIN 1", ok],
            "MODSEQ missing",
        ),
        (
            true,
            "STATUS INBOX (UIDVALIDITY HIGHESTMODSEQ)",
            &["* STATUS INBOX (UIDVALIDITY 7 HIGHESTMODSEQ 0)", ok],
            "HIGHESTMODSEQ 0",
        ),
    ];
    for (condstore, command, answer, expected) in cases {
        let mut script = selected(condstore);
        script.push((command, answer.to_vec()));
        let script: Vec<(&str, &[&str])> = script.iter().map(|(c, a)| (*c, a.as_slice())).collect();
        let errors = stress::imap_errors_against_script(&script);
        if expected.is_empty() {
            assert!(errors.is_empty(), "{command}: {errors:?}");
        } else {
            assert!(
                errors.iter().any(|e| e.contains(expected)),
                "{command} {answer:?}: expected {expected:?}, got {errors:?}"
            );
        }
    }
}
