//! The console: type a command to a real server and read its answer, line by line, each
//! explained with its RFC section.

use postroom_sim::console::{examples, Console};
use postroom_sim::{Direction, Protocol};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The protocols the console offers, with the port a mail program would use.
const CHOICES: [(Protocol, &str); 3] = [
    (Protocol::Smtp, "SMTP · port 25"),
    (Protocol::Pop3, "POP3 · port 110"),
    (Protocol::Imap, "IMAP · port 143"),
];

#[function_component]
pub fn ConsoleView() -> Html {
    // The session; choosing a protocol or Start again replaces it.
    let session = use_mut_ref(|| Console::new(Protocol::Smtp));
    // Bumped after every change: the session lives in a RefCell, so this triggers renders.
    let version = use_state(|| 0u32);
    let input = use_node_ref();
    let list = use_node_ref();
    let selected = use_state(|| None::<usize>);
    let bump = {
        let (version, selected) = (version.clone(), selected.clone());
        move || {
            selected.set(None);
            version.set(version.wrapping_add(1));
        }
    };
    let send = {
        let (session, input, bump) = (session.clone(), input.clone(), bump.clone());
        Callback::from(move |text: String| {
            session.borrow_mut().send(&text);
            if let Some(field) = input.cast::<HtmlInputElement>() {
                field.set_value("");
                let _ = field.focus();
            }
            bump();
        })
    };
    let on_submit = {
        let (send, input) = (send.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                send.emit(field.value());
            }
        })
    };
    let choose = |protocol: Protocol| {
        let (session, bump) = (session.clone(), bump.clone());
        Callback::from(move |_: MouseEvent| {
            *session.borrow_mut() = Console::new(protocol);
            bump();
        })
    };
    {
        // Keep the newest line in view, as a terminal does.
        let list = list.clone();
        use_effect_with(*version, move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let console = session.borrow();
    let protocol = console.protocol();
    let entries = &console.entries;
    // The explanation shown: a line clicked, else the latest line.
    let shown = selected
        .and_then(|i| entries.get(i).map(|e| (i, e)))
        .or_else(|| {
            entries
                .len()
                .checked_sub(1)
                .and_then(|i| entries.get(i).map(|e| (i, e)))
        });
    let lines = entries.iter().enumerate().map(|(i, e)| {
        let (who, class) = match e.direction {
            Direction::ClientToServer => ("C:", "console__line--client"),
            Direction::ServerToClient => ("S:", "console__line--server"),
            Direction::Local => ("--", "console__line--local"),
        };
        let selected = selected.clone();
        let current = shown.is_some_and(|(s, _)| s == i);
        html! {
            <li>
                <button class={classes!("console__line", class, current.then_some("console__line--current"))}
                    aria-pressed={current.to_string()}
                    onclick={Callback::from(move |_| selected.set(Some(i)))}>
                    <span class="console__who">{ who }</span>
                    <span class="console__text">{ if e.text.is_empty() { "(empty line)" } else { e.text.as_str() } }</span>
                </button>
            </li>
        }
    });
    let tries = examples(protocol).iter().map(|line| {
        let send = send.clone();
        let text = line.to_string();
        html! {
            <li><button class="console__try" data-try={text.clone()} disabled={console.is_closed()}
                onclick={Callback::from(move |_| send.emit(text.clone()))}>{ if line.is_empty() { "(empty line)" } else { line } }</button></li>
        }
    });
    html! {
        <main class="console" aria-labelledby="console-title">
            <h2 id="console-title" class="visually-hidden">{ "Type your own commands" }</h2>
            <div class="console__main">
                <div class="console__choices" role="group" aria-label="Server">
                    { for CHOICES.iter().map(|(p, label)| html! {
                        <button class={classes!("console__choice", format!("console__choice--{}", p.key()))}
                            data-protocol={p.key()} aria-pressed={(*p == protocol).to_string()} onclick={choose(*p)}>{ *label }</button>
                    }) }
                    <button class="console__choice" data-control="reset" onclick={choose(protocol)}>{ "Start again" }</button>
                </div>
                <ol class="console__lines" ref={list} tabindex="0" aria-label="The session so far">{ for lines }</ol>
                <form class="console__form" onsubmit={on_submit}>
                    <label class="console__prompt" for="console-input">{ "C:" }</label>
                    <input id="console-input" ref={input} class="console__input" autocomplete="off" spellcheck="false"
                        maxlength="1000" disabled={console.is_closed()}
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
                <section class="console__tries">
                    <h3>{ "Try these, in order" }</h3>
                    <ol>{ for tries }</ol>
                    <p class="console__hint">{ "Then try mistakes: a command out of order, a typo, a wrong password. The server answers as the RFC says." }</p>
                </section>
            </aside>
        </main>
    }
}
