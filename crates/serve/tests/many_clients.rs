//! Many clients at once, every answer checked (see `stress`): twenty IMAP clients with
//! keywords and folders, SMTP deliveries and POP3 readers against one `postroom-serve`, for a
//! fixed number of operations, with no protocol error. The longer run with its figures is
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

#[test]
fn twenty_imap_clients_with_keywords_and_folders_make_no_protocol_error() {
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
        imap_clients: 20,
        operations_per_client: 200,
        smtp_messages: 40,
        pop3_sessions: 20,
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
        "operations {} (IMAP commands {}, SMTP deliveries {}, POP3 sessions {}), IMAP responses \
         {}, protocol errors {}, POP3 logins in use {}, {:?}, peak RSS {rss:?} KiB",
        report.operations,
        report.imap_commands,
        report.smtp_deliveries,
        report.pop3_sessions,
        report.responses,
        report.errors.len(),
        report.pop3_in_use,
        report.duration
    );
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
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
