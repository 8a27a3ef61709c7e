//! Playback state: which step of the timeline is shown. Pure, no DOM, tested natively.

use std::rc::Rc;

use yew::Reducible;

/// The step shown, out of `len`. With an empty timeline `current` stays 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Playback {
    pub current: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackAction {
    Forward,
    Back,
    First,
    Last,
    GoTo(usize),
}

impl Playback {
    pub fn new(len: usize) -> Self {
        Playback { current: 0, len }
    }

    pub fn can_go_forward(&self) -> bool {
        self.current + 1 < self.len
    }

    pub fn can_go_back(&self) -> bool {
        self.current > 0
    }

    fn last(&self) -> usize {
        self.len.saturating_sub(1)
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let current = match action {
            PlaybackAction::Forward => (self.current + 1).min(self.last()),
            PlaybackAction::Back => self.current.saturating_sub(1),
            PlaybackAction::First => 0,
            PlaybackAction::Last => self.last(),
            PlaybackAction::GoTo(n) => n.min(self.last()),
        };
        if current == self.current {
            self
        } else {
            Rc::new(Playback { current, ..*self })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(start: Playback, actions: &[PlaybackAction]) -> Playback {
        let mut state = Rc::new(start);
        for &a in actions {
            state = state.reduce(a);
        }
        *state
    }

    #[test]
    fn stepping_stays_within_the_timeline() {
        use PlaybackAction::*;
        assert_eq!(
            after(Playback::new(3), &[Forward, Forward, Forward]).current,
            2
        );
        assert_eq!(after(Playback::new(3), &[Back]).current, 0);
        assert_eq!(after(Playback::new(3), &[Last, Back]).current, 1);
        assert_eq!(after(Playback::new(3), &[GoTo(99)]).current, 2);
        assert_eq!(after(Playback::new(3), &[Last, First]).current, 0);
        assert_eq!(after(Playback::new(0), &[Forward, Last]).current, 0);
    }

    #[test]
    fn buttons_know_when_they_can_move() {
        let p = Playback::new(2);
        assert!(p.can_go_forward() && !p.can_go_back());
        let p = Playback { current: 1, len: 2 };
        assert!(!p.can_go_forward() && p.can_go_back());
    }
}
