//! The explorer's handout as HTML, for the page to show and print: the sequence diagram a
//! page at a time, every step's line with its explanation and RFC section, and how the story
//! ends (the outcome and every mailbox). Made as text here rather than as page components:
//! smaller in the page's WebAssembly, and tested natively.

use std::fmt::Write;

use postroom_proto::i18n::{Language, Text};
use postroom_proto::text;

use super::{diagram_svg, xml_text};
use crate::timeline::Timeline;

/// Steps per diagram slice: one slice fits the width of an A4 or Letter page.
pub const SLICE: usize = 28;

/// The handout of the whole story; `title` names it (who wrote to whom, and the subject).
/// Its words are in `lang`; the lines on the wire are as sent.
pub fn handout_html(t: &Timeline, title: &str, lang: Language<'_>) -> String {
    let say = |t: Text| xml_text(&lang.say(&t));
    let mut html = format!(
        "<h2 id=\"handout-title\" class=\"handout__title\">Postroom — {}</h2>\
         <p>{}</p><section><h3>{}</h3>",
        xml_text(title),
        say(text!("export.handout.intro", count = t.len())),
        say(text!("export.handout.diagram")),
    );
    for first in (0..t.len()).step_by(SLICE) {
        let _ = write!(
            html,
            "<figure class=\"handout__diagram\">{}</figure>",
            diagram_svg(t, first..=first + SLICE - 1, lang)
        );
    }
    let _ = write!(
        html,
        "</section><section><h3>{}</h3><ol class=\"handout__steps\">",
        say(text!("export.handout.steps"))
    );
    for step in &t.steps {
        let lines = step.lines();
        let more = match lines.len().saturating_sub(1) {
            0 => String::new(),
            n => format!(
                "<span class=\"handout__more\"> {}</span>",
                say(text!("export.handout.more", count = n))
            ),
        };
        let e = &step.explanation;
        let (title, why) = lang.parts(e.message.as_ref(), &e.title, &e.why);
        let _ = write!(
            html,
            "<li class=\"handout__step\"><p class=\"handout__line\"><code>{} {}</code>{more}</p>\
             <p><strong>{}</strong> {} <a href=\"{}\">{}</a></p></li>",
            step.direction.prefix(),
            // A host's own note in the handout's language; a line on the wire as sent.
            xml_text(&step.note.as_ref().map_or_else(
                || lines.first().cloned().unwrap_or_default(),
                |note| lang.say(note)
            )),
            xml_text(&title),
            xml_text(&why),
            e.rfc.url(),
            e.rfc.label()
        );
    }
    let _ = write!(
        html,
        "</ol></section><section class=\"handout__end\"><h3>{}</h3><ul>",
        say(text!("export.handout.end"))
    );
    for sentence in &t.outcome {
        let _ = write!(html, "<li>{}</li>", xml_text(&lang.say(sentence)));
    }
    html.push_str("</ul><table class=\"handout__table\"><tbody>");
    for view in t
        .steps
        .last()
        .map(|s| s.mailboxes.as_slice())
        .unwrap_or_default()
    {
        let held: Vec<String> = view
            .entries
            .iter()
            .map(|m| xml_text(&format!("{} “{}” {}", m.id, m.subject, m.flags.join(" "))))
            .collect();
        let held = if held.is_empty() {
            say(text!("mailboxes.empty"))
        } else {
            held.join("<br>")
        };
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{held}</td></tr>",
            xml_text(&lang.say(&view.title))
        );
    }
    html.push_str("</tbody></table></section>");
    html
}
