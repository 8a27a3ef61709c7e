//! Compose an email, set up Bob's devices, choose what goes wrong and what Bob does — then
//! send it: either the story starts again with it, or Alice sends it after the story so far.

use postroom_sim::share::FAULTS;
use postroom_sim::{Action, Device, Fault, FetchProtocol, Scenario};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioPanelProps {
    pub scenario: Scenario,
    pub on_apply: Callback<Scenario>,
    /// Alice sends the email after the story so far (the form's settings apply too).
    pub on_append: Callback<Scenario>,
    pub on_close: Callback<()>,
}

/// What Bob does after the mail arrives: stories a class can compare.
pub const STORIES: [(&str, &[Action]); 5] = [
    (
        "Laptop checks, phone checks, laptop checks again",
        &[
            Action::Check(Device::Laptop),
            Action::Check(Device::Phone),
            Action::Check(Device::Laptop),
        ],
    ),
    (
        "Phone checks, then laptop checks",
        &[Action::Check(Device::Phone), Action::Check(Device::Laptop)],
    ),
    (
        "Phone checks and reads it, laptop checks",
        &[
            Action::Check(Device::Phone),
            Action::Read(Device::Phone),
            Action::Check(Device::Laptop),
        ],
    ),
    (
        "Both check, laptop deletes, phone checks again",
        &[
            Action::Check(Device::Phone),
            Action::Check(Device::Laptop),
            Action::Delete(Device::Laptop),
            Action::Check(Device::Phone),
        ],
    ),
    ("Nobody checks yet", &[]),
];

pub fn fault_label(f: Fault) -> &'static str {
    match f {
        Fault::WrongPassword => "Alice types a wrong password",
        Fault::TlsNotOffered => "The submission server offers no STARTTLS",
        Fault::NoMxRecord => "example.net has no MX record",
        Fault::Greylisting => "Bob's server greylists (try again later)",
        Fault::UnknownRecipient => "Bob's address does not exist",
        Fault::MailboxFull => "Bob's mailbox is full",
        Fault::PhoneDropsBeforeQuit => "The phone loses its connection before QUIT",
        Fault::ServerDown => "Bob's mail server is down for a while",
        Fault::DropMidData => "Alice's connection drops in the middle of DATA",
        Fault::DropAfter(_) => "A connection drops at a chosen step",
        Fault::LossAt(_) => "A packet is lost at a chosen step",
    }
}

fn value_of(root: &NodeRef, selector: &str) -> Option<String> {
    let el = root
        .cast::<web_sys::Element>()?
        .query_selector(selector)
        .ok()??;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(if i.type_() == "checkbox" {
            i.checked().to_string()
        } else {
            i.value()
        });
    }
    if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        return Some(s.value());
    }
    el.dyn_ref::<web_sys::HtmlTextAreaElement>()
        .map(web_sys::HtmlTextAreaElement::value)
}

fn read_form(root: &NodeRef, base: &Scenario) -> Scenario {
    let mut s = base.clone();
    let text = |name: &str, current: &str| {
        value_of(root, &format!("[name={name}]")).unwrap_or_else(|| current.to_string())
    };
    s.from = text("from", &base.from).trim().to_string();
    s.to = text("to", &base.to).trim().to_string();
    s.subject = text("subject", &base.subject);
    s.latency_ms = text("latency", "")
        .trim()
        .parse::<u64>()
        .map_or(base.latency_ms, |ms| ms.clamp(1, 10_000));
    s.body = text("body", &base.body);
    let protocol = |v: String| {
        if v == "imap" {
            FetchProtocol::Imap
        } else {
            FetchProtocol::Pop3
        }
    };
    s.phone.protocol = protocol(text("phone-protocol", "pop3"));
    s.phone.leave_on_server = text("phone-keep", "false") == "true";
    s.laptop.protocol = protocol(text("laptop-protocol", "imap"));
    s.laptop.leave_on_server = text("laptop-keep", "true") == "true";
    // An empty or unreadable port means the protocol's usual one.
    s.phone.port = text("phone-port", "").trim().parse().unwrap_or(0);
    s.laptop.port = text("laptop-port", "").trim().parse().unwrap_or(0);
    s.phone.server = text("phone-server", "").trim().to_string();
    s.laptop.server = text("laptop-server", "").trim().to_string();
    s.phone.user = text("phone-user", "").trim().to_string();
    s.laptop.user = text("laptop-user", "").trim().to_string();
    s.phone.require_tls = text("phone-tls", "false") == "true";
    s.laptop.require_tls = text("laptop-tls", "false") == "true";
    s.phone.password = text("phone-password", &base.phone.password);
    s.laptop.password = text("laptop-password", &base.laptop.password);
    if let Some((_, actions)) = text("story", "0")
        .parse::<usize>()
        .ok()
        .and_then(|i| STORIES.get(i))
    {
        s.actions = actions.to_vec();
    }
    s.faults = FAULTS
        .iter()
        .enumerate()
        .filter(|(i, _)| value_of(root, &format!("[name=fault-{i}]")).as_deref() == Some("true"))
        .map(|(_, f)| *f)
        .collect();
    s
}

/// Faults chosen at a step name steps of this story: they are kept (when still ticked) only
/// if nothing else changed, since any other change renumbers the steps.
fn keep_step_faults(root: &NodeRef, base: &Scenario, s: &mut Scenario) {
    let others = |x: &Scenario| Scenario {
        faults: x
            .faults
            .iter()
            .copied()
            .filter(|f| !f.at_a_step())
            .collect(),
        ..x.clone()
    };
    if others(s) == others(base) {
        let kept = step_faults(base)
            .enumerate()
            .filter(|(i, _)| {
                value_of(root, &format!("[name=step-fault-{i}]")).as_deref() != Some("false")
            })
            .map(|(_, f)| f);
        s.faults.extend(kept);
    }
}

fn step_faults(s: &Scenario) -> impl Iterator<Item = Fault> + '_ {
    s.faults.iter().copied().filter(|f| f.at_a_step())
}

/// A fault chosen at a step, as the panel lists it (steps counted from 1, as on screen).
fn step_fault_label(f: Fault) -> String {
    match f {
        Fault::LossAt(n) => format!("A packet is lost at step {}", u64::from(n) + 1),
        Fault::DropAfter(n) => format!("The connection drops after step {}", u64::from(n) + 1),
        other => fault_label(other).to_string(),
    }
}

#[function_component]
pub fn ScenarioPanel(props: &ScenarioPanelProps) -> Html {
    let root = use_node_ref();
    let s = &props.scenario;
    let on_submit = {
        let (root, base, on_apply) = (root.clone(), s.clone(), props.on_apply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut next = read_form(&root, &base);
            keep_step_faults(&root, &base, &mut next);
            on_apply.emit(next);
        })
    };
    let on_append = {
        let (root, base, on_append) = (root.clone(), s.clone(), props.on_append.clone());
        Callback::from(move |_: MouseEvent| {
            // The form's email becomes the next one; the story's first email stays as it was.
            let mut next = read_form(&root, &base);
            let (subject, body) = (next.subject.clone(), next.body.clone());
            next.subject.clone_from(&base.subject);
            next.body.clone_from(&base.body);
            // The new email comes after the story so far: its steps keep their numbers.
            keep_step_faults(&root, &base, &mut next);
            if next.send_later(&subject, &body).is_some() {
                on_append.emit(next);
            }
        })
    };
    let on_reset = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |_: MouseEvent| on_apply.emit(Scenario::default()))
    };
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let story = STORIES.iter().position(|(_, a)| *a == s.actions.as_slice());
    let device = |name: &str, label: &str, d: &postroom_sim::DeviceSettings| {
        html! {
            <fieldset class="scenario__device">
                <legend>{ label }</legend>
                <label>{ "Fetches with " }
                    <select name={format!("{name}-protocol")}>
                        <option value="pop3" selected={d.protocol == FetchProtocol::Pop3}>{ "POP3" }</option>
                        <option value="imap" selected={d.protocol == FetchProtocol::Imap}>{ "IMAP" }</option>
                    </select>
                </label>
                <label class="scenario__check scenario__keep"><input type="checkbox" name={format!("{name}-keep")} checked={d.leave_on_server} />
                    { "POP3: leave a copy on the server" }</label>
                <p class="scenario__imap-note">{ "IMAP always keeps the mail on the server." }</p>
                <label>{ "Server " }<input name={format!("{name}-server")} value={d.server.clone()} placeholder="usual" /></label>
                <label>{ "User " }<input name={format!("{name}-user")} value={d.user.clone()} placeholder="bob" /></label>
                // Shown in clear on purpose: the class sees what the device will send.
                <label>{ "Password " }<input name={format!("{name}-password")} value={d.password.clone()} autocomplete="off" /></label>
                <label>{ "Port " }<input type="number" min="1" max="65535" name={format!("{name}-port")}
                    value={if d.port == 0 { String::new() } else { d.port.to_string() }} placeholder="usual" /></label>
                <label class="scenario__check"><input type="checkbox" name={format!("{name}-tls")} checked={d.require_tls} />
                    { "Require STARTTLS / STLS" }</label>
            </fieldset>
        }
    };
    html! {
        <div class="scenario" role="dialog" aria-modal="false" aria-labelledby="scenario-title" ref={root.clone()}>
            <form class="scenario__form" onsubmit={on_submit}>
                <header class="scenario__header">
                    <h2 id="scenario-title">{ "Compose, devices and faults" }</h2>
                    <button type="button" class="scenario__close" onclick={on_close} aria-label="Close">{ "✕" }</button>
                </header>
                <fieldset class="scenario__mail">
                    <legend>{ "The email" }</legend>
                    <label>{ "From " }<input name="from" value={s.from.clone()} autocomplete="off" /></label>
                    <label>{ "To " }<input name="to" value={s.to.clone()} autocomplete="off" /></label>
                    <label>{ "Subject " }<input name="subject" value={s.subject.clone()} autocomplete="off" /></label>
                    <label>{ "Message " }<textarea name="body" rows="4" value={s.body.clone()} /></label>
                </fieldset>
                <div class="scenario__devices">
                    { device("phone", "Bob's phone", &s.phone) }
                    { device("laptop", "Bob's laptop", &s.laptop) }
                </div>
                <fieldset>
                    <legend>{ "The network" }</legend>
                    <label>{ "Every link takes " }<input type="number" name="latency" min="1" max="10000"
                        value={s.latency_ms.to_string()} class="scenario__latency" />{ " ms one way" }</label>
                </fieldset>
                <fieldset>
                    <legend>{ "What Bob does" }</legend>
                    <select name="story" aria-label="What Bob does">
                        { if story.is_none() { html! {
                            <option value="keep" selected=true>{ format!("As it is now ({} actions)", s.actions.len()) }</option>
                        } } else { html!{} } }
                        { for STORIES.iter().enumerate().map(|(i, (label, _))| html! {
                            <option value={i.to_string()} selected={story == Some(i)}>{ *label }</option>
                        }) }
                    </select>
                </fieldset>
                <fieldset class="scenario__faults">
                    <legend>{ "What goes wrong" }</legend>
                    { for FAULTS.iter().enumerate().map(|(i, f)| html! {
                        <label class="scenario__check">
                            <input type="checkbox" name={format!("fault-{i}")} checked={s.faults.contains(f)} />
                            { fault_label(*f) }
                        </label>
                    }) }
                    { for step_faults(s).enumerate().map(|(i, f)| html! {
                        <label class="scenario__check">
                            <input type="checkbox" name={format!("step-fault-{i}")} checked=true />
                            { step_fault_label(f) }{ " (kept only if nothing else changes)" }
                        </label>
                    }) }
                </fieldset>
                <footer class="scenario__actions">
                    <button type="submit" class="scenario__send" data-action="send">{ "Send this email" }</button>
                    <button type="button" data-action="send-next" onclick={on_append}
                            disabled={s.later.len() > usize::from(u8::MAX)}>{ "Send it next, after the story so far" }</button>
                    <button type="button" onclick={on_reset}>{ "Back to the classroom example" }</button>
                </footer>
            </form>
        </div>
    }
}
