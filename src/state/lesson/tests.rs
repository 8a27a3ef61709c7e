//! The lessons page's state: loading lesson files, playing a lesson (intro, moves, hints,
//! predictions, reset, the solution), progress kept as results, and what a teacher opens.

use postroom_sim::lesson::{FaultName, Results, FAULT_NAMES};

use super::*;
use crate::state::after;

const TODAY: &str = "2026-03-06";

fn file(name: &str) -> String {
    let path = format!("{}/static/lessons/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every lesson file of static/lessons, as the page's index lists them.
fn all_files() -> Vec<(String, Result<String, String>)> {
    let dir = format!("{}/static/lessons", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.retain(|n| n.ends_with(".json"));
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), Ok(file(&n))))
        .collect()
}

/// The list of lessons the site's build makes from the same files.
fn index() -> String {
    all_files()
        .into_iter()
        .map(|(name, text)| {
            let lesson = Lesson::parse(&text.unwrap()).unwrap();
            postroom_sim::lesson::index::line(&name, Ok(&lesson))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn fresh() -> Rc<LessonsState> {
    Rc::new(LessonsState::new(read_saved(None, None, TODAY)))
}

fn loaded() -> Rc<LessonsState> {
    after(fresh(), [LessonsAction::Loaded(all_files())])
}

fn open(state: &LessonsState) -> &Open {
    state.open.as_deref().expect("a lesson is open")
}

fn fault(name: &str) -> FaultName {
    FAULT_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| FaultName(*f))
        .unwrap()
}

#[test]
fn the_list_comes_first_and_a_lesson_fetches_its_file_as_it_opens() {
    let state = after(fresh(), [LessonsAction::Listed(index())]);
    assert_eq!(state.lessons().count(), 12);
    assert_eq!(state.fetch, None);
    // A lesson asked for: its file is fetched, and the lesson opens when it arrives.
    let state = after(state, [LessonsAction::Open("the-relay".into())]);
    assert!(state.open.is_none());
    let file = state.fetch.clone().unwrap();
    assert_eq!(file, "02-the-relay.json");
    let text = self::file(&file);
    let state = after(state, [LessonsAction::Loaded(vec![(file, Ok(text))])]);
    let o = open(&state);
    assert_eq!((o.lesson.id.as_str(), o.slide), ("the-relay", Some(0)));
    assert_eq!(state.fetch, None);
    // Fetched once: back to the list and in again needs no fetch.
    let state = after(
        state,
        [
            LessonsAction::Close,
            LessonsAction::Open("the-relay".into()),
        ],
    );
    assert_eq!((state.fetch.as_deref(), state.open.is_some()), (None, true));
}

#[test]
fn a_lesson_file_that_cannot_be_fetched_is_listed_with_why() {
    let state = after(
        fresh(),
        [
            LessonsAction::Listed(index()),
            LessonsAction::Open("greylisting".into()),
        ],
    );
    let file = state.fetch.clone().unwrap();
    let state = after(
        state,
        [LessonsAction::Loaded(vec![(
            file,
            Err("404 Not Found".into()),
        )])],
    );
    assert!(state.open.is_none());
    assert!(state
        .banner
        .as_deref()
        .unwrap()
        .contains("no lesson “greylisting”"));
    let Catalogue::Ready(entries) = &state.catalogue else {
        panic!("not ready")
    };
    assert!(entries
        .iter()
        .any(|e| e.lesson.as_ref().is_err_and(|why| why == "404 Not Found")));
    assert_eq!(state.lessons().count(), 11);
}

#[test]
fn a_comparison_lesson_on_the_list_page_leads_away_without_fetching() {
    let state = Rc::new(LessonsState::on(Page::LIST, read_saved(None, None, TODAY)));
    let state = after(
        state,
        [
            LessonsAction::Listed(index()),
            LessonsAction::Open("folders".into()),
        ],
    );
    assert_eq!(state.fetch, None);
    assert_eq!(
        state.away.as_ref().map(|a| a.url.as_str()),
        Some("lessons-compare.html#lesson=folders")
    );
}

#[test]
fn every_lesson_file_loads_and_a_bad_one_says_where() {
    let mut files = all_files();
    assert!(files.len() >= 12);
    files.push((
        "13-broken.json".into(),
        Ok(file("01-pressing-send.json").replace("\"beginner\"", "\"expert\"")),
    ));
    files.push(("14-missing.json".into(), Err("404 Not Found".into())));
    let state = after(fresh(), [LessonsAction::Loaded(files)]);
    assert_eq!(state.lessons().count(), 12);
    let Catalogue::Ready(entries) = &state.catalogue else {
        panic!("not ready")
    };
    let broken = entries.iter().find(|e| e.file == "13-broken.json").unwrap();
    let why = broken.lesson.as_ref().unwrap_err();
    assert!(why.contains("line 4") && why.contains("level"), "{why}");
}

#[test]
fn a_lesson_asked_for_before_loading_opens_once_loaded_on_its_intro() {
    let state = after(fresh(), [LessonsAction::Open("the-relay".into())]);
    assert!(state.open.is_none());
    let state = after(state, [LessonsAction::Loaded(all_files())]);
    let o = open(&state);
    assert_eq!((o.lesson.id.as_str(), o.slide), ("the-relay", Some(0)));
    // Opening it again changes nothing; an unknown lesson says so.
    let same = after(Rc::clone(&state), [LessonsAction::Open("the-relay".into())]);
    assert!(Rc::ptr_eq(&same, &state));
    let state = after(state, [LessonsAction::Open("no-such".into())]);
    assert!(state.open.is_none());
    assert!(state
        .banner
        .as_deref()
        .unwrap()
        .contains("no lesson “no-such”"));
}

#[test]
fn the_intro_steps_through_its_slides_to_the_lesson() {
    let state = after(loaded(), [LessonsAction::Open("pressing-send".into())]);
    let slides = open(&state).lesson.intro.len();
    let state = after(
        state,
        [
            LessonsAction::NextSlide,
            LessonsAction::PreviousSlide,
            LessonsAction::PreviousSlide,
        ],
    );
    assert_eq!(open(&state).slide, Some(0));
    let state = after(state, (0..slides).map(|_| LessonsAction::NextSlide));
    assert_eq!(open(&state).slide, None);
    let state = after(state, [LessonsAction::Intro]);
    assert_eq!(open(&state).slide, Some(0));
    // The arrow keys move through the slides; Start skips them.
    let state = after(
        state,
        [
            LessonsAction::Play(PlaybackAction::Forward),
            LessonsAction::Play(PlaybackAction::Last),
        ],
    );
    assert_eq!(open(&state).slide, Some(1));
    let state = after(state, [LessonsAction::Start]);
    assert_eq!(open(&state).slide, None);
}

/// Lesson 1: the story stops before each reply a prediction asks about; a wrong and a right
/// answer, then the goal is met in one move, as the solution is.
#[test]
fn pressing_send_stops_for_its_predictions_and_is_completed() {
    let state = after(
        loaded(),
        [
            LessonsAction::Open("pressing-send".into()),
            LessonsAction::Start,
        ],
    );
    // At the start no STARTTLS is sent: nothing to predict, the whole story shows.
    let o = open(&state);
    assert!(o.pending().is_none());
    assert!(!o.complete());
    let full = o.attempt.timeline().unwrap().len();
    assert_eq!(o.shown.as_ref().unwrap().len(), full);

    let state = after(
        state,
        [LessonsAction::Move(Move::ClearFault(fault("no-tls")))],
    );
    let o = open(&state);
    assert!(o.complete(), "{:?}", o.attempt.goal(&o.lesson));
    // Met, but not yet seen: the questions hold back the part of the story that meets it.
    assert!(!o.finished());
    let asked = o.pending().unwrap().clone();
    assert!(asked.options[asked.right].starts_with("220"), "{asked:?}");
    // The story is cut before the reply, and the view stays within it.
    assert_eq!(o.shown.as_ref().unwrap().len(), asked.step);
    assert!(o.playback.current < asked.step);
    let state = after(state, [LessonsAction::Play(PlaybackAction::Last)]);
    let o = open(&state);
    assert_eq!(o.playback.current, asked.step - 1);
    assert_eq!(o.asking(), Some(&asked));

    // A wrong answer: the story goes on to the real reply, with its explanation.
    let wrong = (asked.right + 1) % asked.options.len();
    let state = after(state, [LessonsAction::Answer(wrong)]);
    let o = open(&state);
    let feedback = o.feedback.as_ref().unwrap();
    assert!(!feedback.right());
    assert_eq!(o.playback.current, asked.step);
    let reply = &o.shown.as_ref().unwrap().steps[asked.step];
    assert_eq!(reply.explanation, feedback.asked.explanation);
    // The next question (AUTH): answered right.
    let auth = o.pending().unwrap().clone();
    assert!(auth.step > asked.step);
    let state = after(
        state,
        [
            LessonsAction::Play(PlaybackAction::Last),
            LessonsAction::Answer(auth.right),
        ],
    );
    let o = open(&state);
    assert!(o.feedback.as_ref().unwrap().right());
    assert!(o.pending().is_none() && o.finished());
    assert_eq!(o.shown.as_ref().unwrap().len(), full_after(o));
    assert_eq!(o.score(), (1, 1));

    let r = state
        .results
        .lessons
        .iter()
        .find(|l| l.id == "pressing-send")
        .unwrap();
    assert_eq!(
        (
            r.done,
            r.moves,
            r.solution_moves,
            r.predictions_right,
            r.predictions_wrong
        ),
        (true, 1, 1, 1, 1)
    );
    assert_eq!(state.answers["pressing-send"], [Some(false), Some(true)]);
    assert!(state.done("pressing-send"));
    assert_eq!(state.next_lesson().unwrap().id, "the-relay");
}

fn full_after(o: &Open) -> usize {
    o.attempt.timeline().unwrap().len()
}

#[test]
fn an_answer_before_the_question_is_on_screen_or_out_of_range_is_ignored() {
    let state = after(
        loaded(),
        [
            LessonsAction::Open("pressing-send".into()),
            LessonsAction::Start,
            LessonsAction::Move(Move::ClearFault(fault("no-tls"))),
            LessonsAction::Play(PlaybackAction::First),
            LessonsAction::Answer(0),
        ],
    );
    assert!(open(&state).feedback.is_none());
    let state = after(
        state,
        [
            LessonsAction::Play(PlaybackAction::Last),
            LessonsAction::Answer(99),
        ],
    );
    assert!(open(&state).feedback.is_none());
    assert_eq!(state.answers["pressing-send"], [None, None]);
}

#[test]
fn hints_come_one_at_a_time_and_reset_keeps_what_was_learnt() {
    let state = after(
        loaded(),
        [
            LessonsAction::Open("when-sending-fails".into()),
            LessonsAction::Hint,
            LessonsAction::Hint,
            LessonsAction::Hint,
            LessonsAction::Move(Move::Fault(fault("wrong-password"))),
        ],
    );
    let o = open(&state);
    assert_eq!(o.hints, o.lesson.hints.len());
    assert_eq!(o.attempt.moves().len(), 1);
    // An item ticked once stays ticked (the 535 was seen).
    assert!(o.attempt.goal(&o.lesson)[0].ticked);
    let state = after(state, [LessonsAction::Reset]);
    let o = open(&state);
    assert_eq!(
        (o.attempt.moves().len(), o.hints),
        (0, o.lesson.hints.len())
    );
    assert!(!o.attempt.goal(&o.lesson)[0].ticked);
    assert_eq!(state.results.lessons[0].hints, 2);
    // A move the lesson does not offer is refused, with the reason.
    let state = after(state, [LessonsAction::Move(Move::Keep(true))]);
    let problem = open(&state).problem.clone().unwrap();
    assert!(problem.contains("does not offer"), "{problem}");
    // In the class's language, the move named in it too.
    crate::i18n::take(
        "de",
        include_str!("../../../static/i18n/de.txt").to_string(),
    );
    let german = crate::i18n::said(&problem).to_string();
    crate::i18n::take("en", String::new());
    assert!(
        german.starts_with("Das bietet diese Lektion nicht an: "),
        "{german}"
    );
    assert!(!german.contains("does not offer"), "{german}");
}

#[test]
fn show_solution_replays_each_move_and_is_recorded() {
    let state = after(
        loaded(),
        [
            LessonsAction::Open("when-sending-fails".into()),
            LessonsAction::ShowSolution,
        ],
    );
    let o = open(&state);
    let moves = o.lesson.solution.len();
    assert_eq!(o.solution.as_ref().unwrap().at, 0);
    assert!(!o.view().complete(&o.lesson));
    let state = after(
        state,
        (0..moves + 2).map(|_| LessonsAction::SolutionStep(true)),
    );
    let o = open(&state);
    assert_eq!(o.solution.as_ref().unwrap().at, moves);
    assert!(o.view().complete(&o.lesson));
    // The student's own attempt is untouched, and not done.
    assert!(!o.complete() && o.attempt.moves().is_empty());
    assert!(
        o.pending().is_none(),
        "no questions while the solution plays"
    );
    let state = after(
        state,
        [
            LessonsAction::SolutionStep(false),
            LessonsAction::CloseSolution,
        ],
    );
    let o = open(&state);
    assert!(o.solution.is_none());
    let r = &state.results.lessons[0];
    assert!(r.solution_shown && !r.done);
}

#[test]
fn a_comparison_lesson_plays_the_comparisons_actions() {
    let state = after(loaded(), [LessonsAction::Open("offline-and-back".into())]);
    let o = open(&state);
    assert!(o.shown.is_none());
    let acts = o.playback.len;
    let state = after(
        state,
        [
            LessonsAction::Compare(CompareAction::Step(PlaybackAction::TogglePlay)),
            LessonsAction::Compare(CompareAction::Add(Act::Online(postroom_sim::Device::Phone))),
        ],
    );
    let o = open(&state);
    assert!(
        o.complete() && !o.finished(),
        "{:?}",
        o.attempt.goal(&o.lesson)
    );
    // The new action sends what the predictions ask about: both worlds stop before it, and
    // the question is on screen.
    assert_eq!((o.playback.len, o.playback.current), (acts, acts - 1));
    let asked = o.asking().unwrap().clone();
    assert_eq!(asked.step, acts);
    assert!(
        asked
            .question
            .contains("next action: phone comes back online"),
        "{}",
        asked.question
    );
    let state = after(state, [LessonsAction::Answer(asked.right)]);
    let o = open(&state);
    assert!(o.feedback.as_ref().is_some_and(Feedback::right));
    // The other question waits at the same action; answered, the action is shown.
    let other = o.asking().unwrap().right;
    let state = after(
        state,
        [LessonsAction::DismissFeedback, LessonsAction::Answer(other)],
    );
    let o = open(&state);
    assert!(o.finished());
    assert_eq!((o.playback.len, o.playback.current), (acts + 1, acts));
    assert_eq!(o.score(), (2, 0));
    assert_eq!(o.shown_compare.as_ref().unwrap().imap.len(), acts + 1);
    assert!(acts_offered().count() >= 10);
}

fn acts_offered() -> impl Iterator<Item = (Move, String)> {
    acts()
}

#[test]
fn progress_survives_a_reload_and_the_hand_in_reads_back_as_a_summary() {
    let state = after(
        loaded(),
        [
            LessonsAction::Open("greylisting".into()),
            LessonsAction::Hint,
            LessonsAction::Move(Move::Fault(fault("greylisting"))),
            LessonsAction::SetName("Sam".into()),
        ],
    );
    // Met, but done only once its questions have let the story show it.
    assert!(!state.done("greylisting"));
    let mut state = after(state, [LessonsAction::Start]);
    for _ in 0..5 {
        let Some(right) = state
            .open
            .as_deref()
            .and_then(|o| o.pending())
            .map(|a| a.right)
        else {
            break;
        };
        state = after(
            state,
            [
                LessonsAction::DismissFeedback,
                LessonsAction::Play(PlaybackAction::Last),
                LessonsAction::Answer(right),
            ],
        );
    }
    assert!(state.done("greylisting"));
    let saved_results = state.results.to_json();
    let saved_answers = encode_answers(&state.answers);
    // A reload: the same progress, the lesson ticked, its hints still shown.
    let again = Rc::new(LessonsState::new(read_saved(
        Some(&saved_results),
        Some(&saved_answers),
        TODAY,
    )));
    let again = after(
        again,
        [
            LessonsAction::Loaded(all_files()),
            LessonsAction::Open("greylisting".into()),
        ],
    );
    assert!(again.done("greylisting") && again.banner.is_none());
    let o = open(&again);
    // The moves made before the reload are made again: the world is as the student left it.
    assert_eq!(o.attempt.moves(), [Move::Fault(fault("greylisting"))]);
    assert_eq!(o.hints, 1);
    assert!(o.complete());
    assert_eq!(o.attempt, open(&state).attempt);
    // After Reset and a reload, the lesson starts from nothing; done stays done, with the
    // best move count, though the new attempt is not finished.
    let reset = after(again, [LessonsAction::Reset]);
    let again = Rc::new(LessonsState::new(read_saved(
        Some(&reset.results.to_json()),
        Some(&encode_answers(&reset.answers)),
        TODAY,
    )));
    let again = after(
        again,
        [
            LessonsAction::Loaded(all_files()),
            LessonsAction::Open("greylisting".into()),
        ],
    );
    let o = open(&again);
    assert_eq!((o.hints, o.attempt.moves().len()), (1, 0));
    assert!(!o.complete());
    let r = again
        .results
        .lessons
        .iter()
        .find(|l| l.id == "greylisting")
        .unwrap();
    assert_eq!((r.done, r.moves), (true, 1));

    let handed = state.hand_in("2026-03-09");
    assert!(state
        .results
        .to_json()
        .contains("\"attempt\": [{\"fault\": \"greylisting\"}]"));
    assert!(
        !handed.contains("attempt"),
        "the moves in progress stay in the browser"
    );
    let read = Results::parse(&handed).unwrap();
    assert_eq!(
        (read.date.as_str(), read.name.as_str()),
        ("2026-03-09", "Sam")
    );
    let teacher = after(fresh(), [LessonsAction::OpenResults(handed)]);
    let summary = teacher.teacher.clone().unwrap().unwrap();
    assert!(
        summary[0].starts_with("Sam, 2026-03-09: 1 of 1 lessons done"),
        "{summary:?}"
    );
    assert!(
        summary[1].contains("30 minutes late: done in 1 move"),
        "{summary:?}"
    );
    let teacher = after(
        teacher,
        [LessonsAction::OpenResults(
            "{\"postroom_results\": 1}".into(),
        )],
    );
    let why = teacher.teacher.clone().unwrap().unwrap_err();
    assert!(
        why.starts_with("This results file cannot be read: line 1"),
        "{why}"
    );
}

#[test]
fn a_corrupt_save_gives_a_message_and_a_fresh_start() {
    let state = LessonsState::new(read_saved(Some("{garbage"), Some("x=r"), TODAY));
    assert!(state.banner.as_deref().unwrap().contains("start fresh"));
    assert!(state.results.lessons.is_empty() && state.answers.is_empty());
    assert_eq!(state.results.date, TODAY);
}

#[test]
fn a_teachers_lesson_file_opens_or_names_its_line_and_field() {
    let text =
        file("10-greylisting.json").replace("\"id\": \"greylisting\"", "\"id\": \"my-lesson\"");
    let state = after(loaded(), [LessonsAction::OpenFile(text)]);
    assert_eq!(open(&state).lesson.id, "my-lesson");
    assert_eq!(state.lessons().count(), 13);
    let bad = file("10-greylisting.json")
        .replace("{\"fault\": \"greylisting\"}", "{\"fault\": \"meteor\"}");
    let state = after(state, [LessonsAction::OpenFile(bad)]);
    let why = state.teacher.clone().unwrap().unwrap_err();
    assert!(
        why.contains("line ") && why.contains("“solution[0].fault”") && why.contains("meteor"),
        "{why}"
    );
    // The lesson that was open stays open.
    assert_eq!(open(&state).lesson.id, "my-lesson");
    let state = after(state, [LessonsAction::OpenFile("not json at all".into())]);
    assert!(state
        .teacher
        .clone()
        .unwrap()
        .unwrap_err()
        .contains("line 1"));
}

fn on_page(page: Page) -> Rc<LessonsState> {
    let state = Rc::new(LessonsState::on(page, read_saved(None, None, TODAY)));
    after(state, [LessonsAction::Loaded(all_files())])
}

#[test]
fn each_lessons_page_runs_its_own_kind_and_sends_the_other_to_its_page() {
    // lessons.html: the list and the explorer's lessons; a comparison lesson is elsewhere.
    let list = on_page(Page::LIST);
    let compared = list.lessons().find(|l| l.compares).cloned().unwrap();
    let explored = list.lessons().find(|l| !l.compares).cloned().unwrap();
    assert_eq!(list.href(&explored), format!("#lesson={}", explored.id));
    assert_eq!(
        list.href(&compared),
        format!("lessons-compare.html#lesson={}", compared.id)
    );
    assert_eq!(list.list_href(), "#");
    let state = after(list.clone(), [LessonsAction::Open(compared.id.clone())]);
    assert!(state.open.is_none());
    assert_eq!(
        state.away,
        Some(Away {
            url: format!("lessons-compare.html#lesson={}", compared.id),
            file: None
        })
    );
    let state = after(list.clone(), [LessonsAction::Open(explored.id.clone())]);
    assert_eq!(open(&state).lesson.id, explored.id);
    assert_eq!(state.away, None);
    // A teacher's comparison lesson file goes with the student to the comparison's page.
    let text = file("07-offline-and-back.json");
    let state = after(list, [LessonsAction::OpenFile(text.clone())]);
    assert_eq!(
        state.away.as_ref().and_then(|a| a.file.clone()),
        Some(text.clone())
    );
    // lessons-compare.html: the comparison's lessons; the list and the others are elsewhere.
    let compare = on_page(Page::COMPARE);
    assert_eq!(compare.href(&compared), format!("#lesson={}", compared.id));
    assert_eq!(
        compare.href(&explored),
        format!("lessons.html#lesson={}", explored.id)
    );
    assert_eq!(compare.list_href(), "lessons.html");
    let state = after(compare.clone(), [LessonsAction::OpenFile(text)]);
    assert!(open(&state).lesson.compares());
    let state = after(compare.clone(), [LessonsAction::Open(compared.id.clone())]);
    assert!(open(&state).lesson.compares() && state.away.is_none());
    let state = after(state, [LessonsAction::Close]);
    assert_eq!(
        state.away.clone().map(|a| a.url).as_deref(),
        Some("lessons.html")
    );
    let state = after(compare, [LessonsAction::Open(explored.id.clone())]);
    assert_eq!(
        state.away.clone().map(|a| a.url),
        Some(format!("lessons.html#lesson={}", explored.id))
    );
}

/// A lesson file with a mistake is refused with its place and reason in the class's language.
#[test]
fn a_bad_lesson_file_is_explained_in_the_class_language() {
    let text = "{\n  \"id\": \"x\",\n  \"goal\": [ {\"check\": \"sent\" \"line\": \"x\"} ]\n}";
    let e = Lesson::parse(text).unwrap_err();
    assert!(e.to_string().starts_with("line 3, column "), "{e}");
    crate::i18n::take(
        "de",
        include_str!("../../../static/i18n/de.txt").to_string(),
    );
    let german = crate::i18n::said(&e.text()).to_string();
    crate::i18n::take("en", String::new());
    assert!(german.starts_with("Zeile 3, Spalte "), "{german}");
    assert!(german.contains("(fehlt ein ,?)"), "{german}");
}
