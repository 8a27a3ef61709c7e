//! The explorer's panels for one timeline: the sequence diagram and the mailboxes, the
//! explanation and the transcript, the playback controls, and a live region that reads out
//! each step.

use std::rc::Rc;

use postroom_sim::Timeline;
use yew::prelude::*;

use crate::components::{
    controls, explanation_panel, mailbox_panel, sequence_diagram, ControlsProps, ExplanationProps,
    MailboxPanelProps, SequenceDiagramProps, Transcript,
};
use crate::state::{Playback, PlaybackAction};

#[derive(Properties, PartialEq, Debug)]
pub struct ExplorerViewProps {
    pub timeline: Rc<Timeline>,
    pub playback: Playback,
    /// Playback speed in percent of normal.
    pub speed: u32,
    /// The transcript shows the octets.
    pub bytes: bool,
    /// The same callback at every render, so unchanged transcript rows are not rendered again.
    pub on_action: Callback<PlaybackAction>,
    pub on_speed: Callback<u32>,
    pub on_toggle_bytes: Callback<()>,
    /// Shown in the mailbox panel while a step carries no mailboxes; without it the panel
    /// is left out then (a pasted log has none to show).
    #[prop_or_default]
    pub no_mailboxes: Option<AttrValue>,
    /// The side column is narrow (the live page): its panels scroll inside themselves, and
    /// the mailbox panel, which holds nothing focusable, takes focus so keys can scroll it.
    #[prop_or_default]
    pub panels_scroll: bool,
    /// The controls show the virtual clock; a pasted log's steps have no real times.
    #[prop_or(true)]
    pub clock: bool,
}

#[function_component]
pub fn ExplorerView(props: &ExplorerViewProps) -> Html {
    let timeline = &props.timeline;
    let current = props.playback.current;
    // After each render, the diagram shows the current step.
    use_effect(crate::components::sequence_diagram::keep_current_in_view);
    let on_select = use_callback(props.on_action.clone(), |i: usize, on_action| {
        on_action.emit(PlaybackAction::GoTo(i))
    });
    let announcement = timeline
        .steps
        .get(current)
        .map(|s| {
            crate::t!(
                "explorer.announce",
                step = current + 1,
                count = timeline.len(),
                title = crate::i18n::explanation(&s.explanation).0
            )
            .to_string()
        })
        .unwrap_or_default();
    html! {
        <>
            // The diagram, and beside it (or under it, on a narrow screen) what it means: the
            // explanation first, then the mailboxes and the transcript.
            <main class="explorer" id="main">
                { sequence_diagram(&SequenceDiagramProps { timeline: timeline.clone(), current, on_select: on_select.clone(), speed: props.speed }) }
                <div class="explorer__side">
                    { explanation_panel(&ExplanationProps { timeline: timeline.clone(), current }) }
                    { mailbox_panel(&MailboxPanelProps { timeline: timeline.clone(), current, empty: props.no_mailboxes.clone(), focusable: props.panels_scroll }) }
                    <Transcript timeline={timeline.clone()} {current} {on_select} bytes={props.bytes} on_toggle_bytes={props.on_toggle_bytes.clone()} />
                </div>
            </main>
            { controls(&ControlsProps { timeline: timeline.clone(), playback: props.playback, on_action: props.on_action.clone(), speed: props.speed, on_speed: props.on_speed.clone(), clock: props.clock }) }
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</div>
        </>
    }
}
