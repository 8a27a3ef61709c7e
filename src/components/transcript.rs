//! The transcript: every step as `C:`/`S:` lines, the current one highlighted, later ones
//! faint. Clicking a step jumps to it.

use std::rc::Rc;

use postroom_sim::{Direction, Timeline};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct TranscriptProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
    pub on_select: Callback<usize>,
}

#[function_component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    let current_ref = use_node_ref();
    {
        // Keep the current step in view as the class steps through a long session.
        let current_ref = current_ref.clone();
        use_effect_with(props.current, move |_| {
            if let Some(el) = current_ref.cast::<web_sys::Element>() {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let steps = props.timeline.steps.iter().enumerate().map(|(i, step)| {
        let side = match step.direction {
            Direction::ClientToServer => "client",
            Direction::ServerToClient => "server",
        };
        let when = if i < props.current {
            "past"
        } else if i == props.current {
            "current"
        } else {
            "future"
        };
        let sender = props
            .timeline
            .host(step.from)
            .map(|h| h.label.clone())
            .unwrap_or_default();
        let on_click = {
            let on_select = props.on_select.clone();
            Callback::from(move |_| on_select.emit(i))
        };
        let node_ref = if i == props.current { current_ref.clone() } else { NodeRef::default() };
        html! {
            <li ref={node_ref}
                class={classes!("transcript__step", format!("transcript__step--{side}"), format!("transcript__step--{when}"))}
                aria-current={(i == props.current).then_some("step")}>
                <button class="transcript__select" onclick={on_click}
                        aria-label={format!("Go to step {} sent by {}", i + 1, sender)}>
                    <span class="transcript__number">{ i + 1 }</span>
                    <span class="transcript__prefix" title={sender}>{ step.direction.prefix() }</span>
                    <span class="transcript__lines">
                        { for step.lines().into_iter().map(|l| html! { <span class="transcript__line">{ l }</span> }) }
                    </span>
                </button>
            </li>
        }
    });
    html! {
        <section class="transcript" aria-labelledby="transcript-title">
            <h2 id="transcript-title" class="panel__title">{ "Transcript" }</h2>
            <ol class="transcript__steps">{ for steps }</ol>
        </section>
    }
}
