//! Our SMTP client against real, independent servers: aiosmtpd (Python) and Postfix's
//! smtp-sink. Each must accept every message our client sends, pipelined where offered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant as StdInstant};

use postroom_proto::message::Message;
use postroom_proto::smtp::{ClientConfig, ClientEvent, Mailbox, ReversePath, SmtpClient};
use postroom_proto::Instant;
use postroom_serve::drive::{run_client, ClientRun};
use support::{free_offset, PYTHON};

struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until_listening(addr: SocketAddr) {
    let deadline = StdInstant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(StdInstant::now() < deadline, "nothing listens on {addr}");
        thread::sleep(Duration::from_millis(50));
    }
}

fn messages(n: usize) -> Vec<Vec<u8>> {
    (1..=n)
        .map(|i| {
            Message::new(
                "alice@example.org",
                "bob@example.test",
                &format!("Test message {i}"),
                "Fri, 6 Mar 2026 09:00:00 +0000",
                "Hello.\n.A line that starts with a period.\n..and two.\n",
            )
            .to_bytes()
        })
        .collect()
}

fn send_all(addr: SocketAddr, count: usize, recipients: &[&str]) -> ClientRun {
    let mut client = SmtpClient::new(ClientConfig::new("postroom.example.org"), Instant::ZERO);
    let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap());
    let to: Vec<Mailbox> = recipients
        .iter()
        .map(|r| Mailbox::try_from(*r).unwrap())
        .collect();
    for m in messages(count) {
        client.send(from.clone(), to.clone(), m).unwrap();
    }
    client.quit();
    run_client(addr, client, Duration::from_secs(20)).unwrap()
}

#[test]
fn our_client_delivers_to_aiosmtpd() {
    let port = free_offset() + 25;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(PYTHON)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Debugging",
        ])
        // Unbuffered, so what it printed is all there when it is stopped.
        .env("PYTHONUNBUFFERED", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd (python3-aiosmtpd, installed by scripts/setup)");
    let mut peer = Peer(child);
    wait_until_listening(addr);
    let run = send_all(addr, 3, &["bob@example.test", "carol@example.test"]);
    assert_eq!(run.accepted(), 3, "{:#?}", run.transcript);
    assert!(matches!(run.events.last(), Some(ClientEvent::Closed)));
    assert!(run
        .transcript
        .iter()
        .any(|l| l == "C: ..A line that starts with a period."));
    // aiosmtpd's Debugging handler prints each message it received, un-stuffed.
    let output = stop_and_read(&mut peer.0);
    for i in 1..=3 {
        assert!(
            output.contains(&format!("Subject: Test message {i}")),
            "{output}"
        );
    }
    assert!(
        output.contains("\n.A line that starts with a period."),
        "{output}"
    );
}

#[test]
fn our_client_pipelines_to_smtp_sink() {
    let port = free_offset() + 25;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new("smtp-sink")
        .args(["-u", "nobody", &format!("127.0.0.1:{port}"), "10"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("smtp-sink (postfix, installed by scripts/setup)");
    let _peer = Peer(child);
    wait_until_listening(addr);
    let run = send_all(addr, 5, &["bob@example.test"]);
    assert_eq!(run.accepted(), 5, "{:#?}", run.transcript);
    // smtp-sink offers PIPELINING, so MAIL, RCPT and DATA went out before their replies.
    let mail = run
        .transcript
        .iter()
        .position(|l| l.starts_with("C: MAIL FROM:"))
        .unwrap();
    assert_eq!(run.transcript[mail + 1], "C: RCPT TO:<bob@example.test>");
    assert_eq!(run.transcript[mail + 2], "C: DATA");
}

fn stop_and_read(child: &mut Child) -> String {
    use std::io::Read;
    let _ = child.kill();
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    let _ = child.wait();
    out
}
