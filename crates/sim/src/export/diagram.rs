//! The sequence diagram as a standalone SVG file: one lane per host, one arrow per step with
//! its line, numbered as in the explorer. Colours, fonts and sizes are attributes on each
//! element (no stylesheet), so slide programs and browsers draw it alike; replies are dashed,
//! so a black-and-white printout still tells them from commands. Integer arithmetic only:
//! formatting floats would cost the page's WebAssembly more than the whole drawing.

use std::fmt::Write;
use std::ops::RangeInclusive;

use postroom_proto::i18n::Language;
use postroom_proto::text;

use super::xml_text;
use crate::timeline::{Direction, Protocol, Step, Timeline};

/// A slide's size in pixels: 16:9, full HD.
pub const SLIDE: (usize, usize) = (1920, 1080);

/// How big things are drawn.
struct Scale {
    width: usize,
    /// Height of the hosts' heading, of one step, and the font size.
    head: usize,
    row: usize,
    font: usize,
    /// The column of step numbers on the left.
    margin: usize,
}

const PAGE: Scale = Scale {
    width: 1200,
    head: 64,
    row: 30,
    font: 13,
    margin: 48,
};

const SLIDE_SCALE: Scale = Scale {
    width: SLIDE.0,
    head: 118,
    row: 54,
    font: 22,
    margin: 84,
};

const INK: &str = "#16181d";
const MUTED: &str = "#4a5060";
const MONO: &str = "DejaVu Sans Mono, Menlo, Consolas, monospace";

/// The same colour per protocol as the page's light theme.
fn colour(p: Protocol) -> &'static str {
    match p {
        Protocol::Smtp => "#0061a0",
        Protocol::Dns => "#7a3fa6",
        Protocol::Pop3 => "#b35200",
        Protocol::Imap => "#007a55",
        Protocol::Local | Protocol::Handshake => "#5a6070",
        Protocol::Http => "#a0286e",
    }
}

/// Steps `steps` (clamped to the timeline) as a document-sized SVG, as tall as they need; the
/// lanes and notes in `lang`, the lines on the wire as sent.
pub fn diagram_svg(
    timeline: &Timeline,
    steps: RangeInclusive<usize>,
    lang: Language<'_>,
) -> String {
    let last = (*steps.end()).min(timeline.len().saturating_sub(1));
    let first = (*steps.start()).min(last);
    let height = PAGE.head + (last + 1 - first) * PAGE.row + PAGE.row / 2;
    draw(timeline, first..=last, &PAGE, height, lang)
}

/// The steps up to `current` that fit on a 16:9 slide, the latest at the bottom.
pub fn slide_svg(timeline: &Timeline, current: usize, lang: Language<'_>) -> String {
    let s = &SLIDE_SCALE;
    let fit = (SLIDE.1 - s.head - s.row / 2) / s.row;
    let last = current.min(timeline.len().saturating_sub(1));
    let first = (last + 1).saturating_sub(fit);
    draw(timeline, first..=last, s, SLIDE.1, lang)
}

fn draw(
    t: &Timeline,
    steps: RangeInclusive<usize>,
    s: &Scale,
    height: usize,
    lang: Language<'_>,
) -> String {
    let lanes = t.hosts.len().max(1);
    let area = s.width - s.margin - s.font;
    let lane = |i: usize| s.margin + (2 * i + 1) * area / (2 * lanes);
    let column = area / lanes;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" \
         viewBox=\"0 0 {w} {height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" \
         font-size=\"{f}\">\n<title>{title}</title>\n\
         <rect width=\"{w}\" height=\"{height}\" fill=\"#ffffff\"/>\n<defs>",
        w = s.width,
        f = s.font,
        title = xml_text(&lang.say(&text!(
            "export.diagram.title",
            first = steps.start() + 1,
            last = steps.end() + 1,
            count = t.len()
        ))),
    );
    for p in [
        Protocol::Smtp,
        Protocol::Dns,
        Protocol::Pop3,
        Protocol::Imap,
    ] {
        let _ = write!(
            svg,
            "<marker id=\"head-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"{}\"/></marker>",
            p.key(),
            colour(p)
        );
    }
    svg.push_str("</defs>\n");
    for (i, host) in t.hosts.iter().enumerate() {
        let x = lane(i);
        let y = s.head * 2 / 5;
        svg.push_str(&text(
            x,
            y,
            "middle",
            column - 6,
            s.font + 1,
            &format!("font-weight=\"700\" fill=\"{INK}\""),
            &lang.say(&host.label),
        ));
        svg.push_str(&text(
            x,
            y + s.font + 6,
            "middle",
            column - 6,
            s.font - 1,
            &format!("fill=\"{MUTED}\""),
            &lang.say(&host.role),
        ));
        let _ = writeln!(
            svg,
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{height}\" stroke=\"#b8bdc8\" stroke-dasharray=\"4 4\"/>",
            top = s.head - s.font / 2
        );
    }
    for (row, i) in steps.enumerate() {
        let Some(step) = t.steps.get(i) else { break };
        let top = s.head + row * s.row;
        let _ = write!(svg, "<g data-step=\"{}\">", i + 1);
        svg.push_str(&text(
            s.margin - s.font / 2,
            top + s.row * 3 / 5,
            "end",
            s.margin,
            s.font - 1,
            &format!("fill=\"{MUTED}\""),
            &(i + 1).to_string(),
        ));
        // A host's own note in the diagram's language; a line on the wire as sent.
        let label = step
            .note
            .as_ref()
            .map_or_else(|| step.label(), |note| lang.say(note));
        row_of(
            &mut svg,
            (step, &label),
            s,
            top,
            (lane(step.from.0), lane(step.to.0)),
            area,
        );
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>\n");
    svg
}

/// One step: a labelled arrow between two lanes, or a note beside one.
fn row_of(
    svg: &mut String,
    (step, label): (&Step, &str),
    s: &Scale,
    top: usize,
    (x1, x2): (usize, usize),
    area: usize,
) {
    let fill = colour(step.protocol);
    if step.direction == Direction::Local || x1 == x2 {
        let text_of = label.trim_matches(|c| c == '-' || c == ' ');
        let y = top + s.row * 3 / 5;
        let _ = write!(
            svg,
            "<circle cx=\"{x1}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>",
            y - s.font / 3,
            s.font / 4
        );
        let (x, anchor) = if x1 > s.margin + area / 2 {
            (x1 - s.font, "end")
        } else {
            (x1 + s.font, "start")
        };
        svg.push_str(&text(
            x,
            y,
            anchor,
            area / 2,
            s.font,
            &format!("font-style=\"italic\" fill=\"{fill}\""),
            text_of,
        ));
        return;
    }
    let y = top + s.row * 4 / 5;
    let dashed = if step.direction == Direction::ServerToClient {
        " stroke-dasharray=\"7 4\""
    } else {
        ""
    };
    let _ = write!(
        svg,
        "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"{fill}\" stroke-width=\"2\"{dashed} \
         marker-end=\"url(#head-{})\"/>",
        step.protocol.key()
    );
    let lock = if step.encrypted { "TLS · " } else { "" };
    let line = format!("{lock}{label}");
    // Centred over the arrow, kept inside the lanes; a long line is narrowed to fit.
    let wide = (line.chars().count() * s.font * 2 / 3).min(area);
    let centre = ((x1 + x2) / 2)
        .max(s.margin + wide / 2)
        .min(s.margin + area - wide / 2);
    svg.push_str(&text(
        centre,
        y - s.font / 2,
        "middle",
        area,
        s.font,
        &format!("font-family=\"{MONO}\" fill=\"{INK}\""),
        &line,
    ));
}

/// A `<text>` element; one wider than `max` (at about 2/3 em a character, a monospace font's
/// 0.6 em and a margin) is narrowed to it. A white outline keeps it legible over the lanes.
fn text(
    x: usize,
    y: usize,
    anchor: &str,
    max: usize,
    size: usize,
    attrs: &str,
    content: &str,
) -> String {
    let wide = content.chars().count() * size * 2 / 3;
    let fit = if wide > max {
        format!(" textLength=\"{max}\" lengthAdjust=\"spacingAndGlyphs\"")
    } else {
        String::new()
    };
    format!(
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" font-size=\"{size}\" stroke=\"#fff\" \
         stroke-width=\"4\" paint-order=\"stroke\" {attrs}{fit}>{}</text>\n",
        xml_text(content)
    )
}
