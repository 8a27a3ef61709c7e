//! Compose an email, set up Bob's devices, choose what goes wrong and what Bob does — then
//! send it: either the story starts again with it, or Alice sends it after the story so far.
//! A controlled form: what it shows comes from the scenario and the draft of what the class
//! changed (`state::compose`), and every change goes to that draft.

use postroom_sim::share::FAULTS;
use postroom_sim::{Device, Scenario, Security};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::compose::{
    step_faults, Draft, Field, Problem, Setting, Value, KEEP_STORY, STORIES,
};

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioPanelProps {
    pub scenario: Scenario,
    pub on_apply: Callback<Scenario>,
    /// Alice sends the email after the story so far (the form's settings apply too).
    pub on_append: Callback<Scenario>,
    pub on_close: Callback<()>,
    /// Why the email the panel sent cannot go: said beside its field.
    #[prop_or_default]
    pub problem: Option<Problem>,
}

/// Gives the focus to the first element `selector` finds.
fn focus(selector: &str) {
    if let Some(el) = gloo::utils::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The form's `name` for a field a problem can be beside.
fn field_name(field: Field) -> &'static str {
    match field {
        Field::From => "from",
        Field::To => "to",
        _ => "subject",
    }
}

/// A security choice's label: the names and ports as they are, "None" in the page's language.
fn security_label(sec: Security, outgoing: bool) -> yew::AttrValue {
    let label = if outgoing {
        sec.outgoing_label()
    } else {
        sec.label()
    };
    crate::i18n::said(&label)
}

/// What a field holds after an input or change event: its text, or whether its box is ticked.
fn value_of(e: &Event) -> Value {
    let target = e.target();
    if let Some(input) = target
        .as_ref()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>())
    {
        return if input.type_() == "checkbox" {
            Value::Ticked(input.checked())
        } else {
            Value::Text(input.value())
        };
    }
    if let Some(select) = target
        .as_ref()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>())
    {
        return Value::Text(select.value());
    }
    Value::Text(
        target
            .as_ref()
            .and_then(|t| t.dyn_ref::<web_sys::HtmlTextAreaElement>())
            .map(web_sys::HtmlTextAreaElement::value)
            .unwrap_or_default(),
    )
}

#[function_component]
pub fn ScenarioPanel(props: &ScenarioPanelProps) -> Html {
    let draft = use_reducer(Draft::default);
    let s = &props.scenario;
    // The focus goes into the panel as it opens, and back to its button as it closes.
    use_effect_with((), |()| {
        focus(".scenario [name=from]");
        || focus("[data-action=compose]")
    });
    // A field at fault gets the focus, with the problem beside it.
    use_effect_with(props.problem.clone(), |problem| {
        if let Some(p) = problem {
            focus(&format!(".scenario [name={}]", field_name(p.field)));
        }
    });
    let problem_at =
        |field: Field| {
            props.problem.as_ref().filter(|p| p.field == field).map(|p| html! {
            <p class="scenario__error" id="scenario-problem" role="alert">{ &p.message }</p>
        })
        };
    let invalid = |field: Field| props.problem.as_ref().is_some_and(|p| p.field == field);
    let described = |field: Field| invalid(field).then_some("scenario-problem");
    // A change of any field goes to the draft.
    let edit = |field: Field| {
        let draft = draft.dispatcher();
        Callback::from(move |e: Event| draft.dispatch((field, value_of(&e))))
    };
    let typed = |field: Field| edit(field).reform(Event::from);
    let text = |field: Field| draft.text(field, s);
    let ticked = |field: Field| draft.ticked(field, s);
    let on_submit = {
        let (draft, base, on_apply) = (draft.clone(), s.clone(), props.on_apply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_apply.emit(draft.scenario(&base));
        })
    };
    let on_append = {
        let (draft, base, on_append) = (draft.clone(), s.clone(), props.on_append.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(next) = draft.next_email(&base) {
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
    // Escape closes the panel, as it does the bar's menus.
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let story = text(Field::Story);
    let device = |d: Device, name: &str, label: yew::AttrValue| {
        let field = |setting| Field::Device(d, setting);
        let protocol = text(field(Setting::Protocol));
        let security = text(field(Setting::Security));
        html! {
            <fieldset class="scenario__device">
                <legend>{ label }</legend>
                <label>{ crate::t!("compose.fetches") }{ " " }
                    <select name={format!("{name}-protocol")} onchange={edit(field(Setting::Protocol))}>
                        <option value="pop3" selected={protocol == "pop3"}>{ "POP3" }</option>
                        <option value="imap" selected={protocol == "imap"}>{ "IMAP" }</option>
                    </select>
                </label>
                <label class="scenario__check scenario__keep"><input type="checkbox" name={format!("{name}-keep")}
                    checked={ticked(field(Setting::Keep))} onchange={edit(field(Setting::Keep))} />
                    { crate::t!("compose.keep") }</label>
                <p class="scenario__imap-note">{ crate::t!("compose.imap-keeps") }</p>
                <label>{ crate::t!("compose.server") }{ " " }<input name={format!("{name}-server")} value={text(field(Setting::Server))}
                    oninput={typed(field(Setting::Server))} placeholder={crate::t!("compose.usual")} /></label>
                <label>{ crate::t!("compose.user") }{ " " }<input name={format!("{name}-user")} value={text(field(Setting::User))}
                    oninput={typed(field(Setting::User))} placeholder="bob" /></label>
                // Shown in clear on purpose: the class sees what the device will send.
                <label>{ crate::t!("compose.password") }{ " " }<input name={format!("{name}-password")} value={text(field(Setting::Password))}
                    oninput={typed(field(Setting::Password))} autocomplete="off" /></label>
                <label>{ crate::t!("compose.port") }{ " " }<input type="number" min="1" max="65535" name={format!("{name}-port")}
                    value={text(field(Setting::Port))} oninput={typed(field(Setting::Port))} placeholder={crate::t!("compose.usual")} /></label>
                <label>{ crate::t!("compose.security") }{ " " }
                    <select name={format!("{name}-security")} onchange={edit(field(Setting::Security))}>
                        { for Security::ALL.iter().map(|sec| html! {
                            <option value={sec.code()} selected={security == sec.code()}>{ security_label(*sec, false) }</option>
                        }) }
                    </select>
                </label>
            </fieldset>
        }
    };
    html! {
        <div class="scenario" role="dialog" aria-modal="false" aria-labelledby="scenario-title" {onkeydown}>
            <form class="scenario__form" onsubmit={on_submit}>
                <header class="scenario__header">
                    <h2 id="scenario-title">{ crate::t!("compose.title") }</h2>
                    <button type="button" class="scenario__close" onclick={on_close} aria-label={crate::t!("compose.close")}>{ "✕" }</button>
                </header>
                <fieldset class="scenario__mail">
                    <legend>{ crate::t!("compose.email") }</legend>
                    <label>{ crate::t!("compose.from") }{ " " }<input name="from" value={text(Field::From)} oninput={typed(Field::From)} autocomplete="off"
                        aria-invalid={invalid(Field::From).then_some("true")} aria-describedby={described(Field::From)} /></label>
                    { for problem_at(Field::From) }
                    <label>{ crate::t!("compose.to") }{ " " }<input name="to" value={text(Field::To)} oninput={typed(Field::To)} autocomplete="off"
                        aria-invalid={invalid(Field::To).then_some("true")} aria-describedby={described(Field::To)} /></label>
                    { for problem_at(Field::To) }
                    <label>{ crate::t!("compose.subject") }{ " " }<input name="subject" value={text(Field::Subject)} oninput={typed(Field::Subject)} autocomplete="off" /></label>
                    { for problem_at(Field::Subject) }
                    <label>{ crate::t!("compose.message") }{ " " }<textarea name="body" rows="4" value={text(Field::Body)} oninput={typed(Field::Body)} /></label>
                </fieldset>
                <div class="scenario__devices">
                    { device(Device::Phone, "phone", crate::t!("compose.phone")) }
                    { device(Device::Laptop, "laptop", crate::t!("compose.laptop")) }
                </div>
                { outgoing(&text, &edit, &typed) }
                <fieldset>
                    <legend>{ crate::t!("compose.network") }</legend>
                    <label>{ crate::t!("compose.latency") }{ " " }<input type="number" name="latency" min="1" max="10000"
                        value={text(Field::Latency)} oninput={typed(Field::Latency)} class="scenario__latency" />{ " " }{ crate::t!("compose.one-way") }</label>
                </fieldset>
                <fieldset>
                    <legend>{ crate::t!("compose.bob-does") }</legend>
                    <select name="story" aria-label={crate::t!("compose.bob-does")} onchange={edit(Field::Story)}>
                        // The story as it is, when it is none of the ready-made ones.
                        { if STORIES.iter().all(|(_, a)| *a != s.actions.as_slice()) { html! {
                            <option value={KEEP_STORY} selected={story == KEEP_STORY}>{ crate::t!("compose.as-it-is", count = s.actions.len()) }</option>
                        } } else { html!{} } }
                        { for STORIES.iter().enumerate().map(|(i, (label, _))| html! {
                            <option value={i.to_string()} selected={story == i.to_string()}>{ crate::i18n::text(label, &[]) }</option>
                        }) }
                    </select>
                </fieldset>
                <fieldset class="scenario__faults">
                    <legend>{ crate::t!("compose.goes-wrong") }</legend>
                    { for FAULTS.iter().enumerate().map(|(i, f)| html! {
                        <label class="scenario__check">
                            <input type="checkbox" name={format!("fault-{i}")} checked={ticked(Field::Fault(*f))} onchange={edit(Field::Fault(*f))} />
                            { crate::i18n::said(&f.label()) }
                        </label>
                    }) }
                    { for step_faults(s).enumerate().map(|(i, f)| html! {
                        <label class="scenario__check">
                            <input type="checkbox" name={format!("step-fault-{i}")} checked={ticked(Field::Fault(f))} onchange={edit(Field::Fault(f))} />
                            { crate::i18n::said(&f.step_label()) }{ " " }{ crate::t!("compose.kept-only") }
                        </label>
                    }) }
                </fieldset>
                <footer class="scenario__actions">
                    <button type="submit" class="scenario__send" data-action="send">{ crate::t!("compose.send") }</button>
                    <button type="button" data-action="send-next" onclick={on_append}
                            disabled={s.later.len() > usize::from(u8::MAX)}>{ crate::t!("compose.send-next") }</button>
                    <button type="button" onclick={on_reset}>{ crate::t!("compose.reset") }</button>
                </footer>
            </form>
        </div>
    }
}

/// Alice's mail program's outgoing server, as its account dialog shows it.
fn outgoing(
    text: &dyn Fn(Field) -> String,
    edit: &dyn Fn(Field) -> Callback<Event>,
    typed: &dyn Fn(Field) -> Callback<InputEvent>,
) -> Html {
    let field = Field::Outgoing;
    let security = text(field(Setting::Security));
    html! {
        <fieldset class="scenario__device scenario__outgoing">
            <legend>{ crate::t!("compose.outgoing") }</legend>
            <label>{ crate::t!("compose.server") }{ " " }<input name="alice-server" value={text(field(Setting::Server))}
                oninput={typed(field(Setting::Server))} placeholder={crate::t!("compose.usual")} /></label>
            <label>{ crate::t!("compose.port") }{ " " }<input type="number" min="1" max="65535" name="alice-port" list="smtp-ports"
                value={text(field(Setting::Port))} oninput={typed(field(Setting::Port))} placeholder={crate::t!("compose.usual")} /></label>
            <datalist id="smtp-ports"><option value="587" /><option value="465" /><option value="25" /></datalist>
            <label>{ crate::t!("compose.security") }{ " " }
                <select name="alice-security" onchange={edit(field(Setting::Security))}>
                    { for [Security::StartTls, Security::ImplicitTls, Security::None].iter().map(|sec| html! {
                        <option value={sec.code()} selected={security == sec.code()}>{ security_label(*sec, true) }</option>
                    }) }
                </select>
            </label>
            <label>{ crate::t!("compose.user") }{ " " }<input name="alice-user" value={text(field(Setting::User))}
                oninput={typed(field(Setting::User))} placeholder={crate::t!("compose.her-address")} /></label>
        </fieldset>
    }
}
