//! What the engine read in a log, above its session: the format, the protocol (detected,
//! and why, with a choice to read it as another), the counts, the reader's notices, the
//! lines outside the dialogue, and the findings — each citing its rule, each with a button
//! that goes to its step.

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
        crate::t!("log.as-read")
    } else {
        log.protocol().name().into()
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
    let option = |p: Option<Protocol>, label: AttrValue| {
        let value = p.map_or("detected", Protocol::key);
        html! { <option {value} selected={state.protocol == p}>{ label }</option> }
    };
    let here = state.findings_here();
    html! {
        <section class="logsum" aria-label={crate::t!("log.what-was-read")}>
            <div class="logsum__about">
                <p class="logsum__read">
                    <span>{ crate::t!("log.read-as") }{ " " }<strong>{ crate::i18n::said(&log.format.name()) }</strong></span>
                    <label class="logsum__protocol">{ crate::t!("log.protocol") }{ " " }
                        <select data-action="protocol" onchange={on_protocol}>
                            { option(None, crate::t!("log.detected", how = detected.as_str())) }
                            { for [Protocol::Smtp, Protocol::Pop3, Protocol::Imap].into_iter().map(|p| option(Some(p), p.name().into())) }
                        </select>
                    </label>
                    <span class={classes!("badge", format!("badge--{}", log.protocol().key()))}>{ log.protocol().name() }</span>
                    <span class="logsum__why">{ format!("({})", crate::i18n::said(&log.detection.why)) }</span>
                    <span class="logsum__counts">{ crate::t!("log.counts", commands = log.commands(), replies = log.replies()) }</span>
                </p>
                { actions(state, on_action) }
                { for log.notices.iter().map(|n| html! { <p class="logsum__notice">{ crate::i18n::said(n) }</p> }) }
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
            <summary>{ crate::t!("log.skipped", count = log.skipped_count) }
                { if shown < log.skipped_count { html! { <>{ " " }{ crate::t!("log.skipped-shown", shown = shown) }</> } } else { html! {} } }</summary>
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
        let (title, why) = crate::i18n::parts(f.message.as_ref(), &f.title, &f.why);
        let go = f.unit.map(|unit| html! {
            <button type="button" class="logsum__go" data-action="finding-go"
                onclick={on_action.reform(move |_: MouseEvent| LogAction::GoToFinding(i))}>
                { crate::t!("marks.go", step = unit + 1) }</button>
        });
        html! {
            <li class={classes!("logsum__finding", is_here.then_some("logsum__finding--here"))}
                aria-current={is_here.then_some("step")}>
                <details>
                    <summary>
                        { for f.line.map(|l| html! { <span class="logsum__line">{ crate::t!("log.line", line = l) }</span> }) }
                        <strong>{ title }</strong>
                    </summary>
                    <p>{ why }</p>
                </details>
                <a href={f.rule.url()} target="_blank" rel="noopener">{ f.rule.label() }</a>
                { for go }
            </li>
        }
    });
    html! {
        <section class="logsum__findings" aria-labelledby="findings-title">
            <h2 id="findings-title" class="panel__title">{ if count == 0 { crate::t!("log.no-findings") } else { crate::t!("log.findings", count = count) } }</h2>
            { if count == 0 { html! {
                <p class="logsum__clean">{ crate::t!("log.clean") }</p>
            } } else { html! { <ol class="logsum__list">{ for items }</ol> } } }
            { if count > FINDINGS_SHOWN { html! {
                <p class="logsum__notice">{ crate::t!("log.findings-more", shown = FINDINGS_SHOWN, more = count - FINDINGS_SHOWN) }</p>
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
                title={crate::t!("log.secrets-title")}
                onclick={dispatch.reform(|_: MouseEvent| LogAction::ToggleReveal)}>{ crate::t!("log.show-secrets") }</button>
        } } else { html!{} } }
        <a class="topbar__button" data-action="console" href={console}
            title={crate::t!("log.console-title")}>{ crate::t!("log.console") }</a>
        <button class="topbar__button" data-action="edit" onclick={dispatch.reform(|_: MouseEvent| LogAction::Edit)}>{ crate::t!("log.new") }</button>
    </p> }
}
