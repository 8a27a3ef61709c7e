//! The console page: its own page and module, like the comparison. One `ConsoleState` holds
//! the session; the page sends what is typed and keeps the newest line in view.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::notices::notices;
use crate::components::{console_view, topbar};
use crate::state::console::{ConsoleAction, ConsoleState};

#[function_component]
pub fn ConsoleApp() -> Html {
    // A link from the log page opens a server and offers the session's lines.
    let state = use_reducer(|| ConsoleState::start(crate::storage::fragment().as_deref()));
    let input = use_node_ref();
    let list = use_node_ref();
    let on_action = Callback::from(state.dispatcher());
    let on_send = {
        let (dispatcher, input) = (state.dispatcher(), input.clone());
        Callback::from(move |line: String| {
            dispatcher.dispatch(ConsoleAction::Send(line));
            // Ready for the next line, whether it was typed or one to try was clicked.
            if let Some(field) = input.cast::<HtmlInputElement>() {
                field.set_value("");
                let _ = field.focus();
            }
        })
    };
    let on_offer = {
        let input = input.clone();
        Callback::from(move |line: String| {
            if let Some(field) = input.cast::<HtmlInputElement>() {
                field.set_value(&line);
                let _ = field.focus();
            }
        })
    };
    {
        // Keep the newest line in view, as a terminal does — unless a line was clicked.
        let (list, follow) = (list.clone(), state.selected.is_none());
        use_effect(move || {
            if let Some(el) = list.cast::<web_sys::Element>().filter(|_| follow) {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <div class="app app--console">
            { topbar("console", html! { <>
                { crate::t!("console.topbar") }{ " " }<strong>{ "SMTP, POP3, IMAP" }</strong>
            </> }, html! {}, None) }
            { notices(state.banner.as_deref(), on_action.reform(|_: MouseEvent| ConsoleAction::DismissBanner), None, Callback::noop()) }
            { console_view(&state, &input, &list, &on_send, &on_offer, &on_action) }
        </div>
    }
}
