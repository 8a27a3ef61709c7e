//! The banners under the bar: a warning (a link that could not be read, a lost save) and the
//! share link, with a Copy button and a word of caution when the link is very long.

use yew::prelude::*;

/// Links longer than this may be cut by chat and mail programs (and no longer open).
pub const LONG_LINK: usize = 2_000;

/// 267248 → "267,248".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Copies the share link and says so on the button. Where the browser has no clipboard for
/// the page (a plain http address), the link is selected for Ctrl+C.
fn copy(event: &MouseEvent) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let button = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten());
        let field = gloo::utils::document()
            .query_selector(".banner__link")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok());
        let (Some(button), Some(field)) = (button, field) else {
            return;
        };
        field.select();
        let clipboard = gloo::utils::window().navigator().clipboard();
        let said = if clipboard.is_undefined() {
            crate::t!("share.ctrl-c")
        } else {
            // Within the click, the browser lets the page write the clipboard.
            let _ = clipboard.write_text(&field.value());
            crate::t!("share.copied")
        };
        button.set_text_content(Some(&said));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = event;
}

/// The warning (with its dismiss button) and the share link (with Copy and close).
pub fn notices(
    warning: Option<&str>,
    on_dismiss: Callback<MouseEvent>,
    link: Option<&str>,
    on_close_link: Callback<MouseEvent>,
) -> Html {
    html! {
        <>
            { if let Some(message) = warning { html! {
                <div class="banner banner--warning" role="alert">
                    <span>{ message }</span>
                    <button class="banner__close" onclick={on_dismiss} aria-label={crate::t!("notice.dismiss")}>{ "✕" }</button>
                </div>
            } } else { html!{} } }
            { if let Some(link) = link { html! {
                // A new link is a new banner: its Copy button starts afresh.
                <div class="banner banner--share" role="status" key={link.to_string()}>
                    <label>{ crate::t!("share.link") }{ " " }<input class="banner__link" readonly=true value={link.to_string()} /></label>
                    <button class="topbar__button" data-action="copy" onclick={Callback::from(|e: MouseEvent| copy(&e))}>{ crate::t!("share.copy") }</button>
                    <button class="banner__close" onclick={on_close_link} aria-label={crate::t!("notice.close-link")}>{ "✕" }</button>
                    { if link.len() > LONG_LINK { html! {
                        <p class="banner__note banner__note--long">{ crate::t!("share.long", length = thousands(link.len()), limit = thousands(LONG_LINK)) }</p>
                    } } else { html!{} } }
                </div>
            } } else { html!{} } }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn long_numbers_get_separators() {
        assert_eq!(thousands(267_248), "267,248");
        assert_eq!(thousands(2_000), "2,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
