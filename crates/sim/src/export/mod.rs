//! What a teacher takes out of Postroom for worksheets and slides, as files: the transcript
//! as plain text, the sequence diagram as SVG ([`diagram`]), the comparison's outcome table
//! as CSV, the explorer's handout as HTML ([`handout`]). Computed here, not in the page, so
//! the files are the engine's own words and are tested natively; the page only hands them to
//! the browser.

mod diagram;
mod handout;

pub use diagram::{diagram_svg, slide_svg, SLIDE};
pub use handout::handout_html;

use postroom_proto::i18n::Language;
use postroom_proto::text;

use crate::compare::{Comparison, Tally};
use crate::timeline::{Direction, Timeline};

/// The transcript of steps `0..=upto` as RFC examples write it: `C:` and `S:` lines, `--` for
/// what happens inside one host, a heading where another connection speaks. With `crlf`,
/// each wire line ends in a visible `<CR><LF>`.
pub fn transcript_text(timeline: &Timeline, upto: usize, crlf: bool) -> String {
    let steps = timeline.steps.iter().take(upto.saturating_add(1));
    let mut out = String::new();
    let mut route = None;
    for step in steps {
        // A heading at each change of speakers: a new connection, or another pair of hosts.
        let pair = (
            step.connection,
            step.from.min(step.to),
            step.from.max(step.to),
        );
        if route != Some(pair) {
            route = Some(pair);
            let name = |id| timeline.host(id).map_or("?", |h| h.label.as_str());
            let (client, server) = match step.direction {
                Direction::ServerToClient => (step.to, step.from),
                _ => (step.from, step.to),
            };
            if !out.is_empty() {
                out.push('\n');
            }
            if step.direction == Direction::Local {
                out.push_str(&format!("== {} ==\n", name(client)));
            } else {
                out.push_str(&format!(
                    "== {} → {} ({}) ==\n",
                    name(client),
                    name(server),
                    step.protocol.name()
                ));
            }
        }
        let end = if crlf && step.direction != Direction::Local {
            "<CR><LF>"
        } else {
            ""
        };
        for line in step.lines() {
            out.push_str(&format!("{} {line}{end}\n", step.direction.prefix()));
        }
    }
    out
}

/// The comparison's outcome table after every action, one row per action and protocol, as
/// RFC 4180 CSV (CR LF line ends, fields quoted where needed).
/// Its column names and words are English, the same in every class, for the programs that
/// read it.
pub fn outcome_csv(comparison: &Comparison) -> String {
    outcome_rows(comparison, Language::ENGLISH)
        .iter()
        .map(|row| {
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            fields.join(",") + "\r\n"
        })
        .collect()
}

/// The outcome table after every action: a heading row, then one row per action and
/// protocol, its words in `lang`.
pub fn outcome_rows(comparison: &Comparison, lang: Language<'_>) -> Vec<Vec<String>> {
    let heading = [
        text!("export.table.step"),
        text!("export.table.action"),
        text!("export.table.protocol"),
        text!("export.table.on-server"),
        text!("export.table.on-phone"),
        text!("export.table.on-laptop"),
        text!("export.table.read-agrees"),
        text!("export.table.commands"),
        text!("export.table.bytes"),
    ];
    let mut rows = vec![heading.iter().map(|t| lang.say(t)).collect()];
    let sides = [("POP3", &comparison.pop3), ("IMAP", &comparison.imap)];
    for (i, act) in comparison.script.acts.iter().enumerate() {
        for (name, frames) in sides {
            if let Some(frame) = frames.get(i) {
                let action = lang.say(&act.label());
                rows.push(tally_row(i + 1, &action, name, &frame.tally, lang));
            }
        }
    }
    rows
}

fn tally_row(
    step: usize,
    action: &str,
    protocol: &str,
    t: &Tally,
    lang: Language<'_>,
) -> Vec<String> {
    let agrees = match t.read_agrees {
        Some(true) => lang.say(&text!("export.table.yes")),
        Some(false) => lang.say(&text!("export.table.no")),
        None => String::new(),
    };
    vec![
        step.to_string(),
        action.to_string(),
        protocol.to_string(),
        t.on_server.to_string(),
        t.on_phone.to_string(),
        t.on_laptop.to_string(),
        agrees,
        t.commands.to_string(),
        t.octets.to_string(),
    ]
}

/// RFC 4180 §2: a field with a comma, a quote or a line break is quoted, its quotes doubled.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Text for XML: the five characters with a meaning there, escaped; control characters
/// (other than tab) dropped, as XML 1.0 does not allow them.
pub(crate) fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn xml_text_escapes_markup_and_drops_controls() {
        assert_eq!(xml_text("<a & 'b'>\u{7}"), "&lt;a &amp; &apos;b&apos;&gt;");
    }
}
