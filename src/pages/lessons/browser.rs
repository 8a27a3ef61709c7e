//! What the lessons page asks of the browser: the list of lessons built with the page and
//! each lesson's file as it opens (fetched from `lessons/`), the progress kept in local storage, the
//! address's `#lesson=ID`, today's date, and a file to download. Outside a browser (native
//! tests) there is nothing to load and nothing is kept.

use crate::state::lesson::{read_saved, LessonsAction, Saved};

const RESULTS_KEY: &str = "postroom.lessons.results";
const ANSWERS_KEY: &str = "postroom.lessons.answers";
/// A lesson file a teacher opened on one lessons page, for the page that runs it.
const FILE_KEY: &str = "postroom.lessons.file";

#[cfg(target_arch = "wasm32")]
mod web {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    pub fn storage() -> Option<web_sys::Storage> {
        gloo::utils::window().local_storage().ok().flatten()
    }

    /// The text at `url`, or why it could not be fetched.
    pub async fn fetch_text(url: &str) -> Result<String, String> {
        let failed = |e: JsValue| e.as_string().unwrap_or_else(|| "the network failed".into());
        let response = JsFuture::from(gloo::utils::window().fetch_with_str(url))
            .await
            .map_err(failed)?
            .dyn_into::<web_sys::Response>()
            .map_err(failed)?;
        if !response.ok() {
            return Err(format!(
                "{url}: {} {}",
                response.status(),
                response.status_text()
            ));
        }
        let text = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?;
        text.as_string().ok_or_else(|| format!("{url} is not text"))
    }

    pub fn download(name: &str, text: &str) -> Option<()> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let link = gloo::utils::document()
            .create_element("a")
            .ok()?
            .dyn_into::<web_sys::HtmlAnchorElement>()
            .ok()?;
        link.set_href(&url);
        link.set_download(name);
        link.click();
        // The download has started by then; the blob's address is no longer needed.
        gloo::timers::callback::Timeout::new(10_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        })
        .forget();
        Some(())
    }
}

/// Today, `YYYY-MM-DD` in the browser's time zone.
pub fn today() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    "2026-03-06".to_string()
}

/// The progress saved in this browser; an unreadable save is removed (the banner says so).
pub fn saved() -> Saved {
    #[cfg(target_arch = "wasm32")]
    {
        let store = web::storage();
        let get = |key| store.as_ref().and_then(|s| s.get_item(key).ok().flatten());
        let saved = read_saved(
            get(RESULTS_KEY).as_deref(),
            get(ANSWERS_KEY).as_deref(),
            &today(),
        );
        if let (Some(s), Some(_)) = (&store, &saved.problem) {
            let _ = s.remove_item(RESULTS_KEY);
            let _ = s.remove_item(ANSWERS_KEY);
        }
        saved
    }
    #[cfg(not(target_arch = "wasm32"))]
    read_saved(None, None, &today())
}

pub fn save(results: &str, answers: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = web::storage() {
        let _ = s.set_item(RESULTS_KEY, results);
        let _ = s.set_item(ANSWERS_KEY, answers);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (results, answers, RESULTS_KEY, ANSWERS_KEY);
}

/// Fetches the list of lessons (made from the files when the site was built).
pub fn load_lessons(send: impl Fn(LessonsAction) + 'static) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(async move {
        send(match web::fetch_text("lessons/index.txt").await {
            Ok(index) => LessonsAction::Listed(index),
            Err(why) => LessonsAction::LoadFailed(why),
        });
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = send;
}

/// Fetches one lesson file, for the lesson about to open.
pub fn load_lesson(file: String, send: impl Fn(LessonsAction) + 'static) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(async move {
        let text = web::fetch_text(&format!("lessons/{file}")).await;
        send(LessonsAction::Loaded(vec![(file, text)]));
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (file, send);
}

/// The address's fragment now.
pub fn hash() -> String {
    #[cfg(target_arch = "wasm32")]
    return gloo::utils::window().location().hash().unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// Calls `f` with the fragment each time it changes (a link, Back, a typed address).
pub fn follow_hash(f: impl Fn(String) + 'static) -> Option<gloo::events::EventListener> {
    #[cfg(target_arch = "wasm32")]
    return Some(gloo::events::EventListener::new(
        &gloo::utils::window(),
        "hashchange",
        move |_| f(hash()),
    ));
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = f;
        None
    }
}

/// Puts the open lesson in the address (a new history entry, so Back returns to the list),
/// or takes a lesson that is not open out of it.
pub fn show_hash(id: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    {
        let want = id.map(|id| format!("#lesson={id}")).unwrap_or_default();
        if hash() == want || (want.is_empty() && hash() == "#") {
            return;
        }
        let window = gloo::utils::window();
        match id {
            Some(_) => {
                let _ = window.location().set_hash(&want);
            }
            None => {
                let path = window.location().pathname().unwrap_or_default();
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&path),
                    );
                }
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Leaves for `url` (in place of this page in the history); `file` goes with it, for the
/// page there to open.
pub fn go(url: &str, file: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    {
        if let (Some(file), Some(store)) = (file, session()) {
            let _ = store.set_item(FILE_KEY, file);
        }
        let _ = gloo::utils::window().location().replace(url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (url, file, FILE_KEY);
}

/// The lesson file another lessons page left for this one, once.
pub fn take_file() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let store = session()?;
        let text = store.get_item(FILE_KEY).ok().flatten()?;
        let _ = store.remove_item(FILE_KEY);
        Some(text)
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

#[cfg(target_arch = "wasm32")]
fn session() -> Option<web_sys::Storage> {
    gloo::utils::window().session_storage().ok().flatten()
}

/// Downloads `text` as the file `name`.
pub fn download(name: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    let _ = web::download(name, text);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, text);
}

/// Moves the focus to the first element `selector` finds, at the top of the lesson's panel,
/// without scrolling the page: the class keeps the diagram in view.
pub fn focus(selector: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let el = gloo::utils::document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
            if let Some(panel) = el.closest(".lesson__panel").ok().flatten() {
                panel.set_scroll_top(0);
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = selector;
}
