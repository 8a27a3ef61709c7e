//! The "Export…" menus of the explorer and the comparison: what each offers, with file names
//! that say what the file is, and making the file (the engine's export functions) when one is
//! chosen.

use std::rc::Rc;

use postroom_sim::compare::Comparison;
use postroom_sim::export::{diagram_svg, outcome_csv, slide_svg, transcript_text};
use postroom_sim::Timeline;

use crate::export::save;

/// A choice of the explorer's menu; each acts on the story up to the step on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryExport {
    Handout,
    Svg,
    Png,
    Text,
    TextCrlf,
    Eml,
}

/// The explorer's menu at step `current` (from 0). The message is offered once one is stored.
pub fn story_menu(t: &Timeline, current: usize) -> Vec<(StoryExport, String)> {
    let n = current + 1;
    let mut items = vec![
        (
            StoryExport::Handout,
            crate::t!("export.handout").to_string(),
        ),
        (
            StoryExport::Svg,
            crate::t!("export.svg", step = n).to_string(),
        ),
        (StoryExport::Png, crate::t!("export.png").to_string()),
        (
            StoryExport::Text,
            crate::t!("export.text", step = n).to_string(),
        ),
        (
            StoryExport::TextCrlf,
            crate::t!("export.text-crlf").to_string(),
        ),
    ];
    if let Some(stored) = t.stored_by(current) {
        items.push((
            StoryExport::Eml,
            crate::t!("export.eml", uid = stored.uid).to_string(),
        ));
    }
    items
}

/// Saves the file chosen (the handout is the page's to show).
pub fn save_story(choice: StoryExport, t: &Rc<Timeline>, current: usize) {
    let n = current + 1;
    match choice {
        StoryExport::Handout => {}
        StoryExport::Svg => save(
            &format!("postroom-explorer-diagram-step-{n}.svg"),
            "image/svg+xml",
            crate::i18n::with_language(|lang| diagram_svg(t, 0..=current, lang)).as_bytes(),
        ),
        StoryExport::Png => save(
            &format!("postroom-explorer-slide-step-{n}.png"),
            "image/png",
            crate::i18n::with_language(|lang| slide_svg(t, current, lang)).as_bytes(),
        ),
        StoryExport::Text | StoryExport::TextCrlf => {
            let crlf = choice == StoryExport::TextCrlf;
            save(
                &format!(
                    "postroom-explorer-transcript{}-step-{n}.txt",
                    if crlf { "-crlf" } else { "" }
                ),
                "text/plain;charset=utf-8",
                transcript_text(t, current, crlf).as_bytes(),
            )
        }
        StoryExport::Eml => {
            if let Some(stored) = t.stored_by(current) {
                save(
                    &format!("postroom-explorer-message-uid-{}.eml", stored.uid),
                    "message/rfc822",
                    &stored.bytes,
                )
            }
        }
    }
}

/// A choice of the comparison's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareExport {
    Handout,
    Csv,
}

pub fn compare_menu() -> Vec<(CompareExport, String)> {
    vec![
        (
            CompareExport::Handout,
            crate::t!("export.handout").to_string(),
        ),
        (CompareExport::Csv, crate::t!("export.csv").to_string()),
    ]
}

/// Saves the outcome table; `lesson` names it (a lesson's key, or "script").
pub fn save_csv(c: &Comparison, lesson: &str) {
    save(
        &format!("postroom-compare-outcome-{lesson}.csv"),
        "text/csv;charset=utf-8",
        outcome_csv(c).as_bytes(),
    );
}
