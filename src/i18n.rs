//! The page's words in the class's language. The chosen language (`<html lang>`) and its
//! catalogue are settled by each page's first script (static/settings.js) before the app
//! starts; English is built in and stands in for any text a catalogue lacks.

use std::cell::RefCell;

use postroom_proto::i18n::{english, Arg, Catalogue, Language, Message, Text};
use postroom_proto::live::Told;
use postroom_proto::{text, Explanation};
use postroom_sim::lesson::{Label, Words};

thread_local! {
    /// The chosen language's catalogue; none for English.
    static CHOSEN: RefCell<Option<Catalogue>> = const { RefCell::new(None) };
}

/// A text of the page in the chosen language: `t!("controls.step")`,
/// `t!("controls.position", step = 2, count = 82)`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::text($id, &[])
    };
    ($id:literal $(, $name:ident = $value:expr)+ $(,)?) => {
        $crate::i18n::text($id, &[$((stringify!($name), postroom_proto::i18n::Arg::from($value))),*])
    };
}

/// The id of a text without arguments, for a table of texts shown in a loop (one call to
/// `text` then serves them all); the tests find the ids the code uses by these macros.
#[macro_export]
macro_rules! id {
    ($id:literal) => {
        $id
    };
}

/// The text of `id` with `args`: the chosen language's, else English (marked in a development
/// build, so a missing translation shows), else the id itself.
/// Made an `AttrValue` here, once, rather than at each of the many places that show one.
pub fn text(id: &str, args: &[(&str, Arg)]) -> yew::AttrValue {
    let chosen = CHOSEN.with(|c| c.borrow().as_ref().map(|c| c.format(id, args)));
    let text = match chosen {
        Some(Some(text)) => text,
        missing => {
            let en = english().format(id, args).unwrap_or_else(|| id.to_string());
            fallback(missing.is_some(), en)
        }
    };
    yew::AttrValue::from(text)
}

/// A text of the engines or the world (a lane's name, a session's state) in the chosen
/// language: its message, if the catalogue holds it; else its English.
pub fn said(said: &Text) -> yew::AttrValue {
    let m = said.message();
    text(m.id, &m.args)
}

/// A lesson file's text in the chosen language; its English where the file lacks that
/// language (marked in a development build, as a catalogue's missing text is).
pub fn words(w: &Words) -> yew::AttrValue {
    let chosen = CHOSEN.with(|c| c.borrow().as_ref().map(|c| c.lang.to_string()));
    let text = match chosen {
        None => w.en().to_string(),
        Some(lang) => match w.in_language(&lang) {
            Some(text) => text.to_string(),
            None => fallback(true, w.en().to_string()),
        },
    };
    yew::AttrValue::from(text)
}

/// A goal item's label in the chosen language: the lesson file's words or the engine's text.
pub fn label(label: &Label) -> yew::AttrValue {
    match label {
        Label::Written(w) => words(w),
        Label::Made(t) => said(t),
    }
}

/// A text that opens a line, with a capital at its start ("phone checks mail" as a move).
/// Latin-1 arithmetic rather than Unicode's tables, which would cost every page kilobytes.
pub fn opening(t: &Text) -> yew::AttrValue {
    yew::AttrValue::from(postroom_sim::scenario::capitalised(&said(t)))
}

/// A number as the class writes it: "1.05 s" in English, "1,05 s" in German, Spanish and
/// French (the catalogue's `format.decimal`). Every point between two digits changes.
pub fn number(text: String) -> String {
    let point = text!("format.decimal");
    let point = said(&point);
    if point.as_str() == "." {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: Option<&char>| i.is_some_and(char::is_ascii_digit);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let between = *c == '.' && i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1));
            if between {
                point.to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Words from the live stream (a session's state, a note) in the chosen language; their
/// English, sent beside the message, where there is none or the catalogue lacks it.
pub fn told(told: Told) -> String {
    CHOSEN
        .with(|c| {
            let m = told.said.as_ref()?.message()?;
            c.borrow().as_ref()?.format(m.id, &m.args)
        })
        .unwrap_or(told.en)
}

/// Runs `make` with the chosen language, for a text made whole (a handout, an exported
/// diagram).
pub fn with_language<R>(make: impl FnOnce(Language<'_>) -> R) -> R {
    CHOSEN.with(|c| make(Language::of(c.borrow().as_ref())))
}

/// An explanation's title and why in the chosen language: from its message, if it has one
/// and the catalogue holds it; else its English texts.
pub fn explanation(e: &Explanation) -> (String, String) {
    parts(e.message.as_ref(), &e.title, &e.why)
}

/// A message's title and why in the chosen language (an explanation, a log's finding); its
/// English `title` and `why` where there is no message or the catalogue lacks it.
pub fn parts(message: Option<&Message>, title: &str, why: &str) -> (String, String) {
    let chosen = CHOSEN.with(|c| {
        let c = c.borrow();
        let (c, m) = (c.as_ref()?, message?);
        Some((c.format_part(m, "title"), c.format_part(m, "why")))
    });
    match chosen {
        Some((Some(title), Some(why))) => (title, why),
        Some(_) => (fallback(true, title.to_string()), why.to_string()),
        None => (title.to_string(), why.to_string()),
    }
}

/// English standing in for a missing translation: marked in a development build only.
fn fallback(missing: bool, en: String) -> String {
    if cfg!(debug_assertions) && missing {
        format!("⟦en⟧ {en}")
    } else {
        en
    }
}

/// Takes a catalogue for the rest of the page's life, unchecked: a bad line is as if absent.
pub fn take(lang: &str, source: String) {
    let catalogue = Catalogue::new(lang.to_string().into(), source.into());
    CHOSEN.with(|c| *c.borrow_mut() = (lang != "en").then_some(catalogue));
}

/// Takes a catalogue for the rest of the page's life, and says which lines are bad.
pub fn choose(lang: &str, source: &str) -> Vec<String> {
    let (catalogue, errors) = Catalogue::parse(lang, source);
    CHOSEN.with(|c| *c.borrow_mut() = (lang != "en").then_some(catalogue));
    errors
        .iter()
        .map(|e| format!("i18n/{lang}.txt {e}"))
        .collect()
}

/// The chosen language's code: `<html lang>`, as the first script set it.
pub fn lang() -> String {
    #[cfg(target_arch = "wasm32")]
    return gloo::utils::document()
        .document_element()
        .map(|root| root.get_attribute("lang").unwrap_or_default())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".to_string());
    #[cfg(not(target_arch = "wasm32"))]
    "en".to_string()
}

/// Starts the page once its catalogue is here. The first script fetches it: on
/// `window.postroomCatalogue` it leaves its text (or null: English, or it could not be
/// fetched, and then the page is English and says so in `<html lang>`), or, while the fetch
/// is still under way, `true`, and then it sends the event `postroom-catalogue` when done.
pub fn start(render: fn()) {
    #[cfg(target_arch = "wasm32")]
    {
        use std::cell::Cell;
        let window = gloo::utils::window();
        let read = || js_sys::Reflect::get(&gloo::utils::window(), &"postroomCatalogue".into());
        if read().is_ok_and(|v| v.as_bool() != Some(true)) {
            return arrived(read().ok().and_then(|v| v.as_string()), render);
        }
        // The same kind of listener as the pages' others: no more glue code in the module.
        let once = Cell::new(true);
        gloo::events::EventListener::new(&window, "postroom-catalogue", move |_| {
            if once.replace(false) {
                arrived(read().ok().and_then(|v| v.as_string()), render);
            }
        })
        .forget();
    }
    #[cfg(not(target_arch = "wasm32"))]
    render();
}

/// The catalogue's text (none for English or when it could not be fetched), then the page.
#[cfg(target_arch = "wasm32")]
fn arrived(text: Option<String>, render: fn()) {
    match text {
        // Bad lines are skipped (English stands in); a development build also names them.
        // `scripts/i18n-check` names them for whoever writes a catalogue.
        Some(text) if cfg!(debug_assertions) => {
            for problem in choose(&lang(), &text) {
                web_sys::console::warn_1(&problem.into());
            }
        }
        Some(text) => take(&lang(), text),
        None => {
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("lang", "en");
            }
        }
    }
    render();
}

/// Chooses another language: remembered, and the page opens again in it.
pub fn switch_to(lang: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let window = gloo::utils::window();
        if let Ok(Some(store)) = window.local_storage() {
            let _ = store.set_item("postroom.lang", lang);
        }
        let _ = window.location().reload();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = lang;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_the_chosen_languages_decimal_sign() {
        assert_eq!(number("t = 1.840 s".into()), "t = 1.840 s");
        let de = include_str!("../static/i18n/de.txt").to_string();
        take("de", de);
        assert_eq!(number("t = 1.840 s".into()), "t = 1,840 s");
        assert_eq!(number("0.5×".into()), "0,5×");
        // A point that is no decimal point stays.
        assert_eq!(
            number("Step 2. of mx.example.net".into()),
            "Step 2. of mx.example.net"
        );
        take("en", String::new());
        assert_eq!(number("3.7 kB".into()), "3.7 kB");
    }
}
