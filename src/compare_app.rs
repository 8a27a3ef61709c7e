//! The POP3 vs IMAP page: its own page and WebAssembly module, so the explorer's first load
//! does not carry it. A `#compare=` link opens a script; otherwise the first lesson.

use postroom_sim::compare::{presets, Script};
use yew::prelude::*;

use crate::components::topbar::notices;
use crate::components::{topbar, CompareView};
use crate::storage;

#[function_component]
pub fn CompareApp() -> Html {
    let start = use_memo((), |_| storage::start_compare());
    let script = use_state(|| start.0.clone());
    let banner = use_state(|| start.1.clone());
    let share_link = use_state(|| None::<String>);
    let on_script = {
        let (script, share_link) = (script.clone(), share_link.clone());
        Callback::from(move |s: Script| {
            script.set(s);
            share_link.set(None);
        })
    };
    let on_share = {
        let (script, share_link) = (script.clone(), share_link.clone());
        Callback::from(move |_: MouseEvent| share_link.set(Some(storage::compare_url(&script))))
    };
    let dismiss = {
        let banner = banner.clone();
        Callback::from(move |_: MouseEvent| banner.set(None))
    };
    let lesson = presets()
        .into_iter()
        .find(|p| p.script == *script)
        .map_or("your own script", |p| p.title);
    html! {
        <div class="app app--compare">
            { topbar("compare", html! { <>{ "Lesson: " }<strong>{ lesson }</strong></> }, html! {}, Some(on_share)) }
            { notices(banner.as_deref(), dismiss, share_link.as_deref()) }
            <CompareView key={script.encode()} script={(*script).clone()} {on_script} />
        </div>
    }
}
