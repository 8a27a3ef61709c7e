//! The bar at the top of every page: the name, the views, what is shown, and the
//! buttons every page has (share, projector, light or dark).

use yew::prelude::*;

/// A page-wide switch, kept as an attribute on `<html>` (one stylesheet rule then changes
/// the whole page) and saved in the browser: each page's first script applies the saved
/// choice before anything is drawn. Kept out of Yew state: the bar stays a plain function,
/// lighter for the first load.
#[derive(Clone, Copy)]
enum Switch {
    Projector,
    Dark,
}

impl Switch {
    /// The attribute, its value when on and when off (None: no attribute), the saved key.
    fn parts(
        self,
    ) -> (
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
    ) {
        match self {
            Switch::Projector => ("data-projector", "on", None, "postroom.projector"),
            Switch::Dark => ("data-theme", "dark", Some("light"), "postroom.theme"),
        }
    }

    /// Whether it is on now; off outside a browser.
    fn is_on(self) -> bool {
        #[cfg(target_arch = "wasm32")]
        {
            let (name, on, _, _) = self.parts();
            gloo::utils::document()
                .document_element()
                .is_some_and(|root| root.get_attribute(name).as_deref() == Some(on))
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = self.parts();
            false
        }
    }

    /// Turns it over, saves the choice, and shows it on the button pressed.
    fn flip(self, event: &MouseEvent) {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let (name, on, off, key) = self.parts();
            let Some(root) = gloo::utils::document().document_element() else {
                return;
            };
            let now_on = !self.is_on();
            let _ = match (now_on, off) {
                (true, _) => root.set_attribute(name, on),
                (false, Some(off)) => root.set_attribute(name, off),
                (false, None) => root.remove_attribute(name),
            };
            // Rows grew or shrank: the diagram shows the current step again.
            crate::components::sequence_diagram::keep_current_in_view();
            if let Ok(Some(store)) = gloo::utils::window().local_storage() {
                let _ = store.set_item(key, if now_on { on } else { off.unwrap_or("off") });
            }
            // The page listens at its root: the button is the target's nearest button.
            if let Some(button) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("button").ok().flatten())
            {
                let _ = button.set_attribute("aria-pressed", if now_on { "true" } else { "false" });
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = event;
    }
}

/// The language menu: each language named in its own language; choosing one opens the page
/// again in it.
fn languages() -> Html {
    let now = crate::i18n::lang();
    let on_change = Callback::from(|e: Event| {
        let select = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
        crate::i18n::switch_to(&select.value());
    });
    html! {
        <select class="topbar__lang" data-action="lang" aria-label={crate::t!("topbar.language")}
            title={crate::t!("topbar.language")} onchange={on_change}>
            { for postroom_proto::i18n::languages().map(|(code, name)| html! {
                <option value={code} lang={code} selected={now == code}>{ name }</option>
            }) }
        </select>
    }
}

/// The views, each a page: its address, its key, its name's id in the catalogues.
const VIEWS: [(&str, &str, &str); 7] = [
    ("./", "explore", crate::id!("topbar.explore")),
    ("compare.html", "compare", crate::id!("topbar.compare")),
    ("console.html", "console", crate::id!("topbar.console")),
    ("lessons.html", "lessons", crate::id!("topbar.lessons")),
    ("lab.html", "lab", crate::id!("topbar.lab")),
    ("log.html", "log", crate::id!("topbar.log")),
    ("live.html", "live", crate::id!("topbar.live")),
];
/// How many of [`VIEWS`] the bar shows; the rest are under "More".
const MAIN_VIEWS: usize = 4;

/// The bar: `view` is "explore", "compare", "console", "lessons", "lab", "log" or "live"; `title` says what is shown;
/// `extra` holds this page's own buttons, before Share (when there is something to share).
pub fn topbar(
    view: &str,
    title: Html,
    extra: Html,
    on_share: Option<Callback<MouseEvent>>,
) -> Html {
    let link = |&(href, key, id): &(&'static str, &'static str, &'static str)| {
        html! {
            <a class="topbar__view" data-view={key} {href} aria-current={(view == key).then_some("page")}>{ crate::i18n::text(id, &[]) }</a>
        }
    };
    // The views a class uses most stay in sight; the others wait under "More", so the bar
    // keeps one row on a 1280 px projector. The page on screen always shows as a view.
    let (shown, more): (Vec<_>, Vec<_>) = VIEWS
        .iter()
        .enumerate()
        .partition(|(i, (_, key, _))| *i < MAIN_VIEWS || *key == view);
    let more = more.into_iter().map(|(_, v)| v);
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Escape" {
            crate::components::menu::close(&e);
        }
    });
    let switch = |switch: Switch, action: &'static str, label: AttrValue, text: AttrValue| {
        html! {
            <button class="topbar__button" data-action={action} aria-pressed={switch.is_on().to_string()}
                aria-label={(label != text).then(|| label.clone())} title={label.clone()}
                onclick={move |e: MouseEvent| switch.flip(&e)}>{ text }</button>
        }
    };
    html! {
        <header class="topbar">
            <h1 class="topbar__brand">{ "Postroom" }</h1>
            // Each view is its own page, so no page downloads another's code.
            <nav class="topbar__views" aria-label={crate::t!("topbar.views")}>
                { for shown.into_iter().map(|(_, v)| link(v)) }
                <details class="menu topbar__more" {onkeydown}>
                    <summary class="topbar__view">{ crate::t!("topbar.more") }</summary>
                    <div class="menu__items">
                        { for more.map(|&(href, key, id)| html! {
                            <a class="menu__item" data-view={key} {href}>{ crate::i18n::text(id, &[]) }</a>
                        }) }
                    </div>
                </details>
            </nav>
            <p class="topbar__scenario">{ title }</p>
            <nav class="topbar__actions" aria-label={crate::t!("topbar.page")}>
                { extra }
                { if let Some(on_share) = on_share { html! {
                    <button class="topbar__button" data-action="share" onclick={on_share}>{ crate::t!("topbar.share") }</button>
                } } else { html!{} } }
                { switch(Switch::Projector, "projector", crate::t!("topbar.projector"), crate::t!("topbar.projector")) }
                { switch(Switch::Dark, "theme", crate::t!("topbar.dark"), AttrValue::Static("◐")) }
                { languages() }
            </nav>
        </header>
    }
}
