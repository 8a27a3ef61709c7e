//! Real IMAP clients against `postroom-serve`: Python's imaplib (including IDLE while
//! another session expunges), curl and getmail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fs;
use std::process::Command;

use support::{deliver, run, Serve, PYTHON};

#[test]
fn imaplib_lists_selects_fetches_stores_expunges_and_appends() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["one", "two", "three"]);
    let script = r#"
import imaplib, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
assert 'IMAP4REV1' in M.capabilities and 'IDLE' in M.capabilities, M.capabilities
typ, _ = M.login('bob', 'secret'); assert typ == 'OK'
typ, boxes = M.list(); assert boxes == [b'() "/" INBOX'], boxes
typ, data = M.select('INBOX'); assert data == [b'3'], data
typ, data = M.fetch('1:*', '(UID FLAGS RFC822.SIZE)'); assert len(data) == 3, data
typ, data = M.fetch('2', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
assert data[0][1] == b'Subject: two\r\n\r\n', data
typ, data = M.fetch('1', '(BODY[])')
assert b'\r\n.A line with a leading period.\r\n' in data[0][1], data
typ, data = M.fetch('1', '(FLAGS)'); assert b'\\Seen' in data[0], data
typ, data = M.store('2', '+FLAGS', '(\\Deleted)'); assert typ == 'OK'
typ, data = M.expunge(); assert data == [b'2'], data
typ, data = M.append('INBOX', '(\\Flagged)', None, b'Subject: appended\r\n\r\nwith a literal\r\n')
assert typ == 'OK' and b'APPENDUID' in data[0], data
typ, data = M.search(None, 'FLAGGED'); assert data == [b'3'], data
typ, data = M.uid('SEARCH', None, 'UNSEEN'); assert data == [b'3 4'], data
M.create('Trash')
typ, data = M.uid('MOVE', '4', 'Trash'); assert typ == 'OK', data
typ, data = M.status('Trash', '(MESSAGES)'); assert data == [b'Trash (MESSAGES 1)'], data
M.close(); M.logout()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    let log = serve.log();
    // The APPEND literal was synchronising: the server said "+" before imaplib sent it.
    assert!(log.contains("S: + Ready for literal data"), "{log}");
}

#[test]
fn imaplib_in_idle_hears_another_session_expunge_and_new_mail() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["one", "two"]);
    let script = r#"
import imaplib, sys, socket
port = int(sys.argv[1])
phone = imaplib.IMAP4('127.0.0.1', port); phone.login('bob', 'secret'); phone.select('INBOX')
laptop = imaplib.IMAP4('127.0.0.1', port); laptop.login('bob', 'secret'); laptop.select('INBOX')
tag = phone._new_tag().decode()
phone.send(f'{tag} IDLE\r\n'.encode())
assert phone.readline().startswith(b'+ '), 'no continuation for IDLE'
laptop.store('1', '+FLAGS', '(\\Deleted)'); laptop.expunge()
phone.sock.settimeout(10)
lines = []
while not any(b'EXPUNGE' in l for l in lines):
    lines.append(phone.readline())
assert lines[-1] == b'* 1 EXPUNGE\r\n', lines
laptop.append('INBOX', None, None, b'Subject: fresh\r\n\r\nnew mail\r\n')
line = phone.readline()
while b'EXISTS' not in line:
    line = phone.readline()
assert line == b'* 2 EXISTS\r\n', line
phone.send(b'DONE\r\n')
assert phone.readline() == f'{tag} OK IDLE terminated\r\n'.encode()
phone.logout(); laptop.logout()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn imaplib_starttls_then_login() {
    let serve = Serve::start(&["--require-tls"]);
    let script = r#"
import imaplib, ssl, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
assert 'LOGINDISABLED' in M.capabilities and 'STARTTLS' in M.capabilities
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
M.starttls(ssl_context=ctx)
assert 'LOGINDISABLED' not in M.capabilities, M.capabilities
M.login('bob', 'secret'); M.logout(); print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    serve.wait_for("TLS established (STARTTLS)", 1);
}

#[test]
fn curl_fetches_a_message_by_uid_with_sasl_ir() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["for curl"]);
    let url = format!("imap://127.0.0.1:{}/INBOX;UID=1", serve.port(143));
    let out = run("curl", &["-sS", "--user", "bob:secret", &url], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Subject: for curl"), "{}", out.stdout);
    let log = serve.log();
    assert!(
        log.contains("C: A001 CAPABILITY") || log.contains("CAPABILITY"),
        "{log}"
    );
    assert!(
        log.contains("AUTHENTICATE PLAIN AGJvYgBzZWNyZXQ="),
        "curl uses SASL-IR: {log}"
    );
}

#[test]
fn getmail_reads_with_examine_and_peek_as_an_unprivileged_user() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["x", "y"]);
    let dir = std::env::temp_dir().join(format!(
        "postroom-getmail-imap-{}-{}",
        std::process::id(),
        support::free_offset()
    ));
    let _ = fs::remove_dir_all(&dir);
    for sub in ["Maildir/new", "Maildir/cur", "Maildir/tmp"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let rc = format!(
        "[retriever]\ntype = SimpleIMAPRetriever\nserver = 127.0.0.1\nport = {}\nusername = bob\npassword = secret\nmailboxes = (\"INBOX\",)\n\n[destination]\ntype = Maildir\npath = {}/Maildir/\n\n[options]\nread_all = true\ndelete = false\n",
        serve.port(143),
        dir.display()
    );
    fs::write(dir.join("rc"), rc).unwrap();
    Command::new("chown")
        .args(["-R", "nobody:nogroup", dir.to_str().unwrap()])
        .status()
        .unwrap();
    let out = Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "getmail",
            "--getmaildir",
            dir.to_str().unwrap(),
            "--rcfile",
            "rc",
        ])
        .env("HOME", dir.to_str().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_dir(dir.join("Maildir/new")).unwrap().count(), 2);
    let log = serve.log();
    assert!(log.contains("EXAMINE") || log.contains("SELECT"), "{log}");
    let _ = fs::remove_dir_all(&dir);
}
