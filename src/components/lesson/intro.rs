//! A lesson's introduction: a few slides of plain text with the RFC sections they rest on,
//! one at a time, before the lesson starts.

use postroom_sim::lesson::Lesson;
use yew::prelude::*;

use super::button;
use crate::state::lesson::LessonsAction;

pub fn intro(lesson: &Lesson, slide: usize, on: &Callback<LessonsAction>) -> Html {
    let Some(text) = lesson.intro.get(slide) else {
        return html! {};
    };
    let last = slide + 1 >= lesson.intro.len();
    html! {
        <main class="intro" id="main" aria-labelledby="intro-title">
            <article class="intro__card">
                <p class="intro__level">{ crate::t!("lesson.intro-level", level = crate::components::lesson::level(lesson.level).as_str()) }</p>
                <h2 id="intro-title" class="intro__title">{ crate::i18n::words(&lesson.title) }</h2>
                <p class="intro__text" aria-live="polite">{ crate::i18n::words(&text.text) }</p>
                { if text.rfc.is_empty() { html!{} } else { html! {
                    <p class="intro__rfc">{ crate::t!("lesson.read-more") }{ " " }
                        { for text.rfc.iter().map(|r| html! {
                            <a href={r.url()} target="_blank" rel="noopener">{ r.label() }</a>
                        }) }
                    </p>
                } } }
                <nav class="intro__nav" aria-label={crate::t!("lesson.intro-nav")}>
                    { button("lesson__button", "previous-slide", html!{ crate::t!("lesson.slide-back") }, slide == 0, on, LessonsAction::PreviousSlide) }
                    <span class="intro__where">{ crate::t!("lesson.slide", slide = slide + 1, count = lesson.intro.len()) }</span>
                    { if last { html!{} } else { button("lesson__button", "skip-intro", html!{ crate::t!("lesson.skip-intro") }, false, on, LessonsAction::Start) } }
                    { button("lesson__button lesson__button--main", "next-slide",
                        html!{ { if last { crate::t!("lesson.start") } else { crate::t!("lesson.slide-next") } } }, false, on, LessonsAction::NextSlide) }
                </nav>
            </article>
        </main>
    }
}
