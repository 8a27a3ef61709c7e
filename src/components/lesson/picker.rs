//! The list of lessons by level, with a tick for the ones done; lesson files that cannot be
//! read are listed with why, for the teacher who wrote them.

use yew::prelude::*;

use postroom_sim::lesson::Level;

use crate::state::lesson::{Catalogue, LessonsState};

pub fn picker(state: &LessonsState) -> Html {
    let entries = match &state.catalogue {
        Catalogue::Loading => {
            return html! { <p class="picker__status" role="status">{ crate::t!("lesson.loading") }</p> }
        }
        Catalogue::Failed(why) => {
            return html! {
                <p class="banner banner--warning" role="alert">
                    { crate::t!("lesson.list-failed", why = why.as_str()) }
                </p>
            }
        }
        Catalogue::Ready(entries) => entries,
    };
    let level = |level: Level| {
        let lessons: Vec<Html> = state
            .lessons()
            .filter(|l| l.level == level)
            .map(|l| {
                let saved = state.results.lessons.iter().find(|r| r.id == l.id);
                let status = match saved {
                    Some(r) if r.done => crate::t!("lesson.done-in", moves = r.moves),
                    Some(_) => crate::t!("lesson.started"),
                    None => AttrValue::default(),
                };
                let done = saved.is_some_and(|r| r.done);
                html! {
                    <li class={classes!("picker__lesson", done.then_some("picker__lesson--done"))} data-lesson={l.id.clone()}>
                        <a class="picker__link" href={state.href(l)}>
                            <span class="picker__tick" aria-hidden="true">{ if done { "✓" } else { "" } }</span>
                            <span class="picker__title">{ crate::i18n::words(&l.title) }</span>
                            { if done { html! { <span class="visually-hidden">{ crate::t!("lesson.done-mark") }</span> } } else { html!{} } }
                        </a>
                        { if status.is_empty() { html!{} } else { html! { <span class="picker__status">{ status }</span> } } }
                        <p class="picker__about">{ crate::i18n::words(&l.about) }</p>
                    </li>
                }
            })
            .collect();
        if lessons.is_empty() {
            return html! {};
        }
        html! {
            <section class="picker__level" aria-labelledby={format!("level-{}", level.label())}>
                <h2 id={format!("level-{}", level.label())} class="picker__heading">{ super::level(level) }</h2>
                <ol class="picker__lessons">{ lessons }</ol>
            </section>
        }
    };
    let broken: Vec<Html> = entries
        .iter()
        .filter_map(|e| e.lesson.as_ref().err().map(|why| (e, why)))
        .map(|(e, why)| html! { <li><strong>{ &e.file }</strong>{ ": " }{ why }</li> })
        .collect();
    html! {
        <div class="picker">
            { level(Level::Beginner) }
            { level(Level::Intermediate) }
            { level(Level::Advanced) }
            { if broken.is_empty() { html!{} } else { html! {
                <section class="picker__broken" aria-labelledby="broken-title">
                    <h2 id="broken-title" class="picker__heading">{ crate::t!("lesson.broken") }</h2>
                    <ul>{ broken }</ul>
                </section>
            } } }
        </div>
    }
}
