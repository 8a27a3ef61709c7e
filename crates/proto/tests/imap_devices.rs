//! Two devices with our IMAP client against our IMAP server: what one does, the other sees.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_proto::imap::{
    ClientConfig, ClientEvent, DeviceCache, ImapClient, ImapServer, Intent, ServerConfig,
};
use postroom_proto::{Instant, MailStore};

const T0: Instant = Instant::ZERO;

fn store_with(n: usize) -> MailStore {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    for i in 1..=n {
        store.deliver(
            "bob",
            "a@b",
            format!("Subject: m{i}\r\n\r\nbody {i}\r\n").into_bytes(),
        );
    }
    store
}

/// A device: its client and the server session it talks to.
struct Device {
    client: ImapClient,
    server: ImapServer,
    events: Vec<ClientEvent>,
    /// The client reads the server's output in pieces of this many octets, as off a socket.
    chunk: usize,
}

impl Device {
    fn connect(cache: DeviceCache) -> Device {
        Device {
            client: ImapClient::new(ClientConfig::new("bob", "secret"), cache),
            server: ImapServer::new(ServerConfig::new("imap.example.net"), T0),
            events: Vec::new(),
            chunk: usize::MAX,
        }
    }

    /// Moves bytes both ways until neither side has anything to say.
    fn run(&mut self, store: &mut MailStore) {
        for _ in 0..500 {
            let mut moved = false;
            while let Some(b) = self.server.poll_output() {
                for piece in b.chunks(self.chunk.min(b.len()).max(1)) {
                    self.client
                        .handle_input(postroom_proto::Instant::ZERO, piece)
                        .unwrap();
                }
                moved = true;
            }
            while let Some(b) = self.client.poll_output() {
                self.server.handle_input(T0, &b, store);
                moved = true;
            }
            self.events
                .extend(std::iter::from_fn(|| self.client.poll_event()));
            if !moved {
                return;
            }
        }
        panic!("the sessions never settled");
    }
}

#[test]
fn a_new_device_downloads_everything_without_marking_it_read() {
    let mut store = store_with(3);
    let mut phone = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    assert!(phone.client.is_synchronised());
    assert!(phone.events.contains(&ClientEvent::Synchronised {
        downloaded: 3,
        removed: 0,
        flags_updated: 0
    }));
    assert_eq!(phone.client.cache().messages.len(), 3);
    assert!(phone
        .client
        .cache()
        .messages
        .values()
        .all(|m| m.bytes.is_some()));
    assert!(
        store.messages("bob").iter().all(|m| !m.has_flag("\\Seen")),
        "BODY.PEEK"
    );
}

#[test]
fn imap_read_on_phone_is_seen_on_laptop() {
    let mut store = store_with(2);
    let mut phone = Device::connect(DeviceCache::default());
    let mut laptop = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    laptop.run(&mut store);
    phone.client.act(Intent::MarkRead(2));
    phone.run(&mut store);
    assert!(store.messages("bob")[1].has_flag("\\Seen"));
    // The laptop learns it at its next command (an IDLE here).
    laptop.client.act(Intent::Idle);
    laptop.run(&mut store);
    assert!(laptop.client.cache().messages[&2].flags.contains("\\Seen"));
}

#[test]
fn imap_expunge_on_laptop_reaches_the_idle_phone() {
    let mut store = store_with(3);
    let mut phone = Device::connect(DeviceCache::default());
    let mut laptop = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    laptop.run(&mut store);
    phone.client.act(Intent::Idle);
    phone.run(&mut store);
    assert!(phone.client.is_idling());
    laptop.client.act(Intent::Delete(2));
    laptop.run(&mut store);
    assert_eq!(store.messages("bob").len(), 2);
    phone.server.handle_store_change(&store);
    phone.run(&mut store);
    assert!(phone
        .events
        .contains(&ClientEvent::MessageRemoved { uid: 2 }));
    assert_eq!(
        phone
            .client
            .cache()
            .messages
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        [1, 3]
    );
    // New mail while idling is fetched, and the phone goes back to IDLE.
    store.deliver("bob", "a@b", b"Subject: m4\r\n\r\nnew\r\n".to_vec());
    phone.server.handle_store_change(&store);
    phone.run(&mut store);
    assert!(phone.client.cache().messages[&4].bytes.is_some());
    assert!(phone.client.is_idling());
}

#[test]
fn an_offline_device_resyncs_cheaply_with_condstore() {
    let mut store = store_with(3);
    let mut phone = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    let cache = phone.client.cache().clone();
    // While the phone is away: the laptop reads one, deletes another, new mail arrives.
    let mut laptop = Device::connect(DeviceCache::default());
    laptop.run(&mut store);
    laptop.client.act(Intent::MarkRead(1));
    laptop.client.act(Intent::Delete(3));
    laptop.run(&mut store);
    store.deliver("bob", "a@b", b"Subject: m4\r\n\r\nwhile away\r\n".to_vec());
    let mut phone = Device::connect(cache);
    phone.run(&mut store);
    assert!(
        phone.events.contains(&ClientEvent::Synchronised {
            downloaded: 1,
            removed: 1,
            flags_updated: 1
        }),
        "{:?}",
        phone.events
    );
    assert_eq!(
        phone
            .client
            .cache()
            .messages
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        [1, 2, 4]
    );
}

#[test]
fn a_changed_uidvalidity_throws_the_cache_away() {
    let mut store = store_with(1);
    let mut phone = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    let mut cache = phone.client.cache().clone();
    cache.uid_validity = Some(999);
    let mut phone = Device::connect(cache);
    phone.run(&mut store);
    assert!(phone.events.contains(&ClientEvent::CacheInvalidated));
    assert_eq!(phone.client.cache().messages.len(), 1);
}

#[test]
fn move_to_trash() {
    let mut store = store_with(2);
    store.create_folder("bob", "Trash").unwrap();
    let mut phone = Device::connect(DeviceCache::default());
    phone.run(&mut store);
    phone.client.act(Intent::MoveTo(1, "Trash".into()));
    phone.run(&mut store);
    assert_eq!(store.folder("bob", "Trash").unwrap().messages.len(), 1);
    assert_eq!(
        phone
            .client
            .cache()
            .messages
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        [2]
    );
}

/// A device's cache after a first sync of `store`, reading the server's output `chunk`
/// octets at a time.
fn first_sync(store: &mut MailStore, chunk: usize) -> (DeviceCache, Vec<ClientEvent>) {
    let mut device = Device::connect(DeviceCache::default());
    device.chunk = chunk;
    device.run(store);
    (device.client.cache().clone(), device.events)
}

#[test]
fn a_client_reading_in_small_pieces_ends_where_one_reading_whole_responses_does() {
    let mut store = store_with(5);
    // A big message too, so a literal arrives over many reads, as over TCP.
    let big: Vec<u8> = std::iter::once("Subject: big\r\n\r\n".to_string())
        .chain((0..20_000).map(|i| format!("line {i:05} of a long attachment\r\n")))
        .collect::<String>()
        .into_bytes();
    store.deliver("bob", "a@b", big);
    let whole = first_sync(&mut store.clone(), usize::MAX);
    assert_eq!(whole.0.messages.len(), 6, "{:?}", whole.1);
    assert!(whole.0.messages.values().all(|m| m.bytes.is_some()));
    for chunk in [1, 7, 1460] {
        assert_eq!(
            first_sync(&mut store.clone(), chunk),
            whole,
            "chunk {chunk}"
        );
    }
}

/// What our client sends after reading `lines` from a server, one command per entry.
fn client_commands(lines: &[&str]) -> Vec<String> {
    let mut client = ImapClient::new(ClientConfig::new("bob", "secret"), DeviceCache::default());
    let mut sent = Vec::new();
    for line in lines {
        client
            .handle_input(
                postroom_proto::Instant::ZERO,
                format!("{line}\r\n").as_bytes(),
            )
            .unwrap();
        sent.extend(
            std::iter::from_fn(|| client.poll_output()).map(|b| String::from_utf8(b).unwrap()),
        );
    }
    sent
}

// Found while fuzzing: UID 4294967295 made `known_max + 1` overflow (a panic in debug builds,
// `UID FETCH 0:*` in release), and a UID 0 from SEARCH was echoed into UID FETCH.
#[test]
fn broken_server_uids_are_neither_overflowed_nor_echoed() {
    let sent = client_commands(&[
        "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi",
        "A001 OK in",
        "A002 OK sel",
        "* SEARCH 4294967295",
        "A003 OK",
        "* 1 FETCH (UID 4294967295 BODY[] \"x\")",
        "A004 OK",
        "* 2 EXISTS",
    ]);
    assert!(sent.iter().all(|c| !c.contains("0:*")), "{sent:?}");
    // Nothing can follow the top UID: the client asks for everything again.
    assert_eq!(
        sent.last().map(String::as_str),
        Some("A005 UID FETCH 1:* (FLAGS BODY.PEEK[])\r\n")
    );
    let sent = client_commands(&[
        "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi",
        "A001 OK in",
        "A002 OK sel",
        "* SEARCH 0 2 4",
        "A003 OK",
    ]);
    let fetch = sent.iter().find(|c| c.contains("UID FETCH")).unwrap();
    assert!(fetch.contains("UID FETCH 2,4 "), "{sent:?}");
}

#[test]
fn configured_values_with_line_breaks_cannot_add_a_command() {
    let config = ClientConfig::new("bob", "sec\r\nA999 DELETE INBOX\r\nret");
    let mut client = ImapClient::new(config, DeviceCache::default());
    client
        .handle_input(
            postroom_proto::Instant::ZERO,
            b"* OK [CAPABILITY IMAP4rev1 LOGIN] hi\r\n",
        )
        .unwrap();
    let sent: String = std::iter::from_fn(|| client.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    assert_eq!(sent.matches("\r\n").count(), 1, "{sent:?}");
}
