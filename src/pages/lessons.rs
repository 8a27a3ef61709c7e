//! The lessons page: its own page and WebAssembly module. The picker by level; `#lesson=ID`
//! opens a lesson (intro, then the world with the goal, the moves it allows, hints, reset,
//! the solution and predictions); the hand-in and the teacher's side. One `LessonsState`
//! holds it all; `browser` loads the lesson files and keeps the progress.
//!
//! Two pages share it, each with its own module and one world: `lessons.html` (the list and
//! the explorer's lessons, [`LIST`]) and `lessons-compare.html` (the comparison's lessons,
//! [`COMPARE`]); a link to a lesson of the other kind leads to the other page.

mod browser;

use postroom_sim::lesson::World;
use yew::prelude::*;

use crate::components::lesson::{
    goal_panel, handin, help_panel, intro, moves, picker, prediction, solution_panel,
};
use crate::components::{topbar, ComparisonView, ExplorerView};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::lesson::{
    action_for_hash, encode_answers, Catalogue, LessonsAction, LessonsState, Open, Page,
};
use crate::state::PlaybackAction;

/// Draws a lesson's world beside its panel.
type WorldView =
    fn(&LessonsState, &Open, &Callback<LessonsAction>, &Callback<PlaybackAction>) -> Html;

/// One lessons page: the lessons it runs, and how their world is drawn. A page's module
/// names one of the constants below, so it links that world's code only.
#[derive(Debug)]
pub struct LessonsPage {
    page: Page,
    world: WorldView,
}

/// `lessons.html`: the list, the hand-in, and the explorer's lessons.
pub const LIST: LessonsPage = LessonsPage {
    page: Page::LIST,
    world: explorer_world,
};

/// `lessons-compare.html`: the comparison's lessons.
pub const COMPARE: LessonsPage = LessonsPage {
    page: Page::COMPARE,
    world: compare_world,
};

#[derive(Properties, Debug)]
pub struct LessonsProps {
    pub page: &'static LessonsPage,
}

impl PartialEq for LessonsProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.page, other.page)
    }
}

#[function_component]
pub fn LessonsApp(props: &LessonsProps) -> Html {
    let page = props.page;
    let state = use_reducer(|| LessonsState::on(page.page, browser::saved()));
    let on = Callback::from(state.dispatcher());
    {
        // The list of lessons, once (then a lesson file a teacher opened on the other lessons
        // page); then whatever the address asks for.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let d = dispatcher.clone();
            browser::load_lessons(move |action| {
                d.dispatch(action);
                if let Some(text) = browser::take_file() {
                    d.dispatch(LessonsAction::OpenFile(text));
                }
            });
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
        // A lesson about to open: its file.
        let fetch = state.fetch.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(fetch, move |fetch| {
            if let Some(file) = fetch {
                browser::load_lesson(file.clone(), move |a| dispatcher.dispatch(a));
            }
        });
    }
    {
        // A lesson of the other kind: its page, in place of this one.
        let away = state.away.clone();
        use_effect_with(away, |away| {
            if let Some(away) = away {
                browser::go(&away.url, away.file.as_deref());
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
        Some(open) => {
            html! { <>{ crate::t!("lesson.topbar") }{ " " }<strong>{ crate::i18n::words(&open.lesson.title) }</strong></> }
        }
        None => html! { <strong>{ crate::t!("lesson.topbar-list") }</strong> },
    };
    let body = match state.open.as_deref() {
        Some(open) => match open.slide {
            Some(slide) => intro(&open.lesson, slide, &on),
            None => lesson(&state, open, &on, &on_play, page.world),
        },
        None => html! {
            <main class="lessons" id="main">
                <p class="lessons__lead">
                    { crate::t!("lesson.lead") }
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
                    <button class="banner__close" onclick={on.reform(|_: MouseEvent| LessonsAction::DismissBanner)} aria-label={crate::t!("notice.dismiss")}>{ "✕" }</button>
                </div>
            } } else { html!{} } }
            { body }
        </div>
    }
}

/// The explorer's diagram, transcript and explanation, as far as the student may see.
fn explorer_world(
    state: &LessonsState,
    open: &Open,
    on: &Callback<LessonsAction>,
    on_play: &Callback<PlaybackAction>,
) -> Html {
    match (open.view().world(), &open.shown) {
        (World::Explorer { .. }, Some(timeline)) => html! {
            <ExplorerView timeline={timeline.clone()} playback={open.playback} speed={state.speed} bytes={state.bytes}
                on_action={on_play.clone()} on_speed={on.reform(LessonsAction::SetSpeed)}
                on_toggle_bytes={on.reform(|()| LessonsAction::ToggleBytes)} />
        },
        _ => html! {},
    }
}

/// The POP3 vs IMAP comparison as far as the student may see, its own controls sending the
/// lesson's moves.
fn compare_world(
    _: &LessonsState,
    open: &Open,
    on: &Callback<LessonsAction>,
    _: &Callback<PlaybackAction>,
) -> Html {
    match (open.view().world(), &open.shown_compare) {
        (World::Compare(_), Some(comparison)) => html! {
            <ComparisonView comparison={comparison.clone()} step={open.playback.current}
                on_action={on.reform(LessonsAction::Compare)} />
        },
        _ => html! {},
    }
}

/// A lesson in play: its panel beside the world it acts on.
fn lesson(
    state: &LessonsState,
    open: &Open,
    on: &Callback<LessonsAction>,
    on_play: &Callback<PlaybackAction>,
    world: WorldView,
) -> Html {
    let world = world(state, open, on, on_play);
    let next = state.next_lesson().map(|l| (l, state.href(l)));
    html! {
        <div class="lesson">
            <aside class="lesson__panel" aria-label={crate::t!("lesson.panel")}>
                <p class="lesson__where"><a href={state.list_href()}>{ "◀ " }{ crate::t!("lesson.all") }</a>{ " · " }{ crate::components::lesson::level(open.lesson.level) }</p>
                { prediction(open, on) }
                { solution_panel(open, on) }
                { goal_panel(open, next, state.list_href()) }
                { moves(open, on) }
                { help_panel(open, on) }
            </aside>
            <div class="lesson__world">{ world }</div>
        </div>
    }
}
