//! What is happening at the current step: who sent what to whom, why, and the RFC.

use std::rc::Rc;

use postroom_sim::Timeline;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct ExplanationProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
}

#[function_component]
pub fn ExplanationPanel(props: &ExplanationProps) -> Html {
    let Some(step) = props.timeline.steps.get(props.current) else {
        return html! {
            <section class="explanation"><p>{ "This timeline has no steps." }</p></section>
        };
    };
    let name = |id| {
        props
            .timeline
            .host(id)
            .map(|h| h.label.clone())
            .unwrap_or_default()
    };
    let e = &step.explanation;
    html! {
        <section class="explanation" aria-labelledby="explanation-title">
            <h2 class="panel__title">{ "What is happening" }</h2>
            <p class="explanation__meta">
                <span class="badge badge--smtp">{ step.protocol.name() }</span>
                <span class="explanation__route">
                    { name(step.from) }{ " → " }{ name(step.to) }
                </span>
            </p>
            <h3 id="explanation-title" class="explanation__title">{ &e.title }</h3>
            <p class="explanation__why">{ &e.why }</p>
            <p class="explanation__rfc">
                <a href={e.rfc.url()} target="_blank" rel="noopener">{ e.rfc.label() }</a>
            </p>
            <dl class="explanation__states">
                <dt>{ "Client" }</dt><dd>{ &step.client_state }</dd>
                <dt>{ "Server" }</dt><dd>{ &step.server_state }</dd>
            </dl>
        </section>
    }
}
