//! The lessons page: its own page and WebAssembly module. The picker by level; `#lesson=ID`
//! opens a lesson (intro, then the world with the goal, the moves it allows, hints, reset,
//! the solution and predictions); the hand-in and the teacher's side. One `LessonsState`
//! holds it all; `browser` loads the lesson files and keeps the progress.

mod browser;

use postroom_sim::lesson::World;
use yew::prelude::*;

use crate::components::lesson::{
    goal_panel, handin, help_panel, intro, moves, picker, prediction, solution_panel,
};
use crate::components::{topbar, ComparisonView, ExplorerView};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::lesson::{
    action_for_hash, encode_answers, Catalogue, LessonsAction, LessonsState, Open,
};
use crate::state::PlaybackAction;

#[function_component]
pub fn LessonsApp() -> Html {
    let state = use_reducer(|| LessonsState::new(browser::saved()));
    let on = Callback::from(state.dispatcher());
    {
        // The lessons, once; then whatever the address asks for.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let d = dispatcher.clone();
            browser::load_lessons(move |action| d.dispatch(action));
            dispatcher.dispatch(action_for_hash(&browser::hash()));
            let listener =
                browser::follow_hash(move |hash| dispatcher.dispatch(action_for_hash(&hash)));
            move || drop(listener)
        });
    }
    {
        // The address follows the open lesson, once the lessons are known.
        let loaded = !matches!(state.catalogue, Catalogue::Loading);
        let id = state.open.as_ref().map(|o| o.lesson.id.clone());
        use_effect_with((id, loaded), |(id, loaded)| {
            if *loaded {
                browser::show_hash(id.as_deref());
            }
        });
    }
    {
        // Progress survives a reload.
        let saved = (state.results.clone(), state.answers.clone());
        use_effect_with(saved, |(results, answers)| {
            browser::save(&results.to_json(), &encode_answers(answers))
        });
    }
    {
        // A question, and then its answer, take the focus: the class sees them at once.
        let asking = state
            .open
            .as_ref()
            .map(|o| (o.asking().is_some(), o.feedback.is_some()));
        use_effect_with(asking, |asking| {
            if matches!(asking, Some((true, _) | (_, true))) {
                browser::focus(".predict");
            }
        });
    }
    let on_play = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(LessonsAction::Play(action))
        })
    };
    use_keyboard(on_play.clone());
    let playing = state.open.as_ref().is_some_and(|o| o.playback.playing);
    use_ticker(
        playing,
        1400 * 100 / state.speed.max(1),
        on_play.reform(|()| PlaybackAction::Tick),
    );
    let on_download = {
        let state = state.clone();
        Callback::from(move |()| {
            let today = browser::today();
            browser::download(
                &format!("postroom-results-{today}.json"),
                &state.hand_in(&today),
            );
        })
    };

    let title = match &state.open {
        Some(open) => html! { <>{ "Lesson: " }<strong>{ &open.lesson.title }</strong></> },
        None => html! { <>{ "Lessons that " }<strong>{ "check themselves" }</strong></> },
    };
    let body = match state.open.as_deref() {
        Some(open) => match open.slide {
            Some(slide) => intro(&open.lesson, slide, &on),
            None => lesson(&state, open, &on, &on_play),
        },
        None => html! {
            <main class="lessons" id="main">
                <p class="lessons__lead">
                    { "Each lesson sets a goal in the simulated world; the page ticks each item as it holds. Predict what a server will answer before you see it, use a hint if you are stuck, and compare your moves with the solution's." }
                </p>
                { picker(&state) }
                { handin(&state, &on, &on_download) }
            </main>
        },
    };
    html! {
        <div class="app app--lessons">
            { topbar("lessons", title, html! {}, None) }
            { if let Some(message) = &state.banner { html! {
                <div class="banner banner--warning" role="alert">
                    <span>{ message }</span>
                    <button class="banner__close" onclick={on.reform(|_: MouseEvent| LessonsAction::DismissBanner)} aria-label="Dismiss">{ "✕" }</button>
                </div>
            } } else { html!{} } }
            { body }
        </div>
    }
}

/// A lesson in play: its panel beside the world it acts on.
fn lesson(
    state: &LessonsState,
    open: &Open,
    on: &Callback<LessonsAction>,
    on_play: &Callback<PlaybackAction>,
) -> Html {
    let world = match (open.view().world(), &open.shown) {
        (World::Explorer { .. }, Some(timeline)) => html! {
            <ExplorerView timeline={timeline.clone()} playback={open.playback} speed={state.speed} bytes={state.bytes}
                on_action={on_play.clone()} on_speed={on.reform(LessonsAction::SetSpeed)}
                on_toggle_bytes={on.reform(|()| LessonsAction::ToggleBytes)} />
        },
        (World::Compare(comparison), _) => html! {
            <ComparisonView comparison={comparison.clone()} step={open.playback.current}
                on_action={on.reform(LessonsAction::Compare)} />
        },
        _ => html! {},
    };
    html! {
        <div class="lesson">
            <aside class="lesson__panel" aria-label="The lesson">
                <p class="lesson__where"><a href="#">{ "◀ All lessons" }</a>{ format!(" · {}", open.lesson.level.label()) }</p>
                { prediction(open, on) }
                { solution_panel(open, on) }
                { goal_panel(open, state.next_lesson()) }
                { moves(open, on) }
                { help_panel(open, on) }
            </aside>
            <div class="lesson__world">{ world }</div>
        </div>
    }
}
