//! Server-side renders of the lessons page's parts at known states: the picker with a lesson
//! done and a broken file, a lesson's question and its answer, the goal, the moves each kind
//! of lesson offers, and the page itself as it opens. Fast, native view tests.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::rc::Rc;

use postroom::components::lesson::{goal_panel, help_panel, moves, picker, prediction};
use postroom::pages::lessons::{LessonsApp, LessonsProps, COMPARE, LIST};
use postroom::state::lesson::{read_saved, LessonsAction, LessonsState};
use postroom::state::PlaybackAction;
use postroom_sim::lesson::{FaultName, Move, FAULT_NAMES};
use yew::{function_component, Callback, Html, LocalServerRenderer, Properties, Reducible};

#[derive(Properties, PartialEq)]
struct ShowProps {
    html: Html,
}

#[function_component]
fn Show(props: &ShowProps) -> Html {
    props.html.clone()
}

async fn render(html: Html) -> String {
    LocalServerRenderer::<Show>::with_props(ShowProps { html })
        .hydratable(false)
        .render()
        .await
}

fn files() -> Vec<(String, Result<String, String>)> {
    let dir = format!("{}/static/lessons", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
            (n, Ok(text))
        })
        .collect()
}

fn after(actions: impl IntoIterator<Item = LessonsAction>) -> Rc<LessonsState> {
    let state = Rc::new(LessonsState::new(read_saved(None, None, "2026-03-06")));
    let state = state.reduce(LessonsAction::Loaded(files()));
    actions.into_iter().fold(state, Reducible::reduce)
}

fn fault(name: &str) -> Move {
    let f = FAULT_NAMES.iter().find(|(n, _)| *n == name).unwrap().1;
    Move::Fault(FaultName(f))
}

#[tokio::test]
async fn the_page_opens_loading_the_lessons() {
    // Both lessons pages open the same way, on the lessons tab.
    for page in [&LIST, &COMPARE] {
        let html = LocalServerRenderer::<LessonsApp>::with_props(LessonsProps { page })
            .hydratable(false)
            .render()
            .await;
        assert!(html.contains("Loading the lessons…"), "{html}");
        assert!(html.contains("Download my results") && html.contains("For teachers"));
        assert!(html.contains(r#"href="lessons.html""#) && html.contains("aria-current=\"page\""));
    }
}

#[tokio::test]
async fn the_picker_groups_by_level_ticks_what_is_done_and_lists_broken_files() {
    let mut done = after([
        LessonsAction::Open("greylisting".into()),
        LessonsAction::Start,
        LessonsAction::Move(fault("greylisting")),
    ]);
    // Done once its question has let the story show the goal met.
    for _ in 0..5 {
        let Some(right) = done
            .open
            .as_deref()
            .and_then(|o| o.pending())
            .map(|a| a.right)
        else {
            break;
        };
        done = [
            LessonsAction::DismissFeedback,
            LessonsAction::Play(PlaybackAction::Last),
            LessonsAction::Answer(right),
        ]
        .into_iter()
        .fold(done, Reducible::reduce);
    }
    let mut state = (*done.reduce(LessonsAction::Close)).clone();
    let mut broken = files();
    broken.push(("13-mine.json".into(), Ok("{\"id\": \"Mine\"}".into())));
    state = (*Rc::new(state).reduce(LessonsAction::Loaded(broken))).clone();
    let html = render(picker(&state)).await;
    for level in ["Beginner", "Intermediate", "Advanced"] {
        assert!(html.contains(&format!(">{level}</h2>")), "{level}");
    }
    assert_eq!(html.matches("href=\"#lesson=").count(), 12);
    let done = &html[html.find("data-lesson=\"greylisting\"").unwrap()..];
    let done = &done[..done.find("</li>").unwrap()];
    assert!(
        done.contains("✓") && done.contains("Done in 1 move") && done.contains("(done)"),
        "{done}"
    );
    assert_eq!(html.matches("picker__lesson--done").count(), 1);
    assert!(
        html.contains("13-mine.json</strong>: line 1, column 1: missing field “title”"),
        "{html}"
    );
}

#[tokio::test]
async fn a_question_then_its_answer_with_the_real_explanation() {
    let state = after([
        LessonsAction::Open("pressing-send".into()),
        LessonsAction::Start,
        LessonsAction::Move(Move::ClearFault(FaultName(FAULT_NAMES[1].1))),
        LessonsAction::Play(PlaybackAction::Last),
    ]);
    let open = state.open.as_deref().unwrap();
    let on = Callback::noop();
    let html = render(prediction(open, &on)).await;
    assert!(
        html.contains("Submission server receives “STARTTLS”. What will it answer?"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"predict__option\"").count(), 4);
    let right = open.pending().unwrap().right;
    let wrong = (right + 1) % 4;
    let state = state.reduce(LessonsAction::Answer(wrong));
    let html = render(prediction(state.open.as_deref().unwrap(), &on)).await;
    assert!(
        html.contains("✗ Not quite") && html.contains("You chose: "),
        "{html}"
    );
    assert!(html.contains("220 2.0.0 Ready to start TLS"));
    assert!(html.contains("https://www.rfc-editor.org/rfc/rfc3207#section-4"));
    // Another question (AUTH) still holds the story back: the goal is judged after it.
    let next = state.next_lesson().map(|l| (l, state.href(l)));
    let html = render(goal_panel(state.open.as_deref().unwrap(), next, "#")).await;
    assert!(html.contains("checked after your answer"), "{html}");
    assert!(!html.contains("goal__item--ticked") && !html.contains("Lesson complete"));
    let auth = state.open.as_deref().unwrap().pending().unwrap().right;
    let state = state
        .reduce(LessonsAction::Play(PlaybackAction::Last))
        .reduce(LessonsAction::Answer(auth));
    // The goal is met: ticked items, the move count, the completion panel and the next lesson.
    let next = state.next_lesson().map(|l| (l, state.href(l)));
    let html = render(goal_panel(state.open.as_deref().unwrap(), next, "#")).await;
    assert_eq!(html.matches("goal__item--ticked").count(), 4);
    assert!(html.contains("Your moves: 1 · the solution takes 1"));
    assert!(
        html.contains("✓ Lesson complete") && html.contains("href=\"#lesson=the-relay\""),
        "{html}"
    );
}

#[tokio::test]
async fn each_lesson_offers_the_moves_it_allows() {
    let on = Callback::noop();
    let moves_of = |id: &str| after([LessonsAction::Open(id.into()), LessonsAction::Start]);
    // Faults: a box each, ticked for the faults in the story.
    let state = moves_of("pressing-send");
    let html = render(moves(state.open.as_deref().unwrap(), &on)).await;
    assert_eq!(html.matches("data-fault=").count(), FAULT_NAMES.len());
    assert!(html.contains("(1 ticked)"), "{html}");
    assert!(!html.contains("data-action=\"bob\"") && !html.contains("name=\"server\""));
    // Settings and "+ Bob…": each device's dialog with its settings now.
    let state = moves_of("account-setup");
    let html = render(moves(state.open.as_deref().unwrap(), &on)).await;
    assert!(html.contains("data-action=\"bob\"") && html.contains("Bob's laptop checks mail"));
    assert!(html.contains("Bob's laptop: account settings") && html.contains("name=\"security\""));
    assert!(html.contains("value=\"imap.example.net\""), "{html}");
    // Alice's outgoing server: its own dialog, with the broken settings the lesson starts from.
    assert!(
        html.contains("Alice's mail program: outgoing server"),
        "{html}"
    );
    assert!(html.contains("value=\"smtp.example.com\"") && html.contains("value=\"25\""));
    assert!(html.contains("<option value=\"none\" selected"), "{html}");
    // Step faults: at the step on screen.
    let state = moves_of("drop-before-quit");
    let html = render(moves(state.open.as_deref().unwrap(), &on)).await;
    assert!(html.contains("Drop the connection after step 1"), "{html}");
    // Compose: a new email.
    let state = moves_of("inside-data");
    let html = render(moves(state.open.as_deref().unwrap(), &on)).await;
    assert!(html.contains("Alice writes a new email") && html.contains("name=\"subject\""));
    // The comparison: its actions.
    let state = moves_of("folders");
    let html = render(moves(state.open.as_deref().unwrap(), &on)).await;
    assert!(
        html.contains("data-action=\"act\"") && html.contains("Laptop files a message in “Work”"),
        "{html}"
    );
    let html = render(help_panel(state.open.as_deref().unwrap(), &on)).await;
    assert!(
        html.contains("Hint (0 of 1)") && html.contains("Show solution"),
        "{html}"
    );
}

#[tokio::test]
async fn a_comparison_lesson_asks_what_one_worlds_server_will_answer() {
    let state = after([
        LessonsAction::Open("folders".into()),
        LessonsAction::Start,
        LessonsAction::Play(PlaybackAction::Last),
    ]);
    let open = state.open.as_deref().unwrap();
    // The comparison stops before the phone's check: its actions so far, and the question.
    assert_eq!(open.shown_compare.as_ref().unwrap().script.acts.len(), 2);
    let on = Callback::noop();
    let html = render(prediction(open, &on)).await;
    assert!(
        html.contains("POP3 world, next action: phone checks mail. The phone sends “STAT”."),
        "{html}"
    );
    assert_eq!(html.matches("class=\"predict__option\"").count(), 4);
    assert_eq!(html.matches("<code>+OK ").count(), 4, "{html}");
    let right = open.pending().unwrap().right;
    let state = state.reduce(LessonsAction::Answer(right));
    let open = state.open.as_deref().unwrap();
    let html = render(prediction(open, &on)).await;
    assert!(
        html.contains("✓ Right!") && html.contains("+OK 2 283"),
        "{html}"
    );
    assert!(html.contains("https://www.rfc-editor.org/rfc/rfc1939#section-"));
    assert_eq!(open.shown_compare.as_ref().unwrap().script.acts.len(), 4);
}
