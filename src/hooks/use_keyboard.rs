//! Keyboard control: ← and → step, Home and End jump, Space plays and pauses — for a
//! teacher with a clicker.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::{hook, use_effect_with, Callback};

use crate::state::PlaybackAction;

/// The action a key stands for, if any.
pub fn action_for_key(key: &str) -> Option<PlaybackAction> {
    match key {
        "ArrowRight" => Some(PlaybackAction::Forward),
        "ArrowLeft" => Some(PlaybackAction::Back),
        "Home" => Some(PlaybackAction::First),
        "End" => Some(PlaybackAction::Last),
        " " => Some(PlaybackAction::TogglePlay),
        _ => None,
    }
}

/// Sends the action for each key pressed anywhere on the page, except while typing in a
/// form field.
#[hook]
pub fn use_keyboard(on_action: Callback<PlaybackAction>) {
    use_effect_with(on_action, |on_action| {
        let on_action = on_action.clone();
        let listener = gloo::utils::window().document().map(|document| {
            // Not passive, so the arrow keys can be kept from scrolling the page.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                // Space on a focused button already clicks it; don't toggle twice.
                let on_control = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| el.tag_name() == "BUTTON");
                if on_control && event.key() == " " {
                    return;
                }
                let typing = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    });
                if typing || event.alt_key() || event.ctrl_key() || event.meta_key() {
                    return;
                }
                if let Some(action) = action_for_key(&event.key()) {
                    event.prevent_default();
                    on_action.emit(action);
                }
            })
        });
        move || drop(listener)
    });
}
