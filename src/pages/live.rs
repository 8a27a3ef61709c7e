//! The live page: what real mail programs say to the bridge, as it happens. One `LiveState`
//! holds the sessions from the bridge's stream; the selected one is drawn with the
//! explorer's panels, growing line by line.

use yew::prelude::*;

use crate::components::live::{link_notice, session_detail, session_list, settings_panel, waiting};
use crate::components::{topbar, ExplorerView};
use crate::hooks::{use_keyboard, use_ticker};
use crate::state::live::{LiveAction, LiveState};
use crate::state::PlaybackAction;

#[function_component]
pub fn LiveApp() -> Html {
    let state = use_reducer(LiveState::default);
    let dispatch = Callback::from(state.dispatcher());
    let on_play = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(LiveAction::Play(action))
        })
    };
    use_keyboard(on_play.clone());
    let period = 1400 * 100 / state.speed.max(1);
    use_ticker(
        state.playback.playing,
        period,
        on_play.reform(|()| PlaybackAction::Tick),
    );
    stream::use_stream(state.last_seq, state.dispatcher());
    let host = page_host();
    let selected = state.selected_session();
    let on_save = {
        let log = selected.map(|s| (s.id, s.log()));
        Callback::from(move |_: MouseEvent| {
            if let Some((id, text)) = &log {
                save(&format!("postroom-live-session-{id}.txt"), text);
            }
        })
    };
    let title = html! { <strong>{ crate::t!("live.topbar") }</strong> };
    html! {
        <div class="app app--live">
            { topbar("live", title, html! {}, None) }
            { link_notice(&state.link) }
            <div class="live">
                <aside class="live__side" aria-label={crate::t!("live.side")}>
                    { session_list(&state, &dispatch.reform(LiveAction::Select)) }
                    { selected.map(|s| session_detail(s, &on_save)).unwrap_or_default() }
                    { state.settings.as_ref().map(|s| settings_panel(s, &host)).unwrap_or_default() }
                </aside>
                <div class="live__view">
                    { match selected {
                        Some(s) => html! {
                            <ExplorerView key={s.id.to_string()} timeline={s.timeline.clone()} playback={state.playback}
                                speed={state.speed} bytes={state.bytes} on_action={on_play.clone()}
                                on_speed={dispatch.reform(LiveAction::SetSpeed)}
                                on_toggle_bytes={dispatch.reform(|()| LiveAction::ToggleBytes)}
                                no_mailboxes={crate::t!("live.nothing-stored")} panels_scroll=true />
                        },
                        None => waiting(state.settings.as_ref()),
                    } }
                </div>
            </div>
        </div>
    }
}

/// The name the page was reached by: the class reaches the mail ports by it too.
fn page_host() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        gloo::utils::window()
            .location()
            .hostname()
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// Offers `text` as a file to download.
fn save(name: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/plain");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let link = gloo::utils::document()
            .create_element("a")
            .ok()
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link {
            link.set_href(&url);
            link.set_download(name);
            link.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, text);
}

/// The WebSocket to the bridge: opened with the page, opened again with a growing wait when
/// it closes, asking each time for what followed the last record the page has.
mod stream {
    use yew::prelude::*;

    use crate::state::live::LiveState;

    #[hook]
    pub fn use_stream(last_seq: u64, dispatcher: UseReducerDispatcher<LiveState>) {
        let seq = use_mut_ref(|| 0u64);
        *seq.borrow_mut() = last_seq;
        use_effect_with((), move |()| {
            #[cfg(target_arch = "wasm32")]
            let link = web::Link::start(seq, dispatcher);
            #[cfg(not(target_arch = "wasm32"))]
            let link = (seq, dispatcher);
            move || drop(link)
        });
    }

    #[cfg(target_arch = "wasm32")]
    mod web {
        use std::cell::RefCell;
        use std::rc::Rc;

        use gloo::timers::callback::Timeout;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        use web_sys::{MessageEvent, WebSocket};
        use yew::UseReducerDispatcher;

        use crate::state::live::{Link as Shown, LiveAction, LiveState};

        /// The longest wait before trying again, in seconds.
        const LONGEST: u32 = 15;

        struct Inner {
            seq: Rc<RefCell<u64>>,
            dispatcher: UseReducerDispatcher<LiveState>,
            socket: Option<WebSocket>,
            handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
            retry: Option<Timeout>,
            wait: u32,
            ever_open: bool,
            stopped: bool,
        }

        pub struct Link(Rc<RefCell<Inner>>);

        impl Drop for Link {
            fn drop(&mut self) {
                let mut inner = self.0.borrow_mut();
                inner.stopped = true;
                inner.retry = None;
                if let Some(socket) = inner.socket.take() {
                    let _ = socket.close();
                }
            }
        }

        impl Link {
            pub fn start(
                seq: Rc<RefCell<u64>>,
                dispatcher: UseReducerDispatcher<LiveState>,
            ) -> Link {
                let inner = Rc::new(RefCell::new(Inner {
                    seq,
                    dispatcher,
                    socket: None,
                    handlers: Vec::new(),
                    retry: None,
                    wait: 1,
                    ever_open: false,
                    stopped: false,
                }));
                connect(&inner);
                Link(inner)
            }
        }

        fn url(since: u64) -> Option<String> {
            let location = gloo::utils::window().location();
            let scheme = if location.protocol().ok()? == "https:" {
                "wss"
            } else {
                "ws"
            };
            Some(format!(
                "{scheme}://{}{}?since={since}",
                location.host().ok()?,
                postroom_proto::live::STREAM_PATH
            ))
        }

        /// Whether the page was served by the bridge: it alone answers the status address
        /// with its mark. Asked before each try, so that on any other host the page says how
        /// to start live mode and opens no WebSocket that cannot be there.
        async fn bridge_here() -> bool {
            use wasm_bindgen_futures::JsFuture;
            let Ok(response) = JsFuture::from(
                gloo::utils::window().fetch_with_str(postroom_proto::live::STATUS_PATH),
            )
            .await
            .and_then(|r| r.dyn_into::<web_sys::Response>()) else {
                return false;
            };
            if !response.ok() {
                return false;
            }
            let Ok(text) = response.text() else {
                return false;
            };
            JsFuture::from(text)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .is_some_and(|t| t == postroom_proto::live::STATUS_BODY)
        }

        fn connect(inner: &Rc<RefCell<Inner>>) {
            let inner = inner.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let here = bridge_here().await;
                if inner.borrow().stopped {
                    return;
                }
                if here {
                    open(&inner);
                } else {
                    closed(&inner);
                }
            });
        }

        fn open(inner: &Rc<RefCell<Inner>>) {
            let since = *inner.borrow().seq.borrow();
            let socket = url(since).and_then(|u| WebSocket::new(&u).ok());
            let Some(socket) = socket else {
                closed(inner);
                return;
            };
            let on_open = {
                let inner = inner.clone();
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                    let mut i = inner.borrow_mut();
                    i.ever_open = true;
                    i.wait = 1;
                    i.dispatcher.dispatch(LiveAction::Link(Shown::Open));
                })
            };
            let on_message = {
                let inner = inner.clone();
                Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                    let text = e
                        .dyn_ref::<MessageEvent>()
                        .and_then(|m| m.data().as_string());
                    if let Some(text) = text {
                        inner
                            .borrow()
                            .dispatcher
                            .dispatch(LiveAction::Records(text));
                    }
                })
            };
            let on_close = {
                let inner = inner.clone();
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_| closed(&inner))
            };
            socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
            let mut i = inner.borrow_mut();
            i.handlers = vec![on_open, on_message, on_close];
            i.socket = Some(socket);
        }

        /// The socket closed (or never opened): try again after a wait that doubles, up to
        /// [`LONGEST`] seconds.
        fn closed(inner: &Rc<RefCell<Inner>>) {
            let mut i = inner.borrow_mut();
            if i.stopped {
                return;
            }
            if let Some(socket) = i.socket.take() {
                socket.set_onclose(None);
                socket.set_onmessage(None);
                socket.set_onopen(None);
            }
            let wait = i.wait;
            i.wait = (wait * 2).min(LONGEST);
            let shown = if i.ever_open {
                Shown::Retrying(wait)
            } else {
                Shown::NoBridge(wait)
            };
            i.dispatcher.dispatch(LiveAction::Link(shown));
            let again = inner.clone();
            i.retry = Some(Timeout::new(wait * 1000, move || connect(&again)));
        }
    }
}
