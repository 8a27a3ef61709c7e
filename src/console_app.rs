//! The console page: its own page and module, like the comparison.

use yew::prelude::*;

use crate::components::{topbar, ConsoleView};

#[function_component]
pub fn ConsoleApp() -> Html {
    html! {
        <div class="app app--console">
            { topbar("console", html! { <>
                { "Type your own commands to a real " }<strong>{ "SMTP, POP3 or IMAP" }</strong>{ " server" }
            </> }, html! {}, None) }
            <ConsoleView />
        </div>
    }
}
