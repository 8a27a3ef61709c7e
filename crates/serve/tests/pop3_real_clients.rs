//! Real POP3 clients against `postroom-serve`: Python's poplib, curl, fetchmail (keep and
//! no-keep) and getmail (as an unprivileged user). What they see, and what is left on the
//! server afterwards, must be what RFC 1939 says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{deliver, run, Serve, PYTHON};

/// How many messages poplib's STAT sees for bob now.
fn count(serve: &Serve) -> usize {
    let script = "import poplib, sys\np = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)\np.user('bob'); p.pass_('secret')\nprint(p.stat()[0]); p.quit()";
    let out = run(PYTHON, &["-c", script, &serve.port(110).to_string()], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stdout.trim().parse().unwrap()
}

#[test]
fn poplib_walks_every_command_and_quit_deletes_what_was_marked() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["first", "second", "third"]);
    let script = r#"
import poplib, sys
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
assert p.getwelcome().startswith(b'+OK POP3 server ready <')
caps = p.capa()
assert 'UIDL' in caps and 'TOP' in caps and caps['SASL'] == ['PLAIN'], caps
p.user('bob'); p.pass_('secret')
count, size = p.stat()
assert count == 3
resp, listing, octets = p.list()
sizes = [int(l.split()[1]) for l in listing]
assert sum(sizes) == size
resp, uids, _ = p.uidl()
assert len(uids) == 3
resp, lines, octets = p.retr(1)
assert b'Subject: first' in lines and b'.A line with a leading period.' in lines, lines
assert octets >= sizes[0] - 2, (octets, sizes)
resp, top, _ = p.top(2, 0)
assert b'Subject: second' in top and b'Hello.' not in top
p.dele(1); p.dele(2)
assert p.stat()[0] == 1
p.rset()
assert p.stat()[0] == 3
p.dele(1)
try:
    p.retr(1); raise SystemExit('RETR of a deleted message worked')
except poplib.error_proto as e:
    assert b'already deleted' in e.args[0], e
p.quit()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(110).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    serve.wait_for("UPDATE deleted UID 1", 1);
    assert_eq!(count(&serve), 2);
}

#[test]
fn poplib_apop_logs_in_without_sending_the_password() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["one"]);
    let script = "import poplib, sys\np = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)\np.apop('bob', 'secret')\nprint(p.stat()[0]); p.quit()";
    let out = run(PYTHON, &["-c", script, &serve.port(110).to_string()], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "1");
    // The transcript reaches the log through a pipe: wait for it rather than race it.
    let log = serve.wait_for("C: APOP bob ", 1);
    assert!(
        log.contains("C: APOP bob ") && !log.contains("secret"),
        "{log}"
    );
}

#[test]
fn a_poplib_session_killed_before_quit_deletes_nothing() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["one", "two"]);
    let script = "import poplib, sys, os\np = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)\np.user('bob'); p.pass_('secret'); p.dele(1); p.dele(2)\nos._exit(0)";
    let out = run(PYTHON, &["-c", script, &serve.port(110).to_string()], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
    serve.wait_for("session ended without UPDATE: nothing deleted", 1);
    assert_eq!(count(&serve), 2);
}

#[test]
fn a_second_poplib_session_gets_in_use_while_the_first_holds_the_mailbox() {
    let serve = Serve::start(&[]);
    let script = r#"
import poplib, sys
port = int(sys.argv[1])
a = poplib.POP3('127.0.0.1', port, timeout=20); a.user('bob'); a.pass_('secret')
b = poplib.POP3('127.0.0.1', port, timeout=20); b.user('bob')
try:
    b.pass_('secret'); raise SystemExit('second session got in')
except poplib.error_proto as e:
    assert e.args[0].startswith(b'-ERR [IN-USE]'), e
a.quit()
b.user('bob'); b.pass_('secret'); b.quit()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(110).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn curl_lists_and_retrieves_with_sasl_plain() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["for curl"]);
    let base = format!("pop3://127.0.0.1:{}/", serve.port(110));
    let list = run("curl", &["-sS", "--user", "bob:secret", &base], "");
    assert_eq!(list.status, 0, "{}", list.stderr);
    assert!(list.stdout.starts_with("1 "), "{}", list.stdout);
    let one = run(
        "curl",
        &["-sS", "--user", "bob:secret", &format!("{base}1")],
        "",
    );
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(
        one.stdout.contains("Subject: for curl")
            && one.stdout.contains("\n.A line with a leading period."),
        "{}",
        one.stdout
    );
    let log = serve.log();
    assert!(
        log.contains("C: AUTH PLAIN") && log.contains("S: + "),
        "{log}"
    );
}

fn fetchmail(dir: &Path, port: u16, keep: &str) -> String {
    let rc = dir.join("fetchmailrc");
    let out = dir.join("mbox");
    fs::write(
        &rc,
        format!(
            "poll 127.0.0.1 protocol pop3 port {port} auth password\n  user \"bob\" there with password \"secret\" is \"root\" here\n  {keep} sslproto '' mda \"/bin/sh -c 'cat >> {}'\"\n",
            out.display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .args(["600", rc.to_str().unwrap()])
        .status()
        .unwrap();
    let home = dir.to_str().unwrap();
    let result = Command::new("fetchmail")
        .args(["-f", rc.to_str().unwrap(), "--nosyslog", "-v"])
        .env("HOME", home)
        .env("FETCHMAILHOME", home)
        .output()
        .expect("fetchmail (installed by scripts/setup)");
    String::from_utf8_lossy(&result.stdout).into_owned() + &String::from_utf8_lossy(&result.stderr)
}

#[test]
fn fetchmail_keep_then_nokeep() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["a", "b"]);
    let dir = tempdir("fetchmail");
    // keep: it tries the obsolete LAST, gets -ERR, carries on with UIDL, and leaves the mail.
    let log = fetchmail(&dir, serve.port(110), "keep");
    assert!(
        log.contains("POP3> LAST") && log.contains("POP3< -ERR Unknown command"),
        "{log}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("mbox"))
            .unwrap()
            .matches("Subject: ")
            .count(),
        2
    );
    assert_eq!(count(&serve), 2);
    // A second keep run finds nothing new: fetchmail remembers the UIDs.
    deliver(&serve, "bob", &["c"]);
    fetchmail(&dir, serve.port(110), "keep");
    assert_eq!(
        fs::read_to_string(dir.join("mbox"))
            .unwrap()
            .matches("Subject: ")
            .count(),
        3
    );
    // nokeep: download and delete.
    let log = fetchmail(&dir, serve.port(110), "nokeep fetchall");
    assert!(log.contains("POP3> DELE"), "{log}");
    assert_eq!(count(&serve), 0);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "postroom-{name}-{}-{}",
        std::process::id(),
        support::unique()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn getmail_as_an_unprivileged_user_reads_then_deletes() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["x", "y"]);
    let dir = tempdir("getmail");
    for sub in ["Maildir/new", "Maildir/cur", "Maildir/tmp"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let rc = |delete: bool| {
        format!(
            "[retriever]\ntype = SimplePOP3Retriever\nserver = 127.0.0.1\nport = {}\nusername = bob\npassword = secret\n\n[destination]\ntype = Maildir\npath = {}/Maildir/\n\n[options]\nread_all = true\ndelete = {delete}\n",
            serve.port(110),
            dir.display()
        )
    };
    fs::write(dir.join("keep.rc"), rc(false)).unwrap();
    fs::write(dir.join("delete.rc"), rc(true)).unwrap();
    Command::new("chown")
        .args(["-R", "nobody:nogroup", dir.to_str().unwrap()])
        .status()
        .unwrap();
    let getmail = |rcfile: &str| {
        // getmail refuses to run as root.
        let out = Command::new("setpriv")
            .args([
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "getmail",
                "--getmaildir",
                dir.to_str().unwrap(),
                "--rcfile",
                rcfile,
            ])
            .env("HOME", dir.to_str().unwrap())
            .output()
            .expect("getmail (getmail6, installed by scripts/setup)");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    getmail("keep.rc");
    assert_eq!(fs::read_dir(dir.join("Maildir/new")).unwrap().count(), 2);
    assert_eq!(count(&serve), 2);
    getmail("delete.rc");
    assert_eq!(count(&serve), 0);
    let _ = fs::remove_dir_all(&dir);
}

/// --require-tls covers POP3 too: USER and PASS wait for STLS (RFC 2595 §4), and wrong
/// passwords are slowed down and cut off after three.
#[test]
fn pop3_logins_wait_for_tls_when_required_and_guessing_is_slowed() {
    use std::io::{BufRead, BufReader, Write};
    let serve = Serve::start(&["--require-tls"]);
    let tcp = std::net::TcpStream::connect(("127.0.0.1", serve.port(110))).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut writer = tcp.try_clone().unwrap();
    let mut reader = BufReader::new(tcp);
    let mut line = String::new();
    let mut next = |reader: &mut BufReader<std::net::TcpStream>| {
        line.clear();
        reader.read_line(&mut line).unwrap();
        line.clone()
    };
    assert!(next(&mut reader).starts_with("+OK"));
    writer.write_all(b"USER bob\r\n").unwrap();
    let refused = next(&mut reader);
    assert!(refused.starts_with("-ERR"), "{refused}");

    let serve = Serve::start(&[]);
    let tcp = std::net::TcpStream::connect(("127.0.0.1", serve.port(110))).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut writer = tcp.try_clone().unwrap();
    let mut reader = BufReader::new(tcp);
    assert!(next(&mut reader).starts_with("+OK"));
    let started = std::time::Instant::now();
    let mut answers = Vec::new();
    for guess in ["a", "b", "c"] {
        writer
            .write_all(format!("USER bob\r\nPASS {guess}\r\n").as_bytes())
            .unwrap();
        next(&mut reader);
        answers.push(next(&mut reader));
    }
    // Each failure holds the connection a second before the next command is read.
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert!(answers[2].contains("too many failures"), "{answers:?}");
}
