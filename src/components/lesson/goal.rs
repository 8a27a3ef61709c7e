//! The goal as a list of items, ticked or open, after the moves so far; the move count
//! against the solution's; the completion panel; hints one at a time, Reset and Show
//! solution; and, while the solution is replayed, its moves one by one.

use postroom_sim::lesson::index::Listed;
use yew::prelude::*;

use super::button;
use crate::state::lesson::{LessonsAction, Open};

/// `next` is the lesson after this one and where its link points, for the completion panel;
/// `list` where "All lessons" points.
pub fn goal_panel(open: &Open, next: Option<(&Listed, String)>, list: &'static str) -> Html {
    let lesson = &open.lesson;
    let shown = open.view();
    // While a question holds the story back, the goal is not judged: ticks would tell what
    // the part not yet shown does.
    let waiting = open.pending().is_some();
    let items = shown.goal(lesson);
    let ticked = items.iter().filter(|i| i.ticked && !waiting).count();
    let moves = open.attempt.moves().len();
    let solution = lesson.solution.len();
    let done = open.finished() && open.solution.is_none();
    let (right, wrong) = open.score();
    html! {
        <>
            <section class="goal" aria-labelledby="goal-title">
                <h2 id="goal-title" class="panel__title">
                    { if open.solution.is_some() { crate::t!("lesson.goal-solution") } else { crate::t!("lesson.goal") } }
                    <span class="goal__count">{ " " }{ if waiting {
                        crate::t!("lesson.goal-waiting")
                    } else {
                        crate::t!("lesson.goal-count", ticked = ticked, count = items.len())
                    } }</span>
                </h2>
                <ul class="goal__items">
                    { for items.iter().map(|item| {
                        let ticked = item.ticked && !waiting;
                        html! {
                            <li class={classes!("goal__item", ticked.then_some("goal__item--ticked"))}>
                                <span class="goal__mark" aria-hidden="true">{ if ticked { "✓" } else { "○" } }</span>
                                <span>{ crate::i18n::label(&item.label) }</span>
                                <span class="visually-hidden">{ if ticked { crate::t!("lesson.done-mark") } else { crate::t!("lesson.not-yet") } }</span>
                            </li>
                        }
                    }) }
                </ul>
                <p class="goal__moves">{ crate::t!("lesson.your-moves", moves = moves, solution = solution) }</p>
            </section>
            { if let Some(why) = &open.problem { html! {
                <p class="lesson__problem" role="alert">{ crate::i18n::said(why) }</p>
            } } else { html!{} } }
            { if done { html! {
                <section class="done" role="status" aria-labelledby="done-title">
                    <h2 id="done-title" class="done__title">{ crate::t!("lesson.complete") }</h2>
                    <p>{ crate::t!("lesson.you-took", moves = moves, solution = solution) }
                        { if moves <= solution { html! { <>{ " " }{ crate::t!("lesson.as-few") }</> } } else { html! {} } }</p>
                    { if right + wrong > 0 { html! { <p>{ crate::t!("lesson.predictions", right = right, wrong = wrong) }</p> } } else { html!{} } }
                    <p class="done__next">
                        { if let Some((next, href)) = next { html! {
                            <a class="lesson__button lesson__button--main" {href}>{ crate::t!("lesson.next-lesson", title = crate::i18n::words(&next.title).as_str()) }</a>
                        } } else { html!{} } }
                        <a class="lesson__button" href={list}>{ crate::t!("lesson.all") }</a>
                    </p>
                </section>
            } } else { html!{} } }
        </>
    }
}

/// Hints, one at a time; Reset, Show solution, and the intro again.
pub fn help_panel(open: &Open, on: &Callback<LessonsAction>) -> Html {
    let lesson = &open.lesson;
    let hints = lesson.hints.iter().take(open.hints);
    html! {
        <section class="hints" aria-labelledby="hints-title">
            <h2 id="hints-title" class="visually-hidden">{ crate::t!("lesson.help") }</h2>
            { if open.hints > 0 { html! {
                <ol class="hints__list">{ for hints.map(|h| html! { <li>{ crate::i18n::words(h) }</li> }) }</ol>
            } } else { html!{} } }
            <div class="lesson__buttons">
                { button("lesson__button", "hint", html!{ crate::t!("lesson.hint", shown = open.hints, count = lesson.hints.len()) },
                    open.hints >= lesson.hints.len(), on, LessonsAction::Hint) }
                { button("lesson__button", "reset", html!{ crate::t!("lesson.reset") }, false, on, LessonsAction::Reset) }
                { button("lesson__button", "solution", html!{ crate::t!("lesson.show-solution") }, open.solution.is_some(), on, LessonsAction::ShowSolution) }
                { button("lesson__button", "intro", html!{ crate::t!("lesson.intro") }, false, on, LessonsAction::Intro) }
            </div>
        </section>
    }
}

/// While the solution is replayed: its moves, the one just made, and the way back.
pub fn solution_panel(open: &Open, on: &Callback<LessonsAction>) -> Html {
    let Some(solution) = &open.solution else {
        return html! {};
    };
    let moves = &open.lesson.solution;
    html! {
        <section class="solution" aria-labelledby="solution-title">
            <h2 id="solution-title" class="panel__title">
                { crate::t!("lesson.solution", made = solution.at, count = moves.len()) }
            </h2>
            <ol class="solution__moves">
                { for moves.iter().enumerate().map(|(i, m)| html! {
                    <li class={classes!("solution__move", (i < solution.at).then_some("solution__move--made"))}
                        aria-current={(i + 1 == solution.at).then_some("step")}>{ crate::i18n::opening(&m.label()) }</li>
                }) }
            </ol>
            <div class="lesson__buttons">
                { button("lesson__button", "solution-back", html!{ crate::t!("lesson.undo") }, solution.at == 0, on, LessonsAction::SolutionStep(false)) }
                { button("lesson__button lesson__button--main", "solution-next", html!{ crate::t!("lesson.next-move") }, solution.at >= moves.len(), on, LessonsAction::SolutionStep(true)) }
                { button("lesson__button", "solution-close", html!{ crate::t!("lesson.back-to-attempt") }, false, on, LessonsAction::CloseSolution) }
            </div>
        </section>
    }
}
