//! Each session's transcript on stdout, one line per protocol line, annotated.

use postroom_proto::session::Narrator;

/// Message bodies can be long: a unit shows this many lines and says how many it left out.
const SHOWN: usize = 12;

/// Prints one unit of bytes as `C:`/`S:` lines, tagged with the session and noting TLS.
/// Every line goes through the narrator, so it keeps up with the dialogue; client lines are
/// annotated with their explanation's title where it says something new.
pub fn print_unit(
    tag: &str,
    prefix: &str,
    tls: bool,
    bytes: &[u8],
    narrator: &mut dyn Narrator,
    from_client: bool,
) {
    let lock = if tls { " [TLS]" } else { "" };
    if !from_client {
        narrator.server_unit(bytes);
    }
    let mut last_title = String::new();
    let mut shown = 0;
    let mut total = 0;
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        total += 1;
        let note = if from_client {
            let title = narrator.client_line(raw).title;
            let new = title != last_title;
            last_title = title;
            if new {
                format!("    ; {last_title}")
            } else {
                String::new()
            }
        } else {
            String::new()
        };
        if shown < SHOWN {
            let text = String::from_utf8_lossy(raw);
            let line = text.trim_end_matches(['\r', '\n']);
            println!("{tag}{lock} {prefix} {line}{note}");
            shown += 1;
        }
    }
    if total > shown {
        println!("{tag}{lock} {prefix} ... ({} more lines)", total - shown);
    }
}

/// A line about the session rather than from it.
pub fn note(tag: &str, text: &str) {
    println!("{tag} -- {text}");
}
