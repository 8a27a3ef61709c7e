//! Playback controls: first, back, play/pause, step, last, a scrubber coloured by phase, and
//! where we are on the virtual clock.

use std::rc::Rc;

use postroom_sim::Timeline;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Playback, PlaybackAction};

#[derive(Properties, PartialEq, Debug)]
pub struct ControlsProps {
    pub timeline: Rc<Timeline>,
    pub playback: Playback,
    pub on_action: Callback<PlaybackAction>,
    /// Playback speed in percent of normal: how fast play advances and arrows fly.
    pub speed: u32,
    pub on_speed: Callback<u32>,
    /// The virtual clock is shown: off where the times would be made up (a pasted log
    /// rarely says when each line crossed).
    pub clock: bool,
}

/// The speeds offered, in percent.
pub const SPEEDS: [u32; 4] = [50, 100, 200, 400];

/// The scrubber's background: one colour band per run of steps of the same protocol.
fn phase_gradient(t: &Timeline) -> String {
    let n = t.len().max(1);
    // Per-mille, in integers: no float formatting in the page.
    let at = |i: usize| format!("{}.{}%", i * 1000 / n / 10, i * 1000 / n % 10);
    let mut stops = Vec::new();
    let mut start = 0;
    for i in 1..=t.len() {
        // Compared in place: a pasted log can have 20,000 steps.
        let boundary =
            t.steps.get(i).map(|s| &s.phase.label) != t.steps.get(start).map(|s| &s.phase.label);
        if boundary {
            if let Some(step) = t.steps.get(start) {
                let colour = format!("var(--{})", step.protocol.key());
                stops.push(format!("{colour} {} {}", at(start), at(i)));
            }
            start = i;
        }
    }
    format!(
        "background: linear-gradient(to right, {})",
        stops.join(", ")
    )
}

/// Labels for the phases, placed where each begins.
fn phase_labels(t: &Timeline) -> Html {
    let n = t.len().max(1);
    let mut seen = None;
    let labels = t.steps.iter().enumerate().filter_map(|(i, s)| {
        if seen.as_ref() == Some(&s.phase.label) {
            return None;
        }
        seen = Some(s.phase.label.clone());
        // A phase too short for its label (the DNS lookup) is named by its colour only.
        let length = t
            .steps
            .iter()
            .skip(i)
            .take_while(|x| x.phase.label == s.phase.label)
            .count();
        if length * 100 < n * 6 {
            return None;
        }
        // Each label stays within its own phase, cut short rather than overlapping the next.
        let left = format!("left: {}%; max-width: {}%", i * 100 / n, length * 100 / n);
        Some(html! { <span class="controls__phase" style={left}>{ crate::i18n::said(&s.phase.label) }</span> })
    });
    html! { <div class="controls__phases" aria-hidden="true">{ for labels }</div> }
}

/// A plain function, not a component: it has no state, and a component of its own would
/// cost the page more code than it saves in rendering.
pub fn controls(props: &ControlsProps) -> Html {
    let p = props.playback;
    let t = &props.timeline;
    let send = |action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action))
    };
    let on_scrub = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.value().parse::<usize>().ok());
            if let Some(v) = value {
                on_action.emit(PlaybackAction::GoTo(v));
            }
        })
    };
    let on_speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
            if let Ok(speed) = select.value().parse() {
                on_speed.emit(speed);
            }
        })
    };
    let time = t
        .steps
        .get(p.current)
        .filter(|_| props.clock)
        .map(|s| crate::i18n::number(format!("t = {}", s.arrived_at)))
        .unwrap_or_default();
    let (play_label, play_icon) = if p.playing {
        (crate::t!("controls.pause"), "M7 5h4v14H7zM13 5h4v14h-4z")
    } else {
        (crate::t!("controls.play"), "M8 5l11 7-11 7z")
    };
    let position = crate::t!("controls.position", step = p.current + 1, count = p.len);
    html! {
        <nav class="controls" id="controls" aria-label={crate::t!("controls.label")}>
            <div class="controls__buttons">
                <button class="controls__button" data-action="first" onclick={send(PlaybackAction::First)}
                        disabled={!p.can_go_back()} aria-label={crate::t!("controls.first")} title={crate::t!("controls.first-key")}>{ icon("M6 5v14M19 5l-10 7 10 7z") }</button>
                <button class="controls__button controls__button--wide" data-action="back" onclick={send(PlaybackAction::Back)}
                        disabled={!p.can_go_back()} title={crate::t!("controls.back-key")}>{ crate::t!("controls.back") }</button>
                <button class="controls__button controls__button--play" data-action="play" onclick={send(PlaybackAction::TogglePlay)}
                        aria-label={play_label.clone()} aria-pressed={p.playing.to_string()} title={play_label}>{ icon(play_icon) }</button>
                <button class="controls__button controls__button--wide controls__button--primary" data-action="step"
                        onclick={send(PlaybackAction::Forward)} disabled={!p.can_go_forward()} title={crate::t!("controls.step-key")}>{ crate::t!("controls.step") }</button>
                <button class="controls__button" data-action="last" onclick={send(PlaybackAction::Last)}
                        disabled={!p.can_go_forward()} aria-label={crate::t!("controls.last")} title={crate::t!("controls.last-key")}>{ icon("M18 5v14M5 5l10 7-10 7z") }</button>
                <select class="controls__speed" data-action="speed" aria-label={crate::t!("controls.speed")} onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ crate::i18n::number(format!("{}×", f_speed(*s))) }</option>
                    }) }
                </select>
            </div>
            <div class="controls__scrubber">
                { phase_labels(t) }
                <input type="range" class="controls__range" min="0" max={t.len().saturating_sub(1).to_string()}
                       value={p.current.to_string()} oninput={on_scrub} style={phase_gradient(t)}
                       aria-label={crate::t!("controls.scrub")} aria-valuetext={position.clone()} />
            </div>
            <div class="controls__where">
                <span class="controls__position">{ position }</span>
                <span class="controls__time">{ time }</span>
                <span class="controls__hint">{ crate::t!("controls.keys") }</span>
            </div>
        </nav>
    }
}

/// 50 → "0.5", 200 → "2": the speed as a teacher reads it, without float formatting.
fn f_speed(percent: u32) -> String {
    match percent % 100 {
        0 => (percent / 100).to_string(),
        rest => format!("{}.{}", percent / 100, rest / 10),
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
