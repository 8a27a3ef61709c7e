//! The bar at the top of both pages: the name, the two views, what is shown, and the
//! buttons every page has (share, projector, light or dark).

use yew::prelude::*;

/// Flips a switch kept as an attribute on `<html>` (one stylesheet rule then changes the
/// whole page) and shows its state on the button pressed. Kept in the page, not in Yew
/// state: the bar is then a plain function, lighter for the first load.
fn toggle_root(event: &MouseEvent, name: &str, on: &str, off: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let Some(root) = gloo::utils::document().document_element() else {
            return;
        };
        let now_on = root.get_attribute(name).as_deref() != Some(on);
        let _ = match (now_on, off) {
            (true, _) => root.set_attribute(name, on),
            (false, Some(off)) => root.set_attribute(name, off),
            (false, None) => root.remove_attribute(name),
        };
        if let Some(button) = event
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = button.set_attribute("aria-pressed", if now_on { "true" } else { "false" });
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (event, name, on, off);
}

/// The bar: `view` is "explore", "compare", "console" or "lessons"; `title` says what is shown;
/// `extra` holds this page's own buttons, before Share (when there is something to share).
pub fn topbar(
    view: &str,
    title: Html,
    extra: Html,
    on_share: Option<Callback<MouseEvent>>,
) -> Html {
    let link = |href: &'static str, key: &'static str, label: &'static str| {
        html! {
            <a class="topbar__view" data-view={key} {href} aria-current={(view == key).then_some("page")}>{ label }</a>
        }
    };
    html! {
        <header class="topbar">
            <h1 class="topbar__brand">{ "Postroom" }</h1>
            // Each view is its own page, so no page downloads another's code.
            <nav class="topbar__views" aria-label="Views">
                { link("./", "explore", "Explore") }
                { link("compare.html", "compare", "POP3 vs IMAP") }
                { link("console.html", "console", "Console") }
                { link("lessons.html", "lessons", "Lessons") }
            </nav>
            <p class="topbar__scenario">{ title }</p>
            <nav class="topbar__actions" aria-label="Page">
                { extra }
                { if let Some(on_share) = on_share { html! {
                    <button class="topbar__button" data-action="share" onclick={on_share}>{ "Share" }</button>
                } } else { html!{} } }
                <button class="topbar__button" data-action="projector" aria-pressed="false"
                    onclick={|e: MouseEvent| toggle_root(&e, "data-projector", "on", None)}>{ "Projector" }</button>
                <button class="topbar__button" data-action="theme" aria-label="Switch light or dark"
                    onclick={|e: MouseEvent| toggle_root(&e, "data-theme", "dark", Some("light"))}>{ "◐" }</button>
            </nav>
        </header>
    }
}

/// The banners under the bar: a warning (a bad link, a lost save) and the share link.
pub fn notices(
    warning: Option<&str>,
    on_dismiss: Callback<MouseEvent>,
    link: Option<&str>,
) -> Html {
    html! {
        <>
            { if let Some(message) = warning { html! {
                <div class="banner banner--warning" role="alert">
                    <span>{ message }</span>
                    <button class="banner__close" onclick={on_dismiss} aria-label="Dismiss">{ "✕" }</button>
                </div>
            } } else { html!{} } }
            { if let Some(link) = link { html! {
                <div class="banner banner--share" role="status">
                    <label>{ "Link to this page: " }<input class="banner__link" readonly=true value={link.to_string()} /></label>
                </div>
            } } else { html!{} } }
        </>
    }
}
