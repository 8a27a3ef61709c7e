//! Where a scenario comes from when the page opens — a share link in the URL, or the last
//! session saved in this browser — and where it is saved. Anything unreadable gives a
//! friendly message and the classroom example; nothing else is lost.

use postroom_sim::compare::Script;
use postroom_sim::share;
use postroom_sim::Scenario;

const SCENARIO_KEY: &str = "postroom.scenario";
const STEP_KEY: &str = "postroom.step";

/// What the page starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub scenario: Scenario,
    pub step: usize,
    /// A message for the banner when something could not be read.
    pub banner: Option<String>,
}

/// A link's fragment that is not `#s=…`: the same message as for an unreadable one.
fn not_a_link(fragment: &str, scenario: bool) -> String {
    let shown: String = fragment.chars().take(40).collect();
    match scenario {
        true => crate::t!("banner.not-a-scenario", shown = shown).to_string(),
        false => crate::t!("banner.not-a-comparison", shown = shown).to_string(),
    }
}

/// Reads the scenario for a URL fragment (`#s=v1...&step=N`, N counted from 1 as on screen)
/// and a saved session, in that order. Any other fragment gets the same message as a link
/// that cannot be read.
pub fn start_from(
    hash: Option<String>,
    saved: Option<String>,
    saved_step: Option<String>,
) -> Start {
    let fresh = |banner: Option<String>| Start {
        scenario: Scenario::default(),
        step: 0,
        banner,
    };
    let broken = |why: String| fresh(Some(crate::t!("banner.link", why = why).to_string()));
    if let Some(hash) = hash.filter(|h| h.len() > 1) {
        let Some(link) = hash.strip_prefix("#s=") else {
            return broken(not_a_link(&hash, true));
        };
        let (code, params) = link.split_once('&').unwrap_or((link, ""));
        let step = params
            .split('&')
            .find_map(|p| p.strip_prefix("step="))
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(0, |n| n.saturating_sub(1));
        return match share::decode(code) {
            Ok(scenario) => Start {
                scenario,
                step,
                banner: None,
            },
            Err(e) => broken(e.to_string()),
        };
    }
    match saved {
        None => fresh(None),
        Some(text) => match share::decode(&text) {
            Ok(scenario) => Start {
                scenario,
                step: saved_step.and_then(|s| s.parse().ok()).unwrap_or(0),
                banner: None,
            },
            Err(_) => fresh(Some(crate::t!("banner.saved").to_string())),
        },
    }
}

/// The comparison a `#compare=` fragment asks for (a preset's key or a whole script), else
/// the first lesson; a message for the banner when the link cannot be read.
pub fn compare_from(hash: Option<&str>) -> (Script, Option<String>) {
    let first = || {
        postroom_sim::compare::presets()
            .into_iter()
            .next()
            .map(|p| p.script)
            .unwrap_or(Script {
                leave_on_server: false,
                acts: Vec::new(),
            })
    };
    let broken = |why: String| Some(crate::t!("banner.comparison", why = why).to_string());
    match hash.filter(|h| h.len() > 1) {
        None => (first(), None),
        Some(hash) => match hash.strip_prefix("#compare=").map(Script::decode) {
            Some(Ok(script)) => (script, None),
            Some(Err(e)) => (first(), broken(e.to_string())),
            None => (first(), broken(not_a_link(hash, false))),
        },
    }
}

/// The comparison this page opens with.
pub fn start_compare() -> (Script, Option<String>) {
    #[cfg(target_arch = "wasm32")]
    let hash = gloo::utils::window().location().hash().ok();
    #[cfg(not(target_arch = "wasm32"))]
    let hash = None::<String>;
    compare_from(hash.as_deref())
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The start of this page: from the browser on the web, the classroom example elsewhere.
pub fn start() -> Start {
    #[cfg(target_arch = "wasm32")]
    {
        let hash = gloo::utils::window()
            .location()
            .hash()
            .ok()
            .filter(|h| !h.is_empty());
        let store = storage();
        let saved = store
            .as_ref()
            .and_then(|s| s.get_item(SCENARIO_KEY).ok().flatten());
        let step = store
            .as_ref()
            .and_then(|s| s.get_item(STEP_KEY).ok().flatten());
        let from_link = hash.is_some();
        let start = start_from(hash, saved.clone(), step);
        if start.banner.is_some() {
            if from_link {
                // The banner said it once: a reload opens the classroom example quietly.
                replace_fragment("");
            } else if let Some(s) = store.as_ref().filter(|_| saved.is_some()) {
                // Do not trip over the same broken save on every visit.
                let _ = s.remove_item(SCENARIO_KEY);
            }
        }
        start
    }
    #[cfg(not(target_arch = "wasm32"))]
    start_from(None, None, None)
}

/// The fragment of a link that opens `scenario` at `step` (counted from 0).
fn scenario_fragment(scenario: &Scenario, step: usize) -> String {
    format!("#s={}&step={}", share::encode(scenario), step + 1)
}

/// Remembers the scenario and the step, so a reload resumes where the class was; a share
/// link in the address bar follows the step, and goes once the scenario changed.
pub fn save(scenario: &Scenario, step: usize) {
    #[cfg(target_arch = "wasm32")]
    {
        let code = share::encode(scenario);
        if let Some(s) = storage() {
            let _ = s.set_item(SCENARIO_KEY, &code);
            let _ = s.set_item(STEP_KEY, &step.to_string());
        }
        keep_link_current("#s=", &code, &scenario_fragment(scenario, step));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (scenario, step, SCENARIO_KEY, STEP_KEY);
}

/// The comparison's link in the address bar goes once the script changed.
pub fn compare_shown(script: &Script) {
    let code = script.encode();
    #[cfg(target_arch = "wasm32")]
    keep_link_current("#compare=", &code, &format!("#compare={code}"));
    #[cfg(not(target_arch = "wasm32"))]
    let _ = code;
}

/// A link that opens this scenario at the step shown.
pub fn share_url(scenario: &Scenario, step: usize) -> String {
    link(&scenario_fragment(scenario, step))
}

/// A link that opens this POP3 vs IMAP comparison.
pub fn compare_url(script: &Script) -> String {
    link(&format!("#compare={}", script.encode()))
}

/// A link that opens this page with `fragment` (the log page's `#log=…`, the lab's `#lab=…`).
pub fn page_url(fragment: &str) -> String {
    link(fragment)
}

/// The page's fragment (`#…`), if it has one.
pub fn fragment() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return gloo::utils::window()
        .location()
        .hash()
        .ok()
        .filter(|h| h.len() > 1);
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// A link in the address bar goes once the page shows something else: a reload then shows
/// the page afresh, not what the link said.
pub fn forget_link() {
    #[cfg(target_arch = "wasm32")]
    if fragment().is_some() {
        replace_fragment("");
    }
}

/// A share link (`prefix` then `code`) in the address bar becomes `fragment` while it names
/// what is shown, and goes when it names something else: a reload then shows what the class
/// saw last, never an older scenario.
#[cfg(target_arch = "wasm32")]
fn keep_link_current(prefix: &str, code: &str, fragment: &str) {
    let Ok(hash) = gloo::utils::window().location().hash() else {
        return;
    };
    let Some(rest) = hash.strip_prefix(prefix) else {
        return;
    };
    let same = rest.split('&').next() == Some(code);
    let next = if same { fragment } else { "" };
    if next != hash {
        replace_fragment(next);
    }
}

/// Puts `fragment` (or none, when empty) in the address bar, without a new history entry.
#[cfg(target_arch = "wasm32")]
fn replace_fragment(fragment: &str) {
    let window = gloo::utils::window();
    let location = window.location();
    let url = if fragment.is_empty() {
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    } else {
        fragment.to_string()
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's address with `fragment`, which also goes into the address bar.
fn link(fragment: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let location = gloo::utils::window().location();
        let base = format!(
            "{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default()
        );
        // Keep the address bar in step, so copying it works too.
        replace_fragment(fragment);
        format!("{base}{fragment}")
    }
    #[cfg(not(target_arch = "wasm32"))]
    fragment.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use postroom_sim::Fault;

    #[test]
    fn a_share_link_wins_over_the_saved_session() {
        let mut s = Scenario::default();
        s.faults.push(Fault::Greylisting);
        let link = format!("#s={}", share::encode(&s));
        let start = start_from(
            Some(link),
            Some(share::encode(&Scenario::default())),
            Some("9".into()),
        );
        assert_eq!((start.scenario, start.step, start.banner), (s, 0, None));
    }

    #[test]
    fn a_compare_link_opens_the_comparison() {
        let preset = postroom_sim::compare::presets().remove(1);
        let link = format!("#compare={}", preset.script.encode());
        assert_eq!(compare_from(Some(&link)), (preset.script, None));
        let (script, banner) = compare_from(Some("#compare=offline"));
        assert_eq!((script.acts.len(), banner), (9, None));
        let (script, banner) = compare_from(Some("#compare=keep=0;n.zz"));
        assert_eq!(
            Some(script),
            postroom_sim::compare::presets()
                .into_iter()
                .next()
                .map(|p| p.script)
        );
        assert!(banner.unwrap().contains("“zz”"));
        assert!(compare_from(None).1.is_none());
    }

    #[test]
    fn a_saved_session_resumes_at_its_step() {
        let start = start_from(
            None,
            Some(share::encode(&Scenario::default())),
            Some("12".into()),
        );
        assert_eq!(start.step, 12);
        assert!(start.banner.is_none());
    }

    #[test]
    fn broken_links_and_saves_give_a_banner_and_a_clean_start() {
        let start = start_from(Some("#s=garbage".into()), None, None);
        assert_eq!(start.scenario, Scenario::default());
        assert!(start
            .banner
            .unwrap()
            .starts_with("The shared link could not be opened."));
        let start = start_from(None, Some("{not ours".into()), Some("3".into()));
        assert_eq!((start.step, start.scenario), (0, Scenario::default()));
        assert!(start.banner.unwrap().contains("could not be restored"));
        // Any other fragment gets the same kind of message, with what it was.
        let other = start_from(Some("#garbage".into()), None, None);
        let banner = other.banner.unwrap();
        assert!(banner.starts_with("The shared link could not be opened."));
        assert!(banner.contains("“#garbage” is not a Postroom scenario link."));
        assert_eq!(other.scenario, Scenario::default());
        // An empty fragment is no link at all.
        assert!(start_from(Some("#".into()), None, None).banner.is_none());
    }

    #[test]
    fn a_share_link_opens_at_its_step() {
        let mut s = Scenario::default();
        s.faults.push(Fault::Greylisting);
        let start = start_from(Some(scenario_fragment(&s, 12)), None, None);
        assert_eq!(
            (start.scenario, start.step, start.banner),
            (s.clone(), 12, None)
        );
        assert!(scenario_fragment(&s, 12).ends_with("&step=13"));
        // Steps are counted from 1 in links, as on screen; a bad step means the first.
        let code = share::encode(&s);
        assert_eq!(
            start_from(Some(format!("#s={code}&step=0")), None, None).step,
            0
        );
        assert_eq!(
            start_from(Some(format!("#s={code}&step=x")), None, None).step,
            0
        );
        assert_eq!(
            start_from(Some(format!("#s={code}&step=2")), None, None).step,
            1
        );
    }

    #[test]
    fn any_other_fragment_on_the_comparison_says_so_too() {
        let (_, banner) = compare_from(Some("#garbage"));
        let banner = banner.unwrap();
        assert!(banner.starts_with("The shared comparison could not be opened."));
        assert!(banner.contains("“#garbage” is not a comparison link."));
    }
}
