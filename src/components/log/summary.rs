//! What the engine read in a log, above its session: the format, the protocol (detected,
//! and why, with a choice to read it as another), the counts, the reader's notices, the
//! lines outside the dialogue, and the findings — each citing its rule, each with a button
//! that goes to its step.

use postroom_proto::explain::count;
use postroom_sim::log::Log;
use postroom_sim::Protocol;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::log::{LogAction, LogState};

/// The summary of the log shown: `state.log()` must be Some (else nothing).
pub fn log_summary(state: &LogState, on_action: &Callback<LogAction>) -> Html {
    let Some(log) = state.log() else {
        return html! {};
    };
    let detected = if state.protocol.is_some() {
        "as read"
    } else {
        log.protocol().name()
    };
    let on_protocol = on_action.reform(|e: Event| {
        let value = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        let protocol = [Protocol::Smtp, Protocol::Pop3, Protocol::Imap]
            .into_iter()
            .find(|p| p.key() == value);
        LogAction::Protocol(protocol)
    });
    let option = |p: Option<Protocol>, label: String| {
        let value = p.map_or("detected", Protocol::key);
        html! { <option {value} selected={state.protocol == p}>{ label }</option> }
    };
    let here = state.findings_here();
    html! {
        <section class="logsum" aria-label="What was read">
            <div class="logsum__about">
                <p class="logsum__read">
                    <span>{ "Read as " }<strong>{ log.format.name() }</strong></span>
                    <label class="logsum__protocol">{ "Protocol " }
                        <select data-action="protocol" onchange={on_protocol}>
                            { option(None, format!("Detected ({detected})")) }
                            { for [Protocol::Smtp, Protocol::Pop3, Protocol::Imap].into_iter().map(|p| option(Some(p), p.name().to_string())) }
                        </select>
                    </label>
                    <span class={classes!("badge", format!("badge--{}", log.protocol().key()))}>{ log.protocol().name() }</span>
                    <span class="logsum__why">{ format!("({})", log.detection.why) }</span>
                    <span class="logsum__counts">{ format!("{}, {}", count(log.commands(), "command", "commands"), count(log.replies(), "reply", "replies")) }</span>
                </p>
                { actions(state, on_action) }
                { for log.notices.iter().map(|n| html! { <p class="logsum__notice">{ n }</p> }) }
                { skipped(log) }
            </div>
            { findings(log, &here, on_action) }
        </section>
    }
}

/// The tool's own lines, outside the dialogue: counted, the first ones shown on demand.
fn skipped(log: &Log) -> Html {
    if log.skipped_count == 0 {
        return html! {};
    }
    let shown = log.skipped.len();
    html! {
        <details class="logsum__skipped">
            <summary>{ format!("{} lines of the tool's own output, outside the dialogue", log.skipped_count) }
                { if shown < log.skipped_count { format!(" (the first {shown} shown)") } else { String::new() } }</summary>
            <ol class="logpage__lines">
                { for log.skipped.iter().map(|l| html! {
                    <li><span class="logpage__number">{ l.number }</span><code>{ &l.text }</code></li>
                }) }
            </ol>
        </details>
    }
}

/// Findings listed at most.
const FINDINGS_SHOWN: usize = 100;

/// The findings, or a word that there are none.
fn findings(log: &Log, here: &[usize], on_action: &Callback<LogAction>) -> Html {
    let count = log.findings.len();
    // A long log can hold thousands: the first ones are listed, the rest counted.
    let items = log.findings.iter().take(FINDINGS_SHOWN).enumerate().map(|(i, f)| {
        let is_here = here.contains(&i);
        let go = f.unit.map(|unit| html! {
            <button type="button" class="logsum__go" data-action="finding-go"
                onclick={on_action.reform(move |_: MouseEvent| LogAction::GoToFinding(i))}>
                { format!("Go to step {}", unit + 1) }</button>
        });
        html! {
            <li class={classes!("logsum__finding", is_here.then_some("logsum__finding--here"))}
                aria-current={is_here.then_some("step")}>
                <details>
                    <summary>
                        { for f.line.map(|l| html! { <span class="logsum__line">{ format!("Line {l}") }</span> }) }
                        <strong>{ &f.title }</strong>
                    </summary>
                    <p>{ &f.why }</p>
                </details>
                <a href={f.rule.url()} target="_blank" rel="noopener">{ f.rule.label() }</a>
                { for go }
            </li>
        }
    });
    html! {
        <section class="logsum__findings" aria-labelledby="findings-title">
            <h2 id="findings-title" class="panel__title">{ match count {
                0 => "No findings".to_string(),
                1 => "1 finding".to_string(),
                n => format!("{n} findings"),
            } }</h2>
            { if count == 0 { html! {
                <p class="logsum__clean">{ "Postroom found nothing wrong: every command comes where the protocol allows it, and every reply fits its command." }</p>
            } } else { html! { <ol class="logsum__list">{ for items }</ol> } } }
            { if count > FINDINGS_SHOWN { html! {
                <p class="logsum__notice">{ format!("The first {FINDINGS_SHOWN} findings are listed; {} more are not.", count - FINDINGS_SHOWN) }</p>
            } } else { html!{} } }
        </section>
    }
}

/// What to do with the session shown: secrets, the console, another log. Beside what was
/// read rather than in the bar, which then keeps one row at 1280 px.
fn actions(state: &LogState, dispatch: &Callback<LogAction>) -> Html {
    let console = state
        .console
        .as_ref()
        .map(|f| format!("console.html{f}"))
        .unwrap_or_else(|| "console.html".into());
    html! { <p class="logsum__actions">
        { if state.has_secrets() { html! {
            <button class="topbar__button" data-action="reveal" aria-pressed={state.reveal.to_string()}
                title="Passwords and AUTH payloads are hidden until shown"
                onclick={dispatch.reform(|_: MouseEvent| LogAction::ToggleReveal)}>{ "Show secrets" }</button>
        } } else { html!{} } }
        <a class="topbar__button" data-action="console" href={console}
            title="Open the console on this protocol, with this session's lines to send again">{ "Continue in the console" }</a>
        <button class="topbar__button" data-action="edit" onclick={dispatch.reform(|_: MouseEvent| LogAction::Edit)}>{ "New log…" }</button>
    </p> }
}
