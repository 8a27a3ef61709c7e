//! The handout a teacher prints: the whole story as a worksheet (every step's line, its
//! explanation and RFC section, the sequence diagram a page at a time, the mailboxes at the
//! end), and the comparison's actions with what changed and the outcome table. Shown on the
//! screen as it will print; the print stylesheet (static/print.css) leaves out every control.

use std::rc::Rc;

use postroom_sim::compare::Comparison;
use postroom_sim::{export, Timeline};
use yew::prelude::*;

use crate::components::{mailbox_panel, MailboxPanelProps};

/// Steps per diagram slice: one slice fits the width of an A4 or Letter page.
const SLICE: usize = 28;

/// The handout's own bar: print it, or go back to the page. Not printed.
fn bar(back: &str, on_close: &Callback<MouseEvent>) -> Html {
    html! {
        <div class="handout__bar">
            <button class="topbar__button" data-action="print" onclick={Callback::from(|_: MouseEvent| crate::export::print())}>{ "Print…" }</button>
            <button class="topbar__button" data-action="close-handout" onclick={on_close.clone()}>{ back.to_string() }</button>
            <p>{ "Fits A4 and US Letter; choose either in the print dialogue." }</p>
        </div>
    }
}

/// The explorer's story as a worksheet.
pub fn story_handout(
    timeline: &Rc<Timeline>,
    title: &str,
    on_close: &Callback<MouseEvent>,
) -> Html {
    let t = timeline;
    let slices = (0..t.len()).step_by(SLICE).map(|first| {
        let svg = export::diagram_svg(t, first..=first + SLICE - 1);
        html! { <figure class="handout__diagram">{ Html::from_html_unchecked(svg.into()) }</figure> }
    });
    let steps = t.steps.iter().map(|step| {
        let lines = step.lines();
        let more = lines.len().saturating_sub(1);
        let e = &step.explanation;
        html! {
            <li class="handout__step">
                <p class="handout__line"><code>{ format!("{} {}", step.direction.prefix(), lines.first().map_or("", String::as_str)) }</code>
                    { if more > 0 { html!{ <span class="handout__more">{ format!(" (and {more} more lines)") }</span> } } else { html!{} } }</p>
                <p><strong>{ &e.title }</strong>{ " " }{ &e.why }{ " " }<a href={e.rfc.url()}>{ e.rfc.label() }</a></p>
            </li>
        }
    });
    let last = t.len().saturating_sub(1);
    html! {
        <article class="handout" aria-labelledby="handout-title">
            { bar("Back to the explorer", on_close) }
            <h2 id="handout-title" class="handout__title">{ format!("Postroom — {title}") }</h2>
            <p>{ format!("{} steps. C: the client speaks, S: the server answers, -- something happens inside one host. Dashed arrows are replies.", t.len()) }</p>
            <section><h3>{ "Sequence diagram" }</h3>{ for slices }</section>
            <section><h3>{ "Step by step" }</h3><ol class="handout__steps">{ for steps }</ol></section>
            <section class="handout__end"><h3>{ "At the end" }</h3>
                <ul>{ for t.outcome.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
                { mailbox_panel(&MailboxPanelProps { timeline: t.clone(), current: last }) }
            </section>
        </article>
    }
}

/// The comparison as a worksheet: each action, what changed on each side, and the outcome
/// table after every action.
pub fn compare_handout(c: &Comparison, title: &str, on_close: &Callback<MouseEvent>) -> Html {
    let changes = |lines: &[String]| html! { <ul>{ for lines.iter().map(|l| html! { <li>{ l }</li> }) }</ul> };
    let acts = c.script.acts.iter().enumerate().map(|(i, act)| {
        let (Some(pop3), Some(imap)) = (c.pop3.get(i), c.imap.get(i)) else {
            return html! {};
        };
        html! {
            <li class="handout__step">
                <p class="handout__line"><strong>{ act.label() }</strong></p>
                <div class="handout__sides">
                    <div><h4>{ "POP3 — what changed" }</h4>{ changes(&pop3.changes) }</div>
                    <div><h4>{ "IMAP — what changed" }</h4>{ changes(&imap.changes) }</div>
                </div>
            </li>
        }
    });
    let rows = export::outcome_rows(c);
    html! {
        <article class="handout" aria-labelledby="handout-title">
            { bar("Back to the comparison", on_close) }
            <h2 id="handout-title" class="handout__title">{ format!("Postroom — POP3 vs IMAP: {title}") }</h2>
            <p>{ if c.script.leave_on_server { "POP3 leaves a copy on the server." } else { "POP3 deletes what it downloads." } }</p>
            <section><h3>{ "After each action" }</h3><ol class="handout__steps">{ for acts }</ol></section>
            <section><h3>{ "Outcome table" }</h3>
                <table class="handout__table">
                    { for rows.into_iter().enumerate().map(|(i, row)| html! {
                        <tr>{ for row.into_iter().map(|cell| if i == 0 { html! { <th scope="col">{ cell }</th> } } else { html! { <td>{ cell }</td> } }) }</tr>
                    }) }
                </table>
            </section>
        </article>
    }
}
