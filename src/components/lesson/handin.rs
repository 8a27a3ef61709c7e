//! The hand-in and the teacher's side: the student's name and "Download my results"; a
//! teacher opens a results file (a readable summary) or a lesson file (from disk or pasted;
//! a bad one is refused with its line and field).

use postroom_proto::i18n::Text;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::moves::field;
use crate::state::lesson::{LessonsAction, LessonsState};

pub fn handin(
    state: &LessonsState,
    on: &Callback<LessonsAction>,
    on_download: &Callback<()>,
) -> Html {
    let results = &state.results;
    let on_name = on.reform(|e: InputEvent| {
        LessonsAction::SetName(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });
    let download = on_download.reform(|_: MouseEvent| ());
    let paste = |name: &'static str, label: AttrValue, make: fn(String) -> LessonsAction| {
        let on = on.clone();
        let onclick = move |e: MouseEvent| {
            let form = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|b| b.closest("form").ok().flatten());
            if let Some(form) = form {
                on.emit(make(field(&form, "text")));
            }
        };
        html! { <button type="button" class="lesson__button" data-action={name} {onclick}>{ label }</button> }
    };
    html! {
        <div class="handin">
            <section class="handin__student" aria-labelledby="handin-title">
                <h2 id="handin-title" class="picker__heading">{ crate::t!("lesson.hand-in") }</h2>
                <label class="handin__name">{ crate::t!("lesson.your-name") }{ " " }
                    <input data-control="name" value={results.name.clone()} oninput={on_name} maxlength="100" autocomplete="name" />
                </label>
                <button type="button" class="lesson__button lesson__button--main" data-action="download" onclick={download}>
                    { crate::t!("lesson.download") }
                </button>
                { if results.lessons.is_empty() { html! { <p>{ crate::t!("lesson.none-started") }</p> } } else { summary(&results.summary()) } }
            </section>
            <section class="handin__teacher" aria-labelledby="teacher-title">
                <h2 id="teacher-title" class="picker__heading">{ crate::t!("lesson.teachers") }</h2>
                <p>{ crate::t!("lesson.a-small-file") }{ " " }<a href="lessons/README.md" target="_blank">{ crate::t!("lesson.how-to-write") }</a></p>
                <label class="handin__file">{ crate::t!("lesson.open-results") }{ " " }
                    <input type="file" accept=".json,application/json" data-control="results-file"
                        onchange={file_text(on, LessonsAction::OpenResults)} />
                </label>
                <label class="handin__file">{ crate::t!("lesson.open-lesson") }{ " " }
                    <input type="file" accept=".json,application/json" data-control="lesson-file"
                        onchange={file_text(on, LessonsAction::OpenFile)} />
                </label>
                <form class="handin__paste" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                    <label>{ crate::t!("lesson.paste") }
                        <textarea name="text" data-control="paste" rows="4" spellcheck="false" />
                    </label>
                    { paste("paste-results", crate::t!("lesson.as-results"), LessonsAction::OpenResults) }
                    { paste("paste-lesson", crate::t!("lesson.as-lesson"), LessonsAction::OpenFile) }
                </form>
                { match &state.teacher {
                    Some(Ok(lines)) => html! {
                        <div class="handin__summary" role="status" data-control="summary">
                            { summary(lines) }
                            <button type="button" class="lesson__button" onclick={on.reform(|_: MouseEvent| LessonsAction::CloseTeacher)}>{ crate::t!("compose.close") }</button>
                        </div>
                    },
                    Some(Err(why)) => html! { <p class="lesson__problem" role="alert" data-control="file-error">{ why }</p> },
                    None => html! {},
                } }
            </section>
        </div>
    }
}

/// A results summary: its heading line, then a line per lesson.
fn summary(lines: &[Text]) -> Html {
    let mut lines = lines.iter().map(crate::i18n::said);
    html! {
        <>
            <p class="handin__who">{ lines.next().unwrap_or_default() }</p>
            <ul class="handin__lines">{ for lines.map(|l| html! { <li>{ l }</li> }) }</ul>
        </>
    }
}

/// Reads the file chosen in a file input and sends its text as `make` says.
fn file_text(on: &Callback<LessonsAction>, make: fn(String) -> LessonsAction) -> Callback<Event> {
    let on = on.clone();
    Callback::from(move |e: Event| {
        #[cfg(target_arch = "wasm32")]
        {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // The same file chosen again is read again.
            input.set_value("");
            let on = on.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                match text.ok().and_then(|t| t.as_string()) {
                    Some(text) => on.emit(make(text)),
                    None => on.emit(make(String::new())),
                }
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (e, &on, make);
    })
}
