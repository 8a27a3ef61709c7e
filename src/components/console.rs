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
            Direction::ClientToServer => ("C:", "console__line--client"),
            Direction::ServerToClient => ("S:", "console__line--server"),
            Direction::Local => ("Note", "console__line--local"),
        };
        let current = shown.is_some_and(|(s, _)| s == i);
        html! {
            <li>
                <button class={classes!("console__line", class, current.then_some("console__line--current"))}
                    aria-pressed={current.to_string()}
                    onclick={on_action.reform(move |_: MouseEvent| ConsoleAction::Select(i))}>
                    <span class="console__who">{ who }</span>
                    <span class="console__text">{ if e.text.is_empty() { "(empty line)" } else { e.text.as_str() } }</span>
                </button>
            </li>
        }
    });
    let tries = examples_for(service).iter().map(|line| {
        let text = line.to_string();
        html! {
            <li><button class="console__try" data-try={text.clone()} disabled={console.is_closed()}
                onclick={on_send.reform(move |_: MouseEvent| text.clone())}>{ if line.is_empty() { "(empty line)" } else { line } }</button></li>
        }
    });
    html! {
        <main class="console" aria-labelledby="console-title">
            <h2 id="console-title" class="visually-hidden">{ "Type your own commands" }</h2>
            <div class="console__main">
                <div class="console__choices" role="group" aria-label="Server">
                    { for Service::ALL.iter().map(|s| html! {
                        <button class={classes!("console__choice", format!("console__choice--{}", s.protocol().key()))}
                            data-port={s.port().to_string()} data-protocol={s.protocol().key()}
                            aria-pressed={(*s == service).to_string()} onclick={choose(*s)}>{ s.label() }</button>
                    }) }
                    <button class="console__choice" data-control="reset" onclick={on_action.reform(|_: MouseEvent| ConsoleAction::Reset)}
                        title="A new session, and Bob's mailbox as it was at first">{ "Start again" }</button>
                </div>
                <p class="console__shared">{ "The four servers are Bob's provider's and share Bob's mailbox: send a message on port 25 or 587, then fetch it with POP3 or IMAP." }</p>
                <ol class="console__lines" ref={list.clone()} tabindex="0" aria-label="The session so far">{ for lines }</ol>
                <form class="console__form" onsubmit={on_submit}>
                    <label class="console__prompt" for="console-input">{ "C:" }</label>
                    <input id="console-input" ref={input.clone()} class="console__input" autocomplete="off" spellcheck="false"
                        disabled={console.is_closed()}
                        placeholder={if console.is_closed() { "The server closed the connection: choose Start again" } else { "Type a command and press Enter" }} />
                    <button class="console__send" type="submit" disabled={console.is_closed()}>{ "Send" }</button>
                </form>
            </div>
            <aside class="console__side">
                <section class="console__explain" aria-live="polite">
                    { if let Some((_, e)) = shown { html! {
                        <>
                            <p class="console__state">{ format!("{} server state: {}", protocol.name(), console.state()) }</p>
                            <h3>{ &e.explanation.title }</h3>
                            <p>{ &e.explanation.why }</p>
                            <p><a href={e.explanation.rfc.url()} target="_blank" rel="noopener">{ format!("RFC {} §{}", e.explanation.rfc.rfc, e.explanation.rfc.section) }</a></p>
                        </>
                    } } else { html!{} } }
                </section>
                { offered(state, console.is_closed(), on_send, on_offer) }
                <section class="console__tries">
                    <h3>{ "Try these, in order" }</h3>
                    <ol>{ for tries }</ol>
                    <p class="console__hint">{ "Then try mistakes: a command out of order, a typo, a wrong password. The server answers as the RFC says." }</p>
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
                onclick={on_offer.reform(move |_: MouseEvent| text.clone())}>{ if line.is_empty() { "(empty line)" } else { line.as_str() } }</button></li>
        }
    });
    let cut = (offered.of > offered.lines.len()).then(|| {
        format!(
            " (the first {} of its {} lines)",
            offered.lines.len(),
            offered.of
        )
    });
    let next = offered.next_line().map(str::to_string);
    html! {
        <section class="console__tries console__tries--log" aria-labelledby="from-log">
            <h3 id="from-log">{ "The lines of your log" }{ cut.unwrap_or_default() }</h3>
            <p class="console__hint">{ "Click a line to put it in the field (edit it, then press Enter), or send the next one as it is. This server knows the user bob with the password secret: a login from the log may be refused." }</p>
            <button class="console__send" data-action="send-next" disabled={closed || next.is_none()}
                onclick={on_send.reform(move |_: MouseEvent| next.clone().unwrap_or_default())}>
                { if offered.next_line().is_some() { format!("Send the next line ({} of {})", offered.next + 1, offered.lines.len()) } else { "All the lines were sent".to_string() } }
            </button>
            <ol class="console__offered">{ for lines }</ol>
        </section>
    }
}
