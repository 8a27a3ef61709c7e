//! Each session's transcript on stdout, one line per protocol line, annotated.

use postroom_proto::{imap, pop3, smtp};

/// How to annotate a client line: the title of its explanation, if it is a command.
pub type Annotator = fn(&str) -> Option<String>;

pub fn smtp_command(line: &str) -> Option<String> {
    let cmd = smtp::decode::command(line.as_bytes()).ok()?;
    Some(smtp::explain::command(&cmd).title)
}

pub fn pop3_command(line: &str) -> Option<String> {
    let cmd = pop3::decode::command(line.as_bytes()).ok()?;
    Some(pop3::explain::command(&cmd).title)
}

pub fn imap_command(line: &str) -> Option<String> {
    let (_, cmd) = imap::decode::command(format!("{line}\r\n").as_bytes()).ok()?;
    Some(imap::explain::command(&cmd).title)
}

/// Prints one unit of bytes as `C:`/`S:` lines, tagged with the session, noting TLS, and
/// with a short explanation after each client command.
pub fn print_unit(tag: &str, prefix: &str, tls: bool, bytes: &[u8], annotate: Option<Annotator>) {
    let lock = if tls { " [TLS]" } else { "" };
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_suffix("\r\n").unwrap_or(&text);
    let lines: Vec<&str> = text.split("\r\n").collect();
    // Message bodies can be long: show the start and say how much was left out.
    const SHOWN: usize = 12;
    for line in lines.iter().take(SHOWN) {
        let note = annotate
            .and_then(|a| a(line))
            .map(|title| format!("    ; {title}"))
            .unwrap_or_default();
        println!("{tag}{lock} {prefix} {line}{note}");
    }
    if lines.len() > SHOWN {
        println!(
            "{tag}{lock} {prefix} ... ({} more lines)",
            lines.len() - SHOWN
        );
    }
}

/// A line about the session rather than from it.
pub fn note(tag: &str, text: &str) {
    println!("{tag} -- {text}");
}
