//! What students read must be true: replies explained by what they really say, each with the
//! RFC section that defines it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use postroom_proto::imap::ImapNarrator;
use postroom_proto::pop3::Pop3Narrator;
use postroom_proto::session::Narrator;
use postroom_proto::smtp::{self, ReplyTo, SmtpNarrator, Verb};

fn smtp_reply(line: &str, to: ReplyTo) -> postroom_proto::Explanation {
    let (reply, _) = smtp::decode::reply(line.as_bytes()).unwrap();
    smtp::explain::reply(&reply, to)
}

#[test]
fn greylisting_is_named_and_its_retry_rule_cited() {
    let e = smtp_reply(
        "451 4.7.1 Greylisted: please try again later\r\n",
        ReplyTo::Command(Verb::Rcpt),
    );
    assert!(e.title.starts_with("Greylisted"), "{e:?}");
    assert_eq!((e.rfc.rfc, e.rfc.section), (5321, "4.5.4.1"));
}

#[test]
fn data_refused_for_want_of_recipients_is_not_called_a_missing_mailbox() {
    let e = smtp_reply(
        "554 5.5.1 No valid recipients\r\n",
        ReplyTo::Command(Verb::Data),
    );
    assert!(e.title.starts_with("No valid recipients"), "{e:?}");
    assert!(!e.why.contains("does not exist"), "{e:?}");
    assert_eq!((e.rfc.rfc, e.rfc.section), (5321, "3.3"));
}

#[test]
fn a_full_mailbox_is_a_full_mailbox() {
    let e = smtp_reply("552 5.2.2 Mailbox full\r\n", ReplyTo::DataEnd);
    assert!(e.title.contains("mailbox is full"), "{e:?}");
    assert!(!e.why.contains("does not exist"), "{e:?}");
}

#[test]
fn pop3_greeting_auth_code_and_quit_say_what_they_are() {
    let mut n = Pop3Narrator::new();
    let greeting = n.server_unit(b"+OK POP3 server ready\r\n");
    assert_eq!(greeting.title, "The server is ready");
    assert!(!greeting.why.contains("command succeeded"));
    assert_eq!((greeting.rfc.rfc, greeting.rfc.section), (1939, "4"));
    n.client_line(b"USER bob\r\n");
    n.server_unit(b"+OK\r\n");
    n.client_line(b"PASS wrong\r\n");
    let refused = n.server_unit(b"-ERR [AUTH] Invalid login\r\n");
    assert_eq!((refused.rfc.rfc, refused.rfc.section), (3206, "5"));
    assert!(refused.why.contains("unknown user name"), "{refused:?}");
    n.client_line(b"QUIT\r\n");
    let quit = n.server_unit(b"+OK bye\r\n");
    assert_eq!(quit.title, "Signed off before logging in: nothing changed");
}

#[test]
fn pop3_quit_after_login_is_the_update_state() {
    let mut n = Pop3Narrator::new();
    n.server_unit(b"+OK ready\r\n");
    for (c, s) in [("USER bob", "+OK"), ("PASS secret", "+OK 2 messages")] {
        n.client_line(format!("{c}\r\n").as_bytes());
        n.server_unit(format!("{s}\r\n").as_bytes());
    }
    n.client_line(b"QUIT\r\n");
    let quit = n.server_unit(b"+OK bye\r\n");
    assert!(quit.title.contains("DELE are now deleted"), "{quit:?}");
    assert_eq!((quit.rfc.rfc, quit.rfc.section), (1939, "6"));
}

#[test]
fn an_imap4rev1_greeting_cites_rfc_3501_and_a_rev2_one_rfc_9051() {
    let rev1 = ImapNarrator::new().server_unit(b"* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n");
    assert_eq!(rev1.rfc.rfc, 3501);
    let rev2 =
        ImapNarrator::new().server_unit(b"* OK [CAPABILITY IMAP4rev1 IMAP4rev2 IDLE] ready\r\n");
    assert_eq!(rev2.rfc.rfc, 9051);
}

#[test]
fn smtp_narrator_explains_a_refused_data_as_such() {
    let mut n = SmtpNarrator::new();
    n.server_unit(b"220 mx ESMTP\r\n");
    for line in ["EHLO a", "MAIL FROM:<a@b.c>", "RCPT TO:<x@y.z>", "DATA"] {
        n.client_line(format!("{line}\r\n").as_bytes());
    }
    n.server_unit(b"250 mx\r\n");
    n.server_unit(b"250 OK\r\n");
    n.server_unit(b"451 4.7.1 Greylisted\r\n");
    let data = n.server_unit(b"554 5.5.1 No valid recipients\r\n");
    assert!(data.title.starts_with("No valid recipients"), "{data:?}");
    assert!(!n.in_data(), "no 354: the client must not send the message");
}

#[test]
fn uidplus_codes_and_multiappend_are_explained_with_their_rfc() {
    use postroom_proto::imap::decode;
    let mut n = ImapNarrator::new();
    let appended = n.server_unit(b"a1 OK [APPENDUID 7 3] APPEND completed\r\n");
    assert_eq!(appended.title, "Stored: the new message has UID 3");
    assert_eq!((appended.rfc.rfc, appended.rfc.section), (4315, "3"));
    let several = n.server_unit(b"a2 OK [APPENDUID 7 4:6] APPEND completed\r\n");
    assert_eq!(several.title, "Stored: the new messages have UIDs 4:6");
    let copied = n.server_unit(b"a3 OK [COPYUID 9 1:2 5:6] COPY completed\r\n");
    assert_eq!(
        copied.title,
        "Copied: UIDs 1:2 are 5:6 in the target mailbox"
    );
    let moved =
        n.server_unit(b"* OK [COPYUID 9 4 7] Moved\r\n* 1 EXPUNGE\r\na4 OK MOVE completed\r\n");
    assert_eq!(moved.title, "Moved: UIDs 4 are 7 in the target mailbox");
    assert_eq!((moved.rfc.rfc, moved.rfc.section), (4315, "3"));
    let (_, multi) =
        decode::command(b"a5 APPEND Sent (\\Seen) {2+}\r\nhi {3+}\r\nbye\r\n").unwrap();
    let e = postroom_proto::imap::explain::command(&multi);
    assert_eq!(e.title, "Put 2 messages (5 octets) into Sent at once");
    assert_eq!((e.rfc.rfc, e.rfc.section), (3502, "6.3.11"));
}

/// Feeds an IMAP dialogue to the narrator; the explanation of the last server unit.
fn imap_dialogue(dialogue: &[(bool, &str)]) -> postroom_proto::Explanation {
    let mut narrator = ImapNarrator::new();
    let mut last = None;
    for (from_client, text) in dialogue {
        if *from_client {
            narrator.client_line(text.as_bytes());
        } else {
            last = Some(narrator.server_unit(text.as_bytes()));
        }
    }
    last.unwrap()
}

#[test]
fn the_ok_to_imap_starttls_starts_the_handshake_and_another_ok_does_not() {
    let e = imap_dialogue(&[
        (true, "a1 STARTTLS\r\n"),
        (false, "a1 OK Begin TLS negotiation now\r\n"),
    ]);
    assert_eq!(e.title, "Go ahead: start the TLS handshake");
    assert_eq!(e.rfc.label(), "RFC 9051 §6.2.1");
    assert!(e.why.contains("encrypted on the wire"), "{}", e.why);
    assert!(!e.why.contains("would be"), "{}", e.why);
    // Refused, or some other command's OK: not a handshake.
    let e = imap_dialogue(&[
        (true, "a1 STARTTLS\r\n"),
        (false, "a1 BAD TLS is already on\r\n"),
    ]);
    assert_ne!(e.title, "Go ahead: start the TLS handshake");
    let e = imap_dialogue(&[(true, "a2 NOOP\r\n"), (false, "a2 OK done\r\n")]);
    assert_eq!(e.title, "Done (OK)");
}

#[test]
fn the_go_aheads_of_smtp_starttls_and_pop3_stls_say_what_happens_on_the_wire() {
    let mut smtp = SmtpNarrator::new();
    smtp.server_unit(b"220 mx ESMTP\r\n");
    smtp.client_line(b"STARTTLS\r\n");
    let e = smtp.server_unit(b"220 2.0.0 Ready to start TLS\r\n");
    assert!(e.why.contains("encrypted on the wire"), "{}", e.why);
    assert!(!e.why.contains("real network"), "{}", e.why);
    let mut pop3 = Pop3Narrator::new();
    pop3.server_unit(b"+OK ready\r\n");
    pop3.client_line(b"STLS\r\n");
    let e = pop3.server_unit(b"+OK Begin TLS negotiation\r\n");
    assert_eq!(e.title, "Go ahead: start the TLS handshake");
    assert_eq!(e.rfc.label(), "RFC 2595 §4");
}

#[test]
fn imap_replies_explain_their_untagged_data() {
    let e = imap_dialogue(&[
        (true, "a1 CAPABILITY\r\n"),
        (
            false,
            "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\na1 OK done\r\n",
        ),
    ]);
    assert_eq!(
        e.title,
        "The server can do 3 things: IMAP4rev1, STARTTLS, AUTH=PLAIN"
    );
    assert_eq!(e.rfc.label(), "RFC 9051 §7.2.2");
    let e = imap_dialogue(&[
        (true, "a2 LIST \"\" *\r\n"),
        (
            false,
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\Sent) \"/\" Sent\r\na2 OK LIST done\r\n",
        ),
    ]);
    assert_eq!(e.title, "2 folders: INBOX, Sent");
    assert_eq!(e.rfc.label(), "RFC 9051 §7.3.1");
    // A refusal stays a refusal, whatever came before it.
    let e = imap_dialogue(&[
        (true, "a3 CAPABILITY\r\n"),
        (false, "* CAPABILITY IMAP4rev1\r\na3 NO busy\r\n"),
    ]);
    assert_eq!(e.title, "Refused (NO)");
}

#[test]
fn logout_and_silent_store_say_what_they_do() {
    let mut narrator = ImapNarrator::new();
    let e = narrator.client_line(b"a1 LOGOUT\r\n");
    assert!(!e.why.contains("nothing is deleted"), "{}", e.why);
    assert!(
        e.why.contains("CLOSE") && e.why.contains("EXPUNGE"),
        "{}",
        e.why
    );
    let e = narrator.client_line(b"a2 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
    assert_eq!(e.title, "Change flags, quietly (.SILENT)");
    assert!(e.why.contains("no untagged FETCH"), "{}", e.why);
    assert_eq!(e.rfc.label(), "RFC 9051 §6.4.6");
    let e = narrator.client_line(b"a3 STORE 1 +FLAGS (\\Seen)\r\n");
    assert_eq!(e.title, "Change flags");
}
