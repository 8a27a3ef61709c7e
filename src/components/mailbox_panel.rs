//! The recipient's mailbox on the server, as it is after the current step.

use std::rc::Rc;

use postroom_sim::Timeline;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct MailboxPanelProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
}

#[function_component]
pub fn MailboxPanel(props: &MailboxPanelProps) -> Html {
    let entries = props
        .timeline
        .steps
        .get(props.current)
        .map(|s| s.mailbox.as_slice())
        .unwrap_or_default();
    let previous = props
        .current
        .checked_sub(1)
        .and_then(|p| props.timeline.steps.get(p))
        .map(|s| s.mailbox.len())
        .unwrap_or(0);
    let body = if entries.is_empty() {
        html! { <p class="mailbox__empty">{ "No messages yet." }</p> }
    } else {
        html! {
            <table class="mailbox__table">
                <thead><tr><th scope="col">{ "UID" }</th><th scope="col">{ "Subject" }</th><th scope="col">{ "Size" }</th></tr></thead>
                <tbody>
                    { for entries.iter().enumerate().map(|(i, m)| {
                        let new = i >= previous;
                        html! {
                            <tr class={classes!("mailbox__message", new.then_some("mailbox__message--new"))}>
                                <td>{ m.uid }</td>
                                <td>{ &m.subject }{ if new { html!{ <span class="mailbox__new">{ " new" }</span> } } else { html!{} } }</td>
                                <td>{ format!("{} octets", m.size) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        }
    };
    html! {
        <section class="mailbox" aria-labelledby="mailbox-title">
            <h2 id="mailbox-title" class="panel__title">
                { "Mailbox of " }{ &props.timeline.mailbox_owner }{ " on the server" }
            </h2>
            { body }
        </section>
    }
}
