//! The many-clients run at length, with its figures: starts `postroom-serve` (built beside
//! this example), puts IMAP, SMTP and POP3 clients on it (see `tests/stress`), and prints the
//! operations done, the protocol errors found, the server's peak resident memory and the
//! time taken. `scripts/stress` builds both and runs it.
//!
//!     many_clients [--clients N] [--operations N] [--smtp N] [--pop3 N] [--seed N]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/support/rss.rs"]
mod rss;
#[path = "../tests/stress/mod.rs"]
mod stress;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};

use stress::{Plan, Ports};

fn main() {
    let mut plan = Plan {
        users: ["alice", "bob", "carol", "dave"].map(String::from).to_vec(),
        imap_clients: 20,
        operations_per_client: 2000,
        smtp_messages: 1000,
        pop3_sessions: 300,
        seed: 15,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse().ok());
        let Some(value) = value else {
            eprintln!("usage: many_clients [--clients N] [--operations N] [--smtp N] [--pop3 N] [--seed N]");
            std::process::exit(2);
        };
        match pair[0].as_str() {
            "--clients" => plan.imap_clients = value as usize,
            "--operations" => plan.operations_per_client = value as usize,
            "--smtp" => plan.smtp_messages = value as usize,
            "--pop3" => plan.pop3_sessions = value as usize,
            "--seed" => plan.seed = value,
            other => {
                eprintln!("unknown option {other}");
                std::process::exit(2);
            }
        }
    }
    let server = std::env::current_exe()
        .expect("own path")
        .parent()
        .and_then(|examples| examples.parent())
        .map(|dir| dir.join("postroom-serve"))
        .expect("postroom-serve beside the examples folder");
    let offset = (30000u16..60000)
        .step_by(1000)
        .find(|o| {
            [25u16, 110, 143, 465, 587]
                .iter()
                .all(|p| TcpListener::bind(("127.0.0.1", o + p)).is_ok())
        })
        .expect("a free block of ports");
    let mut command = Command::new(&server);
    command.args([
        "--quiet",
        "--max-connections",
        "400",
        "--max-per-address",
        "400",
    ]);
    command.args(["--port-offset", &offset.to_string()]);
    for user in &plan.users {
        command.args(["--user", &format!("{user}:secret")]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", server.display()));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.is_ok_and(|l| l == "ready")),
        "the server never said ready"
    );
    std::thread::spawn(move || lines.for_each(drop));
    let ports = Ports {
        smtp: offset + 25,
        pop3: offset + 110,
        imap: offset + 143,
    };
    let report = stress::run(ports, &plan);
    let rss = rss::peak_rss_kib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    for error in report.errors.iter().take(20) {
        println!("error: {error}");
    }
    println!("IMAP clients          {}", plan.imap_clients);
    println!("operations            {}", report.operations);
    println!("  IMAP sessions       {}", report.imap_sessions);
    println!("  IMAP commands       {}", report.imap_commands);
    println!("  SMTP deliveries     {}", report.smtp_deliveries);
    println!("  POP3 sessions       {}", report.pop3_sessions);
    println!("IMAP responses read   {}", report.responses);
    println!("protocol errors       {}", report.errors.len());
    println!("responses by rule     {:?}", report.checked);
    println!("POP3 logins in use    {}", report.pop3_in_use);
    println!(
        "duration              {:.1} s",
        report.duration.as_secs_f64()
    );
    match rss {
        Some(kib) => println!("server peak RSS       {:.1} MiB", kib as f64 / 1024.0),
        None => println!("server peak RSS       unknown"),
    }
    if !report.errors.is_empty() {
        std::process::exit(1);
    }
}
