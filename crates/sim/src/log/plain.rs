//! A dialogue as a terminal shows it, typed through `telnet` or `openssl s_client`: the
//! lines carry no mark of who sent them, so the protocol tells (reply codes, `+OK`/`-ERR`,
//! tags and `*`); see `follow`. What the tools print around it is read as notes: telnet's
//! "Trying…/Connected to…", s_client's certificate and session summary, its "read R BLOCK"
//! and TLS 1.3 session tickets, and its final "DONE" or error line.
//!
//! With `-starttls`, s_client runs the first part of the dialogue itself and prints only the
//! last bytes it read then, right after its summary (`250 HELP`, `. OK CAPABILITY
//! completed`, or glued to the next `---`): that line is a note too.

use postroom_proto::text;

use super::record::{numbered, Parsed, Record};

/// Lines telnet prints itself.
fn telnet_noise(line: &str) -> bool {
    line.starts_with("Trying ")
        || line.starts_with("Connected to ")
        || line.starts_with("Escape character is ")
        || line.starts_with("Connection closed")
        || line.starts_with("telnet> ")
}

/// Lines openssl s_client prints itself, outside its summary blocks.
fn s_client_noise(line: &str) -> bool {
    const STARTS: [&str; 10] = [
        "CONNECTED(",
        "depth=",
        "verify error:",
        "verify return:",
        "Can't use SSL_get_servername",
        "read R BLOCK",
        "RENEGOTIATING",
        "KEYUPDATE",
        "read:errno=",
        "closed",
    ];
    STARTS.iter().any(|s| line.starts_with(s)) || line == "---" || is_openssl_error(line)
}

/// `80CB5626427F0000:error:0A000126:SSL routines:…`
fn is_openssl_error(line: &str) -> bool {
    line.split_once(":error:")
        .is_some_and(|(id, _)| id.len() >= 8 && id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A line a server opens a dialogue with: SMTP 220 or 554, POP3 +OK, IMAP's untagged OK,
/// PREAUTH or BYE.
pub(crate) fn is_greeting(line: &str) -> bool {
    line.starts_with("220 ")
        || line.starts_with("220-")
        || line.starts_with("554 ")
        || line.starts_with("+OK")
        || line.starts_with("* OK")
        || line.starts_with("* PREAUTH")
        || line.starts_with("* BYE")
}

/// What s_client read during its own STARTTLS exchange: a reply that cannot open a dialogue
/// (SMTP's last EHLO line, IMAP's `.` tag).
fn is_leftover(line: &str) -> bool {
    let code = line
        .get(..3)
        .is_some_and(|c| c.chars().all(|c| c.is_ascii_digit()));
    (code && !is_greeting(line)) || line.starts_with(". ")
}

/// s_client reads a typed line starting with R (renegotiate) or K (key update) as its own
/// command and does not send it: the line typed just before is no part of the dialogue.
fn unsent(parsed: &mut Parsed, said: &str) {
    let Some(Record::Line { bytes, at, .. }) = parsed.records.last().cloned() else {
        return;
    };
    let typed = String::from_utf8_lossy(&bytes).trim_end().to_string();
    if !typed.starts_with(['R', 'K']) {
        return;
    }
    parsed.records.pop();
    parsed.note(at, &typed);
    parsed.remarks.push(text!(
        "log.notice.s-client",
        typed = typed.as_str(),
        at = at,
        said = said
    ));
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::new();
    parsed.shows_handshakes = true;
    let lines: Vec<(usize, &str)> = numbered(text).collect();
    let s_client = lines
        .iter()
        .any(|(_, l)| l.starts_with("CONNECTED(") || l.starts_with("verify return:"));
    let telnet = lines
        .iter()
        .any(|(_, l)| l.starts_with("Escape character is "));
    // s_client's summary ends with an unindented "Verify return code:" and a `---`.
    let summary_end = lines
        .iter()
        .position(|(_, l)| l.starts_with("Verify return code:"))
        .map(|i| i + 1);
    // The last line of dialogue: s_client's "DONE" (stdin closed) comes after it.
    let last_said = lines
        .iter()
        .rposition(|(_, l)| !l.trim().is_empty() && !s_client_noise(l) && !telnet_noise(l));
    let mut started = false;
    let mut in_block = false;
    let mut after_summary = false;
    for (i, &(number, line)) in lines.iter().enumerate() {
        if s_client && summary_end.is_some_and(|end| i <= end) {
            parsed.note(number, line);
            if Some(i) == summary_end {
                parsed.handshake(number, "openssl s_client: TLS handshake");
                after_summary = true;
            }
            continue;
        }
        if in_block {
            in_block = line != "---";
            parsed.note(number, line);
            continue;
        }
        if line == "---" {
            let next = lines.get(i + 1).map(|(_, l)| *l).unwrap_or_default();
            in_block = next.starts_with("Post-Handshake") || next.starts_with("SSL-Session");
            parsed.note(number, line);
            continue;
        }
        if s_client && after_summary && !started {
            // The first line after the summary may be what s_client read for itself.
            if let Some(glued) = line.strip_suffix("---").filter(|g| !g.is_empty()) {
                parsed.note(number, glued);
                let next = lines.get(i + 1).map(|(_, l)| *l).unwrap_or_default();
                in_block = next.starts_with("Post-Handshake");
                continue;
            }
            if is_leftover(line) {
                parsed.note(number, line);
                continue;
            }
        }
        if s_client && (line == "RENEGOTIATING" || line == "KEYUPDATE") {
            unsent(&mut parsed, line);
        }
        let noise = (s_client && s_client_noise(line)) || (telnet && telnet_noise(line));
        let done = s_client && line == "DONE" && last_said.is_some_and(|l| i >= l);
        if noise || done {
            if s_client && !started && summary_end.is_none() && line.starts_with("verify return:") {
                // `-quiet`: no summary, the handshake is done once verification is printed.
                parsed.handshake(number, "openssl s_client: TLS handshake");
            }
            parsed.note(number, line);
            continue;
        }
        if !started {
            started = is_greeting(line) || s_client || telnet;
            if !started {
                if !line.trim().is_empty() {
                    parsed.unread(number, line);
                }
                continue;
            }
        }
        parsed.line(None, line.as_bytes(), number);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telnet_noise_is_left_out() {
        let p = parse(
            "Trying 127.0.0.1...\nConnected to 127.0.0.1.\nEscape character is '^]'.\n\
             +OK ready\nQUIT\n+OK bye\nConnection closed by foreign host.\n",
        );
        assert_eq!(p.dialogue(), 3);
        assert_eq!(p.notes.len(), 4);
    }

    #[test]
    fn a_bare_dialogue_starts_at_its_greeting() {
        let p = parse("what I did:\n220 mx ESMTP\nQUIT\n221 bye\n");
        assert_eq!(p.dialogue(), 3);
        assert_eq!(p.unread.len(), 1);
        assert_eq!(parse("nothing here\nat all\n").dialogue(), 0);
    }

    #[test]
    fn s_client_summary_tickets_and_leftover_are_notes() {
        let p = parse(
            "CONNECTED(00000003)\ndepth=0 CN = x\nverify return:1\n---\nSSL handshake has read 1\n\
             ---\nNew, TLSv1.3\nVerify return code: 18 (self-signed certificate)\n---\n250 HELP\n\
             ---\nPost-Handshake New Session Ticket arrived:\nSSL-Session:\n    Protocol  : TLSv1.3\n\
             ---\nread R BLOCK\nEHLO me\n250 hi\nQUIT\n221 bye\nDONE\n",
        );
        assert_eq!(p.dialogue(), 4, "{:?}", p.records);
        assert!(p.unread.is_empty());
    }
}
