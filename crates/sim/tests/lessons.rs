//! Scenario tests that read like lessons: what the class sees, computed by the engines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_sim::{
    run, Action, Device, Fault, FetchProtocol, Outgoing, Protocol, Scenario, Security, Step,
    Timeline,
};

fn scenario(actions: &[Action]) -> Scenario {
    Scenario {
        actions: actions.to_vec(),
        ..Scenario::default()
    }
}

/// The last state of the mailbox or device whose title starts with `title`.
fn messages(t: &Timeline, title: &str) -> Vec<String> {
    let last = t.steps.last().unwrap();
    last.mailboxes
        .iter()
        .find(|v| v.title.starts_with(title))
        .map(|v| v.entries.iter().map(|e| e.subject.clone()).collect())
        .unwrap_or_default()
}

fn labels(t: &Timeline) -> Vec<String> {
    t.steps.iter().map(Step::label).collect()
}

fn said(t: &Timeline, text: &str) -> bool {
    t.steps.iter().any(|s| s.label().contains(text))
}

use Device::{Laptop, Phone};

#[test]
fn the_default_story_delivers_then_pop3_empties_the_server_under_the_laptop() {
    let t = run(&Scenario::default()).unwrap();
    // Submission with TLS and login, DNS, relay, then the devices.
    for (protocol, expected) in [
        (Protocol::Smtp, "STARTTLS"),
        (Protocol::Smtp, "AUTH PLAIN"),
        (Protocol::Dns, "QUERY example.net. IN MX"),
        (Protocol::Pop3, "RETR 1"),
        (Protocol::Imap, "UID SEARCH ALL"),
    ] {
        assert!(
            t.steps
                .iter()
                .any(|s| s.protocol == protocol && s.label().contains(expected)),
            "{expected}"
        );
    }
    assert!(t.steps.iter().any(|s| s.label().contains("TLS handshake")));
    // AUTH crossed after TLS: a real eavesdropper would see nothing.
    let auth = t
        .steps
        .iter()
        .find(|s| s.label().starts_with("AUTH PLAIN"))
        .unwrap();
    assert!(auth.encrypted);
    assert_eq!(
        t.outcome[..2],
        [
            "Alice's provider accepted the message for delivery.",
            "The message reached bob's mailbox on mx.example.net."
        ]
    );
    // The laptop (IMAP) had it, the phone (POP3) took it away from the server, and the
    // laptop's next sync removed it from the laptop too.
    let laptop_first = t
        .steps
        .iter()
        .position(|s| s.phase.label.starts_with("IMAP"))
        .unwrap();
    let had_it = t.steps[laptop_first..].iter().any(|s| {
        s.mailboxes
            .iter()
            .any(|v| v.title.starts_with("Bob's laptop") && !v.entries.is_empty())
    });
    assert!(had_it);
    assert_eq!(messages(&t, "mx"), Vec::<String>::new());
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
}

#[test]
fn pop3_phone_downloads_and_deletes_so_laptop_sees_nothing() {
    let mut s = scenario(&[Action::Check(Phone), Action::Check(Laptop)]);
    s.laptop.protocol = FetchProtocol::Pop3;
    let t = run(&s).unwrap();
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
    assert!(said(&t, "DELE 1") && said(&t, "maildrop empty"));
}

#[test]
fn pop3_leave_on_server_keeps_both_devices_fed() {
    let mut s = scenario(&[Action::Check(Phone), Action::Check(Laptop)]);
    s.phone.leave_on_server = true;
    s.laptop.protocol = FetchProtocol::Pop3;
    s.laptop.leave_on_server = true;
    let t = run(&s).unwrap();
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
    assert!(said(&t, "UIDL") && !said(&t, "DELE"));
}

#[test]
fn pop3_read_state_stays_on_the_device() {
    let mut s = scenario(&[
        Action::Check(Phone),
        Action::Read(Phone),
        Action::Check(Laptop),
    ]);
    s.phone.leave_on_server = true;
    let t = run(&s).unwrap();
    let last = t.steps.last().unwrap();
    let server = last
        .mailboxes
        .iter()
        .find(|v| v.title.starts_with("mx"))
        .unwrap();
    assert!(
        server.entries[0].flags.is_empty(),
        "the server never learns the phone read it"
    );
    let laptop = last
        .mailboxes
        .iter()
        .find(|v| v.title.starts_with("Bob's laptop"))
        .unwrap();
    assert!(!laptop.entries[0].flags.contains(&"\\Seen".to_string()));
}

#[test]
fn imap_read_on_phone_is_seen_on_laptop() {
    let mut s = scenario(&[
        Action::Check(Laptop),
        Action::Check(Phone),
        Action::Read(Phone),
        Action::Check(Laptop),
    ]);
    s.phone.protocol = FetchProtocol::Imap;
    let t = run(&s).unwrap();
    let last = t.steps.last().unwrap();
    let laptop = last
        .mailboxes
        .iter()
        .find(|v| v.title.starts_with("Bob's laptop"))
        .unwrap();
    assert_eq!(laptop.entries[0].flags, ["\\Seen"]);
    assert!(said(&t, "UID STORE 1 +FLAGS (\\Seen)"));
}

#[test]
fn imap_delete_on_laptop_reaches_phone_at_its_next_sync() {
    let mut s = scenario(&[
        Action::Check(Phone),
        Action::Check(Laptop),
        Action::Delete(Laptop),
        Action::Check(Phone),
    ]);
    s.phone.protocol = FetchProtocol::Imap;
    let t = run(&s).unwrap();
    assert!(said(&t, "UID EXPUNGE 1"));
    assert_eq!(messages(&t, "Bob's phone"), Vec::<String>::new());
    assert_eq!(messages(&t, "mx"), Vec::<String>::new());
}

#[test]
fn pop3_connection_drop_before_quit_deletes_nothing() {
    let mut s = scenario(&[Action::Check(Phone), Action::Check(Laptop)]);
    s.faults.push(Fault::PhoneDropsBeforeQuit);
    let t = run(&s).unwrap();
    assert!(said(&t, "the connection drops before QUIT"));
    assert!(said(&t, "DELE 1"));
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
}

#[test]
fn greylisting_delivers_after_retry() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::Greylisting);
    let t = run(&s).unwrap();
    assert!(said(&t, "451 4.7.1 Greylisted"));
    assert!(said(&t, "30 minutes later, it tries again"));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    // The retry happens 30 minutes later on the virtual clock.
    let wait = t
        .steps
        .iter()
        .position(|s| s.label().contains("30 minutes later, it tries again"))
        .unwrap();
    assert!(t.steps[wait + 1].arrived_at.as_micros() >= 30 * 60 * 1_000_000);
}

#[test]
fn unknown_recipient_bounces_to_sender() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::UnknownRecipient);
    let t = run(&s).unwrap();
    assert!(said(
        &t,
        "550 5.1.1 <bob@example.net>: Recipient address rejected"
    ));
    assert_eq!(
        messages(&t, "smtp · alice"),
        ["Undelivered Mail Returned to Sender"]
    );
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("Alice received a bounce")));
}

#[test]
fn a_full_mailbox_bounces_with_552() {
    let mut s = scenario(&[]);
    s.faults.push(Fault::MailboxFull);
    let t = run(&s).unwrap();
    assert!(said(&t, "552 5.2.2 <bob@example.net>: Mailbox full"));
    assert_eq!(
        messages(&t, "smtp · alice"),
        ["Undelivered Mail Returned to Sender"]
    );
}

#[test]
fn no_mx_record_falls_back_to_the_domain_itself() {
    let mut s = scenario(&[]);
    s.faults.push(Fault::NoMxRecord);
    let t = run(&s).unwrap();
    assert!(said(&t, "QUERY example.net. IN A"));
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
}

#[test]
fn a_wrong_password_stops_the_submission() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::WrongPassword);
    let t = run(&s).unwrap();
    assert!(said(&t, "535 5.7.8 Authentication credentials invalid"));
    assert!(!t.steps.iter().any(|s| s.protocol == Protocol::Dns));
    assert!(t.outcome[0].starts_with("Alice's message was not sent: the login was refused"));
}

#[test]
fn tls_required_but_not_offered_sends_nothing() {
    let mut s = scenario(&[]);
    s.faults.push(Fault::TlsNotOffered);
    let t = run(&s).unwrap();
    assert!(
        !said(&t, "AUTH PLAIN"),
        "the password never crosses in clear"
    );
    assert!(t.outcome[0].contains("TLS is required but the server does not offer STARTTLS"));
}

#[test]
fn the_same_scenario_gives_the_same_timeline() {
    let mut s = Scenario::default();
    s.faults.push(Fault::Greylisting);
    assert_eq!(run(&s).unwrap(), run(&s).unwrap());
    assert_eq!(labels(&run(&s).unwrap()).len(), run(&s).unwrap().len());
}

#[test]
fn bad_addresses_are_clear_errors() {
    let s = Scenario {
        to: "not an address".into(),
        ..Scenario::default()
    };
    assert_eq!(
        run(&s).unwrap_err().0,
        "\"not an address\" is not a valid recipient address"
    );
    let s = Scenario {
        to: "carol@example.org".into(),
        ..Scenario::default()
    };
    assert!(run(&s).unwrap_err().0.contains("different mail domains"));
}

#[test]
fn a_device_with_the_wrong_password_is_refused_and_gets_nothing() {
    let mut s = scenario(&[Action::Check(Laptop), Action::Check(Phone)]);
    s.laptop.password = "oops".into();
    let t = run(&s).unwrap();
    assert!(said(&t, "NO [AUTHENTICATIONFAILED] Invalid credentials"));
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
}

#[test]
fn a_server_that_is_down_gets_the_mail_on_the_retry() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::ServerDown);
    let t = run(&s).unwrap();
    assert!(said(&t, "connection refused: the server is down"));
    assert!(said(&t, "30 minutes later, it tries again"));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
}

#[test]
fn a_connection_dropped_mid_data_is_sent_again_and_delivered_once() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::DropMidData);
    let t = run(&s).unwrap();
    assert!(said(
        &t,
        "the connection drops in the middle of the message"
    ));
    // The half that crossed is called what it is: no final period, nothing accepted.
    assert!(t
        .steps
        .iter()
        .any(|s| s.explanation.title.starts_with("Part of the message")));
    // The message stayed in Alice's Outbox: her mail program sends it again, and it goes.
    assert!(said(&t, "Alice's mail program sends the message again"));
    assert!(t.steps.iter().any(|s| s.protocol == Protocol::Dns));
    assert!(
        t.outcome[0].contains("dropped in the middle of DATA"),
        "{:?}",
        t.outcome
    );
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
}

#[test]
fn a_pop3_phone_set_to_the_imap_port_reads_an_imap_greeting_and_gives_up() {
    let mut s = scenario(&[Action::Check(Phone), Action::Check(Laptop)]);
    // A plain POP3 account on the plain IMAP port.
    s.phone.security = Security::None;
    s.phone.port = 143;
    let t = run(&s).unwrap();
    let greeting = t
        .steps
        .iter()
        .position(|st| st.to.0 == 4 && st.label().starts_with("* OK [CAPABILITY IMAP4rev1"))
        .unwrap();
    assert_eq!(t.steps[greeting].protocol, Protocol::Imap);
    assert!(t.steps[greeting + 1]
        .label()
        .contains("the POP3 client cannot read this greeting and hangs up"));
    // Nothing was downloaded or deleted: the laptop still finds the message.
    assert!(!said(&t, "RETR"));
    assert_eq!(messages(&t, "Bob's phone"), Vec::<String>::new());
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("reached an IMAP server on port 143 instead of POP3")));
}

#[test]
fn a_port_nobody_listens_on_is_refused() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.laptop.port = 2525;
    let t = run(&s).unwrap();
    assert!(said(
        &t,
        "connection refused: nothing listens on mx.example.net port 2525"
    ));
    assert!(!said(&t, "LOGIN") && !said(&t, "AUTHENTICATE"));
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
}

#[test]
fn devices_that_require_tls_start_it_before_the_password_crosses() {
    let mut s = scenario(&[Action::Check(Laptop), Action::Check(Phone)]);
    s.laptop.security = Security::StartTls;
    s.phone.security = Security::StartTls;
    let t = run(&s).unwrap();
    for (start, login) in [("STARTTLS", "AUTHENTICATE PLAIN"), ("STLS", "USER bob")] {
        let asked = t
            .steps
            .iter()
            .position(|st| st.label().ends_with(start) && st.protocol != Protocol::Smtp)
            .unwrap_or_else(|| panic!("{start}: {:#?}", labels(&t)));
        let logged_in = t
            .steps
            .iter()
            .position(|st| st.label().contains(login))
            .unwrap();
        assert!(asked < logged_in, "{start} before {login}");
        assert!(t.steps[logged_in].encrypted, "{login} travels encrypted");
    }
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
}

#[test]
fn connection_settings_survive_a_share_link() {
    let mut s = Scenario::default();
    s.phone.port = 995;
    s.laptop.security = Security::StartTls;
    let link = postroom_sim::share::encode(&s);
    assert_eq!(postroom_sim::share::decode(&link).unwrap(), s);
    // A link without them (made before they existed) still opens, with the defaults.
    let plain = postroom_sim::share::encode(&Scenario::default());
    assert_eq!(
        postroom_sim::share::decode(&plain).unwrap(),
        Scenario::default()
    );
}

#[test]
fn an_injected_fault_changes_the_story_from_the_step_it_first_touches() {
    let base = run(&Scenario::default()).unwrap();
    let mut s = Scenario::default();
    s.faults.push(Fault::WrongPassword);
    let wrong = run(&s).unwrap();
    let at = base.first_difference(&wrong);
    // Everything before AUTH is the same; AUTH itself carries the other password.
    assert!(wrong.steps[at].label().starts_with("AUTH PLAIN"));
    assert_ne!(wrong.steps[at].bytes, base.steps[at].bytes);
    assert!(wrong.steps[at + 1].label().starts_with("535"));
    let mut s = Scenario::default();
    s.faults.push(Fault::Greylisting);
    let grey = run(&s).unwrap();
    let at = base.first_difference(&grey);
    assert!(
        grey.steps[at].label().starts_with("451"),
        "{}",
        grey.steps[at].label()
    );
    assert_eq!(base.first_difference(&base), base.len());
}

/// The explorer's story has no idling device; the comparison's IMAP world keeps its devices
/// connected in IDLE, so this lesson runs there.
#[test]
fn imap_expunge_on_laptop_reaches_idle_phone() {
    use postroom_sim::compare::{compare, Act, Script};
    let script = Script {
        leave_on_server: true,
        acts: vec![
            Act::NewMail,
            Act::NewMail,
            Act::Check(Phone),
            Act::Check(Laptop),
            Act::Delete(Laptop),
        ],
    };
    let imap = compare(&script).imap;
    let deleted = imap.last().unwrap();
    let phone_heard: Vec<&str> = deleted
        .lines
        .iter()
        .filter(|l| l.device == Phone)
        .map(|l| l.text.as_str())
        .collect();
    assert!(
        phone_heard.iter().any(|l| l.ends_with(" EXPUNGE")),
        "{phone_heard:?}"
    );
    // The phone sent nothing to learn it: the server pushed it during IDLE.
    assert!(deleted
        .lines
        .iter()
        .filter(|l| l.device == Phone)
        .all(|l| l.direction != postroom_sim::Direction::ClientToServer));
    assert_eq!(deleted.tally.on_phone, 1);
}

#[test]
fn a_wrong_server_name_is_not_found_and_a_wrong_user_is_refused() {
    let mut s = scenario(&[Action::Check(Laptop), Action::Check(Phone)]);
    s.laptop.server = "imap.example.net".into();
    s.phone.user = "robert".into();
    let t = run(&s).unwrap();
    assert!(said(&t, "QUERY imap.example.net. IN A"));
    assert!(said(&t, "ANSWER imap.example.net. NXDOMAIN"));
    assert!(!said(&t, "AUTHENTICATE"), "the laptop never connects");
    assert!(said(&t, "USER robert"));
    assert!(said(&t, "-ERR [AUTH]"));
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
    assert_eq!(messages(&t, "Bob's phone"), Vec::<String>::new());
    assert_eq!(messages(&t, "mx · bob"), ["Lunch on Friday?"]);
    let mut named = s.clone();
    named.laptop.server = "MX.example.net.".into();
    named.phone.user = String::new();
    let t = run(&named).unwrap();
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    let link = postroom_sim::share::encode(&s);
    assert_eq!(postroom_sim::share::decode(&link).unwrap(), s);
}

#[test]
fn a_second_email_is_a_second_delivery_appended_to_the_story() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    let before = run(&s).unwrap();
    s.send_later("Dessert too?", "And cake.").unwrap();
    s.actions.push(Action::Check(Laptop));
    let t = run(&s).unwrap();
    // The story so far is unchanged: the new email only adds steps after it.
    assert_eq!(before.first_difference(&t), before.len());
    let sent = t.steps[before.len()..]
        .iter()
        .filter(|s| s.label().starts_with("MAIL FROM:"))
        .count();
    assert_eq!(sent, 2, "submitted, then relayed");
    assert_eq!(
        messages(&t, "Bob's laptop"),
        ["Lunch on Friday?", "Dessert too?"]
    );
    // Dated by the virtual clock, after the first one.
    let dated = t.steps.iter().any(|s| {
        let text = String::from_utf8_lossy(&s.bytes);
        text.contains("Subject: Dessert too?")
            && text.contains("Date: Fri, 6 Mar 2026 09:0")
            && !text.contains("Date: Fri, 6 Mar 2026 09:00:00")
    });
    assert!(dated);
    assert_eq!(t.outcome.len(), 4, "{:?}", t.outcome);
}

#[test]
fn a_one_off_fault_strikes_the_first_email_only() {
    let mut s = scenario(&[]);
    s.faults.push(Fault::DropMidData);
    s.send_later("Trying again", "Did it arrive?").unwrap();
    s.actions.push(Action::Check(Laptop));
    let t = run(&s).unwrap();
    // The first email's first attempt is cut; it goes again, and the second email is not cut.
    let resends = t
        .steps
        .iter()
        .filter(|s| s.label().contains("sends the message again"))
        .count();
    assert_eq!(resends, 1);
    assert_eq!(
        messages(&t, "Bob's laptop"),
        ["Lunch on Friday?", "Trying again"]
    );
    // A wrong password is wrong every time.
    let mut s = scenario(&[]);
    s.faults.push(Fault::WrongPassword);
    s.send_later("Trying again", "Did it arrive?").unwrap();
    let t = run(&s).unwrap();
    assert!(
        t.outcome.iter().all(|o| o.contains("not sent")),
        "{:?}",
        t.outcome
    );
}

#[test]
fn switching_the_phone_to_imap_stops_it_emptying_the_server() {
    // The default story, with the phone set up again with IMAP before it checks.
    let s = scenario(&[
        Action::Check(Laptop),
        Action::Switch(Phone),
        Action::Check(Phone),
        Action::Check(Laptop),
    ]);
    assert_eq!(s.protocol_at_end(Phone), FetchProtocol::Imap);
    let t = run(&s).unwrap();
    assert!(said(&t, "set up again with IMAP"));
    assert!(!t.steps.iter().any(|s| s.protocol == Protocol::Pop3));
    assert_eq!(messages(&t, "Bob's phone (IMAP)"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
    assert!(t.hosts[4].role == "POP3 ⇄ IMAP", "{}", t.hosts[4].role);
}

#[test]
fn switching_the_laptop_to_pop3_and_back_starts_each_account_empty() {
    let s = scenario(&[
        Action::Check(Laptop),
        Action::Switch(Laptop),
        Action::Check(Laptop),
        Action::Switch(Laptop),
    ]);
    assert_eq!(s.protocol_at_end(Laptop), FetchProtocol::Imap);
    let t = run(&s).unwrap();
    // The POP3 account downloaded the message and, set to keep a copy, left it on the server;
    // the IMAP account made again afterwards holds nothing until it checks.
    assert!(said(&t, "RETR 1") && !said(&t, "DELE"));
    assert_eq!(messages(&t, "Bob's laptop (IMAP)"), Vec::<String>::new());
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
}

/// The index of the first step whose label starts with `text`.
fn step_of(t: &Timeline, text: &str) -> usize {
    t.steps
        .iter()
        .position(|s| s.label().starts_with(text))
        .unwrap_or_else(|| panic!("no step {text}"))
}

#[test]
fn a_connection_dropped_at_a_chosen_step_behaves_as_its_protocol_says() {
    // POP3: the phone drops right after DELE; nothing is deleted (RFC 1939 §6).
    let mut s = scenario(&[Action::Check(Phone), Action::Check(Laptop)]);
    let base = run(&s).unwrap();
    let dele = step_of(&base, "DELE 1");
    assert!(base.connection_goes_on(dele));
    s.faults.push(Fault::DropAfter(dele as u32));
    let t = run(&s).unwrap();
    assert_eq!(t.steps[dele + 1].label(), "-- the connection drops here --");
    assert_eq!(t.steps[dele + 1].explanation.rfc.section, "6");
    // The phone says no more; the laptop's session comes next.
    assert!(t.steps[dele + 2].phase.label.starts_with("IMAP"));
    // Nothing more crosses that connection: no drop or loss is offered after it.
    assert!(!t.connection_goes_on(dele) && !t.on_the_wire(dele + 1));
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's phone"), ["Lunch on Friday?"]);
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);

    // The relay drops after the MX said 354: the MX keeps nothing, the relay tries again
    // 30 minutes later and delivers (RFC 5321 §4.1.1.10, §4.5.4.1).
    let mut s = scenario(&[Action::Check(Laptop)]);
    let base = run(&s).unwrap();
    let relay_data = base
        .steps
        .iter()
        .position(|s| s.phase.label == "SMTP relay" && s.label().starts_with("354"))
        .unwrap();
    s.faults.push(Fault::DropAfter(relay_data as u32));
    let t = run(&s).unwrap();
    assert_eq!(base.first_difference(&t), relay_data + 1);
    assert!(said(&t, "30 minutes later, it tries again"));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("reached bob's mailbox")));

    // Submission drops before DATA: the message stays in Alice's Outbox and goes again.
    let mut s = scenario(&[]);
    let mail = step_of(&run(&s).unwrap(), "MAIL FROM:");
    s.faults.push(Fault::DropAfter(mail as u32));
    let t = run(&s).unwrap();
    let resend = t
        .steps
        .iter()
        .find(|s| s.label().contains("sends the message again"))
        .expect("a second attempt");
    assert!(
        resend
            .explanation
            .why
            .contains("the connection dropped before the server took the message"),
        "{:?}",
        resend.explanation
    );
    assert_eq!(messages(&t, "mx"), ["Lunch on Friday?"]);

    // A step that ends its connection anyway changes nothing.
    let mut s = scenario(&[]);
    let base = run(&s).unwrap();
    s.faults.push(Fault::DropAfter(base.len() as u32 - 1));
    assert_eq!(base.first_difference(&run(&s).unwrap()), base.len());
}

#[test]
fn server_names_resolve_as_in_the_story_and_addresses_need_no_lookup() {
    let check = |server: &str, port: u16| {
        let mut s = scenario(&[Action::Check(Laptop)]);
        s.laptop.server = server.into();
        s.laptop.port = port;
        // Plain ports, as an account without TLS uses: 143, or the port given.
        s.laptop.security = Security::None;
        run(&s).unwrap()
    };
    // Bob's domain has an A record: his server's address (the same one the relay falls back
    // to without an MX record).
    let t = check("example.net", 0);
    assert!(said(&t, "ANSWER example.net. 3600 IN A 192.0.2.25"));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    // An address is used as is: no lookup.
    let t = check("192.0.2.25", 0);
    assert!(!t.steps.iter().any(|s| s.label().starts_with("QUERY 192")));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
    // Alice's provider exists, but takes only submissions on 587.
    let t = check("smtp.example.org", 0);
    assert!(said(&t, "ANSWER smtp.example.org. 3600 IN A 198.51.100.25"));
    assert!(said(&t, "nothing listens on smtp.example.org port 143"));
    let t = check("smtp.example.org", 587);
    let greeting = t
        .steps
        .iter()
        .find(|s| s.label().starts_with("220 "))
        .unwrap();
    assert!(greeting.label().contains("smtp.example.org"));
    assert_eq!(t.hosts[greeting.from.0].label, "Submission server");
    assert!(said(&t, "the IMAP client cannot read this greeting"));
    // An address where nothing is: the attempt times out (RFC 9293 §3.8.3).
    let t = check("203.0.113.7", 0);
    let last = t
        .steps
        .iter()
        .rev()
        .find(|s| s.label().contains("times out"))
        .unwrap();
    assert_eq!(last.explanation.rfc.rfc, 9293);
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("nothing answers at 203.0.113.7")));
    assert_eq!(messages(&t, "Bob's laptop"), Vec::<String>::new());
}

#[test]
fn a_lost_packet_costs_time_and_nothing_else() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    let base = run(&s).unwrap();
    let data = step_of(&base, "From: alice@example.org");
    assert!(base.on_the_wire(data));
    s.faults.push(Fault::LossAt(data as u32));
    let t = run(&s).unwrap();
    assert_eq!(base.first_difference(&t), data);
    assert!(t.steps[data]
        .label()
        .contains("a packet of the next line is lost"));
    assert_eq!(t.steps[data].explanation.rfc.rfc, 6298);
    // The same line arrives a second later; everything after is the same story, later.
    assert_eq!(t.steps[data + 1].bytes, base.steps[data].bytes);
    let late = t.steps[data + 1].arrived_at.as_micros() - base.steps[data].arrived_at.as_micros();
    assert_eq!(late, 1_000_000);
    assert_eq!(t.len(), base.len() + 1);
    assert_eq!(t.outcome, base.outcome);
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
}

#[test]
fn a_relay_dropped_before_the_250_arrives_delivers_twice() {
    let mut s = scenario(&[Action::Check(Laptop)]);
    let base = run(&s).unwrap();
    let dot = base
        .steps
        .iter()
        .position(|st| st.phase.label == "SMTP relay" && st.label().starts_with("Return-Path:"))
        .or_else(|| {
            base.steps.iter().position(|st| {
                st.phase.label == "SMTP relay" && st.label().starts_with("Received:")
            })
        })
        .unwrap();
    s.faults.push(Fault::DropAfter(dot as u32));
    let t = run(&s).unwrap();
    let note = &t.steps[dot + 1];
    assert_eq!(note.label(), "-- the connection drops here --");
    assert_eq!(note.explanation.rfc.section, "4.5.3.2.6");
    assert!(said(&t, "30 minutes later, it tries again"));
    // The MX stored it, its 250 was lost, the relay sent it again: two copies.
    assert_eq!(
        messages(&t, "Bob's laptop"),
        ["Lunch on Friday?", "Lunch on Friday?"]
    );
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("but the relay never heard so")));
}

#[test]
fn temporary_failures_never_bounce_and_the_relay_keeps_trying() {
    // Greylisting, and the first attempt is dropped before RCPT: the triplet is never seen,
    // so the second attempt is greylisted too; the third gets through.
    let mut s = scenario(&[Action::Check(Laptop)]);
    s.faults.push(Fault::Greylisting);
    let base = run(&s).unwrap();
    let ehlo = base
        .steps
        .iter()
        .position(|st| st.phase.label == "SMTP relay" && st.label().starts_with("EHLO"))
        .unwrap();
    s.faults.push(Fault::DropAfter(ehlo as u32));
    let t = run(&s).unwrap();
    let retries = t
        .steps
        .iter()
        .filter(|st| st.label().contains("it tries again"))
        .count();
    assert_eq!(retries, 2, "{:#?}", t.outcome);
    assert!(!said(&t, "bounce"));
    assert_eq!(messages(&t, "Bob's laptop"), ["Lunch on Friday?"]);
}

#[test]
fn step_faults_added_before_others_renumber_or_let_them_go() {
    let mut s = Scenario::default();
    s.add_step_fault(Fault::LossAt(40));
    s.add_step_fault(Fault::DropAfter(50));
    // A loss earlier adds one step: the later faults move with their steps.
    s.add_step_fault(Fault::LossAt(10));
    assert_eq!(
        s.faults,
        [Fault::LossAt(41), Fault::DropAfter(51), Fault::LossAt(10)]
    );
    // A drop changes everything after it: later step faults are let go.
    s.add_step_fault(Fault::DropAfter(30));
    assert_eq!(s.faults, [Fault::LossAt(10), Fault::DropAfter(30)]);
    // The same one twice is one.
    s.add_step_fault(Fault::DropAfter(30));
    assert_eq!(s.faults.len(), 2);
}

#[test]
fn a_device_set_up_again_uses_the_new_protocol_port() {
    // The phone's POP3 account names POP3's port, 110. Set up again with IMAP, the new
    // account uses IMAP's own port, 143, not the old account's.
    let mut s = scenario(&[
        Action::Check(Phone),
        Action::Switch(Phone),
        Action::Check(Phone),
    ]);
    s.phone.port = 110;
    s.phone.leave_on_server = true;
    let t = run(&s).unwrap();
    assert!(!said(&t, "cannot read this greeting"));
    assert_eq!(messages(&t, "Bob's phone (IMAP)"), ["Lunch on Friday?"]);
    assert!(t
        .steps
        .iter()
        .any(|st| st.phase.label == "Bob's phone set up again"));
}

#[test]
fn tls_from_the_start_or_not_both_sides_must_agree() {
    // The default: POP3 on 995 and IMAP on 993, TLS before the greeting (RFC 8314).
    let t = run(&scenario(&[Action::Check(Phone)])).unwrap();
    assert!(said(&t, "TLS handshake first (port 995)"));
    let pass = t
        .steps
        .iter()
        .find(|s| s.label().starts_with("PASS"))
        .unwrap();
    assert!(pass.encrypted);
    assert!(
        pass.explanation.why.contains("inside TLS"),
        "{:?}",
        pass.explanation
    );
    // No security: the password crosses in clear, and the step says so.
    let mut s = scenario(&[Action::Check(Phone)]);
    s.phone.security = Security::None;
    let t = run(&s).unwrap();
    let pass = t
        .steps
        .iter()
        .find(|s| s.label().starts_with("PASS"))
        .unwrap();
    assert!(!pass.encrypted);
    assert!(pass
        .explanation
        .why
        .contains("reads the user name and password"));
    // SSL/TLS on the plain port: the handshake fails; no security on 995: no greeting.
    let mut s = scenario(&[Action::Check(Phone)]);
    s.phone.port = 110;
    assert!(said(&run(&s).unwrap(), "the TLS handshake fails"));
    let mut s = scenario(&[Action::Check(Phone)]);
    s.phone.security = Security::None;
    s.phone.port = 995;
    assert!(said(
        &run(&s).unwrap(),
        "no greeting: port 995 waits for a TLS handshake"
    ));
}

#[test]
fn alices_outgoing_settings_fail_as_a_real_provider_would() {
    let send = |change: &dyn Fn(&mut Outgoing)| {
        let mut s = scenario(&[]);
        change(&mut s.outgoing);
        run(&s).unwrap()
    };
    let delivered = |t: &Timeline| messages(t, "mx") == ["Lunch on Friday?"];
    // A mistyped server: DNS has no such name, and nothing is sent.
    let t = send(&|o| o.server = "smtp.example.com".into());
    assert!(said(&t, "ANSWER smtp.example.com. NXDOMAIN"));
    assert!(!said(&t, "EHLO") && !delivered(&t));
    assert!(t
        .outcome
        .iter()
        .any(|o| o.contains("Alice's mail program could not find the server smtp.example.com")));
    // Port 25 belongs to a provider's mail exchanger, not to its submission host.
    let t = send(&|o| o.port = 25);
    assert!(said(
        &t,
        "connection refused: nothing listens on smtp.example.org port 25"
    ));
    assert!(!delivered(&t));
    // SSL/TLS on 465: the handshake first, no STARTTLS, and the mail goes.
    let t = send(&|o| o.security = Security::ImplicitTls);
    assert!(said(&t, "TLS handshake first (port 465)"));
    assert!(!t
        .steps
        .iter()
        .any(|s| s.phase.label == "SMTP submission" && s.label() == "STARTTLS"));
    assert!(step_of_auth(&t).encrypted && delivered(&t));
    assert_eq!(t.hosts[1].role, "submission :465");
    // STARTTLS on 465: the program waits for a greeting that never comes.
    let t = send(&|o| {
        o.security = Security::StartTls;
        o.port = 465;
    });
    assert!(said(&t, "no greeting: port 465 waits for a TLS handshake"));
    // No security: the program logs in anyway, in clear, and the server refuses (RFC 3207).
    let t = send(&|o| o.security = Security::None);
    let auth = step_of_auth(&t);
    assert!(!auth.encrypted);
    assert!(auth
        .explanation
        .why
        .contains("reads the user name and password"));
    assert!(said(&t, "530 5.7.0 Must issue a STARTTLS command first"));
    assert!(!said(&t, "MAIL FROM") && !delivered(&t));
    // The user name without the domain: the provider refuses the login (RFC 4954 §6).
    let t = send(&|o| o.user = "alice".into());
    assert!(said(&t, "535 5.7.8 Authentication credentials invalid") && !delivered(&t));
    // The whole address, typed as the provider asks, works as the default does.
    let t = send(&|o| {
        o.server = "smtp.example.org".into();
        o.port = 587;
        o.user = "alice@example.org".into();
    });
    assert_eq!(t, run(&scenario(&[])).unwrap());
    // Bob's server on 25 takes mail for Bob, but no login: AUTH is refused there.
    let t = send(&|o| {
        o.server = "mx.example.net".into();
        o.port = 25;
    });
    assert!(said(&t, "ANSWER mx.example.net. 3600 IN A 192.0.2.25"));
    assert!(
        said(&t, "503 5.5.1 AUTH is not offered on this port"),
        "{:#?}",
        labels(&t)
    );
}

fn step_of_auth(t: &Timeline) -> &Step {
    t.steps
        .iter()
        .find(|s| s.label().starts_with("AUTH PLAIN"))
        .unwrap()
}
