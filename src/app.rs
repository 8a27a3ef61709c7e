//! The app shell: runs the scenario once, then renders the step the playback points at.

use std::rc::Rc;

use postroom_sim::{run, Scenario, Timeline};
use yew::prelude::*;

use crate::components::{Controls, ExplanationPanel, MailboxPanel, Transcript};
use crate::hooks::use_keyboard;
use crate::state::{Playback, PlaybackAction};

#[function_component]
pub fn App() -> Html {
    let result = use_memo((), |_| run(&Scenario::default()).map(Rc::new));
    match &*result {
        Ok(timeline) => html! { <Explorer timeline={timeline.clone()} /> },
        Err(e) => html! {
            <main class="app app--error">
                <p class="banner banner--error" role="alert">
                    { "This scenario cannot run: " }{ e.to_string() }
                </p>
            </main>
        },
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ExplorerProps {
    pub timeline: Rc<Timeline>,
}

#[function_component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let timeline = props.timeline.clone();
    let playback = use_reducer_eq(|| Playback::new(timeline.len()));
    let on_action = {
        let playback = playback.clone();
        use_callback((), move |action: PlaybackAction, _| {
            playback.dispatch(action)
        })
    };
    use_keyboard(on_action.clone());
    let on_select = {
        let on_action = on_action.clone();
        Callback::from(move |i: usize| on_action.emit(PlaybackAction::GoTo(i)))
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
    let route: Vec<String> = timeline
        .hosts
        .iter()
        .map(|h| format!("{} ({})", h.label, h.name))
        .collect();

    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="topbar__brand">{ "Postroom" }</h1>
                <p class="topbar__scenario">
                    <span class="badge badge--smtp">{ "SMTP" }</span>
                    { route.join(" → ") }
                </p>
            </header>
            <main class="explorer">
                <Transcript timeline={timeline.clone()} {current} {on_select} />
                <div class="explorer__side">
                    <ExplanationPanel timeline={timeline.clone()} {current} />
                    <MailboxPanel timeline={timeline.clone()} {current} />
                </div>
            </main>
            <Controls timeline={timeline.clone()} playback={*playback} {on_action} />
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</div>
        </div>
    }
}
