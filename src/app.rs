//! The app shell: the scenario (from a share link, the last session, or the classroom
//! example), the world run for it, and the explorer rendering that timeline.

use std::rc::Rc;

use postroom_sim::share::FAULTS;
use postroom_sim::{run, Action, Device, Fault, Scenario, Timeline};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::topbar::notices;
use crate::components::{
    controls, explanation_panel, mailbox_panel, sequence_diagram, topbar, ControlsProps,
    ExplanationProps, MailboxPanelProps, ScenarioPanel, SequenceDiagramProps, Transcript,
};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::{Playback, PlaybackAction};
use crate::storage;

#[function_component]
pub fn App() -> Html {
    let start = use_memo((), |_| storage::start());
    let scenario = use_state(|| start.scenario.clone());
    let banner = use_state(|| start.banner.clone());
    let panel_open = use_state(|| false);
    let speed = use_state_eq(|| 100u32);
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s| speed.set(s))
    };
    let share_link = use_state(|| None::<String>);
    let result = use_memo((*scenario).clone(), |s| run(s).map(Rc::new));
    // The step on screen, and where a new scenario should open (None: its first step).
    let here = use_mut_ref(|| 0usize);
    let resume = use_state(|| None::<usize>);
    // What can go wrong at the step on screen: its line can lose a packet, its connection can
    // drop (when more was to come). The fault menu offers those there, unless already chosen.
    let at_step = use_state_eq(|| (false, false));
    let on_step = {
        let (here, at_step, result, scenario) = (
            here.clone(),
            at_step.clone(),
            result.clone(),
            scenario.clone(),
        );
        Callback::from(move |step: usize| {
            *here.borrow_mut() = step;
            let n = u32::try_from(step).unwrap_or(u32::MAX);
            if let Ok(t) = &*result {
                at_step.set((
                    t.on_the_wire(step) && !scenario.faults.contains(&Fault::LossAt(n)),
                    t.connection_goes_on(step) && !scenario.faults.contains(&Fault::DropAfter(n)),
                ));
            }
        })
    };
    // A change made while the class watches: the world runs again, and the view goes to the
    // first step that differs — no later than `cap`, where the class is, when given.
    let branch = {
        let (scenario, resume, result) = (scenario.clone(), resume.clone(), result.clone());
        Rc::new(move |next: Scenario, cap: Option<usize>| {
            let at = match (&*result, run(&next)) {
                (Ok(before), Ok(after)) => before
                    .first_difference(&after)
                    .min(cap.unwrap_or(usize::MAX)),
                _ => 0,
            };
            storage::save(&next, at);
            resume.set(Some(at));
            scenario.set(next);
        })
    };
    // Bob does one more thing: it is added to the story, and the view goes to its first step.
    let on_act = {
        let (scenario, branch) = (scenario.clone(), branch.clone());
        Callback::from(move |i: usize| {
            if let Some((_, action)) = bob_does(&scenario).into_iter().nth(i) {
                let mut next = (*scenario).clone();
                next.actions.push(action);
                branch(next, None);
            }
        })
    };
    // Inject a fault while the class watches: the view stays where it is, or goes back to the
    // first step the fault changes if that is earlier.
    let on_inject = {
        let (scenario, here, branch) = (scenario.clone(), here.clone(), branch.clone());
        Callback::from(move |i: usize| {
            let at = *here.borrow();
            let step = u32::try_from(at).unwrap_or(u32::MAX);
            // Past the list of faults: the two that happen at this very step.
            let fault = match i.checked_sub(FAULTS.len()) {
                None => FAULTS.get(i).copied(),
                Some(0) => Some(Fault::LossAt(step)),
                Some(_) => Some(Fault::DropAfter(step)),
            };
            if let Some(fault) = fault.filter(|f| !scenario.faults.contains(f)) {
                let mut next = (*scenario).clone();
                if fault.at_a_step() {
                    next.add_step_fault(fault);
                } else {
                    next.faults.push(fault);
                }
                branch(next, Some(at));
            }
        })
    };
    let on_append = {
        let panel_open = panel_open.clone();
        Callback::from(move |next: Scenario| {
            panel_open.set(false);
            branch(next, None);
        })
    };
    let on_apply = {
        let (scenario, panel_open, share_link, resume) = (
            scenario.clone(),
            panel_open.clone(),
            share_link.clone(),
            resume.clone(),
        );
        Callback::from(move |s: Scenario| {
            storage::save(&s, 0);
            scenario.set(s);
            resume.set(None);
            panel_open.set(false);
            share_link.set(None);
        })
    };
    let toggle_panel = {
        let panel_open = panel_open.clone();
        Callback::from(move |_: MouseEvent| panel_open.set(!*panel_open))
    };
    let close_panel = {
        let panel_open = panel_open.clone();
        Callback::from(move |()| panel_open.set(false))
    };
    let on_share = {
        let (scenario, share_link) = (scenario.clone(), share_link.clone());
        Callback::from(move |_: MouseEvent| share_link.set(Some(storage::share_url(&scenario))))
    };
    let dismiss = {
        let banner = banner.clone();
        Callback::from(move |_: MouseEvent| banner.set(None))
    };
    // The explorer is rebuilt for each new scenario, so it starts at step 1.
    let key = postroom_sim::share::encode(&scenario);
    let first_step = match *resume {
        Some(step) => step,
        None if *scenario == start.scenario => start.step,
        None => 0,
    };

    html! {
        <div class="app">
            { topbar("explore", html! { <>
                { "Scenario: " }<strong>{ format!("{} emails {}", short(&scenario.from), short(&scenario.to)) }</strong>
                { if scenario.faults.is_empty() { html!{} } else { html!{ <span class="topbar__faults">{ format!(" · {} fault(s)", scenario.faults.len()) }</span> } } }
            </> }, html! { <>
                { menu("bob", "+ Bob…", "Bob does one more thing",
                    bob_does(&scenario).into_iter().enumerate().map(|(i, (label, _))| (i, label)).collect(), &on_act) }
                { menu("inject", "⚡ Inject fault…", "Inject a fault here",
                    [(FAULTS.len(), at_step.0, "A packet of this line is lost"), (FAULTS.len() + 1, at_step.1, "The connection drops right here")]
                        .into_iter()
                        .filter(|(_, offered, _)| *offered)
                        .map(|(i, _, label)| (i, label.to_string()))
                        .chain(FAULTS.iter().enumerate().filter(|(_, f)| !scenario.faults.contains(f))
                            .map(|(i, f)| (i, crate::components::scenario_panel::fault_label(*f).to_string())))
                        .collect(), &on_inject) }
                <button class="topbar__button" data-action="compose" onclick={toggle_panel} aria-expanded={panel_open.to_string()}>{ "Compose & faults" }</button>
            </> }, Some(on_share)) }
            { notices(banner.as_deref(), dismiss, share_link.as_deref()) }
            { if *panel_open { html! { <ScenarioPanel scenario={(*scenario).clone()} {on_apply} {on_append} on_close={close_panel} /> } } else { html!{} } }
            { match &*result {
                Ok(timeline) => html! { <Explorer key={key} timeline={timeline.clone()} scenario={(*scenario).clone()} {first_step} {on_step} speed={*speed} {on_speed} /> },
                Err(e) => html! {
                    <main class="app--error">
                        <p class="banner banner--error" role="alert">{ "This scenario cannot run: " }{ e.to_string() }</p>
                    </main>
                },
            } }
        </div>
    }
}

/// A menu of the top bar: a button that opens a list of choices, each a button of its own,
/// so the keyboard moves through them without choosing (as a `<select>` would on each arrow
/// key). Choosing, or Escape, closes it.
fn menu(
    action: &str,
    label: &str,
    aria: &str,
    items: Vec<(usize, String)>,
    on: &Callback<usize>,
) -> Html {
    let close = |e: &web_sys::Event| {
        let details = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("details").ok().flatten());
        if let Some(details) = details {
            let _ = details.remove_attribute("open");
            if let Ok(Some(summary)) = details.query_selector("summary") {
                if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        }
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            close(&e);
        }
    });
    html! {
        <details class="menu" data-action={action.to_string()} {onkeydown}>
            <summary class="topbar__button" aria-label={aria.to_string()}>{ label }</summary>
            <div class="menu__items">
                { for items.into_iter().map(|(i, text)| {
                    let on = on.clone();
                    let onclick = Callback::from(move |e: MouseEvent| {
                        close(&e);
                        on.emit(i);
                    });
                    html! { <button type="button" class="menu__item" {onclick}>{ text }</button> }
                }) }
            </div>
        </details>
    }
}

/// What Bob can do next, from the top bar: the actions below, then set a device up again with
/// the other protocol.
fn bob_does(s: &Scenario) -> Vec<(String, Action)> {
    let mut all: Vec<(String, Action)> = BOB_DOES
        .iter()
        .map(|(label, action)| ((*label).to_string(), *action))
        .collect();
    for (name, device) in [("phone", Device::Phone), ("laptop", Device::Laptop)] {
        let other = s.protocol_at_end(device).other_if(true).name();
        all.push((
            format!("the {name} switches to {other}"),
            Action::Switch(device),
        ));
    }
    all
}

const BOB_DOES: [(&str, Action); 6] = [
    ("the phone checks mail", Action::Check(Device::Phone)),
    ("the laptop checks mail", Action::Check(Device::Laptop)),
    ("the phone reads the newest", Action::Read(Device::Phone)),
    ("the laptop reads the newest", Action::Read(Device::Laptop)),
    (
        "the phone deletes the newest",
        Action::Delete(Device::Phone),
    ),
    (
        "the laptop deletes the newest",
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

#[derive(Properties, PartialEq, Debug)]
pub struct ExplorerProps {
    pub timeline: Rc<Timeline>,
    pub scenario: Scenario,
    #[prop_or_default]
    pub first_step: usize,
    /// Told the step shown after every move, so a fault can be injected "here".
    #[prop_or_default]
    pub on_step: Callback<usize>,
    /// Playback speed in percent; it outlives the scenario, so it lives in the app.
    #[prop_or(100)]
    pub speed: u32,
    #[prop_or_default]
    pub on_speed: Callback<u32>,
}

#[function_component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let timeline = props.timeline.clone();
    let first = props.first_step;
    let playback = use_reducer_eq(|| {
        let mut p = Playback::new(timeline.len());
        p.current = first.min(timeline.len().saturating_sub(1));
        p
    });
    let bytes = use_state(|| false);
    let speed = props.speed;

    let on_action = {
        let playback = playback.clone();
        use_callback((), move |action: PlaybackAction, _| {
            playback.dispatch(action)
        })
    };
    use_keyboard(on_action.clone());
    {
        let on_action = on_action.clone();
        // A tick is longer than the longest flight (see flight_ms), at any speed.
        let period = 1400 * 100 / speed.max(1);
        use_ticker(
            playback.playing,
            period,
            Callback::from(move |()| on_action.emit(PlaybackAction::Tick)),
        );
    }
    {
        // Remember where the class is, for a reload.
        let (scenario, on_step) = (props.scenario.clone(), props.on_step.clone());
        use_effect_with(playback.current, move |step| {
            storage::save(&scenario, *step);
            on_step.emit(*step);
        });
    }
    // The same callback at every render, so unchanged transcript rows are not rendered again.
    let on_select = use_callback(on_action.clone(), |i: usize, on_action| {
        on_action.emit(PlaybackAction::GoTo(i))
    });
    let toggle_bytes = {
        let bytes = bytes.clone();
        Callback::from(move |()| bytes.set(!*bytes))
    };
    let current = playback.current;
    let announcement = timeline
        .steps
        .get(current)
        .map(|s| {
            format!(
                "Step {} of {}: {}",
                current + 1,
                timeline.len(),
                s.explanation.title
            )
        })
        .unwrap_or_default();
    html! {
        <>
            <main class="explorer">
                <div class="explorer__main">
                    { sequence_diagram(&SequenceDiagramProps { timeline: timeline.clone(), current, on_select: on_select.clone(), speed }) }
                    { mailbox_panel(&MailboxPanelProps { timeline: timeline.clone(), current }) }
                </div>
                <div class="explorer__side">
                    { explanation_panel(&ExplanationProps { timeline: timeline.clone(), current }) }
                    <Transcript timeline={timeline.clone()} {current} {on_select} bytes={*bytes} on_toggle_bytes={toggle_bytes} />
                </div>
            </main>
            { controls(&ControlsProps { timeline: timeline.clone(), playback: *playback, on_action, speed, on_speed: props.on_speed.clone() }) }
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</div>
        </>
    }
}
