//! The console: type a command to a real server and read its answer, line by line, each
//! explained with its RFC section. The session comes in, what the class does goes out.

use postroom_sim::console::{examples_for, Service};
use postroom_sim::Direction;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::console::{ConsoleAction, ConsoleState};

/// The console for a session: its lines, a form to type the next one, the explanation of
/// the line shown and lines to try (or a pasted session's lines). `input` is the field typed
/// in (the page reads and clears it), `list` the lines (the page keeps the newest in view);
/// `on_offer` puts a line of the pasted session in the field, to edit before sending.
pub fn console_view(
    state: &ConsoleState,
    input: &NodeRef,
    list: &NodeRef,
    on_send: &Callback<String>,
    on_offer: &Callback<String>,
    on_action: &Callback<ConsoleAction>,
) -> Html {
    let console = state.session();
    let service = console.service();
    let protocol = console.protocol();
    let entries = &console.entries;
    let shown = state.shown().and_then(|i| entries.get(i).map(|e| (i, e)));
    let on_submit = {
        let (on_send, input) = (on_send.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                on_send.emit(field.value());
            }
        })
    };
    let choose =
        |service: Service| on_action.reform(move |_: MouseEvent| ConsoleAction::Switch(service));
    let lines = entries.iter().enumerate().map(|(i, e)| {
        // What the console itself says (a line cut short, the simulated TLS handshake) is a
        // note, set apart from what crossed the wire.
        let (who, class) = match e.direction {
            Direction::ClientToServer => ("C:".into(), "console__line--client"),
            Direction::ServerToClient => ("S:".into(), "console__line--server"),
            Direction::Local => (crate::t!("console.note"), "console__line--local"),
        };
        let current = shown.is_some_and(|(s, _)| s == i);
        html! {
            <li>
                <button class={classes!("console__line", class, current.then_some("console__line--current"))}
                    aria-pressed={current.to_string()}
                    onclick={on_action.reform(move |_: MouseEvent| ConsoleAction::Select(i))}>
                    <span class="console__who">{ who }</span>
                    <span class="console__text">{ match &e.note { Some(note) => crate::i18n::said(note), None if e.text.is_empty() => crate::t!("console.empty-line"), None => e.text.clone().into() } }</span>
                </button>
            </li>
        }
    });
    let tries = examples_for(service).iter().map(|line| {
        let text = line.to_string();
        html! {
            <li><button class="console__try" data-try={text.clone()} disabled={console.is_closed()}
                onclick={on_send.reform(move |_: MouseEvent| text.clone())}>{ if line.is_empty() { crate::t!("console.empty-line") } else { (*line).into() } }</button></li>
        }
    });
    html! {
        <main class="console" aria-labelledby="console-title">
            <h2 id="console-title" class="visually-hidden">{ crate::t!("console.title") }</h2>
            <div class="console__main">
                <div class="console__choices" role="group" aria-label={crate::t!("console.server")}>
                    { for Service::ALL.iter().map(|s| html! {
                        <button class={classes!("console__choice", format!("console__choice--{}", s.protocol().key()))}
                            data-port={s.port().to_string()} data-protocol={s.protocol().key()}
                            aria-pressed={(*s == service).to_string()} onclick={choose(*s)}>{ crate::i18n::said(&s.label()) }</button>
                    }) }
                    <button class="console__choice" data-control="reset" onclick={on_action.reform(|_: MouseEvent| ConsoleAction::Reset)}
                        title={crate::t!("console.reset-title")}>{ crate::t!("console.reset") }</button>
                </div>
                <p class="console__shared">{ crate::t!("console.shared") }</p>
                <ol class="console__lines" ref={list.clone()} tabindex="0" aria-label={crate::t!("console.lines")}>{ for lines }</ol>
                <form class="console__form" onsubmit={on_submit}>
                    <label class="console__prompt" for="console-input">{ "C:" }</label>
                    <input id="console-input" ref={input.clone()} class="console__input" autocomplete="off" spellcheck="false"
                        disabled={console.is_closed()}
                        placeholder={if console.is_closed() { crate::t!("console.closed") } else { crate::t!("console.placeholder") }} />
                    <button class="console__send" type="submit" disabled={console.is_closed()}>{ crate::t!("console.send") }</button>
                </form>
            </div>
            <aside class="console__side">
                <section class="console__explain" aria-live="polite">
                    { if let Some((_, e)) = shown { let (title, why) = crate::i18n::explanation(&e.explanation); html! {
                        <>
                            <p class="console__state">{ crate::t!("console.state", protocol = protocol.name(), state = crate::i18n::said(&console.state()).to_string()) }</p>
                            <h3>{ title }</h3>
                            <p>{ why }</p>
                            <p><a href={e.explanation.rfc.url()} target="_blank" rel="noopener">{ format!("RFC {} §{}", e.explanation.rfc.rfc, e.explanation.rfc.section) }</a></p>
                        </>
                    } } else { html!{} } }
                </section>
                { offered(state, console.is_closed(), on_send, on_offer) }
                <section class="console__tries">
                    <h3>{ crate::t!("console.tries") }</h3>
                    <ol>{ for tries }</ol>
                    <p class="console__hint">{ crate::t!("console.tries-hint") }</p>
                </section>
            </aside>
        </main>
    }
}

/// A pasted session's client lines, the next one marked: a click puts one in the field (to
/// edit a hidden password, say), a button sends the next as it is.
fn offered(
    state: &ConsoleState,
    closed: bool,
    on_send: &Callback<String>,
    on_offer: &Callback<String>,
) -> Html {
    let offered = &state.offered;
    if offered.lines.is_empty() {
        return html! {};
    }
    let lines = offered.lines.iter().enumerate().map(|(i, line)| {
        let (text, is_next) = (line.clone(), i == offered.next);
        html! {
            <li><button class={classes!("console__try", (i < offered.next).then_some("console__try--sent"), is_next.then_some("console__try--next"))}
                aria-current={is_next.then_some("step")} disabled={closed}
                onclick={on_offer.reform(move |_: MouseEvent| text.clone())}>{ if line.is_empty() { crate::t!("console.empty-line") } else { line.clone().into() } }</button></li>
        }
    });
    let cut = (offered.of > offered.lines.len()).then(|| {
        crate::t!(
            "console.log-cut",
            shown = offered.lines.len(),
            count = offered.of
        )
    });
    let next = offered.next_line().map(str::to_string);
    html! {
        <section class="console__tries console__tries--log" aria-labelledby="from-log">
            <h3 id="from-log">{ crate::t!("console.log-lines") }{ cut.map(|c| format!(" {c}")).unwrap_or_default() }</h3>
            <p class="console__hint">{ crate::t!("console.log-hint") }</p>
            <button class="console__send" data-action="send-next" disabled={closed || next.is_none()}
                onclick={on_send.reform(move |_: MouseEvent| next.clone().unwrap_or_default())}>
                { if offered.next_line().is_some() { crate::t!("console.send-next", next = offered.next + 1, count = offered.lines.len()) } else { crate::t!("console.all-sent") } }
            </button>
            <ol class="console__offered">{ for lines }</ol>
        </section>
    }
}
