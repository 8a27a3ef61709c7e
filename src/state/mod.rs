//! What each page shows, as one `Reducible` per page (and the compose form's draft): pure
//! state and actions, no DOM, unit-tested natively. The pages wire them to the components.

pub mod compare;
pub mod compose;
pub mod console;
pub mod explorer;
#[cfg(feature = "lab")]
pub mod lab;
pub mod lesson;
pub mod live;
pub mod log;
pub mod playback;

pub use playback::{Playback, PlaybackAction};

/// The state after `actions`, one after the other, as a page dispatches them.
#[cfg(test)]
fn after<T: yew::Reducible>(
    state: std::rc::Rc<T>,
    actions: impl IntoIterator<Item = T::Action>,
) -> std::rc::Rc<T> {
    actions.into_iter().fold(state, yew::Reducible::reduce)
}
