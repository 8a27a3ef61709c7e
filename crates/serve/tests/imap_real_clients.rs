//! Real IMAP clients against `postroom-serve`: Python's imaplib (including IDLE while
//! another session expunges), curl, getmail, and mutt driven through tmux.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

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
import time
typ, data = M.fetch('1', '(INTERNALDATE)')
assert abs(time.mktime(imaplib.Internaldate2tuple(data[0])) - time.time()) < 86400, data
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
    // The APPEND literal was synchronising: the server said "+" before imaplib sent it.
    serve.wait_for("S: + Ready for literal data", 1);
}

/// UIDPLUS (RFC 4315) as Python's imaplib reads it: APPENDUID and COPYUID arrive as response
/// codes it files under their names, and UID EXPUNGE removes only the \\Deleted messages
/// named. No mail program on this machine sends MULTIAPPEND (imaplib, curl and mutt append
/// one message per command); it is checked beside Dovecot in `imap_beside_dovecot`.
#[test]
fn imaplib_reads_appenduid_and_copyuid_and_sends_uid_expunge() {
    let serve = Serve::start(&[]);
    let script = r#"
import imaplib, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
assert 'UIDPLUS' in M.capabilities and 'MULTIAPPEND' in M.capabilities, M.capabilities
M.login('bob', 'secret')
uids = []
for n in range(3):
    typ, data = M.append('INBOX', None, None, f'Subject: m{n}\r\n\r\nbody\r\n'.encode())
    assert typ == 'OK', data
    typ, code = M.response('APPENDUID')
    validity, uid = code[0].split()
    uids.append(int(uid))
assert uids == [1, 2, 3], uids
M.create('Keep')
M.select('INBOX')
typ, data = M.uid('COPY', '1:2', 'Keep'); assert typ == 'OK', data
typ, code = M.response('COPYUID')
assert code[0].split()[1:] == [b'1:2', b'1:2'], code
M.store('1:3', '+FLAGS.SILENT', '(\\Deleted)')
typ, data = M.uid('EXPUNGE', '2'); assert typ == 'OK', data
typ, data = M.uid('SEARCH', None, 'ALL'); assert data == [b'1 3'], data
typ, data = M.status('Keep', '(MESSAGES)'); assert data == [b'Keep (MESSAGES 2)'], data
M.logout()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
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
line = phone.readline()
# RFC 3501 §7.3.2: a RECENT count may follow EXISTS (which session gets \Recent for a message
# appended by another is left open by RFC 3501 §2.3.2).
if line.endswith(b' RECENT\r\n'):
    line = phone.readline()
assert line == f'{tag} OK IDLE terminated\r\n'.encode(), line
phone.logout(); laptop.logout()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
}

/// RFC 9051 through imaplib: both revisions advertised, ENABLE IMAP4rev2, then SELECT
/// without RECENT and with its LIST response, ESEARCH, "$", extended LIST with STATUS and
/// BINARY. imaplib knows none of it by name, so the commands go raw and the answers are
/// read from its untagged responses.
#[test]
fn imaplib_enables_imap4rev2_and_uses_esearch_searchres_list_status_and_binary() {
    let serve = Serve::start(&[]);
    deliver(&serve, "bob", &["one", "two", "three"]);
    let script = r#"
import imaplib, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
assert 'IMAP4REV1' in M.capabilities and 'IMAP4REV2' in M.capabilities, M.capabilities
assert 'ESEARCH' in M.capabilities and 'LIST-STATUS' in M.capabilities, M.capabilities
M.login('bob', 'secret')
typ, data = M._simple_command('ENABLE', 'IMAP4rev2'); assert typ == 'OK', data
typ, data = M._untagged_response(typ, data, 'ENABLED'); assert data == [b'IMAP4rev2'], data
typ, data = M.select('INBOX'); assert data == [b'3'], data
assert 'RECENT' not in M.untagged_responses, M.untagged_responses
typ, data = M._untagged_response('OK', None, 'LIST'); assert data == [b'() "/" INBOX'], data
typ, data = M._simple_command('SEARCH', 'RETURN', '(MIN MAX COUNT SAVE)', 'ALL')
typ, data = M._untagged_response(typ, data, 'ESEARCH')
assert data[0].endswith(b' MIN 1 MAX 3 COUNT 3'), data
typ, data = M._simple_command('UID', 'SEARCH', 'UNSEEN')
typ, data = M._untagged_response(typ, data, 'ESEARCH')
assert data[0].endswith(b' UID ALL 1:3'), data
typ, data = M.fetch('$', '(UID)'); assert len(data) == 3, data
typ, data = M.fetch('2', '(BINARY.PEEK[1] BINARY.SIZE[1])')
assert typ == 'OK' and b'.A line with a leading period.' in data[0][1], data
typ, data = M._simple_command('LIST', '""', '%', 'RETURN', '(STATUS', '(MESSAGES', 'UNSEEN))')
typ, data = M._untagged_response(typ, data, 'STATUS')
assert data == [b'INBOX (MESSAGES 3 UNSEEN 3)'], data
M.logout()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    serve.wait_for("S: * ENABLED IMAP4rev2", 1);
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
    // The transcript reaches the log through a pipe: wait for it rather than race it.
    let log = serve.wait_for("AUTHENTICATE PLAIN", 1);
    assert!(
        log.contains("C: A001 CAPABILITY") || log.contains("CAPABILITY"),
        "{log}"
    );
    // The initial response rides on the command's line (SASL-IR), hidden as a secret.
    assert!(
        log.contains("AUTHENTICATE PLAIN ••••••••") && !log.contains("AGJvYgBzZWNyZXQ="),
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
        support::unique()
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

/// A tmux server on its own socket running one program, killed (with the program) when
/// dropped, so a failed assertion leaves no terminal behind.
struct Tmux {
    socket: String,
    session: String,
    dir: PathBuf,
}

impl Tmux {
    /// Starts `command` in a detached 160x48 session; `home` becomes its HOME.
    fn start(name: &str, home: &std::path::Path, command: &str) -> Tmux {
        let unique = format!("{name}-{}-{}", std::process::id(), support::unique());
        let tmux = Tmux {
            socket: unique.clone(),
            session: unique,
            dir: home.to_path_buf(),
        };
        let out = Command::new("tmux")
            // No user tmux.conf: the screen must look the same on every machine.
            .args(["-L", &tmux.socket, "-f", "/dev/null"])
            .args([
                "new-session",
                "-d",
                "-s",
                &tmux.session,
                "-x",
                "160",
                "-y",
                "48",
            ])
            .arg(command)
            .env("HOME", home)
            // A test run from inside tmux must not talk to the outer server.
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| panic!("cannot run tmux (installed by scripts/setup): {e}"));
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        self.run(&args);
    }

    /// Polls the screen for up to 20 s until `done` holds; the screen it held on.
    fn wait(&self, what: &str, serve: &Serve, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited 20 s for the screen to show {what}; screen:\n{screen}\nbridge transcript:\n{}",
                serve.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .env_remove("TMUX")
            .output();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The status flags mutt shows for the message with `subject` (index_format "%4C %Z %s"),
/// if the message is listed: "N" new, "D" deleted, "" read.
fn index_flags(screen: &str, subject: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.ends_with(subject))?;
    let head = line.strip_suffix(subject)?.trim();
    Some(
        head.split_once(' ')
            .map_or("", |(_, f)| f.trim())
            .to_string(),
    )
}

#[test]
fn mutt_in_tmux_opens_reads_deletes_and_syncs() {
    // A missing mutt is a broken setup, not a reason to skip.
    let version = Command::new("mutt").arg("-v").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "mutt is not installed: scripts/setup installs it"
    );
    let serve = Serve::start(&[]);
    let subjects = ["mutt first", "mutt second", "mutt third"];
    deliver(&serve, "bob", &subjects);
    let home = std::env::temp_dir().join(format!(
        "postroom-mutt-{}-{}",
        std::process::id(),
        support::unique()
    ));
    let _ = fs::remove_dir_all(&home);
    fs::create_dir_all(&home).unwrap();
    // Plain IMAP on loopback, nothing cached on disk, and no question that would stop the
    // keys below: `$` and quitting expunge without asking, nothing is moved to an mbox.
    let muttrc = format!(
        "set folder=\"imap://bob@127.0.0.1:{port}/\"\n\
         set spoolfile=\"+INBOX\"\n\
         set imap_user=bob\n\
         set imap_pass=secret\n\
         set ssl_starttls=no\n\
         set ssl_force_tls=no\n\
         set imap_idle=no\n\
         set imap_check_subscribed=no\n\
         set header_cache=\"\"\n\
         set message_cachedir=\"\"\n\
         set certificate_file=\"{home}/certificates\"\n\
         set tmpdir=\"{home}\"\n\
         set record=\"\"\n\
         set mark_old=no\n\
         set delete=yes\n\
         set move=no\n\
         set quit=yes\n\
         set confirmappend=no\n\
         set confirmcreate=no\n\
         set wait_key=no\n\
         set beep=no\n\
         set sort=mailbox-order\n\
         set index_format=\"%4C %Z %s\"\n",
        port = serve.port(143),
        home = home.display()
    );
    let rc = home.join("muttrc");
    let status = home.join("mutt-status");
    fs::write(&rc, muttrc).unwrap();
    let mutt = Tmux::start(
        "postroom-mutt",
        &home,
        // The exit status goes to a file: tmux may drop a dying pane's last output.
        &format!(
            "mutt -n -F '{}'; echo $? > '{}.tmp' && mv '{}.tmp' '{}'",
            rc.display(),
            status.display(),
            status.display(),
            status.display()
        ),
    );

    let index = mutt.wait("the three seeded messages", &serve, |s| {
        subjects
            .iter()
            .all(|subject| index_flags(s, subject).is_some())
    });
    println!("index:\n{index}");
    for subject in subjects {
        assert_eq!(
            index_flags(&index, subject).as_deref(),
            Some("N"),
            "{subject} listed as new:\n{index}"
        );
    }

    // Read the first message in the pager, then back to the index.
    mutt.keys(&["Enter"]);
    let pager = mutt.wait("the first message's body", &serve, |s| {
        s.contains(".A line with a leading period.")
    });
    println!("pager:\n{pager}");
    assert!(pager.contains("Subject: mutt first"), "{pager}");
    mutt.keys(&["q"]);
    mutt.wait("the first message as read", &serve, |s| {
        index_flags(s, "mutt first").as_deref() == Some("")
    });

    // Jump to message 2, delete it, and sync the mailbox.
    mutt.keys(&["2", "Enter", "d"]);
    let index = mutt.wait("the second message marked deleted", &serve, |s| {
        index_flags(s, "mutt second").is_some_and(|f| f.contains('D'))
    });
    println!("marked:\n{index}");
    mutt.keys(&["$"]);
    let index = mutt.wait("the second message gone", &serve, |s| {
        index_flags(s, "mutt second").is_none() && index_flags(s, "mutt third").is_some()
    });
    println!("synced:\n{index}");
    serve.wait_for("expunged UID 2 from INBOX", 1);

    mutt.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !status.exists() {
        assert!(
            Instant::now() < deadline,
            "mutt did not quit; screen:\n{}\nbridge transcript:\n{}",
            mutt.screen(),
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let code = fs::read_to_string(&status).unwrap();
    assert_eq!(code.trim(), "0", "mutt's exit status");
    drop(mutt);

    // What the server kept, seen from a second, independent client.
    let script = r#"
import imaplib, sys
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1])); M.login('bob', 'secret')
typ, data = M.select('INBOX', readonly=True); assert data == [b'2'], data
typ, data = M.fetch('1:*', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
for item in data:
    if isinstance(item, tuple):
        print(item[0].decode(), item[1].decode().strip())
M.logout()
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(143).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].contains("\\Seen") && lines[0].ends_with("Subject: mutt first"),
        "{}",
        out.stdout
    );
    assert!(
        !lines[1].contains("\\Seen") && lines[1].ends_with("Subject: mutt third"),
        "{}",
        out.stdout
    );
}
