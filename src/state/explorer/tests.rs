//! The explorer's state as a class uses it: stepping, injecting a fault where the class is,
//! Bob doing one more thing, composing and sharing.

use postroom_sim::Device;

use super::*;
use crate::state::after;
use crate::state::compose::Field;

fn opened_at(step: usize) -> Rc<ExplorerState> {
    Rc::new(ExplorerState::new(Start {
        scenario: Scenario::default(),
        step,
        banner: None,
    }))
}

fn timeline(state: &ExplorerState) -> &Rc<Timeline> {
    state.timeline.as_ref().unwrap()
}

fn label_here(state: &ExplorerState) -> String {
    timeline(state).steps[state.playback.current].label()
}

fn step_of(state: &ExplorerState, label_start: &str) -> usize {
    timeline(state)
        .steps
        .iter()
        .position(|s| s.label().starts_with(label_start))
        .unwrap()
}

use ExplorerAction::*;

#[test]
fn the_page_resumes_at_the_saved_step_or_at_the_last_one() {
    let state = opened_at(12);
    assert_eq!(state.playback.current, 12);
    let len = timeline(&state).len();
    assert_eq!(opened_at(99_999).playback.current, len - 1);
    assert!(!state.playback.playing && !state.composing && state.share_link.is_none());
}

#[test]
fn stepping_moves_the_step_only_and_never_runs_the_world_again() {
    let state = opened_at(0);
    let next = Rc::clone(&state).reduce(Play(PlaybackAction::Forward));
    assert_eq!(next.playback.current, 1);
    assert!(Rc::ptr_eq(timeline(&next), timeline(&state)));
    // Nothing to go back to: the same state, so the page does not render again.
    let same = Rc::clone(&state).reduce(Play(PlaybackAction::Back));
    assert!(Rc::ptr_eq(&same, &state));
}

#[test]
fn greylisting_injected_at_step_5_keeps_the_class_on_step_5() {
    let state = opened_at(4);
    let before = timeline(&state).len();
    let state = after(state, [InjectFault(Fault::Greylisting)]);
    assert!(timeline(&state).len() > before, "the retry adds steps");
    assert_eq!(state.playback.current, 4);
    assert_eq!(state.scenario.faults, [Fault::Greylisting]);
    // Chosen once, it is not offered again, and choosing it again changes nothing.
    assert!(!state.faults_here().contains(&Fault::Greylisting));
    let again = state;
    assert!(Rc::ptr_eq(
        &Rc::clone(&again).reduce(InjectFault(Fault::Greylisting)),
        &again
    ));
}

#[test]
fn a_wrong_password_injected_after_auth_goes_back_to_auth() {
    let state = after(opened_at(29), [InjectFault(Fault::WrongPassword)]);
    assert!(
        label_here(&state).starts_with("AUTH PLAIN "),
        "{}",
        label_here(&state)
    );
    let state = after(state, [Play(PlaybackAction::Forward)]);
    assert!(
        label_here(&state).starts_with("535 "),
        "{}",
        label_here(&state)
    );
}

#[test]
fn the_menu_offers_a_lost_packet_or_a_dropped_connection_only_where_they_can_happen() {
    let state = opened_at(0);
    let dele = step_of(&state, "DELE 1");
    let state = after(state, [Play(PlaybackAction::GoTo(dele))]);
    let n = u32::try_from(dele).unwrap();
    let offered = state.faults_here();
    assert_eq!(offered[..2], [Fault::LossAt(n), Fault::DropAfter(n)]);
    assert_eq!(offered.len(), 2 + FAULTS.len());
    // A DNS lookup crosses no TCP connection: nothing to lose or drop there.
    let dns = step_of(&state, "QUERY example.net");
    let state = after(state, [Play(PlaybackAction::GoTo(dns))]);
    assert_eq!(state.faults_here(), FAULTS);
}

#[test]
fn the_connection_dropped_right_here_keeps_the_class_where_it_was() {
    let state = opened_at(0);
    let dele = step_of(&state, "DELE 1");
    let n = u32::try_from(dele).unwrap();
    let state = after(
        state,
        [
            Play(PlaybackAction::GoTo(dele)),
            InjectFault(Fault::DropAfter(n)),
        ],
    );
    assert_eq!(state.playback.current, dele);
    assert!(!state.faults_here().contains(&Fault::DropAfter(n)));
    let state = after(state, [Play(PlaybackAction::Forward)]);
    assert!(
        label_here(&state).contains("the connection drops here"),
        "{}",
        label_here(&state)
    );
}

#[test]
fn bob_checks_once_more_and_the_view_goes_to_the_first_new_step() {
    let state = opened_at(3);
    let before = timeline(&state).len();
    let state = after(state, [AddAction(Action::Check(Device::Laptop))]);
    assert!(timeline(&state).len() > before);
    assert_eq!(state.playback.current, before);
    // The laptop's new session starts with its TLS handshake (IMAP on 993).
    assert!(
        label_here(&state).starts_with("-- TLS handshake first (port 993)"),
        "{}",
        label_here(&state)
    );
}

#[test]
fn the_next_email_comes_after_the_story_so_far() {
    let state = after(opened_at(3), [ToggleCompose]);
    let before = timeline(&state).len();
    let mut next = state.scenario.clone();
    next.send_later("Dessert too?", "And cake.").unwrap();
    let state = after(state, [SendNext(next)]);
    assert!(!state.composing);
    assert_eq!(state.playback.current, before);
    assert!(
        label_here(&state).starts_with("220 "),
        "{}",
        label_here(&state)
    );
}

#[test]
fn composing_a_new_story_opens_it_at_step_1_and_the_same_story_keeps_the_step() {
    let mut grey = Scenario::default();
    grey.faults.push(Fault::Greylisting);
    let state = after(
        opened_at(10),
        [
            Shared("#s=v1.x".into()),
            ToggleCompose,
            Compose(grey.clone()),
        ],
    );
    assert_eq!(state.scenario, grey);
    assert_eq!(
        (
            state.playback.current,
            state.composing,
            state.share_link.as_deref()
        ),
        (0, false, None)
    );
    let state = after(state, [Play(PlaybackAction::GoTo(7)), ToggleCompose]);
    let state = after(state, [Compose(grey)]);
    assert_eq!((state.playback.current, state.composing), (7, false));
}

#[test]
fn the_speed_outlives_the_scenario_and_the_byte_view_does_not() {
    let state = after(opened_at(0), [SetSpeed(200), ToggleBytes]);
    assert_eq!((state.speed, state.bytes), (200, true));
    let state = after(state, [InjectFault(Fault::NoMxRecord)]);
    assert_eq!((state.speed, state.bytes), (200, false));
}

#[test]
fn a_scenario_that_cannot_run_keeps_the_story_and_says_why_beside_the_field() {
    let state = after(opened_at(5), [ToggleCompose]);
    let len = timeline(&state).len();
    let bad_from = Scenario {
        from: "alice@".into(),
        ..Scenario::default()
    };
    let state = after(state, [Compose(bad_from)]);
    // The page keeps the story and the step; the panel stays open with the problem.
    assert_eq!(
        (state.scenario.clone(), state.playback.current),
        (Scenario::default(), 5)
    );
    assert_eq!(timeline(&state).len(), len);
    assert!(state.composing);
    let problem = state.problem.clone().unwrap();
    assert_eq!(problem.field, Field::From);
    assert!(
        problem
            .message
            .contains("\"alice@\" is not a valid sender address"),
        "{}",
        problem.message
    );
    assert!(problem.message.contains("name@domain"));
    // The same domain on both sides: said beside the recipient.
    let same_domain = Scenario {
        to: "bob@example.org".into(),
        ..Scenario::default()
    };
    let state = after(state, [Compose(same_domain)]);
    let problem = state.problem.clone().unwrap();
    assert_eq!(problem.field, Field::To);
    assert!(problem.message.contains("different mail domains"));
    // Closing the panel forgets it; a scenario that runs clears it too.
    assert!(after(Rc::clone(&state), [CloseCompose]).problem.is_none());
    let mut grey = Scenario::default();
    grey.faults.push(Fault::Greylisting);
    let state = after(state, [Compose(grey)]);
    assert!(state.problem.is_none() && !state.composing);
}

#[test]
fn a_link_that_cannot_run_opens_the_classroom_example_and_says_why() {
    let state = ExplorerState::new(Start {
        scenario: Scenario {
            to: "bob@example.org".into(),
            ..Scenario::default()
        },
        step: 3,
        banner: None,
    });
    assert_eq!(state.scenario, Scenario::default());
    assert!(state.banner.unwrap().contains("different mail domains"));
}

#[test]
fn a_change_to_the_story_retires_the_share_link() {
    let state = after(opened_at(4), [Shared("#s=v1.x&step=5".into())]);
    // Stepping keeps it: the link still opens this story.
    let state = after(state, [Play(PlaybackAction::Forward)]);
    assert!(state.share_link.is_some());
    let state = after(state, [InjectFault(Fault::Greylisting)]);
    assert!(state.share_link.is_none());
    let state = after(
        state,
        [
            Shared("#s=v1.y".into()),
            AddAction(Action::Check(Device::Laptop)),
        ],
    );
    assert!(state.share_link.is_none());
    let state = after(state, [Shared("#s=v1.y".into()), DismissShare]);
    assert!(state.share_link.is_none());
}

#[test]
fn the_banner_goes_when_dismissed() {
    let state = Rc::new(ExplorerState::new(Start {
        scenario: Scenario::default(),
        step: 0,
        banner: Some("The shared link could not be opened.".into()),
    }));
    assert!(state.banner.is_some());
    assert!(after(state, [DismissBanner]).banner.is_none());
}
