//! What is happening at the current step: who sent what to whom, why, and the RFC.

use std::rc::Rc;

use postroom_sim::{Direction, Timeline};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct ExplanationProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
}

/// A plain function, not a component: it has no state, and a component of its own would
/// cost the page more code than it saves in rendering.
pub fn explanation_panel(props: &ExplanationProps) -> Html {
    let t = &props.timeline;
    let Some(step) = t.steps.get(props.current) else {
        return html! {
            <section class="explanation"><p>{ crate::t!("explanation.empty") }</p></section>
        };
    };
    let name = |id| {
        t.host(id)
            .map(|h| crate::i18n::said(&h.label))
            .unwrap_or_default()
    };
    let route = if step.direction == Direction::Local {
        name(step.from).to_string()
    } else {
        format!("{} → {}", name(step.from), name(step.to))
    };
    let e = &step.explanation;
    let (title, why) = crate::i18n::explanation(e);
    html! {
        <section class="explanation" aria-labelledby="explanation-title">
            <h2 class="panel__title">
                { crate::t!("controls.position", step = props.current + 1, count = t.len()) }{ " · " }<span class="explanation__phase">{ crate::i18n::said(&step.phase.label) }</span>
            </h2>
            // The title first: the line a class reads even where the panel is short.
            <h3 id="explanation-title" class="explanation__title">{ title }</h3>
            <p class="explanation__meta">
                <span class={classes!("badge", format!("badge--{}", step.protocol.key()))}>{ step.protocol.name() }</span>
                { if step.encrypted { html!{ <span class="badge badge--tls" title={crate::t!("explanation.tls")}>{ "TLS" }</span> } } else { html!{} } }
                <span class="explanation__route">{ route }</span>
            </p>
            <p class="explanation__why">{ why }</p>
            <p class="explanation__rfc">
                <a href={e.rfc.url()} target="_blank" rel="noopener">{ e.rfc.label() }</a>
            </p>
            { if step.client_state.is_empty() && step.server_state.is_empty() { html!{} } else { html! {
                <dl class="explanation__states">
                    <dt>{ crate::t!("explanation.client") }</dt><dd>{ crate::i18n::said(&step.client_state) }</dd>
                    <dt>{ crate::t!("explanation.server") }</dt><dd>{ crate::i18n::said(&step.server_state) }</dd>
                </dl>
            } } }
        </section>
    }
}
