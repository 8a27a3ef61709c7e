//! The log page (log.html): paste a real session, drop its file or pick an example, and see
//! it in the explorer's own diagram, transcript and explanations, with what the engine found
//! wrong in it. One `LogState`; the page reads the text area and files, and paints "Reading
//! the log…" before a long log keeps it busy.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::log::{log_input, log_summary, InputProps};
use crate::components::notices::notices;
use crate::components::{topbar, ExplorerView};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::log::examples::EXAMPLES;
use crate::state::log::{link, Input, LogAction, LogState, LONG};
use crate::state::PlaybackAction;
use crate::storage;

/// Files larger than this are not opened: the reader keeps 1 MB of a log anyway.
const LARGEST_FILE: f64 = 16_000_000.0;

/// The log page.
#[function_component]
pub fn LogApp() -> Html {
    let state = use_reducer(|| LogState::start(storage::fragment().as_deref()));
    let dispatch = Callback::from(state.dispatcher());
    let on_play = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(LogAction::Play(action))
        })
    };
    use_keyboard(on_play.clone());
    let period = 1400 * 100 / state.speed.max(1);
    use_ticker(
        state.playback.playing,
        period,
        on_play.reform(|()| PlaybackAction::Tick),
    );
    let text = use_node_ref();
    let chooser = use_node_ref();
    let busy = use_state(|| false);
    let file_problem = use_state(|| None::<String>);

    // Reads an input: a long one once the page has said it is reading.
    let read = {
        let (dispatcher, busy, file_problem) =
            (state.dispatcher(), busy.clone(), file_problem.clone());
        Callback::from(move |(input, source): (Input, String)| {
            file_problem.set(None);
            storage::forget_link();
            let long = input.text().len() > LONG;
            let action = LogAction::Read { input, source };
            if !long {
                dispatcher.dispatch(action);
                return;
            }
            busy.set(true);
            let (dispatcher, busy) = (dispatcher.clone(), busy.clone());
            Timeout::new(50, move || {
                dispatcher.dispatch(action);
                busy.set(false);
            })
            .forget();
        })
    };
    let on_read = {
        let (text, read, file_problem) = (text.clone(), read.clone(), file_problem.clone());
        Callback::from(move |()| {
            let value = text
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if value.trim().is_empty() {
                file_problem.set(Some(crate::t!("log.empty").to_string()));
                return;
            }
            read.emit((
                Input::Text(Rc::from(value)),
                crate::t!("log.pasted").to_string(),
            ));
        })
    };
    let on_paste = {
        let (text, read, on_read) = (text.clone(), read.clone(), on_read.clone());
        Callback::from(move |e: Event| {
            // Pasted into an empty box (or over all of it), the text is read straight from
            // the clipboard: laid out in the box first, a megabyte costs the browser seconds.
            let field = text.cast::<HtmlTextAreaElement>();
            let replaces_all = field.as_ref().is_some_and(|f| {
                let length = f.value().encode_utf16().count();
                let start = f.selection_start().ok().flatten().unwrap_or(0);
                let end = f.selection_end().ok().flatten().unwrap_or(0);
                length == 0 || (start == 0 && end as usize == length)
            });
            let pasted = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text").ok())
                .filter(|t| !t.trim().is_empty());
            match pasted {
                Some(pasted) if replaces_all => {
                    e.prevent_default();
                    read.emit((
                        Input::Text(Rc::from(pasted)),
                        crate::t!("log.pasted").to_string(),
                    ));
                }
                // Added to what the box holds: read the whole box once the paste has landed.
                _ => {
                    let on_read = on_read.clone();
                    Timeout::new(0, move || on_read.emit(())).forget();
                }
            }
        })
    };
    let on_files = {
        let (read, file_problem) = (read.clone(), file_problem.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            open_files(files, read.clone(), file_problem.clone())
        })
    };
    let on_drop = on_files.reform(|e: DragEvent| {
        e.prevent_default();
        listed(e.data_transfer().and_then(|d| d.files()))
    });
    let on_choose = on_files.reform(|e: Event| {
        let input = e.target_dyn_into::<web_sys::HtmlInputElement>();
        // Taken out of the list first: clearing the chooser empties it.
        let files = listed(input.as_ref().and_then(|i| i.files()));
        // The same file chosen again is read again.
        if let Some(input) = input {
            input.set_value("");
        }
        files
    });
    let on_example = read.reform(|i: usize| {
        let example = EXAMPLES.get(i).or(EXAMPLES.first());
        let (text, title) = example.map_or(("", ""), |e| (e.text, e.title));
        (
            Input::Text(Rc::from(text)),
            crate::i18n::text(title, &[]).to_string(),
        )
    });
    let on_share = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(log) = state.log() else { return };
            let shared = link::fragment(log, state.protocol, state.playback.current)
                .map(|fragment| storage::page_url(&fragment));
            state.dispatch(LogAction::Shared(shared));
        })
    };

    let shown = state.log().is_some() && !state.editing;
    let share_error = match &state.share {
        Some(Err(why)) => Some(why.as_str()),
        _ => None,
    };
    let share_link = match &state.share {
        Some(Ok(link)) => Some(link.as_str()),
        _ => None,
    };
    html! {
        <div class="app app--log">
            { if shown { html! {
                <a class="skip" href="#controls" onclick={Callback::from(|e: MouseEvent| { e.prevent_default(); crate::pages::explorer::to_controls(); })}>
                    { crate::t!("page.skip") }</a>
            } } else { html!{} } }
            { topbar("log", title(&state, shown), html!{},
                shown.then_some(on_share)) }
            { notices(state.banner.as_deref(), dispatch.reform(|_: MouseEvent| LogAction::DismissBanner),
                share_link, dispatch.reform(|_: MouseEvent| LogAction::DismissShare)) }
            { notices(share_error, dispatch.reform(|_: MouseEvent| LogAction::DismissShare), None, Callback::noop()) }
            { if shown { html! { <>
                { log_summary(&state, &dispatch) }
                <ExplorerView timeline={state.timeline.clone()} playback={state.playback} speed={state.speed} bytes={state.bytes}
                    clock={false} on_action={on_play} on_speed={dispatch.reform(LogAction::SetSpeed)}
                    on_toggle_bytes={dispatch.reform(|()| LogAction::ToggleBytes)} />
            </> } } else { log_input(InputProps {
                state: &state,
                text: &text,
                chooser: &chooser,
                busy: *busy,
                file_problem: file_problem.as_deref(),
                on_read,
                on_paste,
                on_drop,
                on_choose,
                on_example,
                on_back: state.log().is_some().then(|| dispatch.reform(|_: MouseEvent| LogAction::CloseEdit)),
            }) } }
        </div>
    }
}

/// What the bar says is shown: where the log came from (the band under it says how it was
/// read).
fn title(state: &LogState, shown: bool) -> Html {
    if shown {
        html! { <strong>{ &state.source }</strong> }
    } else {
        html! { <strong>{ crate::t!("log.topbar") }</strong> }
    }
}

/// The files of a list.
fn listed(files: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    files
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

/// Reads files dropped or chosen: one log, or a rawlog's `.in` and `.out` together.
fn open_files(
    files: Vec<web_sys::File>,
    read: Callback<(Input, String)>,
    problem: UseStateHandle<Option<String>>,
) {
    if files.is_empty() {
        return;
    }
    if let Some(big) = files.iter().find(|f| f.size() > LARGEST_FILE) {
        let megabytes = (big.size() / 1_000_000.0).round() as u64;
        let file = big.name();
        problem.set(Some(
            crate::t!("log.too-big", file = file, megabytes = megabytes).to_string(),
        ));
        return;
    }
    let names: Vec<String> = files.iter().map(web_sys::File::name).collect();
    // The indexes of a rawlog's .in and .out files.
    let pair = match names.as_slice() {
        [a, b] if a.ends_with(".in") && b.ends_with(".out") => Some((0, 1)),
        [a, b] if a.ends_with(".out") && b.ends_with(".in") => Some((1, 0)),
        _ => None,
    };
    if files.len() > 1 && pair.is_none() {
        problem.set(Some(crate::t!("log.one-file").to_string()));
        return;
    }
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(async move {
        let text = |f: &web_sys::File| {
            let promise = f.text();
            async move {
                wasm_bindgen_futures::JsFuture::from(promise)
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
            }
        };
        let pair = pair.and_then(|(i, o)| Some((files.get(i)?, files.get(o)?)));
        let read_as = match (pair, files.first()) {
            (Some((input, output)), _) => match (text(input).await, text(output).await) {
                (Some(i), Some(o)) => Some((
                    Input::Rawlog {
                        input: Rc::from(i),
                        output: Rc::from(o),
                    },
                    format!("{} and {}", input.name(), output.name()),
                )),
                _ => None,
            },
            (None, Some(file)) => text(file)
                .await
                .map(|t| (Input::Text(Rc::from(t)), file.name())),
            (None, None) => None,
        };
        match read_as {
            Some(input) => read.emit(input),
            None => problem.set(Some(crate::t!("log.not-text").to_string())),
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (pair, read);
}
