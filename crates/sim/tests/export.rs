//! The files a teacher exports: the transcript text, the diagram's SVG, the delivered
//! message's octets and the comparison's CSV, checked against the timeline they come from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use postroom_proto::i18n::Language;
use postroom_sim::compare::{compare, presets};
use postroom_sim::export::{
    diagram_svg, handout_html, outcome_csv, slide_svg, transcript_text, SLIDE,
};
use postroom_sim::{run, Direction, Protocol, Scenario};

#[test]
fn the_transcript_has_every_line_of_every_step_with_its_side() {
    let t = run(&Scenario::default()).unwrap();
    let text = transcript_text(&t, t.len(), false);
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with("==") && !l.is_empty());
    for step in &t.steps {
        for line in step.lines() {
            assert_eq!(
                lines.next(),
                Some(format!("{} {line}", step.direction.prefix()).as_str())
            );
        }
    }
    assert_eq!(lines.next(), None);
    assert!(
        text.starts_with("== "),
        "a heading names the first speakers: {text:.80}"
    );
    assert!(text.contains("C: EHLO"), "{text:.400}");
}

#[test]
fn the_transcript_with_crlf_marks_each_wire_line_and_stops_at_the_step() {
    let t = run(&Scenario::default()).unwrap();
    let text = transcript_text(&t, 4, true);
    let said: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("C:") || l.starts_with("S:"))
        .collect();
    assert!(!said.is_empty());
    assert!(said.iter().all(|l| l.ends_with("<CR><LF>")), "{said:?}");
    let wire_lines: usize = t.steps[..5]
        .iter()
        .filter(|s| s.direction != Direction::Local)
        .map(|s| s.lines().len())
        .sum();
    assert_eq!(said.len(), wire_lines);
}

/// Balanced tags and known entities: enough to know an XML parser reads it.
fn assert_well_formed(svg: &str) {
    let mut open = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').expect("a tag ends") + at;
        let tag = &rest[at + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name.to_string()), "closing {name}");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap().to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    for (i, _) in svg.match_indices('&') {
        let entity = &svg[i..svg[i..].find(';').unwrap() + i + 1];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
            "{entity}"
        );
    }
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[test]
fn the_diagram_svg_holds_every_step_label_and_host() {
    let t = run(&Scenario::default()).unwrap();
    let svg = diagram_svg(&t, 0..=t.len(), Language::ENGLISH);
    assert_well_formed(&svg);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    for (i, step) in t.steps.iter().enumerate() {
        let label = step.label();
        let label = label.trim_matches(|c| c == '-' || c == ' ');
        assert!(svg.contains(&escaped(label)), "step {}: {label}", i + 1);
        assert!(svg.contains(&format!("data-step=\"{}\"", i + 1)));
    }
    for host in &t.hosts {
        assert!(svg.contains(&escaped(&host.label)));
    }
}

#[test]
fn the_slide_is_16_by_9_and_ends_at_the_step_shown() {
    let t = run(&Scenario::default()).unwrap();
    let svg = slide_svg(&t, 30, Language::ENGLISH);
    assert_well_formed(&svg);
    assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", SLIDE.0, SLIDE.1)));
    assert!(svg.contains("data-step=\"31\""));
    assert!(!svg.contains("data-step=\"32\""));
    assert!(
        !svg.contains("data-step=\"1\""),
        "the earliest steps make room"
    );
}

#[test]
fn the_stored_message_is_the_mailbox_copy_with_the_servers_trace_fields() {
    let t = run(&Scenario::default()).unwrap();
    assert!(
        t.stored_by(0).is_none(),
        "nothing is stored before the story"
    );
    let stored = t.stored.first().expect("the story delivers a message");
    assert_eq!(
        t.stored_by(t.len()).map(|s| s.uid),
        t.stored.last().map(|s| s.uid)
    );
    let text = String::from_utf8_lossy(&stored.bytes);
    assert!(
        text.starts_with("Return-Path:") || text.starts_with("Received:"),
        "{text:.200}"
    );
    assert!(text.contains("\r\nSubject: "), "{text:.400}");
    // The octets a device fetched from that mailbox are these, byte for byte.
    let fetched = t
        .steps
        .iter()
        .filter(|s| matches!(s.protocol, Protocol::Imap | Protocol::Pop3));
    let body = &stored.bytes[..];
    assert!(
        fetched
            .into_iter()
            .any(|s| s.bytes.windows(body.len()).any(|w| w == body)
                || String::from_utf8_lossy(&s.bytes).contains(&*text)),
        "a device fetched the stored octets"
    );
    // It is in the mailbox at the step it is said to be stored, and not one step before.
    let before = &t.steps[stored.step - 1].mailboxes[0];
    let at = &t.steps[stored.step].mailboxes[0];
    assert_eq!(at.entries.len(), before.entries.len() + 1);
}

#[test]
fn the_outcome_csv_has_a_row_per_action_and_protocol() {
    for preset in presets() {
        let c = compare(&preset.script);
        let csv = outcome_csv(&c);
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "step");
        assert_eq!(header.len(), 9);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2 * c.script.acts.len(), "{}", preset.key);
        for (row, frame) in rows.iter().skip(1).step_by(2).zip(&c.imap) {
            assert_eq!(&row[2], "IMAP");
            assert_eq!(row[3].parse::<usize>().unwrap(), frame.tally.on_server);
            assert_eq!(row[8].parse::<u64>().unwrap(), frame.tally.octets);
        }
        assert!(csv.ends_with("\r\n"));
    }
}

#[test]
fn the_handout_has_the_diagram_in_slices_every_step_explained_and_the_end() {
    let t = run(&Scenario::default()).unwrap();
    let html = handout_html(&t, "alice → bob: <Lunch>", Language::ENGLISH);
    assert_well_formed(&html.replace("<br>", "<br/>"));
    assert!(html.contains("Postroom — alice → bob: &lt;Lunch&gt;"));
    assert_eq!(html.matches("<figure").count(), t.len().div_ceil(28));
    assert_eq!(html.matches("<svg ").count(), t.len().div_ceil(28));
    assert_eq!(html.matches("class=\"handout__step\"").count(), t.len());
    for step in &t.steps {
        assert!(
            html.contains(&escaped(&step.explanation.title)),
            "{}",
            step.explanation.title
        );
        assert!(html.contains(&step.explanation.rfc.url()));
    }
    for sentence in &t.outcome {
        assert!(html.contains(&escaped(sentence)));
    }
    let end = html.split("At the end").nth(1).unwrap();
    for view in t.steps.last().unwrap().mailboxes.iter() {
        assert!(end.contains(&escaped(&view.title)));
    }
}
