//! Each session's transcript on stdout, one line per protocol line, annotated.

use postroom_proto::smtp;

/// Prints one unit of bytes as `C:`/`S:` lines, tagged with the session, noting TLS, and
/// with a short explanation after each client command.
pub fn print_unit(tag: &str, prefix: &str, tls: bool, bytes: &[u8], annotate: bool) {
    let lock = if tls { " [TLS]" } else { "" };
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_suffix("\r\n").unwrap_or(&text);
    let lines: Vec<&str> = text.split("\r\n").collect();
    // Message bodies can be long: show the start and say how much was left out.
    const SHOWN: usize = 12;
    for line in lines.iter().take(SHOWN) {
        let note = if annotate {
            annotation(line)
        } else {
            String::new()
        };
        println!("{tag}{lock} {prefix} {line}{note}");
    }
    if lines.len() > SHOWN {
        println!(
            "{tag}{lock} {prefix} ... ({} more lines)",
            lines.len() - SHOWN
        );
    }
}

fn annotation(line: &str) -> String {
    match smtp::decode::command(line.as_bytes()) {
        Ok(cmd) => format!("    ; {}", smtp::explain::command(&cmd).title),
        Err(_) => String::new(),
    }
}

/// A line about the session rather than from it.
pub fn note(tag: &str, text: &str) {
    println!("{tag} -- {text}");
}
