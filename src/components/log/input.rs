//! Where a log comes in: a text area to paste into (a paste is read at once), a file dropped
//! on it or chosen, and example logs one click away; beside them the formats understood and,
//! for a text that is no log, the first lines that could not be read.

use postroom_sim::log::{Format, Unrecognised};
use yew::prelude::*;

use crate::components::notices::thousands;
use crate::state::log::examples::EXAMPLES;
use crate::state::log::{LogState, LONG};

#[derive(Debug)]
pub struct InputProps<'a> {
    pub state: &'a LogState,
    /// The text area and the hidden file chooser: the page reads them.
    pub text: &'a NodeRef,
    pub chooser: &'a NodeRef,
    /// A log is being read (the page paints this before the work starts).
    pub busy: bool,
    /// What the page says about a file it did not open, if anything.
    pub file_problem: Option<&'a str>,
    /// Read what the text area holds.
    pub on_read: Callback<()>,
    /// Something is pasted into the text area.
    pub on_paste: Callback<Event>,
    /// Files dropped on the text area or chosen.
    pub on_drop: Callback<DragEvent>,
    pub on_choose: Callback<Event>,
    pub on_example: Callback<usize>,
    pub on_back: Option<Callback<MouseEvent>>,
}

/// The text area, its buttons, the examples and the formats understood.
pub fn log_input(props: InputProps<'_>) -> Html {
    let on_read = props.on_read.clone();
    let onpaste = props.on_paste.clone();
    // Ctrl+Enter reads what was typed, as a form's button would.
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
            e.prevent_default();
            on_read.emit(());
        }
    });
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let open_chooser = {
        let chooser = props.chooser.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = chooser.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    // A long log is not put back in the box: it is still what was read.
    let text = props.state.input.text();
    let long = text.len() > LONG;
    let value = if long {
        AttrValue::default()
    } else {
        AttrValue::from(text.clone())
    };
    let examples = EXAMPLES.iter().enumerate().map(|(i, e)| {
        html! {
            <li><button type="button" class="logpage__example" data-example={e.key}
                onclick={props.on_example.reform(move |_: MouseEvent| i)}>
                <strong>{ crate::i18n::text(e.title, &[]) }</strong><span>{ crate::i18n::text(e.about, &[]) }</span>
            </button></li>
        }
    });
    html! {
        <main class="logpage" id="main">
            <section class="logpage__paste" aria-labelledby="paste-title">
                <h2 id="paste-title" class="logpage__title">{ crate::t!("log.paste-title") }</h2>
                <p class="logpage__lead">{ crate::t!("log.lead") }</p>
                <div class="logpage__drop" ondrop={props.on_drop.clone()} {ondragover}>
                    <label for="log-text" class="visually-hidden">{ crate::t!("log.the-log") }</label>
                    <textarea id="log-text" ref={props.text.clone()} class="logpage__text" spellcheck="false"
                        autocomplete="off" {value} {onpaste} {onkeydown}
                        placeholder={crate::t!("log.placeholder")} />
                </div>
                { if long { html! {
                    <p class="logpage__keys">{ crate::t!("log.too-long", length = thousands(text.len())) }</p>
                } } else { html!{} } }
                <div class="logpage__buttons">
                    <button type="button" class="logpage__button logpage__button--main" data-action="read"
                        onclick={props.on_read.reform(|_: MouseEvent| ())}>{ crate::t!("log.show") }</button>
                    <button type="button" class="logpage__button" data-action="choose" onclick={open_chooser}>{ crate::t!("log.open-file") }</button>
                    <input type="file" ref={props.chooser.clone()} class="logpage__chooser" multiple=true tabindex="-1"
                        aria-hidden="true" onchange={props.on_choose.clone()} />
                    { for props.on_back.clone().map(|on_back| html! {
                        <button type="button" class="logpage__button" data-action="back" onclick={on_back}>{ crate::t!("log.back") }</button>
                    }) }
                    <span class="logpage__keys">{ crate::t!("log.keys") }</span>
                </div>
                { if props.busy { html! {
                    <p class="logpage__busy" role="status">{ crate::t!("log.reading") }</p>
                } } else { html!{} } }
                { for props.file_problem.map(|why| html! { <p class="logpage__problem" role="alert">{ why }</p> }) }
                { for props.state.unrecognised().map(unrecognised) }
            </section>
            <aside class="logpage__help">
                <section aria-labelledby="examples-title">
                    <h2 id="examples-title" class="panel__title">{ crate::t!("log.examples") }</h2>
                    <ul class="logpage__examples">{ for examples }</ul>
                </section>
                <section aria-labelledby="formats-title">
                    <h2 id="formats-title" class="panel__title">{ crate::t!("log.formats") }</h2>
                    { formats(&Format::ALL) }
                </section>
            </aside>
        </main>
    }
}

/// Each format with what its lines look like.
fn formats(list: &[Format]) -> Html {
    html! {
        <dl class="logpage__formats">
            { for list.iter().map(|f| html! { <>
                <dt>{ crate::i18n::said(&f.name()) }</dt><dd>{ crate::i18n::said(&f.looks_like()) }</dd>
            </> }) }
        </dl>
    }
}

/// A text that is no log Postroom can read: what it understands, and the first lines it
/// could not place.
fn unrecognised(why: &Unrecognised) -> Html {
    html! {
        <div class="logpage__unread" role="alert">
            <p class="logpage__unread-title">{ crate::t!("log.unread") }</p>
            { if why.understood.len() == 1 { html! { <>
                <p>{ crate::t!("log.read-as-this") }</p>{ formats(&why.understood) }
            </> } } else { html! {
                <p>{ crate::t!("log.reads-formats", count = why.understood.len()) }</p>
            } } }
            { if why.unread.is_empty() { html!{} } else { html! { <>
                <p>{ crate::t!("log.first-unread") }</p>
                <ol class="logpage__lines">
                    { for why.unread.iter().map(|l| html! {
                        <li><span class="logpage__number">{ l.number }</span><code>{ &l.text }</code></li>
                    }) }
                </ol>
            </> } } }
        </div>
    }
}
