//! Snapshots of whole runs: the same scenario (and script) gives the same timeline on every
//! machine, line for line. A change to any engine shows up here as a reviewable diff
//! (`cargo insta review`), not as a silent change in what the class sees.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use postroom_sim::compare::{compare, presets};
use postroom_sim::{run, Action, Device, Fault, Scenario, Timeline};

/// One line per step: virtual time, route, protocol, the first line on the wire, and the
/// RFC section explaining it; a mailbox line whenever a mailbox changed.
fn render(t: &Timeline) -> String {
    let mut out = String::new();
    let mut last_mailboxes = String::new();
    for s in &t.steps {
        let host = |id| t.host(id).map_or("?", |h| h.name.as_str());
        let _ = writeln!(
            out,
            "{:>10.3}s {} → {} {} {} {} [RFC {} §{}]",
            s.arrived_at.as_micros() as f64 / 1e6,
            host(s.from),
            host(s.to),
            s.protocol.name(),
            s.direction.prefix(),
            s.label(),
            s.explanation.rfc.rfc,
            s.explanation.rfc.section
        );
        let mailboxes: Vec<String> = s
            .mailboxes
            .iter()
            .map(|m| {
                let entries: Vec<String> = m
                    .entries
                    .iter()
                    .map(|e| format!("{} {:?} {}", e.id, e.subject, e.flags.join(" ")))
                    .collect();
                format!("{}: [{}]", m.title, entries.join(", "))
            })
            .collect();
        let mailboxes = mailboxes.join(" | ");
        if mailboxes != last_mailboxes {
            let _ = writeln!(out, "            = {mailboxes}");
            last_mailboxes = mailboxes;
        }
    }
    for line in &t.outcome {
        let _ = writeln!(out, "outcome: {line}");
    }
    out
}

#[test]
fn the_classroom_story() {
    insta::assert_snapshot!(render(&run(&Scenario::default()).unwrap()));
}

#[test]
fn greylisting_and_a_phone_dropping_before_quit() {
    let mut s = Scenario::default();
    s.faults.push(Fault::Greylisting);
    s.faults.push(Fault::PhoneDropsBeforeQuit);
    s.actions = vec![
        Action::Check(Device::Phone),
        Action::Check(Device::Laptop),
        Action::Read(Device::Laptop),
    ];
    insta::assert_snapshot!(render(&run(&s).unwrap()));
}

#[test]
fn a_second_email_a_switch_to_imap_and_a_connection_dropped_at_a_chosen_step() {
    let mut s = Scenario {
        actions: vec![Action::Check(Device::Phone)],
        ..Scenario::default()
    };
    s.send_later("Dessert too?", "And cake.").unwrap();
    s.actions.push(Action::Switch(Device::Phone));
    s.actions.push(Action::Check(Device::Phone));
    s.actions.push(Action::Check(Device::Laptop));
    // The relay of the second email loses its connection right after the MX's 354.
    let before = run(&s).unwrap();
    let at = before
        .steps
        .iter()
        .enumerate()
        .filter(|(_, st)| st.phase.label == "SMTP relay" && st.label().starts_with("354"))
        .map(|(i, _)| i)
        .nth(1)
        .unwrap();
    s.faults.push(Fault::DropAfter(u32::try_from(at).unwrap()));
    s.laptop.server = "example.net".into();
    insta::assert_snapshot!(render(&run(&s).unwrap()));
}

#[test]
fn every_comparison_lesson() {
    let mut out = String::new();
    for preset in presets() {
        let c = compare(&preset.script);
        let _ = writeln!(out, "== {} ({})", preset.title, preset.script.encode());
        for (p, i) in c.pop3.iter().zip(&c.imap) {
            let _ = writeln!(out, "-- {}", p.act.label());
            for (name, f) in [("POP3", p), ("IMAP", i)] {
                let _ = writeln!(
                    out,
                    "  {name}: {}",
                    f.changes
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                for l in &f.lines {
                    let _ = writeln!(
                        out,
                        "    {:?} {} {}",
                        l.device,
                        l.direction.prefix(),
                        l.text
                    );
                }
                let t = f.tally;
                let _ = writeln!(
                    out,
                    "    server {} phone {} laptop {} agrees {:?} commands {} octets {}",
                    t.on_server, t.on_phone, t.on_laptop, t.read_agrees, t.commands, t.octets
                );
            }
        }
    }
    insta::assert_snapshot!(out);
}
