//! The explorer page: the scenario (from a share link, the last session, or the classroom
//! example) and its timeline, kept in one `ExplorerState` and wired to the bar, the compose
//! panel and the explorer's panels.

use postroom_sim::{Action, Device, Fault, Scenario};
use yew::prelude::*;

use crate::components::handout::story_handout;
use crate::components::notices::notices;
use crate::components::{menu, topbar, ExplorerView, ScenarioPanel};
use crate::hooks::{use_keyboard, use_ticker};
use crate::pages::exports::{save_story, story_menu, StoryExport};
use crate::state::explorer::{ExplorerAction, ExplorerState};
use crate::state::PlaybackAction;
use crate::storage;

/// The explorer, the app's first page.
#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| ExplorerState::new(storage::start()));
    let dispatch = Callback::from(state.dispatcher());
    // The same callback at every render: the keyboard listener and the transcript keep it.
    let on_play = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(ExplorerAction::Play(action))
        })
    };
    use_keyboard(on_play.clone());
    // A tick is longer than the longest flight (see flight_ms), at any speed.
    let period = 1400 * 100 / state.speed.max(1);
    let on_tick = on_play.reform(|()| PlaybackAction::Tick);
    use_ticker(state.playback.playing, period, on_tick);
    // The panels are built anew for each scenario, as on a page opened with it.
    let key = postroom_sim::share::encode(&state.scenario);
    {
        // Remember where the class is, for a reload.
        let scenario = state.scenario.clone();
        use_effect_with((key.clone(), state.playback.current), move |(_, step)| {
            storage::save(&scenario, *step)
        });
    }
    let on_share = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let link = storage::share_url(&state.scenario, state.playback.current);
            state.dispatch(ExplorerAction::Shared(link));
        })
    };
    let scenario = &state.scenario;
    // Where each chosen fault first shows, computed by running the world without it: only
    // when the story changes, and only for a story with faults.
    let marks = {
        let timeline = state.timeline.clone();
        use_memo(
            (
                state.scenario.clone(),
                timeline.as_ref().ok().map(|t| t.len()),
            ),
            move |(scenario, _)| match &timeline {
                Ok(t) if !scenario.faults.is_empty() => postroom_sim::fault_marks(scenario, t),
                _ => Vec::new(),
            },
        )
    };
    let faults = state
        .faults_here()
        .into_iter()
        .map(|f| (ExplorerAction::InjectFault(f), inject_label(f).to_string()))
        .collect();
    // "Print handout…" shows the worksheet in place of the panels; the files save at once.
    let handout = use_state(|| false);
    let exports = match &state.timeline {
        Ok(t) => story_menu(t, state.playback.current),
        Err(_) => Vec::new(),
    };
    let on_export = {
        let (timeline, current) = (state.timeline.clone(), state.playback.current);
        let handout = handout.clone();
        Callback::from(move |choice: StoryExport| match &timeline {
            Ok(_) if choice == StoryExport::Handout => handout.set(true),
            Ok(t) => save_story(choice, t, current),
            Err(_) => {}
        })
    };
    let close_handout = {
        let handout = handout.clone();
        Callback::from(move |_: MouseEvent| handout.set(false))
    };
    let story = format!(
        "{} → {}: “{}”",
        scenario.from, scenario.to, scenario.subject
    );
    let bob = bob_does(scenario)
        .into_iter()
        .map(|(label, action)| (ExplorerAction::AddAction(action), label))
        .collect();

    html! {
        <div class="app">
            <a class="skip" href="#controls" onclick={Callback::from(|e: MouseEvent| { e.prevent_default(); to_controls(); })}>
                { crate::t!("page.skip") }</a>
            { topbar("explore", html! { <>
                <strong>{ format!("{} → {}", short(&scenario.from), short(&scenario.to)) }</strong>
                { if scenario.faults.is_empty() { html!{} } else { html!{ <span class="topbar__faults">{ " " }{ crate::t!("explore.faults", count = scenario.faults.len()) }</span> } } }
            </> }, html! { <>
                { menu("bob", &crate::t!("explore.bob"), &crate::t!("explore.bob-title"), bob, &dispatch) }
                { menu("inject", &crate::t!("explore.fault"), &crate::t!("explore.fault-title"), faults, &dispatch) }
                <button class="topbar__button" data-action="compose" onclick={dispatch.reform(|_: MouseEvent| ExplorerAction::ToggleCompose)}
                    title={crate::t!("explore.compose-title")} aria-expanded={state.composing.to_string()}>{ crate::t!("explore.compose") }</button>
                { menu("export", &crate::t!("explore.export"), &crate::t!("explore.export-title"), exports, &on_export) }
            </> }, Some(on_share)) }
            { notices(state.banner.as_deref(), dispatch.reform(|_: MouseEvent| ExplorerAction::DismissBanner),
                state.share_link.as_deref(), dispatch.reform(|_: MouseEvent| ExplorerAction::DismissShare)) }
            { fault_marks_strip(&marks, &dispatch) }
            { if state.composing { html! {
                <ScenarioPanel scenario={scenario.clone()} problem={state.problem.clone()}
                    on_apply={dispatch.reform(ExplorerAction::Compose)}
                    on_append={dispatch.reform(ExplorerAction::SendNext)}
                    on_close={dispatch.reform(|()| ExplorerAction::CloseCompose)} />
            } } else { html!{} } }
            { match &state.timeline {
                Ok(timeline) if *handout => story_handout(timeline, &story, &close_handout),
                Ok(timeline) => html! {
                    <ExplorerView {key} timeline={timeline.clone()} playback={state.playback} speed={state.speed} bytes={state.bytes}
                        on_action={on_play} on_speed={dispatch.reform(ExplorerAction::SetSpeed)}
                        on_toggle_bytes={dispatch.reform(|()| ExplorerAction::ToggleBytes)} />
                },
                Err(e) => html! {
                    <main class="app--error">
                        <p class="banner banner--error" role="alert">{ crate::t!("explore.cannot-run") }{ " " }{ e.to_string() }</p>
                    </main>
                },
            } }
        </div>
    }
}

/// One line per chosen fault: where it first shows, with a button that goes there.
fn fault_marks_strip(
    marks: &[(Fault, Option<usize>)],
    dispatch: &Callback<ExplorerAction>,
) -> Html {
    if marks.is_empty() {
        return html! {};
    }
    html! {
        <ul class="fault-marks" aria-label={crate::t!("marks.label")}>
            { for marks.iter().map(|(fault, at)| {
                let label = match *fault {
                    Fault::DropAfter(n) => crate::t!("fault.drop-after-step", step = u64::from(n) + 1),
                    Fault::LossAt(n) => crate::t!("marks.loss", step = u64::from(n) + 1),
                    other => crate::i18n::said(&other.label()),
                };
                match *at {
                    Some(i) => html! {
                        <li>{ crate::t!("marks.first-shows", fault = label.to_string(), step = i + 1) }
                            <button class="fault-marks__go" data-action="fault-go"
                                onclick={dispatch.reform(move |_: MouseEvent| ExplorerAction::Play(PlaybackAction::GoTo(i)))}>
                                { crate::t!("marks.go", step = i + 1) }</button></li>
                    },
                    None => html! { <li>{ crate::t!("marks.nothing", fault = label.to_string()) }</li> },
                }
            }) }
        </ul>
    }
}

/// The skip link's target: the Step button, or Back once the story is at its end.
pub(crate) fn to_controls() {
    use wasm_bindgen::JsCast;
    let document = gloo::utils::document();
    let button = ["[data-action=step]:enabled", "[data-action=back]"]
        .iter()
        .find_map(|s| document.query_selector(s).ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}

/// A fault as the inject menu offers it: those chosen at a step happen at the step shown.
fn inject_label(f: Fault) -> yew::AttrValue {
    match f {
        Fault::LossAt(_) => crate::t!("inject.loss"),
        Fault::DropAfter(_) => crate::t!("inject.drop"),
        other => crate::i18n::said(&other.label()),
    }
}

/// What Bob can do next, from the top bar: the actions below, then set a device up again with
/// the other protocol.
fn bob_does(s: &Scenario) -> Vec<(String, Action)> {
    let mut all: Vec<(String, Action)> = BOB_DOES
        .iter()
        .map(|(label, action)| (crate::i18n::text(label, &[]).to_string(), *action))
        .collect();
    for device in [Device::Phone, Device::Laptop] {
        let other = s.protocol_at_end(device).other_if(true).name();
        let label = match device {
            Device::Phone => crate::t!("bob.phone-switches", protocol = other),
            Device::Laptop => crate::t!("bob.laptop-switches", protocol = other),
        };
        all.push((label.to_string(), Action::Switch(device)));
    }
    all
}

const BOB_DOES: [(&str, Action); 6] = [
    (crate::id!("bob.phone-checks"), Action::Check(Device::Phone)),
    (
        crate::id!("bob.laptop-checks"),
        Action::Check(Device::Laptop),
    ),
    (crate::id!("bob.phone-reads"), Action::Read(Device::Phone)),
    (crate::id!("bob.laptop-reads"), Action::Read(Device::Laptop)),
    (
        crate::id!("bob.phone-deletes"),
        Action::Delete(Device::Phone),
    ),
    (
        crate::id!("bob.laptop-deletes"),
        Action::Delete(Device::Laptop),
    ),
];

/// `alice@example.org` → `alice`, for the title.
fn short(address: &str) -> String {
    let name = address.split('@').next().unwrap_or(address);
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
