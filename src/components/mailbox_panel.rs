//! Every mailbox and device copy as it is after the current step; what changed since the
//! previous step is marked.

use std::rc::Rc;

use postroom_sim::Timeline;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct MailboxPanelProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
    /// What to say while the step carries no mailboxes; `None` leaves the panel out.
    pub empty: Option<AttrValue>,
    /// The panel may scroll inside a short column: it takes focus, so a keyboard can scroll
    /// it too.
    pub focusable: bool,
}

/// A plain function, not a component: it has no state, and a component of its own would
/// cost the page more code than it saves in rendering.
pub fn mailbox_panel(props: &MailboxPanelProps) -> Html {
    // A pasted log has no mailboxes to show; the live page has none before mail is stored.
    let tabindex = props.focusable.then_some("0");
    let Some(step) = props
        .timeline
        .steps
        .get(props.current)
        .filter(|s| !s.mailboxes.is_empty())
    else {
        return match &props.empty {
            Some(text) => html! {
                <section class="mailbox" aria-labelledby="mailbox-title" {tabindex}>
                    <h2 id="mailbox-title" class="panel__title">{ crate::t!("panel.mailboxes") }</h2>
                    <p class="mailbox__none">{ text.clone() }</p>
                </section>
            },
            None => html! {},
        };
    };
    let previous = props
        .current
        .checked_sub(1)
        .and_then(|p| props.timeline.steps.get(p));
    let rows = step.mailboxes.iter().map(|view| {
        let before = previous.and_then(|p| p.mailboxes.iter().find(|v| v.title == view.title));
        let content = if view.entries.is_empty() {
            let gone = before.is_some_and(|b| !b.entries.is_empty());
            html! {
                <td colspan="3" class={classes!("mailbox__empty", gone.then_some("mailbox__message--changed"))}>
                    { if gone { crate::t!("mailboxes.gone") } else { crate::t!("mailboxes.empty") } }
                </td>
            }
        } else {
            html! {
                <td colspan="3">
                    <ul class="mailbox__list">
                        { for view.entries.iter().map(|m| {
                            let was = before.and_then(|b| b.entries.iter().find(|e| e.id == m.id));
                            let changed = was.is_none_or(|w| w != m);
                            // IMAP's flags as the protocol names them; a POP3 device's own mark in words.
                            let flags: Vec<yew::AttrValue> = m.flags.iter().map(|f| if f == postroom_sim::timeline::READ_HERE { crate::t!("mailboxes.read-here") } else { f.clone().into() }).collect();
                            let flags = flags.join(" ");
                            html! {
                                <li class={classes!("mailbox__message", changed.then_some("mailbox__message--changed"))}>
                                    <span class="mailbox__id">{ &m.id }</span>
                                    <span class="mailbox__subject">{ &m.subject }</span>
                                    <span class="mailbox__flags">{ flags }</span>
                                    { if changed { html!{ <span class="mailbox__new">{ if was.is_none() { crate::t!("mailboxes.new") } else { crate::t!("mailboxes.changed") } }</span> } } else { html!{} } }
                                </li>
                            }
                        }) }
                    </ul>
                </td>
            }
        };
        html! {
            <tr>
                <th scope="row" class="mailbox__where">{ crate::i18n::said(&view.title) }</th>
                { content }
            </tr>
        }
    });
    html! {
        <section class="mailbox" aria-labelledby="mailbox-title" {tabindex}>
            <h2 id="mailbox-title" class="panel__title">{ crate::t!("panel.mailboxes") }</h2>
            <table class="mailbox__table"><tbody>{ for rows }</tbody></table>
        </section>
    }
}
