//! POP3 vs IMAP side by side: one script, two worlds, the state after each action, what
//! changed, the units on the wire and the outcome table — all computed by the engines.

use std::rc::Rc;

use postroom_sim::compare::{presets, Act, Comparison, Frame, Shelf, Tally, MAX_ACTS};
use postroom_sim::{Direction, FetchProtocol};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::compare::CompareAction;
use crate::state::PlaybackAction;

#[derive(Properties, PartialEq, Debug)]
pub struct ComparisonProps {
    pub comparison: Rc<Comparison>,
    /// The action shown, counted from 0.
    pub step: usize,
    pub on_action: Callback<CompareAction>,
}

#[function_component]
pub fn ComparisonView(props: &ComparisonProps) -> Html {
    let comparison = &props.comparison;
    let script = &comparison.script;
    let len = script.acts.len();
    let step = props.step;
    let on_action = &props.on_action;
    let on_preset = {
        let on_action = on_action.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(p) = presets().into_iter().find(|p| p.key == key) {
                on_action.emit(CompareAction::Open(p.script));
            }
        })
    };
    let on_keep = on_action.reform(|_: Event| CompareAction::ToggleKeep);
    let on_add = {
        let on_action = on_action.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            if let Some(act) = Act::from_code(&select.value()) {
                on_action.emit(CompareAction::Add(act));
            }
            // The list is a menu of actions to add: it shows its prompt again.
            select.set_value("");
        })
    };
    let on_remove = on_action.reform(|_: MouseEvent| CompareAction::RemoveLast);
    let go =
        |action: PlaybackAction| on_action.reform(move |_: MouseEvent| CompareAction::Step(action));
    let preset = presets().into_iter().find(|p| p.script == *script);
    let chips = script.acts.iter().enumerate().map(|(i, act)| {
        let state = match i.cmp(&step) {
            std::cmp::Ordering::Less => "done",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "next",
        };
        html! {
            <li>
                <button class={classes!("compare__chip", format!("compare__chip--{state}"))}
                    aria-current={(i == step).then_some("step")}
                    onclick={go(PlaybackAction::GoTo(i))}>
                    { format!("{} · {}", i + 1, crate::i18n::said(&act.label())) }
                </button>
            </li>
        }
    });
    let frames = (comparison.pop3.get(step), comparison.imap.get(step));
    html! {
        <main class="compare" aria-labelledby="compare-title">
            <h2 id="compare-title" class="visually-hidden">{ crate::t!("compare.title") }</h2>
            <div class="compare__toolbar">
                <label>{ crate::t!("compare.lesson") }{ " " }
                    <select data-control="preset" onchange={on_preset}>
                        { for presets().into_iter().map(|p| html! {
                            <option value={p.key} selected={preset.as_ref().is_some_and(|c| c.key == p.key)}>{ crate::i18n::said(&p.title) }</option>
                        }) }
                        { if preset.is_none() { html! { <option value="" selected=true>{ crate::t!("compare.own-script") }</option> } } else { html!{} } }
                    </select>
                </label>
                <label class="compare__keep">
                    <input type="checkbox" data-control="keep" checked={script.leave_on_server} onchange={on_keep} />
                    { crate::t!("compare.keep") }
                </label>
                <label>{ crate::t!("compare.add") }{ " " }
                    <select data-control="add" onchange={on_add} disabled={script.acts.len() >= MAX_ACTS}>
                        <option value="" selected=true>{ crate::t!("compare.an-action") }</option>
                        { for Act::ALL.iter().map(|a| html! { <option value={a.code()}>{ crate::i18n::said(&a.label()) }</option> }) }
                    </select>
                </label>
                <button class="compare__button" data-control="remove" onclick={on_remove} disabled={script.acts.is_empty()}>{ crate::t!("compare.remove") }</button>
                { if let Some(p) = &preset { html! { <p class="compare__lesson">{ crate::i18n::said(&p.lesson) }</p> } } else { html!{} } }
            </div>
            <nav class="compare__script" aria-label={crate::t!("compare.script")}>
                <ol class="compare__chips">{ for chips }</ol>
                <div class="compare__steps">
                    <button class="compare__button" data-control="back" disabled={step == 0}
                        onclick={go(PlaybackAction::Back)}>{ crate::t!("compare.back") }</button>
                    <button class="compare__button compare__button--main" data-control="forward" disabled={step + 1 >= len}
                        onclick={go(PlaybackAction::Forward)}>{ crate::t!("compare.forward") }</button>
                </div>
            </nav>
            { match frames {
                (Some(pop3), Some(imap)) => html! {
                    <>
                        <div class="compare__columns">
                            { column(FetchProtocol::Pop3, pop3, script.leave_on_server) }
                            { column(FetchProtocol::Imap, imap, false) }
                        </div>
                        { outcome(step, comparison, &pop3.tally, &imap.tally) }
                    </>
                },
                _ => html! { <p class="compare__empty">{ crate::t!("compare.empty") }</p> },
            } }
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                { frames.0.map(|f| crate::t!("compare.announce", step = step + 1, count = len, action = f.act.label())).unwrap_or_default() }
            </div>
        </main>
    }
}

fn column(protocol: FetchProtocol, frame: &Frame, keep: bool) -> Html {
    let (key, title) = match protocol {
        FetchProtocol::Pop3 if keep => ("pop3", crate::t!("compare.pop3-keep")),
        FetchProtocol::Pop3 => ("pop3", crate::t!("compare.pop3-delete")),
        FetchProtocol::Imap => ("imap", crate::t!("compare.imap")),
    };
    html! {
        <section class={classes!("compare__column", format!("compare__column--{key}"))} data-protocol={key} aria-label={title.clone()}>
            <h3 class="compare__title">{ title.clone() }</h3>
            <div class="compare__shelves">
                <div class="compare__server">{ for frame.server.iter().map(shelf) }</div>
                { shelf(&frame.phone) }
                { shelf(&frame.laptop) }
            </div>
            <div class="compare__changes" role="status">
                <h4>{ crate::t!("compare.changed") }</h4>
                <ul>{ for frame.changes.iter().map(|c| html! { <li>{ crate::i18n::said(c) }</li> }) }</ul>
            </div>
            <ol class="compare__wire" tabindex="0" aria-label={crate::t!("compare.sent", title = title.to_string())}>
                { if frame.lines.is_empty() { html! { <li class="compare__quiet">{ crate::t!("compare.quiet") }</li> } } else { html!{} } }
                { for frame.lines.iter().map(|l| {
                    let who = match l.direction {
                        Direction::ClientToServer => "C:",
                        Direction::ServerToClient => "S:",
                        Direction::Local => "--",
                    };
                    let device = match l.device { postroom_sim::Device::Phone => crate::t!("compare.phone"), postroom_sim::Device::Laptop => crate::t!("compare.laptop") };
                    html! {
                        <li class={classes!("compare__line", matches!(l.direction, Direction::ServerToClient).then_some("compare__line--server"))}
                            title={format!("{} ({})", crate::i18n::explanation(&l.explanation).0, l.explanation.rfc.label())}>
                            <span class="compare__device">{ device }</span>{ format!("{who} {}", l.note.as_ref().map_or_else(|| l.text.clone().into(), crate::i18n::said).trim_start_matches("-- ").trim_end_matches(" --")) }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

fn shelf(s: &Shelf) -> Html {
    html! {
        <div class="compare__shelf">
            <h4>{ crate::i18n::said(&s.title) }</h4>
            { if s.items.is_empty() { html! { <p class="compare__none">{ crate::t!("compare.none") }</p> } } else { html! {
                <ul>
                    { for s.items.iter().map(|i| html! {
                        <li class={classes!("compare__item", i.read.then_some("compare__item--read"), i.gone.then_some("compare__item--gone"))}>
                            { if i.gone { html! { <del>{ &i.subject }</del> } } else { html! { <span>{ &i.subject }</span> } } }
                            { if i.gone { html! { <span class="compare__tag">{ crate::t!("compare.gone") }</span> } }
                              else if i.read { html! { <span class="compare__tag">{ crate::t!("compare.read") }</span> } } else { html!{} } }
                            { if i.id.is_empty() || i.gone { html!{} } else { html! { <code class="compare__id">{ &i.id }</code> } } }
                            { if i.note.is_empty() { html!{} } else { html! { <small class="compare__note">{ crate::i18n::said(&i.note) }</small> } } }
                        </li>
                    }) }
                </ul>
            } } }
            <p class="compare__shelf-note">{ crate::i18n::said(&s.note) }</p>
        </div>
    }
}

fn outcome(step: usize, c: &Comparison, pop3: &Tally, imap: &Tally) -> Html {
    let row = |name: &str, key: &str, t: &Tally| {
        let agrees = match t.read_agrees {
            Some(true) => crate::t!("compare.yes"),
            Some(false) => crate::t!("compare.no"),
            None => "—".into(),
        };
        html! {
            <tr data-protocol={key.to_string()}>
                <th scope="row" class={format!("compare__row--{key}")}>{ name }</th>
                <td>{ t.on_server }</td><td>{ t.on_phone }</td><td>{ t.on_laptop }</td>
                <td>{ agrees }</td><td>{ t.commands }</td><td>{ kb(t.octets) }</td>
            </tr>
        }
    };
    html! {
        <table class="compare__outcome">
            <caption>{ crate::t!("compare.after", step = step + 1, count = c.script.acts.len()) }</caption>
            <thead><tr>
                <th scope="col">{ crate::t!("compare.protocol") }</th><th scope="col">{ crate::t!("compare.on-server") }</th><th scope="col">{ crate::t!("compare.on-phone") }</th>
                <th scope="col">{ crate::t!("compare.on-laptop") }</th><th scope="col">{ crate::t!("compare.agrees") }</th>
                <th scope="col" title={crate::t!("compare.commands-title")}>{ crate::t!("compare.commands") }</th><th scope="col">{ crate::t!("compare.bytes") }</th>
            </tr></thead>
            <tbody>{ row("POP3", "pop3", pop3) }{ row("IMAP", "imap", imap) }</tbody>
        </table>
    }
}

/// 2374 → "2.4 KB"; small counts stay in bytes.
fn kb(octets: u64) -> String {
    if octets < 1000 {
        format!("{octets} B")
    } else {
        crate::i18n::number(format!("{}.{} KB", octets / 1000, octets % 1000 / 100))
    }
}
