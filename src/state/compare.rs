//! The POP3 vs IMAP page's state: the script, both worlds played once for it, the action
//! shown, and the page's notices. Pure, no DOM.

use std::rc::Rc;

use postroom_sim::compare::{compare, Act, Comparison, Script, MAX_ACTS};
use yew::Reducible;

use super::playback::{Playback, PlaybackAction};

#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    /// Both worlds after each action of the script (which it holds).
    pub comparison: Rc<Comparison>,
    /// The action shown: the page keeps it here only. Nothing plays by itself here.
    pub playback: Playback,
    /// A warning under the bar: a link that could not be read.
    pub banner: Option<String>,
    /// The link the Share button gave.
    pub share_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CompareAction {
    /// Step or jump; play and its ticks do nothing here.
    Step(PlaybackAction),
    /// Another script: a lesson chosen.
    Open(Script),
    /// POP3 leaves a copy on the server, or no longer does.
    ToggleKeep,
    /// One more action at the end of the script (up to [`MAX_ACTS`]).
    Add(Act),
    RemoveLast,
    /// The Share button gave this link.
    Shared(String),
    /// The share link's banner was closed.
    DismissShare,
    DismissBanner,
}

impl CompareState {
    /// The page as it opens, on `script`'s first action.
    pub fn new(script: &Script, banner: Option<String>) -> Self {
        let comparison = Rc::new(compare(script));
        CompareState {
            playback: Playback::new(comparison.script.acts.len()),
            comparison,
            banner,
            share_link: None,
        }
    }

    pub fn script(&self) -> &Script {
        &self.comparison.script
    }

    /// A script changed by hand or chosen: both worlds play it (once) from its first action.
    /// The share link given before no longer fits.
    fn edit(&mut self, change: impl FnOnce(&mut Script)) {
        let mut script = self.script().clone();
        change(&mut script);
        if script != *self.script() {
            *self = CompareState::new(&script, self.banner.take());
        }
        self.share_link = None;
    }
}

impl Reducible for CompareState {
    type Action = CompareAction;

    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CompareAction::Step(PlaybackAction::TogglePlay | PlaybackAction::Tick) => {}
            CompareAction::Step(action) => next.playback = self.playback.after(action),
            CompareAction::Open(script) => next.edit(|s| *s = script),
            CompareAction::ToggleKeep => next.edit(|s| s.leave_on_server = !s.leave_on_server),
            CompareAction::Add(act) => next.edit(|s| {
                if s.acts.len() < MAX_ACTS {
                    s.acts.push(act);
                }
            }),
            CompareAction::RemoveLast => next.edit(|s| {
                s.acts.pop();
            }),
            CompareAction::Shared(link) => next.share_link = Some(link),
            CompareAction::DismissShare => next.share_link = None,
            CompareAction::DismissBanner => next.banner = None,
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests;
