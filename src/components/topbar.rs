//! The bar at the top of both pages: the name, the two views, what is shown, and the
//! buttons every page has (share, projector, light or dark).

use yew::prelude::*;

/// Sets an attribute on `<html>`, so one stylesheet rule switches the whole page.
fn set_root_flag(name: &str, value: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, value);
}

#[derive(Properties, PartialEq, Debug)]
pub struct TopbarProps {
    /// Which page this is: "explore", "compare" or "console".
    pub view: &'static str,
    /// What is shown: the scenario or the lesson.
    pub children: Html,
    /// Buttons of this page only, before Share.
    #[prop_or_default]
    pub extra: Html,
    /// The Share button, on pages that have something to share.
    #[prop_or_default]
    pub on_share: Option<Callback<MouseEvent>>,
}

#[function_component]
pub fn Topbar(props: &TopbarProps) -> Html {
    let dark = use_state(|| None::<bool>);
    let projector = use_state(|| false);
    let toggle_theme = {
        let dark = dark.clone();
        Callback::from(move |_: MouseEvent| {
            let next = !dark.unwrap_or(false);
            set_root_flag("data-theme", Some(if next { "dark" } else { "light" }));
            dark.set(Some(next));
        })
    };
    let toggle_projector = {
        let projector = projector.clone();
        Callback::from(move |_: MouseEvent| {
            set_root_flag("data-projector", (!*projector).then_some("on"));
            projector.set(!*projector);
        })
    };
    // Each view is its own page, so the explorer's first load stays small.
    let view = |href: &'static str, key: &'static str, label: &'static str| {
        let here = props.view == key;
        html! {
            <a class="topbar__view" data-view={key} {href} aria-current={here.then_some("page")}>{ label }</a>
        }
    };
    html! {
        <header class="topbar">
            <h1 class="topbar__brand">{ "Postroom" }</h1>
            <nav class="topbar__views" aria-label="Views">
                { view("./", "explore", "Explore") }
                { view("compare.html", "compare", "POP3 vs IMAP") }
                { view("console.html", "console", "Console") }
            </nav>
            <p class="topbar__scenario">{ props.children.clone() }</p>
            <nav class="topbar__actions" aria-label="Page">
                { props.extra.clone() }
                { if let Some(on_share) = &props.on_share { html! {
                    <button class="topbar__button" data-action="share" onclick={on_share.clone()}>{ "Share" }</button>
                } } else { html!{} } }
                <button class="topbar__button" data-action="projector" onclick={toggle_projector} aria-pressed={projector.to_string()}>{ "Projector" }</button>
                <button class="topbar__button" data-action="theme" onclick={toggle_theme} aria-label="Switch light or dark">{ "◐" }</button>
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
