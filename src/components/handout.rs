//! The handout a teacher prints: the whole story as a worksheet (every step's line, its
//! explanation and RFC section, the sequence diagram a page at a time, the mailboxes at the
//! end), and the comparison's actions with what changed and the outcome table. Shown on the
//! screen as it will print; the print stylesheet (static/print.css) leaves out every control.

use postroom_proto::i18n::Text;
use postroom_sim::compare::Comparison;
use postroom_sim::{export, Timeline};
use yew::prelude::*;

/// The handout's own bar: print it, or go back to the page. Not printed.
fn bar(back: AttrValue, on_close: &Callback<MouseEvent>) -> Html {
    html! {
        <div class="handout__bar">
            <button class="topbar__button" data-action="print" onclick={Callback::from(|_: MouseEvent| crate::export::print())}>{ crate::t!("handout.print") }</button>
            <button class="topbar__button" data-action="close-handout" onclick={on_close.clone()}>{ back }</button>
            <p>{ crate::t!("handout.fits") }</p>
        </div>
    }
}

/// The explorer's story as a worksheet, made by the engine's export (`handout_html`).
pub fn story_handout(t: &Timeline, title: &str, on_close: &Callback<MouseEvent>) -> Html {
    html! {
        <article class="handout" aria-labelledby="handout-title">
            { bar(crate::t!("handout.back-explorer"), on_close) }
            { Html::from_html_unchecked(crate::i18n::with_language(|lang| export::handout_html(t, title, lang)).into()) }
        </article>
    }
}

/// The comparison as a worksheet: each action, what changed on each side, and the outcome
/// table after every action.
pub fn compare_handout(c: &Comparison, title: &str, on_close: &Callback<MouseEvent>) -> Html {
    let changes = |lines: &[Text]| html! { <ul>{ for lines.iter().map(|l| html! { <li>{ crate::i18n::said(l) }</li> }) }</ul> };
    let acts = c.script.acts.iter().enumerate().map(|(i, act)| {
        let (Some(pop3), Some(imap)) = (c.pop3.get(i), c.imap.get(i)) else {
            return html! {};
        };
        html! {
            <li class="handout__step">
                <p class="handout__line"><strong>{ crate::i18n::said(&act.label()) }</strong></p>
                <div class="handout__sides">
                    <div><h4>{ crate::t!("handout.changed", protocol = "POP3") }</h4>{ changes(&pop3.changes) }</div>
                    <div><h4>{ crate::t!("handout.changed", protocol = "IMAP") }</h4>{ changes(&imap.changes) }</div>
                </div>
            </li>
        }
    });
    let rows = crate::i18n::with_language(|lang| export::outcome_rows(c, lang));
    html! {
        <article class="handout" aria-labelledby="handout-title">
            { bar(crate::t!("handout.back-compare"), on_close) }
            <h2 id="handout-title" class="handout__title">{ crate::t!("handout.compare-title", title = title) }</h2>
            <p>{ if c.script.leave_on_server { crate::t!("handout.keeps") } else { crate::t!("handout.deletes") } }</p>
            <section><h3>{ crate::t!("handout.after-each") }</h3><ol class="handout__steps">{ for acts }</ol></section>
            <section><h3>{ crate::t!("handout.outcome") }</h3>
                <table class="handout__table">
                    { for rows.into_iter().enumerate().map(|(i, row)| html! {
                        <tr>{ for row.into_iter().map(|cell| if i == 0 { html! { <th scope="col">{ cell }</th> } } else { html! { <td>{ cell }</td> } }) }</tr>
                    }) }
                </table>
            </section>
        </article>
    }
}
