//! The sequence diagram: one lane per host, one arrow per step. Past arrows are labelled,
//! the current one stands out, the next few are quieter — a window that follows the story.
//!
//! Drawn in HTML, not SVG, so its text is sized like the rest of the page (projector mode
//! enlarges it) and wraps instead of being cut: host names, long replies. Lanes sit at the
//! centres of equal columns; each row places its label and arrow in percent of the width.
//! The rows' box is scrolled to its bottom after each render (the current step and the next
//! few), and marked when it hides earlier rows, which then fade out at the top.

use std::rc::Rc;

use postroom_sim::{Direction, Timeline};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct SequenceDiagramProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
    pub on_select: Callback<usize>,
    /// Playback speed in percent: the current arrow's flight is shorter when faster.
    pub speed: u32,
}

/// How long the current arrow flies, in ms: longer on a slower link (a long latency, a lost
/// packet), from half a second to 1.3 s at normal speed — within one tick of play (1.4 s).
pub fn flight_ms(step: &postroom_sim::Step, speed: u32) -> u64 {
    let on_the_link = step.arrived_at.saturating_since(step.sent_at).as_micros() / 1000;
    (500 + on_the_link * 3 / 2).min(1300) * 100 / u64::from(speed.max(1))
}

/// Steps drawn before and after the current one (the panel shows as many before as fit).
const BEFORE: usize = 20;
const AFTER: usize = 3;
/// Longer labels end in "…"; shorter ones wrap when the panel is narrow.
const LONGEST: usize = 60;

/// A lane's centre in per-mille of the width: the middle of its column.
fn lane(lane: usize, lanes: usize) -> usize {
    (2 * lane + 1) * 1000 / (2 * lanes.max(1))
}

/// Per-mille as a CSS percentage, without float formatting.
fn pct(permille: usize) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Scrolls each diagram's rows box so its current step shows, with as many of the next ones
/// as fit under it, however tall the rows are (a projector, wrapped labels). Every diagram on
/// the page, each by its own current step (the lab draws one per path). Called after each
/// render and after the page's size changes.
pub fn keep_current_in_view() {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let Ok(all) = gloo::utils::document().query_selector_all(".diagram__rows") else {
            return;
        };
        for i in 0..all.length() {
            let Some(rows) = all
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            let current = rows
                .query_selector(".diagram__step--current")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(current) = current {
                show_in(&rows, &current);
            }
        }
    }
}

/// The current step's bottom two thirds down the box, the next ones under it; never past the
/// last row, nor hiding the top of the current one.
#[cfg(target_arch = "wasm32")]
fn show_in(rows: &web_sys::HtmlElement, current: &web_sys::HtmlElement) {
    let height = rows.client_height();
    let below = current.offset_top() + current.offset_height() - height * 2 / 3;
    let last = rows.scroll_height() - height;
    rows.set_scroll_top(below.min(last).min(current.offset_top()).max(0));
    let hides = if rows.scroll_top() > 0 {
        "true"
    } else {
        "false"
    };
    let _ = rows.set_attribute("data-scrolled", hides);
}

/// A plain function, not a component: it has no state, and a component of its own would
/// cost the page more code than it saves in rendering.
pub fn sequence_diagram(props: &SequenceDiagramProps) -> Html {
    let t = &props.timeline;
    let lanes = t.hosts.len();
    let first = props.current.saturating_sub(BEFORE);
    let last = (props.current + AFTER).min(t.len().saturating_sub(1));
    // The header doubles as the map of the hosts: the two ends of the current step are
    // highlighted and joined, in the protocol's colour.
    let active = t.steps.get(props.current);
    let ends = active.map(|s| (s.from.0, s.to.0));
    let span = |a: usize, b: usize| {
        let (a, b) = (lane(a, lanes), lane(b, lanes));
        format!(
            "margin-left: {}; width: {}",
            pct(a.min(b)),
            pct(a.abs_diff(b))
        )
    };
    let link = active.filter(|s| s.from != s.to).map(|s| {
        html! {
            <span class={classes!("diagram__link", format!("diagram__step--{}", s.protocol.key()))} style={span(s.from.0, s.to.0)} />
        }
    });
    let heads = t.hosts.iter().enumerate().map(|(i, h)| {
        let on = ends.is_some_and(|(a, b)| a == i || b == i);
        html! {
            <li class={classes!("diagram__host", on.then_some("diagram__host--active"))}>
                <span class="diagram__host-label">{ crate::i18n::said(&h.label) }</span>
                <span class="diagram__host-role">{ crate::i18n::said(&h.role) }</span>
            </li>
        }
    });
    let rows = (first..=last).filter_map(|i| t.steps.get(i).map(|s| (i, s))).map(|(i, step)| {
        let when = match i.cmp(&props.current) {
            std::cmp::Ordering::Less => "past",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "future",
        };
        let local = step.direction == Direction::Local || step.from == step.to;
        let (x1, x2) = (lane(step.from.0, lanes), lane(step.to.0, lanes));
        let heading = if x2 >= x1 { "diagram__step--right" } else { "diagram__step--left" };
        let class = classes!(
            "diagram__step",
            format!("diagram__step--{}", step.protocol.key()),
            format!("diagram__step--{when}"),
            step.encrypted.then_some("diagram__step--encrypted"),
            if local { "diagram__step--note" } else { heading },
        );
        let on_click = {
            let on_select = props.on_select.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(i))
        };
        // A note is shown in the class's language; a line on the wire as it was sent.
        let label = match &step.note {
            Some(note) => crate::i18n::said(note).to_string(),
            None => step.label(),
        };
        let flight = (i == props.current).then(|| format!("--flight: {}ms", flight_ms(step, props.speed)));
        let body = if local {
            // A note beside its host's lane: rightwards on the left half, else leftwards.
            let text = shorten(label.trim_matches(|c| c == '-' || c == ' '), LONGEST);
            let side = if x1 > 500 { "right" } else { "left" };
            let place = if x1 > 500 { format!("--x: {}", pct(1000 - x1)) } else { format!("--x: {}", pct(x1)) };
            html! { <span class={classes!("diagram__note", format!("diagram__note--{side}"))} style={place}>{ text }</span> }
        } else {
            let lock = if step.encrypted { "TLS · " } else { "" };
            let text = format!("{lock}{}", shorten(&label, LONGEST));
            // Centred over the arrow, kept inside the panel: monospace characters are 0.6em.
            let place = format!("--x: {}; --n: {}", pct((x1 + x2) / 2), text.chars().count());
            html! {
                <>
                    <span class="diagram__label" style={place}>{ text }</span>
                    <span class="diagram__arrow" style={[span(step.from.0, step.to.0), flight.unwrap_or_default()].join("; ")} />
                </>
            }
        };
        html! { <li class={class} onclick={on_click}>{ body }</li> }
    });
    // The step itself is read out by the page's live region.
    let summary = crate::t!(
        "diagram.summary",
        first = first + 1,
        last = last + 1,
        count = t.len()
    );
    html! {
        <section class="diagram" aria-labelledby="diagram-title" style={format!("--lanes: {lanes}")}>
            <h2 id="diagram-title" class="panel__title">{ crate::t!("panel.sequence") }</h2>
            // A picture for the eye; the transcript holds the same lines for every reader.
            <div class="diagram__picture" role="img" aria-label={summary}>
                <ol class="diagram__hosts">{ for heads }</ol>
                <div class="diagram__map">{ for link }</div>
                <div class="diagram__rows">
                    <ol class="diagram__steps">{ for rows }</ol>
                </div>
            </div>
        </section>
    }
}
