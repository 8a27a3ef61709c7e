//! Every fault's story agrees with its explanations: nothing claims a resend, a delivery or
//! a second copy that the timeline does not show, and each fault says where it first shows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_sim::{fault_marks, run, Action, Device, Fault, Scenario, Step, Timeline};

/// The default story, with both devices checking after it.
fn story(faults: &[Fault]) -> Scenario {
    Scenario {
        faults: faults.to_vec(),
        actions: vec![Action::Check(Device::Laptop), Action::Check(Device::Phone)],
        ..Scenario::default()
    }
}

fn text_of(s: &Step) -> String {
    format!(
        "{} {} {}",
        s.label(),
        s.explanation.title,
        s.explanation.why
    )
    .to_lowercase()
}

/// MAIL FROM lines from `from` on (a new attempt at sending).
fn sends_after(t: &Timeline, from: usize) -> usize {
    t.steps
        .iter()
        .skip(from + 1)
        .filter(|s| s.label().starts_with("MAIL FROM:"))
        .count()
}

/// Whole messages (up to their final period) that reached Bob's server: each is stored
/// there, whether or not its 250 makes it back.
fn accepted_by_the_mx(t: &Timeline) -> usize {
    t.steps
        .iter()
        .filter(|s| s.phase.label == "SMTP relay" && s.bytes.ends_with(b"\r\n.\r\n"))
        .count()
}

/// The checks every story must pass, whatever its faults.
fn consistent(t: &Timeline, what: &str) {
    for (i, s) in t.steps.iter().enumerate() {
        let text = text_of(s);
        let claims_resend = text.contains("tries again")
            || text.contains("sends the message again")
            || text.contains("send it again");
        if claims_resend && !text.contains("4xx") {
            assert!(
                sends_after(t, i) > 0 || t.outcome.iter().any(|o| o.contains("still queued")),
                "{what}: step {} claims a resend that never comes: {:?}",
                i + 1,
                s.explanation
            );
        }
        if text.contains("gets the message twice") || text.contains("gets it twice") {
            assert!(
                accepted_by_the_mx(t) >= 2,
                "{what}: step {} claims a second copy that never arrives",
                i + 1
            );
        }
        // A part of the message is never explained as the whole of it.
        let bytes = &s.bytes;
        if s.explanation.title.starts_with("The message itself") {
            assert!(
                bytes.ends_with(b"\r\n.\r\n") || bytes.as_slice() == b".\r\n",
                "{what}: step {} calls a fragment the message",
                i + 1
            );
        }
    }
    for line in &t.outcome {
        if line.contains("reached bob's mailbox") {
            assert!(accepted_by_the_mx(t) >= 1, "{what}: {line}");
        }
    }
}

#[test]
fn every_fault_tells_a_story_its_explanations_agree_with() {
    let simple = [
        Fault::WrongPassword,
        Fault::UnknownRecipient,
        Fault::MailboxFull,
        Fault::Greylisting,
        Fault::NoMxRecord,
        Fault::PhoneDropsBeforeQuit,
        Fault::TlsNotOffered,
        Fault::ServerDown,
        Fault::DropMidData,
    ];
    for fault in simple {
        let t = run(&story(&[fault])).unwrap();
        consistent(&t, &format!("{fault:?}"));
    }
    // A drop and a lost packet at every step of the default story.
    let base = run(&story(&[])).unwrap();
    for i in 0..base.len() {
        let step = u32::try_from(i).unwrap();
        for fault in [Fault::DropAfter(step), Fault::LossAt(step)] {
            let s = story(&[fault]);
            if let Ok(t) = run(&s) {
                consistent(&t, &format!("{fault:?}"));
            }
        }
    }
}

#[test]
fn a_drop_just_before_the_250_delivers_twice_as_the_note_says() {
    let base = run(&story(&[])).unwrap();
    let end = base
        .steps
        .iter()
        .position(|s| s.phase.label == "SMTP submission" && s.label().starts_with("From:"))
        .expect("the submitted message");
    let t = run(&story(&[Fault::DropAfter(u32::try_from(end).unwrap())])).unwrap();
    let note = t
        .steps
        .iter()
        .find(|s| s.label() == "-- the connection drops here --")
        .unwrap();
    assert!(
        note.explanation.why.contains("twice"),
        "{:?}",
        note.explanation
    );
    assert!(t.steps.iter().any(|s| s
        .label()
        .contains("Alice's mail program sends the message again")));
    assert_eq!(accepted_by_the_mx(&t), 2, "Bob gets it twice");
}

#[test]
fn each_fault_says_where_it_first_shows() {
    let s = story(&[Fault::Greylisting, Fault::WrongPassword]);
    let t = run(&s).unwrap();
    let marks = fault_marks(&s, &t);
    assert_eq!(marks.len(), 2);
    for (fault, at) in marks {
        match fault {
            // The wrong password first shows where it is sent, in AUTH; 535 answers it.
            Fault::WrongPassword => {
                let at = at.unwrap();
                let label = t.steps[at].label();
                assert!(label.starts_with("AUTH PLAIN"), "{label}");
                assert!(t.steps[at + 1].label().starts_with("535"));
            }
            // Greylisting never strikes: the wrong password stops the message first.
            Fault::Greylisting => assert_eq!(at, None),
            _ => unreachable!(),
        }
    }
    let s = story(&[Fault::Greylisting]);
    let t = run(&s).unwrap();
    let (_, at) = fault_marks(&s, &t)[0];
    assert!(t.steps[at.unwrap()].label().contains("Greylisted"));
}

#[test]
fn a_client_that_will_not_send_its_password_in_clear_says_so() {
    let t = run(&story(&[Fault::TlsNotOffered])).unwrap();
    let quit = t.steps.iter().find(|s| s.label() == "QUIT").unwrap();
    assert!(
        quit.explanation.why.contains("password in clear"),
        "{:?}",
        quit.explanation
    );
}

#[test]
fn state_panels_show_what_has_happened_not_what_comes_next() {
    let t = run(&Scenario::default()).unwrap();
    // The greeting has arrived; EHLO is the next step, not yet answered.
    assert_eq!(t.steps[0].client_state, "about to send EHLO");
    assert_eq!(t.steps[1].client_state, "waiting for the EHLO reply");
    for s in &t.steps {
        if s.label().ends_with(" NOOP") {
            assert_eq!(s.client_state, "waiting for the NOOP response");
        }
    }
}

#[test]
fn the_moment_the_laptop_loses_its_copy_is_explained() {
    let t = run(&Scenario::default()).unwrap();
    let gone = t
        .steps
        .iter()
        .find(|s| s.explanation.title.contains("this device's copy"))
        .expect("the laptop's copy goes, and the step says so");
    assert!(
        gone.explanation.why.contains("POP3"),
        "{:?}",
        gone.explanation
    );
}

#[test]
fn the_lanes_follow_the_people_in_the_addresses() {
    let s = Scenario {
        to: "carol@example.net".into(),
        from: "dave.jones@example.org".into(),
        ..Scenario::default()
    };
    let t = run(&s).unwrap();
    let labels: Vec<&str> = t.hosts.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Dave's laptop",
            "Submission server",
            "DNS resolver",
            "Carol's mail server",
            "Carol's phone",
            "Carol's laptop"
        ]
    );
    let titles: Vec<&str> = t.steps[0]
        .mailboxes
        .iter()
        .map(|v| v.title.as_str())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Carol's phone")),
        "{titles:?}"
    );
    assert!(!titles.iter().any(|t| t.contains("Bob")), "{titles:?}");
}
