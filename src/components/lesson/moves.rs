//! What the student may do, built from the lesson's `allow` list: tick faults, "+ Bob…", a
//! fault at the step on screen, a device's account settings, a new email, the comparison's
//! actions and "leave a copy". Each control makes one move.

use postroom_sim::lesson::{
    Attempt, BobAction, FaultName, Kind, Letter, Move, OutgoingSettings, ProtocolName,
    SecurityName, Settings, Which, World, FAULT_NAMES,
};
use postroom_sim::{Action, Device, DeviceSettings, FetchProtocol, Security};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::menu;
use crate::state::lesson::{acts, LessonsAction, Open};

pub fn moves(open: &Open, on: &Callback<LessonsAction>) -> Html {
    let attempt = &open.attempt;
    let step = open.playback.current;
    let controls = open.lesson.allow.iter().map(|kind| match kind {
        Kind::Faults => faults(attempt, on),
        Kind::Bob => {
            let items = [Device::Phone, Device::Laptop]
                .into_iter()
                .flat_map(|d| [Action::Check(d), Action::Read(d), Action::Delete(d), Action::Switch(d)])
                .map(|a| {
                    let mv = Move::Bob(BobAction(a));
                    let label = crate::i18n::opening(&mv.label()).to_string();
                    (LessonsAction::Move(mv), label)
                })
                .collect();
            menu("bob", &crate::t!("explore.bob"), &crate::t!("explore.bob-title"), items, on)
        }
        Kind::StepFaults => step_faults(attempt, step, on),
        Kind::Settings => html! { <>{ settings(attempt, Which::Phone, on) }{ settings(attempt, Which::Laptop, on) }</> },
        Kind::Outgoing => outgoing(attempt, on),
        Kind::Compose => letter("compose", crate::t!("lesson.compose"), crate::t!("lesson.compose-send"), on),
        Kind::SendNext => letter("send-next", crate::t!("lesson.move.send"), crate::t!("lesson.send-next"), on),
        Kind::Acts => menu("act", &crate::t!("lesson.act"), &crate::t!("lesson.act-title"), acts().map(|(m, l)| (LessonsAction::Move(m), l)).collect(), on),
        Kind::Keep => {
            let keep = matches!(attempt.world(), World::Compare(c) if c.script.leave_on_server);
            let on = on.clone();
            html! {
                <label class="moves__check">
                    <input type="checkbox" data-control="keep" checked={keep}
                        onchange={move |_: Event| on.emit(LessonsAction::Move(Move::Keep(!keep)))} />
                    { crate::t!("lesson.move.keep") }
                </label>
            }
        }
    });
    html! {
        <section class="moves" aria-labelledby="moves-title">
            <h2 id="moves-title" class="panel__title">{ crate::t!("lesson.moves") }</h2>
            <div class="moves__controls">{ for controls }</div>
            { if attempt.moves().is_empty() { html!{} } else { html! {
                <ol class="moves__made" aria-label={crate::t!("lesson.moves-made")}>
                    { for attempt.moves().iter().map(|m| html! { <li>{ crate::i18n::opening(&m.label()) }</li> }) }
                </ol>
            } } }
        </section>
    }
}

fn scenario_of(attempt: &Attempt) -> Option<&postroom_sim::Scenario> {
    match attempt.world() {
        World::Explorer { scenario, .. } => Some(scenario),
        World::Compare(_) => None,
    }
}

/// The faults of the list, each a box to tick or untick.
fn faults(attempt: &Attempt, on: &Callback<LessonsAction>) -> Html {
    let scenario = scenario_of(attempt);
    let ticked = scenario.map_or(0, |s| FAULT_NAMES.iter().filter(|(_, f)| s.has(*f)).count());
    html! {
        <details class="moves__form" data-form="faults">
            <summary class="lesson__button">{ crate::t!("lesson.faults", count = ticked) }</summary>
            <fieldset class="moves__faults">
            <legend class="visually-hidden">{ crate::t!("lesson.faults-legend") }</legend>
            { for FAULT_NAMES.iter().map(|(name, fault)| {
                let on = on.clone();
                let ticked = scenario.is_some_and(|s| s.has(*fault));
                let f = FaultName(*fault);
                let mv = if ticked { Move::ClearFault(f) } else { Move::Fault(f) };
                html! {
                    <label class="moves__check">
                        <input type="checkbox" data-fault={*name} checked={ticked}
                            onchange={move |_: Event| on.emit(LessonsAction::Move(mv.clone()))} />
                        { crate::i18n::said(&fault.label()) }
                    </label>
                }
            }) }
            </fieldset>
        </details>
    }
}

/// A fault at the step on screen: a packet of its line lost, or its connection dropped.
fn step_faults(attempt: &Attempt, step: usize, on: &Callback<LessonsAction>) -> Html {
    let timeline = attempt.timeline();
    let n = u32::try_from(step).unwrap_or(u32::MAX);
    let lose = timeline.is_some_and(|t| t.on_the_wire(step));
    let drop = timeline.is_some_and(|t| t.connection_goes_on(step));
    let button = |name: &'static str, label: AttrValue, can: bool, mv: Move| {
        let on = on.clone();
        html! {
            <button type="button" class="lesson__button" data-action={name} disabled={!can}
                onclick={move |_: MouseEvent| on.emit(LessonsAction::Move(mv.clone()))}>{ label }</button>
        }
    };
    html! {
        <div class="moves__step" role="group" aria-label={crate::t!("lesson.step-faults")}>
            { button("lose-here", crate::t!("lesson.lose-here", step = step + 1), lose, Move::LoseAtStep(n)) }
            { button("drop-here", crate::t!("lesson.drop-here", step = step + 1), drop, Move::DropAfterStep(n)) }
        </div>
    }
}

/// What a form's field named `name` holds: its text, or "true"/"false" for a box.
pub(super) fn field(form: &web_sys::Element, name: &str) -> String {
    let Some(el) = form
        .query_selector(&format!("[name={name}]"))
        .ok()
        .flatten()
    else {
        return String::new();
    };
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return match input.type_().as_str() {
            "checkbox" => input.checked().to_string(),
            _ => input.value(),
        };
    }
    if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        return select.value();
    }
    el.dyn_ref::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// Reads the form a submit event came from, without reloading the page.
fn submitted(
    e: SubmitEvent,
    read: impl Fn(&web_sys::Element) -> Move,
    on: &Callback<LessonsAction>,
) {
    e.prevent_default();
    if let Some(form) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        on.emit(LessonsAction::Move(read(&form)));
    }
}

/// A device's account settings, as a mail program's dialog shows them.
fn settings(attempt: &Attempt, which: Which, on: &Callback<LessonsAction>) -> Html {
    let device = Device::from(which);
    let Some(s) = scenario_of(attempt).map(|s| s.settings(device).clone()) else {
        return html! {};
    };
    let DeviceSettings {
        protocol,
        leave_on_server,
        password,
        port,
        security,
        server,
        user,
    } = s;
    let onsubmit = {
        let on = on.clone();
        Callback::from(move |e: SubmitEvent| {
            submitted(
                e,
                |form| {
                    Move::Set(Settings {
                        device: which,
                        protocol: Some(if field(form, "protocol") == "imap" {
                            ProtocolName::Imap
                        } else {
                            ProtocolName::Pop3
                        }),
                        keep: Some(field(form, "keep") == "true"),
                        server: Some(field(form, "server")),
                        user: Some(field(form, "user")),
                        password: Some(field(form, "password")),
                        port: Some(field(form, "port").trim().parse().unwrap_or(0)),
                        security: Security::from_code(&field(form, "security")).map(SecurityName),
                    })
                },
                &on,
            )
        })
    };
    let name = crate::i18n::said(&device.label_of("Bob"));
    let title = crate::t!("lesson.account", device = name.as_str());
    // A new form when the settings change, so it shows them rather than what was typed.
    let key = format!(
        "{}{}{port}{}{server}{user}{password}",
        protocol.name(),
        leave_on_server,
        security.code()
    );
    let option = |value: &'static str, label: AttrValue, on: bool| html! { <option {value} selected={on}>{ label }</option> };
    html! {
        <details class="moves__form" data-device={device_key(device)} {key}>
            <summary class="lesson__button">{ title.clone() }</summary>
            <form {onsubmit} aria-label={title}>
                <label>{ crate::t!("compose.fetches") }<select name="protocol">
                    { option("pop3", "POP3".into(), protocol == FetchProtocol::Pop3) }
                    { option("imap", "IMAP".into(), protocol == FetchProtocol::Imap) }
                </select></label>
                <label>{ crate::t!("lesson.incoming-server") }<input name="server" value={server} placeholder="mx.example.net" /></label>
                <label>{ crate::t!("compose.port") }<input name="port" type="number" min="0" max="65535" value={port.to_string()} /></label>
                <label>{ crate::t!("compose.security") }<select name="security">
                    { for Security::ALL.iter().map(|x| option(x.code(), crate::i18n::said(&x.label()), *x == security)) }
                </select></label>
                <label>{ crate::t!("compose.user") }<input name="user" value={user} placeholder="bob" /></label>
                <label>{ crate::t!("compose.password") }<input name="password" value={password} /></label>
                <label class="moves__check"><input type="checkbox" name="keep" checked={leave_on_server} />{ crate::t!("compose.keep") }</label>
                <button type="submit" class="lesson__button lesson__button--main">{ crate::t!("lesson.save") }</button>
            </form>
        </details>
    }
}

/// Alice's mail program's outgoing server, as its dialog shows it.
fn outgoing(attempt: &Attempt, on: &Callback<LessonsAction>) -> Html {
    let Some(o) = scenario_of(attempt).map(|s| s.outgoing.clone()) else {
        return html! {};
    };
    let onsubmit = {
        let on = on.clone();
        Callback::from(move |e: SubmitEvent| {
            submitted(
                e,
                |form| {
                    Move::Outgoing(OutgoingSettings {
                        server: Some(field(form, "server")),
                        port: Some(field(form, "port").trim().parse().unwrap_or(0)),
                        security: Security::from_code(&field(form, "security")).map(SecurityName),
                        user: Some(field(form, "user")),
                    })
                },
                &on,
            )
        })
    };
    let key = format!("{}{}{}{}", o.server, o.port, o.security.code(), o.user);
    let title = crate::t!("compose.outgoing");
    html! {
        <details class="moves__form" data-form="outgoing" {key}>
            <summary class="lesson__button">{ title.clone() }</summary>
            <form {onsubmit} aria-label={title}>
                <label>{ crate::t!("lesson.outgoing-server") }<input name="server" value={o.server} placeholder="smtp.example.org" /></label>
                <label>{ crate::t!("compose.port") }<input name="port" type="number" min="0" max="65535" list="lesson-smtp-ports" value={o.port.to_string()} /></label>
                <datalist id="lesson-smtp-ports"><option value="587" /><option value="465" /><option value="25" /></datalist>
                <label>{ crate::t!("compose.security") }<select name="security">
                    { for [Security::StartTls, Security::ImplicitTls, Security::None].iter().map(|x| html! {
                        <option value={x.code()} selected={*x == o.security}>{ crate::i18n::said(&x.outgoing_label()) }</option>
                    }) }
                </select></label>
                <label>{ crate::t!("compose.user") }<input name="user" value={o.user} placeholder="alice@example.org" /></label>
                <button type="submit" class="lesson__button lesson__button--main">{ crate::t!("lesson.save") }</button>
            </form>
        </details>
    }
}

fn device_key(d: Device) -> &'static str {
    match d {
        Device::Phone => "phone",
        Device::Laptop => "laptop",
    }
}

/// A new email: its subject and text.
fn letter(
    name: &'static str,
    title: AttrValue,
    send: AttrValue,
    on: &Callback<LessonsAction>,
) -> Html {
    let compose = name == "compose";
    let onsubmit = {
        let on = on.clone();
        Callback::from(move |e: SubmitEvent| {
            submitted(
                e,
                |form| {
                    let letter = Letter {
                        subject: field(form, "subject"),
                        body: field(form, "body"),
                    };
                    if compose {
                        Move::Compose(letter)
                    } else {
                        Move::SendNext(letter)
                    }
                },
                &on,
            )
        })
    };
    html! {
        <details class="moves__form" data-form={name}>
            <summary class="lesson__button">{ title.clone() }</summary>
            <form {onsubmit} aria-label={title}>
                <label>{ crate::t!("compose.subject") }<input name="subject" required=true /></label>
                <label>{ crate::t!("compose.message") }<textarea name="body" rows="4" /></label>
                <button type="submit" class="lesson__button lesson__button--main">{ send }</button>
            </form>
        </details>
    }
}
