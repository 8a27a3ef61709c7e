//! Step controls: back, forward, and where we are on the virtual clock.

use std::rc::Rc;

use postroom_sim::Timeline;
use yew::prelude::*;

use crate::state::{Playback, PlaybackAction};

#[derive(Properties, PartialEq, Debug)]
pub struct ControlsProps {
    pub timeline: Rc<Timeline>,
    pub playback: Playback,
    pub on_action: Callback<PlaybackAction>,
}

#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let p = props.playback;
    let send = |action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action))
    };
    let time = props
        .timeline
        .steps
        .get(p.current)
        .map(|s| format!("t = {}", s.arrived_at))
        .unwrap_or_default();
    html! {
        <nav class="controls" aria-label="Playback">
            <button class="controls__button" data-action="first" onclick={send(PlaybackAction::First)}
                    disabled={!p.can_go_back()} aria-label="First step" title="First step (Home)">{ icon("M6 5v14M19 5l-10 7 10 7z") }</button>
            <button class="controls__button controls__button--wide" data-action="back" onclick={send(PlaybackAction::Back)}
                    disabled={!p.can_go_back()} title="Previous step (←)">{ "◀ Back" }</button>
            <button class="controls__button controls__button--wide controls__button--primary" data-action="step"
                    onclick={send(PlaybackAction::Forward)} disabled={!p.can_go_forward()} title="Next step (→)">{ "Step ▶" }</button>
            <button class="controls__button" data-action="last" onclick={send(PlaybackAction::Last)}
                    disabled={!p.can_go_forward()} aria-label="Last step" title="Last step (End)">{ icon("M18 5v14M5 5l10 7-10 7z") }</button>
            <span class="controls__position">{ format!("Step {} of {}", p.current + 1, p.len) }</span>
            <span class="controls__time">{ time }</span>
            <span class="controls__hint">{ "Keys: ← → Home End" }</span>
        </nav>
    }
}

/// A small inline SVG icon, so no icon font is needed (it would fail offline).
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="controls__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
        </svg>
    }
}
