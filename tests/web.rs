//! The app in a real browser: mount it, click Step and Back, check what is highlighted.
#![cfg(target_arch = "wasm32")]
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn query(selector: &str) -> Option<HtmlElement> {
    gloo::utils::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

fn current_text() -> String {
    // The first line of the current step (the test page has no stylesheet, so read one span).
    query(".transcript__step--current .transcript__line")
        .map(|e| e.inner_text())
        .unwrap_or_default()
}

async fn click(action: &str) {
    query(&format!("[data-action={action}]")).unwrap().click();
    // Let Yew re-render.
    TimeoutFuture::new(20).await;
}

#[wasm_bindgen_test]
async fn step_and_back_move_the_highlight() {
    let root = gloo::utils::document().create_element("div").unwrap();
    gloo::utils::body().append_child(&root).unwrap();
    yew::Renderer::<postroom::pages::explorer::App>::with_root(root).render();
    TimeoutFuture::new(50).await;

    assert_eq!(current_text(), "220 smtp.example.org ESMTP Postroom");
    click("step").await;
    assert_eq!(current_text(), "EHLO laptop.example.org");
    click("step").await;
    assert!(current_text().starts_with("250-smtp.example.org greets laptop.example.org"));
    click("back").await;
    assert_eq!(current_text(), "EHLO laptop.example.org");
    let position = query(".controls__position").unwrap().inner_text();
    assert!(position.starts_with("Step 2 of "), "{position}");
    // The diagram follows: its current arrow is the EHLO.
    let arrow = gloo::utils::document()
        .query_selector(".diagram__step--current .diagram__label")
        .unwrap()
        .unwrap();
    assert_eq!(
        arrow.text_content().unwrap_or_default(),
        "EHLO laptop.example.org"
    );
    click("last").await;
    assert_eq!(current_text(), "* BYE Postroom IMAP server logging out");
    assert!(query("[data-action=step]")
        .unwrap()
        .has_attribute("disabled"));
}
