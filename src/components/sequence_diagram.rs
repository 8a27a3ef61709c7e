//! The sequence diagram: one lane per host, one arrow per step. Past arrows are labelled,
//! the current one stands out, the next few are faint — a window that follows the story.
//!
//! The hosts and the arrows are two pictures, both as wide as the panel: the arrows keep
//! their size whatever the panel's height (large on a projector). The arrows' picture always
//! has the same rows, the current step on the same one, and the panel shows its bottom: as
//! many earlier steps as fit, whatever the screen, with no script.

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

const WIDTH: i32 = 1000;
const HEADER: i32 = 84;
const ROW: i32 = 40;
/// Step rows start this far down their picture.
const TOP: i32 = 22;
/// Steps drawn before and after the current one (the panel shows as many before as fit).
const BEFORE: usize = 20;
const AFTER: usize = 4;

/// Integer coordinates: whole SVG units are plenty, and the page needs no float formatting.
fn lane_x(lane: usize, lanes: usize) -> i32 {
    let margin = 80;
    if lanes <= 1 {
        return WIDTH / 2;
    }
    let (lane, last) = (
        i32::try_from(lane).unwrap_or(0),
        i32::try_from(lanes - 1).unwrap_or(1),
    );
    margin + (WIDTH - 2 * margin) * lane / last
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Keeps a centred label inside the picture: monospace is about 9 units a character at 15 px,
/// nearly 10 for the current step's bold 16 px.
fn label_x(centre: i32, label: &str, prefix: &str) -> i32 {
    let chars = i32::try_from(label.chars().count() + prefix.chars().count()).unwrap_or(0);
    let half = chars * 5 + 6;
    centre.clamp(half, (WIDTH - half).max(half))
}

/// A plain function, not a component: it has no state, and a component of its own would
/// cost the page more code than it saves in rendering.
pub fn sequence_diagram(props: &SequenceDiagramProps) -> Html {
    let t = &props.timeline;
    let lanes = t.hosts.len();
    let first = props.current.saturating_sub(BEFORE);
    let last = (props.current + AFTER).min(t.len().saturating_sub(1));
    // Rows above the first step stay empty, so the current step is always on row BEFORE.
    let pad = BEFORE - (props.current - first);
    let height = ROW * (BEFORE + AFTER + 1) as i32 + 8;
    // The header doubles as the map of the hosts: the two ends of the current step are
    // highlighted and joined, in the protocol's colour.
    let active = t.steps.get(props.current);
    let ends = active.map(|s| (s.from.0, s.to.0));
    let link = active.filter(|s| s.from != s.to).map(|s| {
        let (a, b) = (lane_x(s.from.0, lanes), lane_x(s.to.0, lanes));
        html! {
            <line x1={format!("{a}")} y1="74" x2={format!("{b}")} y2="74"
                class={classes!("diagram__link", format!("diagram__step--{}", s.protocol.key()))} />
        }
    });
    let heads = t.hosts.iter().enumerate().map(|(i, h)| {
        let x = lane_x(i, lanes);
        let on = ends.is_some_and(|(a, b)| a == i || b == i);
        html! {
            <g class={classes!("diagram__host", on.then_some("diagram__host--active"))}>
                <rect x={format!("{}", x - 80)} y="6" width="160" height="58" rx="8" class="diagram__host-box" />
                <text x={format!("{x}")} y="30" class="diagram__host-label" text-anchor="middle">{ &h.label }</text>
                <text x={format!("{x}")} y="50" class="diagram__host-role" text-anchor="middle">{ &h.role }</text>
                <line x1={format!("{x}")} y1="62" x2={format!("{x}")} y2={format!("{HEADER}")} class="diagram__lifeline" />
            </g>
        }
    });
    let lifelines = (0..lanes).map(|i| {
        let x = format!("{}", lane_x(i, lanes));
        html! { <line x1={x.clone()} y1="0" x2={x} y2={format!("{height}")} class="diagram__lifeline" /> }
    });
    let arrows = (first..=last).filter_map(|i| t.steps.get(i).map(|s| (i, s))).map(|(i, step)| {
        let row = i32::try_from(pad + i - first).unwrap_or(0);
        let y = ROW * row + TOP;
        let when = match i.cmp(&props.current) {
            std::cmp::Ordering::Less => "past",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "future",
        };
        let class = classes!(
            "diagram__step",
            format!("diagram__step--{}", step.protocol.key()),
            format!("diagram__step--{when}"),
            step.encrypted.then_some("diagram__step--encrypted")
        );
        let on_click = {
            let on_select = props.on_select.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(i))
        };
        let label = shorten(&step.label(), 40);
        let lock = if step.encrypted { "TLS · " } else { "" };
        let x1 = lane_x(step.from.0, lanes);
        let x2 = lane_x(step.to.0, lanes);
        let body = if step.direction == Direction::Local || step.from == step.to {
            let text = shorten(label.trim_matches(|c| c == '-' || c == ' '), 52);
            html! {
                <>
                    <circle cx={format!("{x1}")} cy={format!("{y}")} r="6" class="diagram__dot" />
                    // On the right half the note runs leftwards, so it stays inside the picture.
                    if x1 > WIDTH / 2 {
                        <text x={format!("{}", x1 - 12)} y={format!("{}", y + 5)} text-anchor="end" class="diagram__note">{ text }</text>
                    } else {
                        <text x={format!("{}", x1 + 12)} y={format!("{}", y + 5)} class="diagram__note">{ text }</text>
                    }
                </>
            }
        } else {
            let dir = if x2 > x1 { 1 } else { -1 };
            let tip = x2 - dir * 2;
            let head = format!("{},{} {},{} {},{}", tip, y, tip - dir * 10, y - 5, tip - dir * 10, y + 5);
            html! {
                <>
                    <line x1={format!("{x1}")} y1={format!("{y}")} x2={format!("{}", tip - dir * 8)} y2={format!("{y}")} class="diagram__arrow" />
                    <polygon points={head} class="diagram__head" />
                    <text x={format!("{}", label_x((x1 + x2) / 2, &label, lock))} y={format!("{}", y - 7)} text-anchor="middle" class="diagram__label">
                        { format!("{lock}{label}") }
                    </text>
                </>
            }
        };
        let flight = (i == props.current).then(|| format!("--flight: {}ms", flight_ms(step, props.speed)));
        html! {
            <g class={class} onclick={on_click} style={flight}>
                <title>{ format!("Step {}: {}", i + 1, step.explanation.title) }</title>
                { body }
            </g>
        }
    });
    html! {
        <section class="diagram" aria-labelledby="diagram-title">
            <h2 id="diagram-title" class="panel__title">{ "Sequence — every line on the wire" }</h2>
            <svg class="diagram__hosts" viewBox={format!("0 0 {WIDTH} {HEADER}")} aria-hidden="true">
                { for heads }
                { for link }
            </svg>
            <div class="diagram__rows">
                <svg class="diagram__svg" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                     aria-label={format!("Sequence diagram, steps {} to {} of {}", first + 1, last + 1, t.len())}>
                    { for lifelines }
                    { for arrows }
                </svg>
            </div>
        </section>
    }
}
