//! Narrators read a dialogue from its bytes alone. Each dialogue here is one our engines
//! really had, driven through the common session shape, so the tests also prove that any
//! client and server pair can be driven by one generic loop.
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use postroom_proto::imap::{self, DeviceCache, ImapClient, ImapNarrator, ImapServer, Intent};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Pop3Client, Pop3Narrator, Pop3Server};
use postroom_proto::session::{ClientSession, Narrator, ServerSession};
use postroom_proto::smtp::{self, Mailbox, ReversePath, SmtpClient, SmtpNarrator, SmtpServer};
use postroom_proto::{Duration, Explanation, Instant, MailStore};

/// One line or unit of a dialogue and what the narrator said of it.
#[derive(Debug)]
struct Said {
    from_client: bool,
    text: String,
    explanation: Explanation,
}

/// Runs a client and a server until both are quiet, each unit crossing in order, and lets
/// the narrator explain every client line and every server unit. `before_reply` is asked
/// for what the client expects, before each server unit reaches it.
fn converse<C: ClientSession, S: ServerSession>(
    client: &mut C,
    server: &mut S,
    store: &mut MailStore,
    narrator: &mut dyn Narrator,
    mut between: impl FnMut(&mut C, &[u8]),
) -> Vec<Said> {
    let mut said = Vec::new();
    let mut now = Instant::ZERO;
    for _ in 0..200 {
        now = now + Duration::from_millis(10);
        let mut moved = false;
        while let Some(unit) = server.poll_output() {
            moved = true;
            said.push(Said {
                from_client: false,
                text: String::from_utf8_lossy(&unit).into_owned(),
                explanation: narrator.server_unit(&unit),
            });
            between(client, &unit);
            client.handle_input(now, &unit).unwrap();
        }
        while server.poll_common_event().is_some() {}
        while let Some(bytes) = client.poll_output() {
            moved = true;
            for line in bytes.split_inclusive(|&b| b == b'\n') {
                said.push(Said {
                    from_client: true,
                    text: String::from_utf8_lossy(line).into_owned(),
                    explanation: narrator.client_line(line),
                });
            }
            server.handle_input(now, &bytes, store);
        }
        if !moved {
            break;
        }
    }
    said
}

fn refused_as_unreadable(said: &[Said]) -> Vec<&Said> {
    said.iter()
        .filter(|s| s.explanation.title.contains("will refuse"))
        .collect()
}

fn mailbox_with_three() -> MailStore {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    for subject in ["Lunch on Friday?", "Invoice #42", "Photos"] {
        let m = Message::new(
            "alice@example.org",
            "bob@example.net",
            subject,
            "Fri, 6 Mar 2026 09:00:00 +0000",
            "Hi Bob,\n.a line that starts with a period\nAlice",
        );
        store.deliver("bob", "alice@example.org", m.to_bytes());
    }
    store
}

#[test]
fn smtp_narrator_explains_each_reply_by_the_command_it_answers_even_pipelined() {
    let mut store = MailStore::new();
    store.add_account("alice", "secret");
    store.add_account("bob", "secret");
    let mut server = SmtpServer::new(
        smtp::ServerConfig::submission("smtp.example.org", "example.org"),
        Instant::ZERO,
    );
    let mut config = smtp::ClientConfig::new("laptop.example.org");
    config.credentials = Some(("alice".into(), "secret".into()));
    let mut client = SmtpClient::new(config, Instant::ZERO);
    let message = Message::new(
        "alice@example.org",
        "bob@example.org",
        "Hello",
        "Fri, 6 Mar 2026 09:00:00 +0000",
        "Hi Bob,\n.a line that starts with a period\nAlice",
    );
    client
        .send(
            ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap()),
            vec![Mailbox::try_from("bob@example.org").unwrap()],
            message.to_bytes(),
        )
        .unwrap();
    client.quit();
    let mut narrator = SmtpNarrator::new();
    // What the client who sent the commands takes each reply as: the narrator must agree.
    let mut expected = Vec::new();
    let said = converse(
        &mut client,
        &mut server,
        &mut store,
        &mut narrator,
        |c, unit| {
            let (reply, _) = smtp::decode::reply(unit).unwrap();
            expected.push(smtp::explain::reply(&reply, c.expecting().unwrap()));
        },
    );
    let replies: Vec<&Explanation> = said
        .iter()
        .filter(|s| !s.from_client)
        .map(|s| &s.explanation)
        .collect();
    assert_eq!(replies, expected.iter().collect::<Vec<_>>());
    assert!(refused_as_unreadable(&said).is_empty(), "{said:#?}");
    // The message lines are message lines, the period ends them, and the 250 after it is
    // the acceptance of the message, not of a command.
    let titles: Vec<&str> = said.iter().map(|s| s.explanation.title.as_str()).collect();
    assert!(titles.contains(&"A line of the message"), "{titles:?}");
    assert!(titles.contains(&"The end of the message"), "{titles:?}");
    assert!(
        titles.contains(&"Message accepted: the server is now responsible for it"),
        "{titles:?}"
    );
    assert_eq!(store.messages("bob").len(), 1);
}

#[test]
fn pop3_narrator_knows_which_answers_have_a_body() {
    let mut store = mailbox_with_three();
    let mut server = Pop3Server::new(pop3::ServerConfig::new("mx.example.net"), Instant::ZERO);
    let mut client = Pop3Client::new(
        pop3::ClientConfig::new("bob", "secret"),
        BTreeMap::new(),
        Instant::ZERO,
    );
    let mut narrator = Pop3Narrator::new();
    let said = converse(
        &mut client,
        &mut server,
        &mut store,
        &mut narrator,
        |_, _| {},
    );
    assert!(refused_as_unreadable(&said).is_empty(), "{said:#?}");
    let titles: Vec<&str> = said.iter().map(|s| s.explanation.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"The server is ready"));
    for n in 1..=3 {
        assert!(
            titles.contains(&format!("Here is message {n}").as_str()),
            "{titles:?}"
        );
    }
    // Download and delete: the three went at QUIT.
    assert!(store.messages("bob").is_empty());
}

#[test]
fn imap_narrator_follows_idle_until_done() {
    let mut store = mailbox_with_three();
    let mut server = ImapServer::new(imap::ServerConfig::new("mx.example.net"), Instant::ZERO);
    let mut client = ImapClient::new(
        imap::ClientConfig::new("bob", "secret"),
        DeviceCache::default(),
    );
    let mut narrator = ImapNarrator::new();
    client.act(Intent::Idle);
    let mut said = converse(
        &mut client,
        &mut server,
        &mut store,
        &mut narrator,
        |_, _| {},
    );
    client.stop_idle();
    client.act(Intent::Logout);
    said.extend(converse(
        &mut client,
        &mut server,
        &mut store,
        &mut narrator,
        |_, _| {},
    ));
    assert!(refused_as_unreadable(&said).is_empty(), "{said:#?}");
    let done = said
        .iter()
        .find(|s| s.from_client && s.text == "DONE\r\n")
        .expect("the client ended IDLE");
    assert_eq!(done.explanation.title, "Done idling");
    assert_eq!(client.cache().messages.len(), 3);
}
