//! The POP3 vs IMAP page: its own page and WebAssembly module, so the explorer's first load
//! does not carry it. A `#compare=` link opens a script; otherwise the first lesson. One
//! `CompareState` holds the page, wired to the bar and the comparison.

use postroom_sim::compare::{presets, Script};
use yew::prelude::*;

use crate::components::handout::compare_handout;
use crate::components::notices::notices;
use crate::components::{menu, topbar, ComparisonView};
use crate::hooks::use_keyboard;
use crate::pages::exports::{compare_menu, save_csv, CompareExport};
use crate::state::compare::{CompareAction, CompareState};
use crate::state::PlaybackAction;
use crate::storage;

#[function_component]
pub fn CompareApp() -> Html {
    let state = use_compare(|| {
        let (script, banner) = storage::start_compare();
        CompareState::new(&script, banner)
    });
    let dispatch = Callback::from(state.dispatcher());
    // A comparison link in the address bar goes once the script is edited. Idempotent, so it
    // runs at each render: lighter for the page than an effect that keeps the script.
    storage::compare_shown(state.script());
    let on_share = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let link = storage::compare_url(state.script());
            state.dispatch(CompareAction::Shared(link));
        })
    };
    let preset = presets().into_iter().find(|p| p.script == *state.script());
    // The top bar and the handout name the script in the page's language.
    let (lesson_shown, key) = match &preset {
        Some(p) => (crate::i18n::said(&p.title), p.key),
        None => (crate::t!("compare.own-script-short"), "script"),
    };
    // "Print handout…" shows the worksheet in place of the comparison; the table saves at once.
    let handout = use_state(|| false);
    let on_export = {
        let (comparison, handout) = (state.comparison.clone(), handout.clone());
        Callback::from(move |choice: CompareExport| match choice {
            CompareExport::Handout => handout.set(true),
            CompareExport::Csv => save_csv(&comparison, key),
        })
    };
    let close_handout = {
        let handout = handout.clone();
        Callback::from(move |_: MouseEvent| handout.set(false))
    };
    html! {
        <div class="app app--compare">
            { topbar("compare", html! { <>{ crate::t!("compare.topbar") }{ " " }<strong>{ lesson_shown.clone() }</strong></> },
                menu("export", &crate::t!("explore.export"), &crate::t!("compare.export-title"), compare_menu(), &on_export), Some(on_share)) }
            { notices(state.banner.as_deref(), dispatch.reform(|_: MouseEvent| CompareAction::DismissBanner),
                state.share_link.as_deref(), dispatch.reform(|_: MouseEvent| CompareAction::DismissShare)) }
            { if *handout { compare_handout(&state.comparison, &lesson_shown, &close_handout) } else { comparison(&state, dispatch) } }
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct CompareProps {
    pub script: Script,
    /// The script changed (edited, or a lesson chosen).
    pub on_script: Callback<Script>,
}

/// The comparison on its own, without the page around it: a script in, its edits out.
#[function_component]
pub fn CompareView(props: &CompareProps) -> Html {
    let state = use_compare(|| CompareState::new(&props.script, None));
    let on_action = {
        let (state, on_script) = (state.clone(), props.on_script.clone());
        Callback::from(move |action: CompareAction| {
            let before = state.script().clone();
            state.dispatch(action);
            if *state.script() != before {
                on_script.emit(state.script().clone());
            }
        })
    };
    comparison(&state, on_action)
}

/// The page's state, with ← → Home End stepping through the actions.
#[hook]
fn use_compare(init: impl FnOnce() -> CompareState) -> UseReducerHandle<CompareState> {
    let state = use_reducer(init);
    let on_step = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(CompareAction::Step(action))
        })
    };
    use_keyboard(on_step);
    state
}

/// Both worlds at the action shown; rebuilt for each script, as on a page opened with it.
fn comparison(state: &CompareState, on_action: Callback<CompareAction>) -> Html {
    html! {
        <ComparisonView key={state.script().encode()} comparison={state.comparison.clone()}
            step={state.playback.current} {on_action} />
    }
}
