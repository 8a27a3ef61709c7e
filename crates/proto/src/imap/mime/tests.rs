//! Tests of ENVELOPE, BODY / BODYSTRUCTURE and `BODY[section]` on whole messages: RFC
//! examples, multipart shapes, addresses, odd and malformed messages, and properties.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::mime::tree::MAX_DEPTH;
use proptest::prelude::*;

/// Joins lines with CRLF; end with "" for a final line end.
fn crlf(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

/// `n` CRLF-terminated lines of filler adding up to exactly `octets` octets.
fn filler(octets: usize, n: usize) -> String {
    let text = octets - 2 * n;
    let (each, extra) = (text / n, text % n);
    let mut out = String::new();
    for i in 0..n {
        let len = each + usize::from(i < extra);
        out.extend(std::iter::repeat_n('x', len));
        out.push_str("\r\n");
    }
    assert_eq!(out.len(), octets);
    out
}

fn sec(part: &[u32], text: Option<SectionText>) -> Section {
    Section {
        part: part.to_vec(),
        text,
    }
}

fn get(message: &[u8], part: &[u32], text: Option<SectionText>) -> Option<String> {
    section(message, &sec(part, text)).map(|v| String::from_utf8(v).unwrap())
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// --- RFC examples -----------------------------------------------------------------

const RFC3501_HEADER: &[&str] = &[
    "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
    "From: Terry Gray <gray@cac.washington.edu>",
    "Subject: IMAP4rev1 WG mtg summary and minutes",
    "To: imap@cac.washington.edu",
    "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>",
    "Message-Id: <B27397-0100000@cac.washington.edu>",
    "MIME-Version: 1.0",
    "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
    "",
    "",
];

/// RFC 3501 §8, `a003 fetch 12 full` and `a004 fetch 12 body[header]`. The sample's
/// line breaks are editorial: `env-cc = "(" 1*address ")"` has no SP between the two
/// addresses. The body text is not shown, so one of 3028 octets in 92 lines stands in.
#[test]
fn rfc3501_sample_session() {
    let header = crlf(RFC3501_HEADER);
    assert_eq!(header.len(), 342, "BODY[HEADER] {{342}}");
    let mut message = header.clone();
    message.extend_from_slice(filler(3028, 92).as_bytes());

    assert_eq!(
        envelope(&message),
        concat!(
            r#"("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"((NIL NIL "imap" "cac.washington.edu")) "#,
            r#"((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "#,
            r#""<B27397-0100000@cac.washington.edu>")"#
        )
    );
    assert_eq!(
        body_structure(&message, false),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)"#
    );
    assert_eq!(
        section(&message, &sec(&[], Some(SectionText::Header))).unwrap(),
        header
    );
}

/// RFC 9051 §8 is the same session with "IMAP4rev2" in the subject, but its ENVELOPE
/// shows the message-id as "<B27397-0100000@cac.washington.ed>" while the header it
/// prints says "...washington.edu>": a typo in the RFC. The envelope follows the header.
#[test]
fn rfc9051_sample_session() {
    let mut lines = RFC3501_HEADER.to_vec();
    lines[2] = "Subject: IMAP4rev2 WG mtg summary and minutes";
    let header = crlf(&lines);
    assert_eq!(header.len(), 342);
    let mut message = header.clone();
    message.extend_from_slice(filler(3028, 92).as_bytes());
    assert_eq!(
        envelope(&message),
        concat!(
            r#"("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev2 WG mtg summary and minutes" "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
            r#"((NIL NIL "imap" "cac.washington.edu")) "#,
            r#"((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "#,
            r#""<B27397-0100000@cac.washington.edu>")"#
        )
    );
    assert_eq!(
        body_structure(&message, false),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)"#
    );
    assert_eq!(
        section(&message, &sec(&[], Some(SectionText::Header))).unwrap(),
        header
    );
}

/// RFC 9051 §7.5.2 (and RFC 3501 §7.4.2): "a simple text message of 48 lines and 2279
/// octets can have a body structure of ..." -- here with no Content-Type at all, so
/// the RFC 2045 default supplies the charset.
#[test]
fn rfc9051_simple_text_example() {
    let mut message = crlf(&["Subject: example", "", ""]);
    message.extend_from_slice(filler(2279, 48).as_bytes());
    assert_eq!(
        body_structure(&message, false),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2279 48)"#
    );
}

/// RFC 9051 §7.5.2: "a two-part message consisting of a text and a base64-encoded text
/// attachment can have a body structure of ..."
#[test]
fn rfc9051_two_part_example() {
    let mut message = crlf(&[
        "MIME-Version: 1.0",
        "Content-Type: MULTIPART/MIXED; BOUNDARY=\"x\"",
        "",
        "--x",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
        "",
        "",
    ]);
    message.extend_from_slice(filler(1152, 23).as_bytes());
    message.extend_from_slice(&crlf(&[
        "",
        "--x",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff",
        "Content-ID: <960723163407.20117h@cac.washington.edu>",
        "Content-Description: Compiler diff",
        "Content-Transfer-Encoding: BASE64",
        "",
        "",
    ]));
    message.extend_from_slice(filler(4554, 73).as_bytes());
    message.extend_from_slice(&crlf(&["", "--x--", ""]));
    assert_eq!(
        body_structure(&message, false),
        concat!(
            r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)"#,
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "#,
            r#""<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")"#
        )
    );
}

// --- A simple text message (RFC 9051 §6.3.12 APPEND example) ----------------------

fn append_example() -> Vec<u8> {
    crlf(&[
        "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
        "From: Fred Foobar <foobar@Blurdybloop.example>",
        "Subject: afternoon meeting",
        "To: mooch@owatagu.siam.edu.example",
        "Message-Id: <B27397-0100000@Blurdybloop.example>",
        "MIME-Version: 1.0",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
        "",
        "Hello Joe, do you think we can meet at 3:30 tomorrow?",
        "",
    ])
}

#[test]
fn simple_text_message() {
    let m = append_example();
    assert_eq!(m.len(), 326, "the APPEND example's literal is {{326}}");
    let fred = r#"(("Fred Foobar" NIL "foobar" "Blurdybloop.example"))"#;
    assert_eq!(
        envelope(&m),
        format!(
            r#"("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "afternoon meeting" {fred} {fred} {fred} ((NIL NIL "mooch" "owatagu.siam.edu.example")) NIL NIL NIL "<B27397-0100000@Blurdybloop.example>")"#
        )
    );
    assert_eq!(
        body_structure(&m, false),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 55 1)"#
    );
    assert_eq!(
        body_structure(&m, true),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 55 1 NIL NIL NIL NIL)"#
    );
}

#[test]
fn simple_text_sections() {
    let m = append_example();
    let body = "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    let header = &String::from_utf8(m.clone()).unwrap()[..326 - body.len()];
    assert_eq!(section(&m, &sec(&[], None)).unwrap(), m);
    assert_eq!(get(&m, &[], Some(SectionText::Header)).unwrap(), header);
    assert_eq!(get(&m, &[], Some(SectionText::Text)).unwrap(), body);
    // "Messages that do not use MIME, and MIME messages that are not multipart and have
    // no encapsulated message within them, only have a part 1."
    assert_eq!(get(&m, &[1], None).unwrap(), body);
    assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), header);
    assert_eq!(get(&m, &[2], None), None);
    assert_eq!(get(&m, &[0], None), None);
    assert_eq!(get(&m, &[1, 1], None), None);
    assert_eq!(get(&m, &[1], Some(SectionText::Header)), None);
    assert_eq!(get(&m, &[], Some(SectionText::Mime)), None);
    // The blank line stays; field order is the message's, not the request's.
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFields(names(&["SUBJECT", "from"])))
        )
        .unwrap(),
        "From: Fred Foobar <foobar@Blurdybloop.example>\r\nSubject: afternoon meeting\r\n\r\n"
    );
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFieldsNot(names(&[
                "Date",
                "From",
                "Subject",
                "To",
                "message-id"
            ])))
        )
        .unwrap(),
        "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n"
    );
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFields(names(&["X-Absent"])))
        )
        .unwrap(),
        "\r\n"
    );
}

// --- Multipart ------------------------------------------------------------------------

fn alternative() -> Vec<u8> {
    crlf(&[
        "From: a@example.com",
        "Subject: alt",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; boundary=\"b1\"",
        "",
        "preamble",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Hi there",
        "--b1",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>Hi there</p>",
        "--b1--",
        "epilogue",
        "",
    ])
}

#[test]
fn multipart_alternative() {
    let m = alternative();
    assert_eq!(
        body_structure(&m, true),
        concat!(
            r#"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 8 1 NIL NIL NIL NIL)"#,
            r#"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 15 1 NIL NIL NIL NIL)"#,
            r#" "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)"#
        )
    );
    assert_eq!(
        body_structure(&m, false),
        concat!(
            r#"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 8 1)"#,
            r#"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 15 1) "ALTERNATIVE")"#
        )
    );
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    assert_eq!(get(&m, &[1], None).unwrap(), "Hi there");
    assert_eq!(get(&m, &[2], None).unwrap(), "<p>Hi there</p>");
    assert_eq!(get(&m, &[3], None), None);
    assert_eq!(
        get(&m, &[1], Some(SectionText::Mime)).unwrap(),
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    );
    let text = get(&m, &[], Some(SectionText::Text)).unwrap();
    assert!(text.starts_with("preamble\r\n--b1\r\n"));
    assert!(text.ends_with("--b1--\r\nepilogue\r\n"));
}

fn mixed() -> Vec<u8> {
    crlf(&[
        "From: \"Doe, Jane\" <jane@example.com>",
        "To: John Smith <john@example.org>, bob@example.net",
        "Subject: Report",
        "Date: Tue, 1 Apr 2025 10:00:00 +0000",
        "Message-ID: <outer@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=outer",
        "",
        "--outer",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "See attached.",
        "--outer",
        "Content-Type: message/rfc822",
        "Content-Description: forwarded",
        "",
        "From: Bob <bob@example.net>",
        "Subject: Inner",
        "Date: Mon, 31 Mar 2025 09:00:00 +0000",
        "Content-Type: multipart/alternative; boundary=\"inner\"",
        "",
        "--inner",
        "Content-Type: text/plain",
        "",
        "inner text",
        "--inner",
        "Content-Type: text/html",
        "",
        "<b>inner</b>",
        "--inner--",
        "",
        "--outer",
        "Content-Type: application/pdf; name=\"report.pdf\"",
        "Content-Disposition: attachment; filename=\"report.pdf\"",
        "Content-Transfer-Encoding: base64",
        "Content-Language: en, de",
        "Content-Location: http://example.com/",
        "  report.pdf",
        "",
        "JVBERi0xLjQK",
        "--outer--",
        "",
    ])
}

#[test]
fn multipart_mixed_with_attachment_and_message() {
    let m = mixed();
    let bob = r#"(("Bob" NIL "bob" "example.net"))"#;
    let inner_envelope = format!(
        r#"("Mon, 31 Mar 2025 09:00:00 +0000" "Inner" {bob} {bob} {bob} NIL NIL NIL NIL NIL)"#
    );
    assert_eq!(
        body_structure(&m, true),
        format!(
            concat!(
                r#"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1 NIL NIL NIL NIL)"#,
                r#"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 251 {env} "#,
                r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)"#,
                r#"("TEXT" "HTML" NIL NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)"#,
                r#" "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL) 14 NIL NIL NIL NIL)"#,
                r#"("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 12 NIL "#,
                r#"("ATTACHMENT" ("FILENAME" "report.pdf")) ("en" "de") "http://example.com/report.pdf")"#,
                r#" "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)"#
            ),
            env = inner_envelope
        )
    );
    assert_eq!(
        body_structure(&m, false),
        format!(
            concat!(
                r#"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1)"#,
                r#"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 251 {env} "#,
                r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1)("TEXT" "HTML" NIL NIL NIL "7BIT" 12 1) "ALTERNATIVE") 14)"#,
                r#"("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 12) "MIXED")"#
            ),
            env = inner_envelope
        )
    );
    assert_eq!(
        envelope(&m),
        concat!(
            r#"("Tue, 1 Apr 2025 10:00:00 +0000" "Report" "#,
            r#"(("Doe, Jane" NIL "jane" "example.com")) (("Doe, Jane" NIL "jane" "example.com")) "#,
            r#"(("Doe, Jane" NIL "jane" "example.com")) "#,
            r#"(("John Smith" NIL "john" "example.org")(NIL NIL "bob" "example.net")) "#,
            r#"NIL NIL NIL "<outer@example.com>")"#
        )
    );
}

/// A FETCH asking for several items parses the message once and asks the tree each time.
#[test]
fn one_parse_answers_every_item() {
    let m = mixed();
    let parsed = Parsed::new(&m);
    assert_eq!(body::envelope(&parsed), envelope(&m));
    assert_eq!(
        body::body_structure(&parsed, true),
        body_structure(&m, true)
    );
    for path in [&[][..], &[2], &[2, 1], &[3], &[4]] {
        for text in [None, Some(SectionText::Mime), Some(SectionText::Header)] {
            let spec = sec(path, text);
            assert_eq!(sections::section(&parsed, &spec), section(&m, &spec));
        }
        if !path.is_empty() {
            assert_eq!(sections::binary_part(&parsed, path), binary_part(&m, path));
        }
    }
}

#[test]
fn nested_sections() {
    let m = mixed();
    let inner_header = "From: Bob <bob@example.net>\r\nSubject: Inner\r\nDate: Mon, 31 Mar 2025 09:00:00 +0000\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n";
    let inner_body = "--inner\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--inner\r\nContent-Type: text/html\r\n\r\n<b>inner</b>\r\n--inner--\r\n";
    assert_eq!(get(&m, &[1], None).unwrap(), "See attached.");
    // BODY[2] of a MESSAGE/RFC822 part is the whole encapsulated message.
    assert_eq!(
        get(&m, &[2], None).unwrap(),
        format!("{inner_header}{inner_body}")
    );
    assert_eq!(
        get(&m, &[2], Some(SectionText::Mime)).unwrap(),
        "Content-Type: message/rfc822\r\nContent-Description: forwarded\r\n\r\n"
    );
    assert_eq!(
        get(&m, &[2], Some(SectionText::Header)).unwrap(),
        inner_header
    );
    assert_eq!(get(&m, &[2], Some(SectionText::Text)).unwrap(), inner_body);
    assert_eq!(
        get(
            &m,
            &[2],
            Some(SectionText::HeaderFields(names(&["subject", "FROM"])))
        )
        .unwrap(),
        "From: Bob <bob@example.net>\r\nSubject: Inner\r\n\r\n"
    );
    assert_eq!(get(&m, &[2, 1], None).unwrap(), "inner text");
    assert_eq!(get(&m, &[2, 2], None).unwrap(), "<b>inner</b>");
    assert_eq!(
        get(&m, &[2, 1], Some(SectionText::Mime)).unwrap(),
        "Content-Type: text/plain\r\n\r\n"
    );
    assert_eq!(get(&m, &[2, 3], None), None);
    assert_eq!(get(&m, &[2, 1, 1], None), None);
    assert_eq!(get(&m, &[2, 1], Some(SectionText::Header)), None);
    assert_eq!(get(&m, &[1], Some(SectionText::Header)), None);
    assert_eq!(get(&m, &[3], None).unwrap(), "JVBERi0xLjQK");
    assert_eq!(get(&m, &[4], None), None);
    // Folding is kept in header fetches.
    assert_eq!(
        get(&m, &[3], Some(SectionText::Mime)).unwrap(),
        concat!(
            "Content-Type: application/pdf; name=\"report.pdf\"\r\n",
            "Content-Disposition: attachment; filename=\"report.pdf\"\r\n",
            "Content-Transfer-Encoding: base64\r\n",
            "Content-Language: en, de\r\n",
            "Content-Location: http://example.com/\r\n  report.pdf\r\n\r\n"
        )
    );
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFieldsNot(names(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version"
            ])))
        )
        .unwrap(),
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
    );
}

/// A MESSAGE/RFC822 message at the top level: its body is part 1, and the numbers
/// after that go into the encapsulated message.
#[test]
fn top_level_message_rfc822() {
    let m = crlf(&[
        "Content-Type: message/rfc822",
        "",
        "Subject: inner",
        "",
        "hello",
        "",
    ]);
    assert_eq!(
        body_structure(&m, false),
        concat!(
            r#"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 25 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) "#,
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 7 1) 3)"#
        )
    );
    assert_eq!(
        get(&m, &[1], None).unwrap(),
        "Subject: inner\r\n\r\nhello\r\n"
    );
    assert_eq!(get(&m, &[1, 1], None).unwrap(), "hello\r\n");
    assert_eq!(
        get(&m, &[1], Some(SectionText::Header)).unwrap(),
        "Subject: inner\r\n\r\n"
    );
    assert_eq!(get(&m, &[1], Some(SectionText::Text)).unwrap(), "hello\r\n");
    assert_eq!(get(&m, &[1, 2], None), None);
}

/// RFC 2046 §5.1.5: in multipart/digest a part without Content-Type is message/rfc822.
#[test]
fn multipart_digest_default() {
    let m = crlf(&[
        "Content-Type: multipart/digest; boundary=d",
        "",
        "--d",
        "",
        "Subject: one",
        "",
        "body one",
        "--d",
        "Content-Type: text/plain",
        "",
        "not a message",
        "--d--",
        "",
    ]);
    assert_eq!(
        body_structure(&m, false),
        concat!(
            r#"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 24 (NIL "one" NIL NIL NIL NIL NIL NIL NIL NIL) "#,
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 1) 3)"#,
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 1) "DIGEST")"#
        )
    );
    assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), "\r\n");
    assert_eq!(get(&m, &[1, 1], None).unwrap(), "body one");
    assert_eq!(
        get(&m, &[1], Some(SectionText::Header)).unwrap(),
        "Subject: one\r\n\r\n"
    );
}

// --- Envelope -------------------------------------------------------------------------

#[test]
fn group_syntax() {
    let m = crlf(&[
        "From: Alice <alice@example.com>",
        "To: undisclosed-recipients:;",
        "Cc: Friends: \"C D\" <c@d.example>, e@f.example;, g@h.example",
        "Bcc: Empty Group: ;",
        "",
    ]);
    let alice = r#"(("Alice" NIL "alice" "example.com"))"#;
    assert_eq!(
        envelope(&m),
        format!(
            concat!(
                r#"(NIL NIL {a} {a} {a} "#,
                r#"((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) "#,
                r#"((NIL NIL "Friends" NIL)("C D" NIL "c" "d.example")(NIL NIL "e" "f.example")(NIL NIL NIL NIL)(NIL NIL "g" "h.example")) "#,
                r#"((NIL NIL "Empty Group" NIL)(NIL NIL NIL NIL)) NIL NIL)"#
            ),
            a = alice
        )
    );
}

#[test]
fn quoting_of_quote_and_backslash() {
    let m = crlf(&[
        r#"From: "Joe \"the\" Back\\slash" <joe@example.com>"#,
        r#"Subject: say "hi" \ bye"#,
        "",
    ]);
    let joe = r#"(("Joe \"the\" Back\\slash" NIL "joe" "example.com"))"#;
    assert_eq!(
        envelope(&m),
        format!(r#"(NIL "say \"hi\" \\ bye" {joe} {joe} {joe} NIL NIL NIL NIL NIL)"#)
    );
}

#[test]
fn eight_bit_values_become_literals() {
    let m = "Subject: café\r\n\r\n".as_bytes().to_vec();
    assert_eq!(
        envelope(&m),
        "(NIL {5}\r\ncafé NIL NIL NIL NIL NIL NIL NIL NIL)"
    );
    // Invalid UTF-8 is replaced, and the count is of the replaced text (3 octets).
    let m = b"Subject: a\xffb\r\n\r\n".to_vec();
    assert_eq!(
        envelope(&m),
        "(NIL {5}\r\na\u{fffd}b NIL NIL NIL NIL NIL NIL NIL NIL)"
    );
}

#[test]
fn address_forms() {
    let m = crlf(&[
        "From: John Q. Public <jqp@example.com> (the man)",
        "Sender: jqp@example.com (John Public)",
        "Reply-To: <@relay1.example,@relay2.example:jqp@example.com>",
        "To: \"Smith, John\" <john@example.com>, root, <>, \"quoted local\"@example.com",
        "Cc: Mary (comment) Smith <mary@[192.0.2.1]>",
        "Bcc: a@b.example, (only a comment), <c@d.example> (Cee)",
        "",
    ]);
    assert_eq!(
        envelope(&m),
        concat!(
            r#"(NIL NIL (("John Q. Public" NIL "jqp" "example.com")) "#,
            r#"(("John Public" NIL "jqp" "example.com")) "#,
            r#"((NIL "@relay1.example,@relay2.example" "jqp" "example.com")) "#,
            r#"(("Smith, John" NIL "john" "example.com")(NIL NIL "root" "")(NIL NIL "quoted local" "example.com")) "#,
            r#"(("Mary Smith" NIL "mary" "[192.0.2.1]")) "#,
            r#"((NIL NIL "a" "b.example")("Cee" NIL "c" "d.example")) NIL NIL)"#
        )
    );
}

/// RFC 5322 §3.4.1: comments may stand around the "@" of an addr-spec; they are no part of
/// the address.
#[test]
fn comments_around_the_at_sign_are_not_part_of_the_address() {
    let m = crlf(&[
        "From: <user (comment)@ (comment) domain>",
        "To: user (c1) @ (c2) example (c3) . (c4) net (Full Name)",
        "",
    ]);
    assert_eq!(
        envelope(&m),
        concat!(
            r#"(NIL NIL ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) "#,
            r#"((NIL NIL "user" "domain")) (("c1" NIL "user" "example.net")) NIL NIL NIL NIL)"#
        )
    );
}

#[test]
fn envelope_defaults_and_empty_fields() {
    let m = crlf(&[
        "from: a@example.com",
        "Sender:",
        "Subject:",
        "To:   ",
        "In-Reply-To: <x@y.example>",
        "",
        "body",
    ]);
    let a = r#"((NIL NIL "a" "example.com"))"#;
    assert_eq!(
        envelope(&m),
        format!(r#"(NIL "" {a} {a} {a} NIL NIL NIL "<x@y.example>" NIL)"#)
    );
    assert_eq!(envelope(b""), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
}

#[test]
fn unfolding_and_case_insensitive_names() {
    let m = crlf(&[
        "SUBJECT: a folded",
        "\tsubject line  ",
        "subject: second one is ignored",
        "FROM: x@y.example",
        "",
        "",
    ]);
    let x = r#"((NIL NIL "x" "y.example"))"#;
    assert_eq!(
        envelope(&m),
        format!("(NIL \"a folded\tsubject line\" {x} {x} {x} NIL NIL NIL NIL NIL)")
    );
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFields(names(&["Subject"])))
        )
        .unwrap(),
        "SUBJECT: a folded\r\n\tsubject line  \r\nsubject: second one is ignored\r\n\r\n"
    );
}

// --- Odd shapes -------------------------------------------------------------------

/// "the blank line is included in all header fetches, except in the case of a message
/// that has no body and no blank line."
#[test]
fn message_without_blank_line() {
    let m = b"Subject: hi\r\nFrom: a@b".to_vec();
    assert_eq!(
        get(&m, &[], Some(SectionText::Header)).unwrap(),
        "Subject: hi\r\nFrom: a@b"
    );
    assert_eq!(get(&m, &[], Some(SectionText::Text)).unwrap(), "");
    assert_eq!(
        get(
            &m,
            &[],
            Some(SectionText::HeaderFields(names(&["subject"])))
        )
        .unwrap(),
        "Subject: hi\r\n"
    );
    assert_eq!(
        body_structure(&m, false),
        r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0)"#
    );
}

#[test]
fn rfc2231_parameters() {
    let m = crlf(&[
        "Content-Type: application/octet-stream; name*1=\"name.txt\"; name*0=\"long\";",
        " title*0*=us-ascii'en'This%20is; title*1*=%20fun; plain=\"x y\"",
        "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        "",
        "data",
    ]);
    assert_eq!(
        body_structure(&m, true),
        concat!(
            r#"("APPLICATION" "OCTET-STREAM" ("NAME" "longname.txt" "TITLE*" "us-ascii'en'This%20is%20fun" "PLAIN" "x y") "#,
            r#"NIL NIL "7BIT" 4 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8''r%C3%A9sum%C3%A9.pdf")) NIL NIL)"#
        )
    );
}

#[test]
fn malformed_mime_falls_back_to_text_plain() {
    let plain = r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL"#;
    // Not type "/" subtype.
    let m = crlf(&["Content-Type: garbage", "", "x"]);
    assert_eq!(body_structure(&m, false), format!(r#"{plain} "7BIT" 1 1)"#));
    // Multipart without a boundary parameter.
    let m = crlf(&["Content-Type: multipart/mixed", "", "--x", "", "a", "--x--"]);
    assert_eq!(
        body_structure(&m, false),
        format!(r#"{plain} "7BIT" 15 4)"#)
    );
    assert_eq!(get(&m, &[1], None).unwrap(), "--x\r\n\r\na\r\n--x--");
    // A boundary that never occurs.
    let m = crlf(&["Content-Type: multipart/mixed; boundary=zz", "", "text"]);
    assert_eq!(body_structure(&m, false), format!(r#"{plain} "7BIT" 4 1)"#));
    // An encoded message/rfc822 cannot be parsed as a message.
    let m = crlf(&[
        "Content-Type: message/rfc822",
        "Content-Transfer-Encoding: base64",
        "",
        "U3ViamVjdDogeA0KDQp4",
    ]);
    assert_eq!(
        body_structure(&m, false),
        format!(r#"{plain} "BASE64" 20 1)"#)
    );
}

#[test]
fn bare_lf_line_ends() {
    let m = b"Subject: lf\nContent-Type: multipart/mixed; boundary=z\n\n--z\n\npart one\n--z--\n"
        .to_vec();
    assert_eq!(
        body_structure(&m, false),
        r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 1) "MIXED")"#
    );
    assert_eq!(get(&m, &[1], None).unwrap(), "part one");
    assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), "\n");
}

#[test]
fn boundary_prefix_of_nested_boundary() {
    let m = crlf(&[
        "Content-Type: multipart/mixed; boundary=a",
        "",
        "--a",
        "Content-Type: multipart/alternative; boundary=ab",
        "",
        "--ab",
        "",
        "one",
        "--ab--",
        "--a--",
    ]);
    assert_eq!(
        body_structure(&m, false),
        r#"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1) "ALTERNATIVE") "MIXED")"#
    );
    assert_eq!(get(&m, &[1, 1], None).unwrap(), "one");
}

#[test]
fn deep_nesting_is_cut_off() {
    let mut m = Vec::new();
    for _ in 0..10_000 {
        m.extend_from_slice(b"Content-Type: message/rfc822\r\n\r\n");
    }
    m.extend_from_slice(b"Subject: bottom\r\n\r\nx");
    let s = body_structure(&m, true);
    assert_eq!(s.matches("\"RFC822\"").count(), MAX_DEPTH);
    // Each number goes one message deeper; the text/plain stand-in at the cut-off has
    // no part numbers of its own.
    let path = vec![1; MAX_DEPTH + 1];
    assert_eq!(
        section(&m, &sec(&path, None)).unwrap(),
        b"Content-Type: message/rfc822\r\n\r\n"
            .repeat(10_000 - MAX_DEPTH - 1)
            .into_iter()
            .chain(b"Subject: bottom\r\n\r\nx".iter().copied())
            .collect::<Vec<u8>>()
    );
    assert_eq!(section(&m, &sec(&[1; MAX_DEPTH + 2], None)), None);

    let mut m = Vec::new();
    for i in 0..10_000 {
        m.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    let s = body_structure(&m, false);
    assert_eq!(s.matches("\"MIXED\"").count(), MAX_DEPTH);
}

// --- Properties -------------------------------------------------------------------

/// Checks the output is one well-formed parenthesized list of quoted strings, NIL,
/// numbers and literals.
fn well_formed(s: &str) -> bool {
    let b = s.as_bytes();
    let mut depth = 0i64;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return false;
                }
            }
            b'{' => {
                let close = match s[i..].find('}') {
                    Some(c) => i + c,
                    None => return false,
                };
                let n: usize = match s[i + 1..close].parse() {
                    Ok(n) => n,
                    Err(_) => return false,
                };
                if !s[close..].starts_with("}\r\n") {
                    return false;
                }
                i = close + 3 + n;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0 && i == b.len()
}

fn section_strategy() -> impl Strategy<Value = Section> {
    let text = prop_oneof![
        Just(None),
        Just(Some(SectionText::Header)),
        Just(Some(SectionText::Text)),
        Just(Some(SectionText::Mime)),
        Just(Some(SectionText::HeaderFields(names(&["subject", "to"])))),
        Just(Some(SectionText::HeaderFieldsNot(names(&["from"])))),
    ];
    (proptest::collection::vec(0u32..4, 0..4), text).prop_map(|(part, text)| Section { part, text })
}

const FRAGMENTS: &[&str] = &[
    "",
    "",
    "Content-Type: multipart/mixed; boundary=a",
    "Content-Type: multipart/digest; boundary=\"b\"",
    "Content-Type: message/rfc822",
    "Content-Type: text/plain; charset*0=us; charset*1*=%41",
    "Content-Type: /",
    "Content-Disposition: inline; filename=x",
    "Content-Language: en",
    "--a",
    "--a--",
    "--b",
    "--b--",
    "From: \"x\\\" y\" <a@b>, (c) d@e, g: h@i;",
    "To: undisclosed:;",
    "Cc: <@r:m@n>, <>, \"unterminated",
    " folded",
    "\tfolded",
    "Subject: (",
    "text line",
    "\u{e9}",
];

fn structured_message() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(0..FRAGMENTS.len(), 0..40),
        any::<bool>(),
    )
        .prop_map(|(picks, bare_lf)| {
            let lines: Vec<&str> = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            lines.join(if bare_lf { "\n" } else { "\r\n" }).into_bytes()
        })
}

fn check_all(m: &[u8], s: &Section) {
    let e = envelope(m);
    let b = body_structure(m, false);
    let bs = body_structure(m, true);
    assert!(well_formed(&e), "{e}");
    assert!(well_formed(&b), "{b}");
    assert!(well_formed(&bs), "{bs}");
    let _ = section(m, s);
    // HEADER and TEXT split the message exactly.
    let mut joined = section(m, &sec(&[], Some(SectionText::Header))).unwrap();
    joined.extend(section(m, &sec(&[], Some(SectionText::Text))).unwrap());
    assert_eq!(joined, m);
    assert_eq!(section(m, &sec(&[], None)).unwrap(), m);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(
        m in proptest::collection::vec(any::<u8>(), 0..2048),
        s in section_strategy(),
        v in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
    ) {
        check_all(&m, &s);
        let _ = nstring(v.as_deref());
    }

    #[test]
    fn structured_messages_never_panic(m in structured_message(), s in section_strategy()) {
        check_all(&m, &s);
    }
}
