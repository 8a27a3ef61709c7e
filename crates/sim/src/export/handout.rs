//! The explorer's handout as HTML, for the page to show and print: the sequence diagram a
//! page at a time, every step's line with its explanation and RFC section, and how the story
//! ends (the outcome and every mailbox). Made as text here rather than as page components:
//! smaller in the page's WebAssembly, and tested natively.

use std::fmt::Write;

use super::{diagram_svg, xml_text};
use crate::timeline::Timeline;

/// Steps per diagram slice: one slice fits the width of an A4 or Letter page.
pub const SLICE: usize = 28;

/// The handout of the whole story; `title` names it (who wrote to whom, and the subject).
pub fn handout_html(t: &Timeline, title: &str) -> String {
    let mut html = format!(
        "<h2 id=\"handout-title\" class=\"handout__title\">Postroom — {}</h2>\
         <p>{} steps. C: the client speaks, S: the server answers, -- something happens inside \
         one host. Dashed arrows are replies.</p><section><h3>Sequence diagram</h3>",
        xml_text(title),
        t.len()
    );
    for first in (0..t.len()).step_by(SLICE) {
        let _ = write!(
            html,
            "<figure class=\"handout__diagram\">{}</figure>",
            diagram_svg(t, first..=first + SLICE - 1)
        );
    }
    html.push_str("</section><section><h3>Step by step</h3><ol class=\"handout__steps\">");
    for step in &t.steps {
        let lines = step.lines();
        let more = match lines.len().saturating_sub(1) {
            0 => String::new(),
            n => format!("<span class=\"handout__more\"> (and {n} more lines)</span>"),
        };
        let e = &step.explanation;
        let _ = write!(
            html,
            "<li class=\"handout__step\"><p class=\"handout__line\"><code>{} {}</code>{more}</p>\
             <p><strong>{}</strong> {} <a href=\"{}\">{}</a></p></li>",
            step.direction.prefix(),
            xml_text(lines.first().map_or("", String::as_str)),
            xml_text(&e.title),
            xml_text(&e.why),
            e.rfc.url(),
            e.rfc.label()
        );
    }
    html.push_str("</ol></section><section class=\"handout__end\"><h3>At the end</h3><ul>");
    for sentence in &t.outcome {
        let _ = write!(html, "<li>{}</li>", xml_text(sentence));
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
            "empty".to_string()
        } else {
            held.join("<br>")
        };
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{held}</td></tr>",
            xml_text(&view.title)
        );
    }
    html.push_str("</tbody></table></section>");
    html
}
