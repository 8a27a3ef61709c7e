//! The comparison's state: stepping through the actions, editing the script, sharing it.

use postroom_sim::compare::presets;
use postroom_sim::Device;

use super::*;
use crate::state::after;

fn opened(script: &Script) -> Rc<CompareState> {
    Rc::new(CompareState::new(script, None))
}

fn first_lesson() -> Script {
    presets().remove(0).script
}

#[test]
fn steps_stay_within_the_script_and_space_plays_nothing() {
    use CompareAction::Step;
    use PlaybackAction::*;
    let state = opened(&first_lesson());
    let len = state.script().acts.len();
    assert_eq!(state.playback.current, 0);
    let state = after(state, [Step(Forward), Step(Forward), Step(Back)]);
    assert_eq!(state.playback.current, 1);
    let state = after(state, [Step(Last), Step(Forward)]);
    assert_eq!(state.playback.current, len - 1);
    let state = after(state, [Step(GoTo(2))]);
    for nothing in [Step(TogglePlay), Step(Tick)] {
        assert!(Rc::ptr_eq(&Rc::clone(&state).reduce(nothing), &state));
    }
}

#[test]
fn an_edit_plays_both_worlds_again_from_the_first_action_and_forgets_the_share_link() {
    let state = after(
        opened(&first_lesson()),
        [
            CompareAction::Step(PlaybackAction::Last),
            CompareAction::Shared("#compare=two-devices".into()),
            CompareAction::Add(Act::Check(Device::Phone)),
        ],
    );
    assert_eq!(state.script().acts.len(), first_lesson().acts.len() + 1);
    assert_eq!(state.comparison.pop3.len(), state.script().acts.len());
    assert_eq!(
        (state.playback.current, state.share_link.as_deref()),
        (0, None)
    );
    let state = after(
        state,
        [CompareAction::ToggleKeep, CompareAction::RemoveLast],
    );
    assert!(state.script().leave_on_server);
    assert_eq!(state.script().acts, first_lesson().acts);
}

#[test]
fn a_lesson_chosen_opens_on_its_first_action() {
    let lesson = presets().remove(3).script;
    let state = after(
        opened(&first_lesson()),
        [
            CompareAction::Step(PlaybackAction::GoTo(2)),
            CompareAction::Open(lesson.clone()),
        ],
    );
    assert_eq!(*state.script(), lesson);
    assert_eq!(state.playback, Playback::new(lesson.acts.len()));
}

#[test]
fn a_full_script_takes_no_more_actions_and_keeps_its_step() {
    let full = Script {
        leave_on_server: false,
        acts: vec![Act::NewMail; MAX_ACTS],
    };
    let state = after(
        opened(&full),
        [
            CompareAction::Step(PlaybackAction::GoTo(5)),
            CompareAction::Shared("link".into()),
            CompareAction::Add(Act::NewMail),
        ],
    );
    assert_eq!(state.script().acts.len(), MAX_ACTS);
    assert_eq!(
        (state.playback.current, state.share_link.as_deref()),
        (5, None)
    );
}

#[test]
fn the_banner_of_a_bad_link_goes_when_dismissed_and_stays_through_edits() {
    let state = Rc::new(CompareState::new(
        &first_lesson(),
        Some("could not be opened".into()),
    ));
    let state = after(state, [CompareAction::ToggleKeep]);
    assert!(state.banner.is_some());
    assert!(after(state, [CompareAction::DismissBanner])
        .banner
        .is_none());
}
