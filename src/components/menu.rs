//! A menu of the top bar: a button that opens a list of choices, each a button of its own,
//! so the keyboard moves through them without choosing (as a `<select>` would on each arrow
//! key). Choosing, or Escape, closes it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// `action` names the menu for tests and styles; each item is what choosing it sends, and
/// its label.
pub fn menu<T: Clone + 'static>(
    action: &str,
    label: &str,
    aria: &str,
    items: Vec<(T, String)>,
    on: &Callback<T>,
) -> Html {
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            close(&e);
        }
    });
    html! {
        <details class="menu" data-action={action.to_string()} {onkeydown}>
            <summary class="topbar__button" aria-label={aria.to_string()}>{ label }</summary>
            <div class="menu__items">
                { for items.into_iter().map(|(choice, text)| {
                    let on = on.clone();
                    let onclick = Callback::from(move |e: MouseEvent| {
                        close(&e);
                        on.emit(choice.clone());
                    });
                    html! { <button type="button" class="menu__item" {onclick}>{ text }</button> }
                }) }
            </div>
        </details>
    }
}

/// Closes the menu an event happened in, and gives its button the focus back.
pub fn close(e: &web_sys::Event) {
    let details = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten());
    if let Some(details) = details {
        let _ = details.remove_attribute("open");
        if let Ok(Some(summary)) = details.query_selector("summary") {
            if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                let _ = summary.focus();
            }
        }
    }
}
