//! Playback: which step of a timeline is shown, and whether it advances by itself. The one
//! place a page keeps its step; pure, no DOM, tested natively.

use std::rc::Rc;

use yew::Reducible;

/// The step shown, out of `len`, and whether it advances by itself. With an empty
/// timeline `current` stays 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Playback {
    pub current: usize,
    pub len: usize,
    pub playing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackAction {
    Forward,
    Back,
    First,
    Last,
    GoTo(usize),
    TogglePlay,
    /// The play timer fired: one step forward, stopping at the end.
    Tick,
}

impl Playback {
    pub fn new(len: usize) -> Self {
        Playback::at(len, 0)
    }

    /// Paused at `step`, or at the last step when the timeline is shorter.
    pub fn at(len: usize, step: usize) -> Self {
        Playback {
            current: step.min(len.saturating_sub(1)),
            len,
            playing: false,
        }
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

    /// Where `action` leads from here.
    pub fn after(self, action: PlaybackAction) -> Playback {
        let mut next = self;
        match action {
            PlaybackAction::Forward => next.current = (self.current + 1).min(self.last()),
            PlaybackAction::Back => next.current = self.current.saturating_sub(1),
            PlaybackAction::First => next.current = 0,
            PlaybackAction::Last => next.current = self.last(),
            PlaybackAction::GoTo(n) => next.current = n.min(self.last()),
            PlaybackAction::TogglePlay => {
                // Play from the start again once the end was reached.
                if !self.playing && !self.can_go_forward() {
                    next.current = 0;
                }
                next.playing = !self.playing && self.len > 1;
            }
            PlaybackAction::Tick => {
                next.current = (self.current + 1).min(self.last());
                next.playing = self.playing && next.can_go_forward();
            }
        }
        // Moving by hand pauses playback, so the class is never dragged past a step.
        if !matches!(action, PlaybackAction::TogglePlay | PlaybackAction::Tick) {
            next.playing = false;
        }
        next
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let next = self.after(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(start: Playback, actions: &[PlaybackAction]) -> Playback {
        *crate::state::after(Rc::new(start), actions.iter().copied())
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
    fn play_ticks_to_the_end_and_stops_and_stepping_pauses() {
        use PlaybackAction::*;
        let p = after(Playback::new(3), &[TogglePlay]);
        assert!(p.playing);
        let p = after(p, &[Tick, Tick]);
        assert_eq!((p.current, p.playing), (2, false));
        let p = after(p, &[TogglePlay]);
        assert_eq!(
            (p.current, p.playing),
            (0, true),
            "play again from the start"
        );
        assert!(!after(p, &[Forward]).playing);
        assert!(!after(Playback::new(1), &[TogglePlay]).playing);
    }

    #[test]
    fn a_resumed_step_past_the_end_shows_the_last() {
        assert_eq!(Playback::at(5, 3).current, 3);
        assert_eq!(Playback::at(5, 9).current, 4);
        assert_eq!(Playback::at(0, 9).current, 0);
    }

    #[test]
    fn buttons_know_when_they_can_move() {
        let p = Playback::new(2);
        assert!(p.can_go_forward() && !p.can_go_back());
        let p = Playback {
            current: 1,
            len: 2,
            playing: false,
        };
        assert!(!p.can_go_forward() && p.can_go_back());
    }
}
