//! Predict, observe, explain: the story has stopped before a reply and asks what the server
//! will answer; after the answer, right or wrong, and the reply step's real explanation.

use yew::prelude::*;

use super::button;
use crate::state::lesson::{LessonsAction, Open};

pub fn prediction(open: &Open, on: &Callback<LessonsAction>) -> Html {
    if let Some(f) = &open.feedback {
        let e = &f.asked.explanation;
        let (title, why) = crate::i18n::explanation(e);
        let answer = f
            .asked
            .options
            .get(f.asked.right)
            .cloned()
            .unwrap_or_default();
        let chosen = f.asked.options.get(f.chosen).cloned().unwrap_or_default();
        return html! {
            <section class={classes!("predict", if f.right() { "predict--right" } else { "predict--wrong" })}
                aria-labelledby="predict-title" tabindex="-1">
                <h2 id="predict-title" class="predict__verdict">{ if f.right() { crate::t!("lesson.right") } else { crate::t!("lesson.wrong") } }</h2>
                { if f.right() { html!{} } else { html! {
                    <p>{ crate::t!("lesson.you-chose") }{ " " }<code class="predict__reply">{ chosen }</code></p>
                } } }
                <p>{ crate::t!("lesson.server-answered") }{ " " }<code class="predict__reply">{ answer }</code></p>
                <h3 class="predict__title">{ title }</h3>
                <p class="predict__why">{ why }</p>
                <p class="predict__rfc"><a href={e.rfc.url()} target="_blank" rel="noopener">{ e.rfc.label() }</a></p>
                { button("lesson__button", "continue", html!{ crate::t!("lesson.continue") }, false, on, LessonsAction::DismissFeedback) }
            </section>
        };
    }
    if let Some(asked) = open.asking() {
        return html! {
            <section class="predict predict--asking" aria-labelledby="predict-title" tabindex="-1">
                <h2 id="predict-title" class="panel__title">{ crate::t!("lesson.predict") }</h2>
                <p class="predict__question">{ crate::i18n::said(&asked.question) }</p>
                <div class="predict__options" role="group" aria-label={crate::t!("lesson.options")}>
                    { for asked.options.iter().enumerate().map(|(i, text)| {
                        let on = on.clone();
                        html! {
                            <button type="button" class="predict__option" data-option={i.to_string()}
                                onclick={move |_: MouseEvent| on.emit(LessonsAction::Answer(i))}>
                                <code>{ text }</code>
                            </button>
                        }
                    }) }
                </div>
                <p class="predict__note">{ crate::t!("lesson.waits") }</p>
            </section>
        };
    }
    match open.pending() {
        Some(asked) => html! {
            <p class="predict__ahead">{ crate::t!("lesson.question-ahead", step = asked.command_step + 1) }</p>
        },
        None => html! {},
    }
}
