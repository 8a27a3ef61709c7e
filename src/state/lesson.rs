//! The lessons page's state: the lessons read from their files, the student's progress (the
//! hand-in's own form), the lesson being played, and what a teacher opened (a results file's
//! summary, or why a file cannot be used). Pure, no DOM: the page fetches and saves.

mod open;
mod progress;

use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_sim::compare::Act;
use postroom_sim::lesson::index::{self, Listed};
use postroom_sim::lesson::{ActCode, Lesson, Move, Results, Runners};
use yew::Reducible;

pub use open::{Carried, Feedback, Open, Solution};
pub use progress::{encode_answers, read as read_saved, Answers, Saved};

use super::compare::CompareAction;
use super::PlaybackAction;

/// One lesson file: the lesson as the list shows it, or why it cannot be read (its line
/// and field); and the whole lesson once its file is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub file: String,
    pub lesson: Result<Listed, String>,
    pub full: Option<Rc<Lesson>>,
}

impl Entry {
    fn read(file: String, text: Result<String, String>) -> Entry {
        let lesson = text
            .and_then(|t| Lesson::parse(&t).map_err(|e| crate::i18n::said(&e.text()).to_string()));
        match lesson {
            Ok(lesson) => Entry {
                file,
                lesson: Ok(Listed::of(&lesson)),
                full: Some(Rc::new(lesson)),
            },
            Err(why) => Entry {
                file,
                lesson: Err(why),
                full: None,
            },
        }
    }
}

/// The lessons, as far as they are loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Catalogue {
    Loading,
    Ready(Vec<Entry>),
    /// The list of lessons could not be fetched.
    Failed(String),
}

/// The page that lists the lessons and runs the explorer's; the page that runs the
/// comparison's. Each links one world only, so each stays within the size budget.
pub const LIST_PAGE: &str = "lessons.html";
pub const COMPARE_PAGE: &str = "lessons-compare.html";

/// The page a lessons state lives on: the worlds it runs, and whether it is the list's page
/// (elsewhere "All lessons" leads to the list's page, and so does an address with no lesson).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub runners: Runners,
    pub lists: bool,
}

impl Page {
    /// Every lesson on one page (native tests).
    pub const ALL: Page = Page {
        runners: Runners::BOTH,
        lists: true,
    };
    /// `lessons.html`: the list, and the explorer's lessons.
    pub const LIST: Page = Page {
        runners: Runners::EXPLORER,
        lists: true,
    };
    /// `lessons-compare.html`: the comparison's lessons.
    pub const COMPARE: Page = Page {
        runners: Runners::COMPARE,
        lists: false,
    };
}

/// Where the page must go instead: another lessons page's address, with the lesson file a
/// teacher opened here (that page opens it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Away {
    pub url: String,
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LessonsState {
    pub page: Page,
    /// Set when what was asked for runs on the other lessons page.
    pub away: Option<Away>,
    pub catalogue: Catalogue,
    /// Progress, kept as the results a student hands in.
    pub results: Results,
    pub answers: Answers,
    /// The lesson being played.
    pub open: Option<Rc<Open>>,
    /// A lesson asked for (`#lesson=ID`) before the lessons, or its file, were loaded.
    wanted: Option<String>,
    /// The lesson file the page is to fetch, for the lesson asked for.
    pub fetch: Option<String>,
    /// A warning under the bar: a lost save, an unknown lesson.
    pub banner: Option<String>,
    /// What a teacher opened: a results file's summary, or why a file cannot be used.
    pub teacher: Option<Result<Vec<Text>, String>>,
    /// Playback speed in percent, as on the explorer.
    pub speed: u32,
    pub bytes: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LessonsAction {
    /// The list of lessons (`lessons/index.txt`).
    Listed(String),
    /// Lesson files: each name, and its text or why it could not be fetched.
    Loaded(Vec<(String, Result<String, String>)>),
    LoadFailed(String),
    /// `#lesson=ID`: open this lesson (once the lessons are loaded).
    Open(String),
    /// Back to the list.
    Close,
    /// A teacher's lesson file, opened from disk or pasted.
    OpenFile(String),
    /// A student's results file, opened by a teacher.
    OpenResults(String),
    CloseTeacher,
    SetName(String),
    DismissBanner,
    SetSpeed(u32),
    ToggleBytes,
    // In the open lesson:
    NextSlide,
    PreviousSlide,
    /// Past the intro, to the lesson.
    Start,
    /// The intro again.
    Intro,
    Play(PlaybackAction),
    /// The comparison's own controls, in a comparison lesson.
    Compare(CompareAction),
    Move(Move),
    Hint,
    Reset,
    ShowSolution,
    SolutionStep(bool),
    CloseSolution,
    Answer(usize),
    DismissFeedback,
}

/// What the address's fragment asks for: `#lesson=ID` a lesson, anything else the list.
pub fn action_for_hash(hash: &str) -> LessonsAction {
    match hash.strip_prefix("#lesson=") {
        Some(id) if !id.is_empty() => LessonsAction::Open(id.to_string()),
        _ => LessonsAction::Close,
    }
}

impl LessonsState {
    /// The page as it opens, with every lesson runnable here: lessons loading, progress as
    /// saved.
    pub fn new(saved: Saved) -> Self {
        LessonsState::on(Page::ALL, saved)
    }

    /// The lessons page `page` as it opens.
    pub fn on(page: Page, saved: Saved) -> Self {
        LessonsState {
            page,
            away: None,
            catalogue: Catalogue::Loading,
            results: saved.results,
            answers: saved.answers,
            open: None,
            wanted: None,
            fetch: None,
            banner: saved.problem,
            teacher: None,
            speed: 100,
            bytes: false,
        }
    }

    /// The lessons that could be read, in the files' order.
    pub fn lessons(&self) -> impl Iterator<Item = &Listed> {
        let entries = match &self.catalogue {
            Catalogue::Ready(entries) => entries.as_slice(),
            _ => &[],
        };
        entries.iter().filter_map(|e| e.lesson.as_ref().ok())
    }

    /// Where a link to `lesson` points: here, or the lessons page that runs it.
    pub fn href(&self, lesson: &Listed) -> String {
        let page = match (
            self.page.runners.runs_kind(lesson.compares),
            lesson.compares,
        ) {
            (true, _) => "",
            (false, true) => COMPARE_PAGE,
            (false, false) => LIST_PAGE,
        };
        format!("{page}#lesson={}", lesson.id)
    }

    /// Where "All lessons" points.
    pub fn list_href(&self) -> &'static str {
        if self.page.lists {
            "#"
        } else {
            LIST_PAGE
        }
    }

    /// Whether the student has met this lesson's goal.
    pub fn done(&self, id: &str) -> bool {
        self.results.lessons.iter().any(|l| l.id == id && l.done)
    }

    /// The lesson after the open one, for "Next lesson".
    pub fn next_lesson(&self) -> Option<&Listed> {
        let id = &self.open.as_ref()?.lesson.id;
        self.lessons().skip_while(|l| l.id != *id).nth(1)
    }

    /// The file a student hands in, dated `today`.
    pub fn hand_in(&self, today: &str) -> String {
        let mut results = self.results.clone();
        results.date = today.to_string();
        // The moves in progress are the page's own; the teacher reads the counts.
        for lesson in &mut results.lessons {
            lesson.attempt.clear();
        }
        results.to_json()
    }

    fn open_id(&mut self, id: &str) {
        if self.open.as_ref().is_some_and(|o| o.lesson.id == id) {
            return;
        }
        if self.catalogue == Catalogue::Loading {
            self.wanted = Some(id.to_string());
            return;
        }
        let Catalogue::Ready(entries) = &self.catalogue else {
            return;
        };
        let entry = entries
            .iter()
            .find(|e| e.lesson.as_ref().is_ok_and(|l| l.id == id));
        match entry.map(|e| (e, &e.lesson)) {
            Some((_, Ok(listed))) if !self.page.runners.runs_kind(listed.compares) => {
                self.away = Some(Away {
                    url: self.href(listed),
                    file: None,
                });
            }
            Some((
                Entry {
                    full: Some(lesson), ..
                },
                _,
            )) => self.start(Rc::clone(lesson)),
            Some((entry, _)) => {
                // Its file first: the lesson opens when it arrives.
                self.fetch = Some(entry.file.clone());
                self.wanted = Some(id.to_string());
            }
            None => {
                self.open = None;
                self.banner = Some(crate::t!("lesson.no-such", id = id).to_string());
            }
        }
    }

    /// Opens `lesson` on its first slide, with the hints and answers saved for it; a lesson
    /// this page does not run sends the page to the one that does.
    fn start(&mut self, lesson: Rc<Lesson>) {
        if !self.page.runners.runs(&lesson) {
            self.away = Some(Away {
                url: self.href(&Listed::of(&lesson)),
                file: None,
            });
            return;
        }
        let saved = self.results.lessons.iter().find(|l| l.id == lesson.id);
        let carried = Carried {
            answered: self.answers.get(&lesson.id).cloned().unwrap_or_default(),
            hints: saved.map_or(0, |s| usize::try_from(s.hints).unwrap_or(0)),
            solution_shown: saved.is_some_and(|s| s.solution_shown),
            moves: saved.map(|s| s.attempt.clone()).unwrap_or_default(),
        };
        match Open::new(lesson, self.page.runners, carried) {
            Ok(open) => {
                self.open = Some(Rc::new(open));
                self.record();
            }
            Err(why) => {
                self.open = None;
                self.banner = Some(crate::t!("lesson.cannot-start", why = why).to_string());
            }
        }
    }

    /// Keeps the open lesson's result and answers in the progress.
    fn record(&mut self) {
        let Some(open) = &self.open else {
            return;
        };
        let id = &open.lesson.id;
        let result = open.result(self.results.lessons.iter().find(|l| l.id == *id));
        self.answers.insert(id.clone(), open.answered.clone());
        self.results.record(result);
    }

    /// A lesson file a teacher opened: it joins the list (in place of one with its id) and
    /// opens; a bad file is refused with its line and field.
    fn open_file(&mut self, text: &str) {
        match Lesson::parse(text) {
            Ok(lesson) if !self.page.runners.runs(&lesson) => {
                self.away = Some(Away {
                    url: self.href(&Listed::of(&lesson)),
                    file: Some(text.to_string()),
                });
            }
            Ok(lesson) => {
                let lesson = Rc::new(lesson);
                let entry = Entry {
                    file: "your file".into(),
                    lesson: Ok(Listed::of(&lesson)),
                    full: Some(Rc::clone(&lesson)),
                };
                if let Catalogue::Ready(entries) = &mut self.catalogue {
                    entries.retain(|e| e.lesson.as_ref().map_or(true, |l| l.id != lesson.id));
                    entries.push(entry);
                } else {
                    self.catalogue = Catalogue::Ready(vec![entry]);
                }
                self.teacher = None;
                self.open = None;
                self.start(lesson);
            }
            Err(e) => {
                let why = e.text();
                self.teacher = Some(Err(crate::t!("lesson.bad-file", why = why).to_string()));
            }
        }
    }

    /// An action inside the open lesson.
    fn in_lesson(&mut self, action: LessonsAction) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        let open = Rc::make_mut(open);
        // During the intro, the arrow keys (and a clicker) move through the slides.
        let action = match (open.slide, action) {
            (Some(_), LessonsAction::Play(PlaybackAction::Forward)) => LessonsAction::NextSlide,
            (Some(_), LessonsAction::Play(PlaybackAction::Back)) => LessonsAction::PreviousSlide,
            (Some(_), LessonsAction::Play(_)) => return,
            (_, action) => action,
        };
        match action {
            LessonsAction::NextSlide => open.next_slide(),
            LessonsAction::PreviousSlide => open.previous_slide(),
            LessonsAction::Intro => open.slide = Some(0),
            LessonsAction::Start => open.slide = None,
            LessonsAction::Play(action) => open.play(action),
            LessonsAction::Compare(CompareAction::Step(action)) => open.play(action),
            LessonsAction::Compare(CompareAction::Add(act)) => open.make(&Move::Act(ActCode(act))),
            LessonsAction::Compare(CompareAction::ToggleKeep) => {
                let keep = match open.view().world() {
                    postroom_sim::lesson::World::Compare(c) => c.script.leave_on_server,
                    _ => false,
                };
                open.make(&Move::Keep(!keep));
            }
            LessonsAction::Move(mv) => open.make(&mv),
            LessonsAction::Hint => open.hint(),
            LessonsAction::Reset => open.reset(),
            LessonsAction::ShowSolution => open.show_solution(),
            LessonsAction::SolutionStep(forward) => open.solution_step(forward),
            LessonsAction::CloseSolution => open.close_solution(),
            LessonsAction::Answer(option) => open.answer(option),
            LessonsAction::DismissFeedback => open.feedback = None,
            _ => {}
        }
        self.record();
    }
}

/// What a comparison lesson's "add an action" offers: every action of the comparison.
pub fn acts() -> impl Iterator<Item = (Move, String)> {
    Act::ALL.iter().map(|a| {
        let mv = Move::Act(ActCode(*a));
        let label = crate::i18n::opening(&mv.label()).to_string();
        (mv, label)
    })
}

impl Reducible for LessonsState {
    type Action = LessonsAction;

    fn reduce(self: Rc<Self>, action: LessonsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LessonsAction::Listed(text) => {
                let entries = index::read(&text)
                    .into_iter()
                    .map(|(file, lesson)| Entry {
                        file,
                        lesson,
                        full: None,
                    })
                    .collect();
                next.catalogue = Catalogue::Ready(entries);
                if let Some(id) = next.wanted.take() {
                    next.open_id(&id);
                }
            }
            LessonsAction::Loaded(files) => {
                // Each file in its place in the list (the whole list, if none was read).
                let mut entries = match std::mem::replace(&mut next.catalogue, Catalogue::Loading) {
                    Catalogue::Ready(entries) => entries,
                    _ => Vec::new(),
                };
                for (file, text) in files {
                    let entry = Entry::read(file, text);
                    match entries.iter_mut().find(|e| e.file == entry.file) {
                        Some(listed) => *listed = entry,
                        None => entries.push(entry),
                    }
                }
                next.catalogue = Catalogue::Ready(entries);
                next.fetch = None;
                if let Some(id) = next.wanted.take() {
                    next.open_id(&id);
                }
            }
            LessonsAction::LoadFailed(why) => {
                next.catalogue = Catalogue::Failed(why);
                next.wanted = None;
            }
            LessonsAction::Open(id) => next.open_id(&id),
            LessonsAction::Close => {
                next.open = None;
                next.wanted = None;
                if !next.page.lists {
                    next.away = Some(Away {
                        url: LIST_PAGE.into(),
                        file: None,
                    });
                }
            }
            LessonsAction::OpenFile(text) => next.open_file(&text),
            LessonsAction::OpenResults(text) => {
                next.teacher = Some(
                    Results::parse(&text)
                        .map(|r| r.summary())
                        .map_err(|e| crate::t!("lesson.bad-results", why = e.text()).to_string()),
                );
            }
            LessonsAction::CloseTeacher => next.teacher = None,
            LessonsAction::SetName(name) => next.results.name = name.chars().take(100).collect(),
            LessonsAction::DismissBanner => next.banner = None,
            LessonsAction::SetSpeed(speed) => next.speed = speed,
            LessonsAction::ToggleBytes => next.bytes = !self.bytes,
            other => next.in_lesson(other),
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
