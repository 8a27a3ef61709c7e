//! The round-trip lab page (lab.html): its own WebAssembly module. One `LabState` holds the
//! network, the runs and the view; the page wires it to the bar, the controls, the table,
//! the chart and the explorer's sequence diagram and explanation.
//!
//! Keys: ← → Home End step through the view's units, 1–6 choose the view, [ and ] a
//! shorter or longer round trip.

use std::rc::Rc;

use postroom_sim::Protocol;
use yew::prelude::*;

use crate::components::lab::chart::time_chart;
use crate::components::lab::table::path_table;
use crate::components::lab::{http_lines, network_controls, view_summary, view_tabs};
use crate::components::notices::notices;
use crate::components::sequence_diagram::keep_current_in_view;
use crate::components::{controls, explanation_panel, sequence_diagram, topbar};
use crate::components::{ControlsProps, ExplanationProps, SequenceDiagramProps};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::lab::{LabAction, LabState, View};
use crate::state::PlaybackAction;
use crate::storage;

/// The action for one of the lab's own keys.
pub fn lab_key(key: &str) -> Option<LabAction> {
    match key {
        "[" => Some(LabAction::LatencyStep(false)),
        "]" => Some(LabAction::LatencyStep(true)),
        _ => {
            let n: usize = key.parse().ok()?;
            View::ALL
                .get(n.checked_sub(1)?)
                .map(|&v| LabAction::Show(v))
        }
    }
}

#[hook]
fn use_lab_keys(on: Callback<LabAction>) {
    use_effect_with(on, |on| {
        use wasm_bindgen::JsCast;
        let on = on.clone();
        let listener = gloo::utils::window().document().map(|document| {
            gloo::events::EventListener::new(&document, "keydown", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let typing = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    });
                if typing || event.alt_key() || event.ctrl_key() || event.meta_key() {
                    return;
                }
                if let Some(action) = lab_key(&event.key()) {
                    on.emit(action);
                }
            })
        });
        move || drop(listener)
    });
}

/// Whether an action moves the class's eyes to the view below the table and the chart: a
/// step, or a view chosen.
fn looks_at_the_view(action: &LabAction) -> bool {
    matches!(action, LabAction::Step(_) | LabAction::Show(_))
}

/// After a step or a view chosen, the current arrow and its explanation are what the class
/// looks at: on a 1280x720 projector they sit below the table and the chart, so when either
/// is out of sight the view's tabs go to the top of the page.
fn bring_the_view_into_sight() {
    #[cfg(target_arch = "wasm32")]
    {
        let document = gloo::utils::document();
        let find = |selector: &str| document.query_selector(selector).ok().flatten();
        let (Some(main), Some(tabs)) = (find("main.lab"), find(".lab__tabs")) else {
            return;
        };
        let frame = main.get_bounding_client_rect();
        let hidden = [".diagram__step--current", ".explanation__title"]
            .iter()
            .filter_map(|s| find(s))
            .any(|e| {
                let r = e.get_bounding_client_rect();
                r.top() < frame.top() || r.bottom() > frame.bottom()
            });
        if hidden {
            tabs.scroll_into_view_with_bool(true);
        }
    }
}

/// Whether the page opens on a shared step (`#lab=…,step-N`): the step is what was shared,
/// so it is brought into sight as a step chosen would be.
fn opens_at_a_step(hash: Option<&str>) -> bool {
    hash.is_some_and(|h| h.starts_with("#lab=") && h.contains(",step-"))
}

#[function_component]
pub fn LabApp() -> Html {
    let state = use_reducer(|| LabState::from_fragment(storage::fragment().as_deref()));
    // Set by a step or a view chosen (or a shared step), read once after the next render.
    let reveal = use_mut_ref(|| opens_at_a_step(storage::fragment().as_deref()));
    let dispatch = {
        let reveal = reveal.clone();
        let send = Callback::from(state.dispatcher());
        Callback::from(move |action: LabAction| {
            if looks_at_the_view(&action) {
                *reveal.borrow_mut() = true;
            }
            send.emit(action);
        })
    };
    use_keyboard(dispatch.reform(LabAction::Step));
    use_lab_keys(dispatch.clone());
    // Play, as on the explorer: a step every 1.4 s at normal speed.
    use_ticker(
        state.playback.playing,
        1400 * 100 / state.speed.max(1),
        dispatch.reform(|()| LabAction::Step(PlaybackAction::Tick)),
    );
    // The diagram keeps its current step in view after each render, then the page brings
    // the view into sight if a step or a view was chosen.
    use_effect(move || {
        keep_current_in_view();
        if reveal.replace(false) {
            bring_the_view_into_sight();
        }
    });
    let on_share = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(LabAction::Shared(storage::page_url(&state.fragment())));
        })
    };
    let title = html! { <>{ crate::t!("lab.topbar") }{ " " }<strong>{ crate::t!("lab.topbar-rtt", rtt = state.network.rtt_ms) }</strong></> };
    let timeline = state.run().map(|run| Rc::new(run.timeline.clone()));
    // The explorer's controls, under the page as on the other pages.
    let controls_bar = timeline.clone().map(|timeline| {
        controls(&ControlsProps {
            timeline,
            playback: state.playback,
            on_action: dispatch.reform(LabAction::Step),
            speed: state.speed,
            on_speed: dispatch.reform(LabAction::SetSpeed),
            clock: true,
        })
    });
    let detail = state.run().zip(timeline).map(|(run, timeline)| {
        let current = state.playback.current;
        let step = timeline.steps.get(current);
        let http = step
            .filter(|s| s.protocol == Protocol::Http)
            .map(|s| http_lines(&s.bytes));
        let diagram = sequence_diagram(&SequenceDiagramProps {
            timeline: Rc::clone(&timeline),
            current,
            on_select: dispatch.reform(|i| LabAction::Step(PlaybackAction::GoTo(i))),
            speed: state.speed,
        });
        let flight = run
            .marks
            .get(current)
            .map(|m| {
                crate::t!(
                    "lab.flight",
                    trip = m.flight.div_ceil(2),
                    octets = crate::components::lab::octets(m.wire)
                )
                .to_string()
            })
            .unwrap_or_default();
        html! {
            <div class="lab__detail">
                { view_summary(state.view, run) }
                <div class="lab__panes">
                    <div class="lab__diagram">{ diagram }</div>
                    <div class="lab__side">
                        { explanation_panel(&ExplanationProps { timeline, current }) }
                        <p class="lab__flight" data-field="flight">{ flight }</p>
                        { for http }
                    </div>
                </div>
            </div>
        }
    });
    html! {
        <div class="app app--lab">
            <a class="skip" href="#controls" onclick={Callback::from(|e: MouseEvent| { e.prevent_default(); crate::pages::explorer::to_controls(); })}>
                { crate::t!("page.skip") }</a>
            { topbar("lab", title, html! {}, Some(on_share)) }
            { notices(state.banner.as_deref(), dispatch.reform(|_: MouseEvent| LabAction::DismissBanner),
                state.share_link.as_deref(), dispatch.reform(|_: MouseEvent| LabAction::DismissShare)) }
            <main class="lab">
                { network_controls(state.network, &dispatch) }
                <div class="lab__top">
                    { path_table(&state.runs.paths, state.view, &dispatch) }
                    { time_chart(&state.chart, state.network.rtt_ms) }
                </div>
                { view_tabs(state.view, &dispatch) }
                { for detail }
            </main>
            { for controls_bar }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postroom_sim::lab::Path;

    #[test]
    fn keys_choose_views_and_latencies() {
        assert_eq!(lab_key("4"), Some(LabAction::Show(View::Path(Path::Jmap))));
        assert_eq!(lab_key("6"), Some(LabAction::Show(View::Webmail)));
        assert_eq!(lab_key("7"), None);
        assert_eq!(lab_key("0"), None);
        assert_eq!(lab_key("]"), Some(LabAction::LatencyStep(true)));
        assert_eq!(lab_key("a"), None);
    }

    #[test]
    fn steps_and_views_bring_the_view_into_sight_the_network_does_not() {
        assert!(looks_at_the_view(&LabAction::Step(PlaybackAction::Forward)));
        assert!(looks_at_the_view(&LabAction::Show(View::Relay)));
        assert!(!looks_at_the_view(&LabAction::Latency(600)));
        assert!(!looks_at_the_view(&LabAction::LatencyStep(true)));
        assert!(!looks_at_the_view(&LabAction::Bandwidth(256)));
        assert!(opens_at_a_step(Some(
            "#lab=rtt-150,bw-20000,view-jmap,step-6"
        )));
        assert!(!opens_at_a_step(Some("#lab=rtt-150,bw-20000,view-jmap")));
        assert!(!opens_at_a_step(Some("#compare=offline")));
        assert!(!opens_at_a_step(None));
    }
}
