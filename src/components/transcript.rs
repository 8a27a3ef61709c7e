//! The transcript: every step as `C:`/`S:` lines, the current one highlighted, later ones
//! faint. Clicking a step jumps to it. The byte view shows what the wire carries: CR LF at
//! each line end, the periods of dot-stuffing, IMAP literal counts, and which lines TLS
//! would encrypt.

use std::rc::Rc;

use postroom_sim::{Direction, Protocol, Step, Timeline};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct TranscriptProps {
    pub timeline: Rc<Timeline>,
    pub current: usize,
    pub on_select: Callback<usize>,
    /// Show the octets: CR LF at each line end, dot-stuffing, literals, encryption.
    #[prop_or_default]
    pub bytes: bool,
    #[prop_or_default]
    pub on_toggle_bytes: Callback<()>,
}

#[function_component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    let steps_ref = use_node_ref();
    {
        // Keep the current step in view as the class steps through a long session.
        let steps_ref = steps_ref.clone();
        use_effect_with(props.current, move |_| {
            // Scroll the transcript box only, never the page: the class keeps its place.
            let list = steps_ref.cast::<web_sys::Element>();
            let line = list
                .as_ref()
                .and_then(|l| {
                    l.query_selector(".transcript__step--current")
                        .ok()
                        .flatten()
                })
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            let container = list
                .and_then(|l| l.parent_element())
                .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
            if let (Some(line), Some(container)) = (line, container) {
                // The transcript box is positioned, so offsets are measured from it.
                let top = line.offset_top();
                let target = top - container.client_height() / 2 + line.offset_height() / 2;
                container.set_scroll_top(target.max(0));
            }
        });
    }
    // One component per step: a step whose place (past, current, future) and view did not
    // change is not rendered again. A long timeline shows the steps around the current one
    // (the scrubber reaches the others), so stepping stays quick at any length.
    let len = props.timeline.len();
    let first = props.current.saturating_sub(WINDOW);
    let last = (props.current + WINDOW + 1).min(len);
    // The steps out of the window: a button that goes to the nearest of them.
    let more = |n: usize, before: bool, to: usize| {
        let on_select = props.on_select.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(to));
        (n > 0).then(|| {
            html! {
                <li class="transcript__more"><button class="transcript__select" {onclick}>
                    { if before { crate::t!("transcript.more-before", count = n) } else { crate::t!("transcript.more-after", count = n) } }
                </button></li>
            }
        })
    };
    let steps = (first..last).map(|index| {
        let when = match index.cmp(&props.current) {
            std::cmp::Ordering::Less => When::Past,
            std::cmp::Ordering::Equal => When::Current,
            std::cmp::Ordering::Greater => When::Future,
        };
        html! {
            <Row key={index} timeline={props.timeline.clone()} {index} {when} bytes={props.bytes}
                 on_select={props.on_select.clone()} />
        }
    });
    html! {
        <section class="transcript" aria-labelledby="transcript-title">
            <div class="transcript__header">
                <h2 id="transcript-title" class="panel__title">{ crate::t!("panel.transcript") }</h2>
                <label class="transcript__toggle">
                    <input type="checkbox" checked={props.bytes} data-action="bytes"
                           onchange={{ let t = props.on_toggle_bytes.clone(); Callback::from(move |_: Event| t.emit(())) }} />
                    { " " }{ crate::t!("transcript.bytes") }
                </label>
            </div>
            <ol class="transcript__steps" ref={steps_ref}>
                { for more(first, true, first.saturating_sub(1)) }{ for steps }{ for more(len - last, false, last) }
            </ol>
        </section>
    }
}

/// Steps shown before and after the current one.
const WINDOW: usize = 120;
/// Lines shown of one step; the rest are counted.
const LINES_SHOWN: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum When {
    Past,
    Current,
    Future,
}

#[derive(Properties, PartialEq)]
struct RowProps {
    timeline: Rc<Timeline>,
    index: usize,
    when: When,
    bytes: bool,
    on_select: Callback<usize>,
}

#[function_component]
fn Row(props: &RowProps) -> Html {
    let i = props.index;
    let Some(step) = props.timeline.steps.get(i) else {
        return html! {};
    };
    let side = match step.direction {
        Direction::ClientToServer => "client",
        Direction::ServerToClient => "server",
        Direction::Local => "local",
    };
    let when = match props.when {
        When::Past => "past",
        When::Current => "current",
        When::Future => "future",
    };
    let sender = props
        .timeline
        .host(step.from)
        .map(|h| crate::i18n::said(&h.label).to_string())
        .unwrap_or_default();
    let on_click = {
        let on_select = props.on_select.clone();
        Callback::from(move |_| on_select.emit(i))
    };
    // A step's first lines: a pasted message can run to thousands of lines, and a row
    // must render quickly.
    let text = match &step.note {
        Some(note) => std::borrow::Cow::Owned(crate::i18n::said(note).to_string()),
        None => String::from_utf8_lossy(&step.bytes),
    };
    let text = text.strip_suffix("\r\n").unwrap_or(&text);
    let mut lines = text.split("\r\n");
    let shown: Vec<&str> = lines.by_ref().take(LINES_SHOWN).collect();
    let more = lines.count();
    html! {
        <li class={classes!("transcript__step", format!("transcript__step--{side}"), format!("transcript__step--{when}"), format!("transcript__step--{}", step.protocol.key()))}
            aria-current={(props.when == When::Current).then_some("step")}>
            // Named by what it shows (the step and its line); one tab stop for the whole
            // list, the current step: the arrow keys move through the others.
            <button class="transcript__select" onclick={on_click} title={crate::t!("transcript.step-title", step = i + 1, sender = sender)}
                    tabindex={if props.when == When::Current { "0" } else { "-1" }}>
                <span class="transcript__number">{ i + 1 }</span>
                <span class="transcript__prefix">{ step.direction.prefix() }</span>
                <span class={classes!("transcript__proto", format!("transcript__proto--{}", step.protocol.key()))}>{ step.protocol.name() }</span>
                <span class="transcript__lines">
                    { if props.bytes && step.encrypted && step.direction != Direction::Local { html! {
                        <span class="transcript__tls" title={crate::t!("transcript.tls-title")}>{ crate::t!("transcript.tls") }</span>
                    } } else { html!{} } }
                    { for shown.iter().enumerate().map(|(n, l)| html! {
                        <span class="transcript__line">{ if props.bytes { on_the_wire(step, l, n) } else { html! { l } } }{ if props.bytes && step.direction != Direction::Local {
                            html! { <span class="transcript__crlf" title={crate::t!("transcript.crlf-title")}>{ "CR LF" }</span> }
                        } else { html!{} } }</span>
                    }) }
                    { if more > 0 { html! {
                        <span class="transcript__line transcript__rest">{ crate::t!("transcript.more-lines", count = more) }</span>
                    } } else { html!{} } }
                </span>
            </button>
        </li>
    }
}

/// One line of the byte view, with the octets that have a meaning of their own marked: the
/// period added by dot-stuffing, the line with a single period that ends a message (SMTP DATA,
/// POP3 multi-line responses), and an IMAP literal's `{n}`.
fn on_the_wire(step: &Step, line: &str, n: usize) -> Html {
    let dotted = n > 0
        && matches!(
            (step.protocol, step.direction),
            (Protocol::Smtp, Direction::ClientToServer)
                | (Protocol::Pop3, Direction::ServerToClient)
        );
    let mark = |text: &str, title: &str| html! { <mark class="transcript__mark" title={title.to_string()}>{ text }</mark> };
    if dotted && line == "." {
        return mark(".", &crate::t!("transcript.period"));
    }
    if let Some(rest) = line.strip_prefix("..").filter(|_| dotted) {
        return html! { <>{ mark(".", &crate::t!("transcript.dot-stuffing")) }{ format!(".{rest}") }</> };
    }
    let literal = (step.protocol == Protocol::Imap)
        .then(|| line.strip_suffix('}'))
        .flatten()
        .and_then(|head| head.rfind('{').map(|at| (head, at)))
        .filter(|(head, at)| {
            head.get(at + 1..).is_some_and(|count| {
                let count = count.strip_suffix('+').unwrap_or(count);
                !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit())
            })
        });
    match literal {
        Some((head, at)) => html! { <>
            { head.get(..at).unwrap_or_default() }
            { mark(&format!("{}}}", head.get(at..).unwrap_or_default()), &crate::t!("transcript.literal")) }
        </> },
        None => html! { line },
    }
}
