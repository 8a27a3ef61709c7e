//! The lessons page's own parts: the picker, the intro, the goal and what the student may
//! do, predictions, and the hand-in. Plain functions: props in, `LessonsAction`s out.

mod goal;
mod handin;
mod intro;
mod moves;
mod picker;
mod predict;

pub use goal::{goal_panel, help_panel, solution_panel};
pub use handin::handin;
pub use intro::intro;
pub use moves::moves;
pub use picker::picker;
pub use predict::prediction;

use postroom_sim::lesson::Level;
use yew::prelude::*;

use crate::state::lesson::LessonsAction;

/// A button that sends `action`; `data-action` names it for tests.
fn button(
    class: &'static str,
    name: &'static str,
    label: Html,
    disabled: bool,
    on: &Callback<LessonsAction>,
    action: LessonsAction,
) -> Html {
    let on = on.clone();
    html! {
        <button type="button" {class} data-action={name} {disabled}
            onclick={move |_: MouseEvent| on.emit(action.clone())}>{ label }</button>
    }
}

/// A level's name in the page's language.
pub fn level(level: Level) -> AttrValue {
    match level {
        Level::Beginner => crate::t!("lesson.beginner"),
        Level::Intermediate => crate::t!("lesson.intermediate"),
        Level::Advanced => crate::t!("lesson.advanced"),
    }
}
