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

/// Reads the scenario for a URL fragment (`#s=v1...`) and a saved session, in that order.
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
    if let Some(link) = hash.as_deref().and_then(|h| h.strip_prefix("#s=")) {
        return match share::decode(link) {
            Ok(scenario) => Start {
                scenario,
                step: 0,
                banner: None,
            },
            Err(e) => fresh(Some(format!(
                "The shared link could not be opened. {e} Showing the classroom example instead."
            ))),
        };
    }
    match saved {
        None => fresh(None),
        Some(text) => match share::decode(&text) {
            Ok(scenario) => Start { scenario, step: saved_step.and_then(|s| s.parse().ok()).unwrap_or(0), banner: None },
            Err(_) => fresh(Some("The session saved in this browser could not be restored, so Postroom starts fresh. Nothing else was affected.".into())),
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
    match hash.and_then(|h| h.strip_prefix("#compare=")) {
        None => (first(), None),
        Some(link) => match Script::decode(link) {
            Ok(script) => (script, None),
            Err(e) => (
                first(),
                Some(format!(
                    "The shared comparison could not be opened. {e} Showing the first lesson instead."
                )),
            ),
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
        let start = start_from(hash, saved.clone(), step);
        if saved.is_some() && start.banner.is_some() {
            // Do not trip over the same broken save on every visit.
            if let Some(s) = &store {
                let _ = s.remove_item(SCENARIO_KEY);
            }
        }
        start
    }
    #[cfg(not(target_arch = "wasm32"))]
    start_from(None, None, None)
}

/// Remembers the scenario and the step, so a reload resumes where the class was.
pub fn save(scenario: &Scenario, step: usize) {
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = storage() {
        let _ = s.set_item(SCENARIO_KEY, &share::encode(scenario));
        let _ = s.set_item(STEP_KEY, &step.to_string());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (scenario, step, SCENARIO_KEY, STEP_KEY);
}

/// A link that opens this scenario.
pub fn share_url(scenario: &Scenario) -> String {
    link(&format!("#s={}", share::encode(scenario)))
}

/// A link that opens this POP3 vs IMAP comparison.
pub fn compare_url(script: &Script) -> String {
    link(&format!("#compare={}", script.encode()))
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
        if let Ok(history) = gloo::utils::window().history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
        }
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
        // Other fragments (not ours) are ignored.
        assert!(start_from(Some("#top".into()), None, None).banner.is_none());
    }
}
