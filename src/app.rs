//! The app shell: runs the scenario once, then renders the step the playback points at.

use std::rc::Rc;

use postroom_sim::{run, Scenario, Timeline};
use yew::prelude::*;

use crate::components::{Controls, ExplanationPanel, MailboxPanel, SequenceDiagram, Transcript};
use crate::hooks::{use_keyboard, use_ticker};
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
    {
        let on_action = on_action.clone();
        use_ticker(
            playback.playing,
            1400,
            Callback::from(move |()| on_action.emit(PlaybackAction::Tick)),
        );
    }
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

    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="topbar__brand">{ "Postroom" }</h1>
                <p class="topbar__scenario">{ "Scenario: " }<strong>{ "Alice emails Bob" }</strong></p>
                <p class="topbar__legend" aria-label="Protocol colours">
                    <span class="badge badge--smtp">{ "SMTP" }</span>
                    <span class="badge badge--dns">{ "DNS" }</span>
                    <span class="badge badge--pop3">{ "POP3" }</span>
                    <span class="badge badge--imap">{ "IMAP" }</span>
                </p>
            </header>
            <main class="explorer">
                <div class="explorer__main">
                    <SequenceDiagram timeline={timeline.clone()} {current} on_select={on_select.clone()} />
                    <MailboxPanel timeline={timeline.clone()} {current} />
                </div>
                <div class="explorer__side">
                    <ExplanationPanel timeline={timeline.clone()} {current} />
                    <Transcript timeline={timeline.clone()} {current} {on_select} />
                </div>
            </main>
            <Controls timeline={timeline.clone()} playback={*playback} {on_action} />
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</div>
        </div>
    }
}
