//! The hand-in: a student's results as a small JSON file (lessons done, predictions right and
//! wrong, moves against the solution's, the date), and the summary a teacher reads. The page
//! may keep its progress in the same form. Bad files are refused with the field named.

use postroom_proto::i18n::Text;
use postroom_proto::text;
use serde::{Deserialize, Serialize};

use super::json::{self, quote, FormatError};
use super::moves::Move;

/// The results format this build writes; older ones are read, newer ones refused.
pub const RESULTS_FORMAT: u32 = 1;

/// One lesson's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonResult {
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// Every goal item ticked.
    pub done: bool,
    /// The student's moves, and the solution's (the "golf" score).
    pub moves: u32,
    pub solution_moves: u32,
    pub predictions_right: u32,
    pub predictions_wrong: u32,
    #[serde(default)]
    pub hints: u32,
    #[serde(default)]
    pub solution_shown: bool,
    /// The moves of the attempt in progress: the page keeps them, so a reload goes on where
    /// the student was. Left out of the file a student hands in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempt: Vec<Move>,
}

/// A student's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    /// The format, so a file from a newer page is told apart.
    pub postroom_results: u32,
    /// `YYYY-MM-DD`, the day the file was written.
    pub date: String,
    /// What the student typed as their name, if anything.
    #[serde(default)]
    pub name: String,
    pub lessons: Vec<LessonResult>,
}

/// No count in a results file is larger (a lesson takes dozens of moves, not millions).
const MAX_COUNT: u32 = 100_000;

impl Results {
    pub fn new(date: &str) -> Results {
        Results {
            postroom_results: RESULTS_FORMAT,
            date: date.to_string(),
            name: String::new(),
            lessons: Vec::new(),
        }
    }

    /// Reads a results file; a clear error naming the line and the field otherwise.
    pub fn parse(text: &str) -> Result<Results, FormatError> {
        json::read_checked(text, Results::validate)
    }

    /// The file the student downloads: the serde form, written without a JSON library.
    pub fn to_json(&self) -> String {
        let lessons: Vec<String> = self
            .lessons
            .iter()
            .map(|l| {
                let attempt = match l.attempt.as_slice() {
                    [] => String::new(),
                    moves => {
                        let moves: Vec<String> = moves.iter().map(Move::to_json).collect();
                        format!(", \"attempt\": [{}]", moves.join(", "))
                    }
                };
                format!(
                    "    {{\"id\": {}, \"title\": {}, \"done\": {}, \"moves\": {}, \"solution_moves\": {}, \"predictions_right\": {}, \"predictions_wrong\": {}, \"hints\": {}, \"solution_shown\": {}{attempt}}}",
                    quote(&l.id),
                    quote(&l.title),
                    l.done,
                    l.moves,
                    l.solution_moves,
                    l.predictions_right,
                    l.predictions_wrong,
                    l.hints,
                    l.solution_shown
                )
            })
            .collect();
        let lessons = if lessons.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n  ]", lessons.join(",\n"))
        };
        format!(
            "{{\n  \"postroom_results\": {},\n  \"date\": {},\n  \"name\": {},\n  \"lessons\": {lessons}\n}}\n",
            self.postroom_results,
            quote(&self.date),
            quote(&self.name)
        )
    }

    /// Keeps a lesson's latest result, in place of any earlier one for it.
    pub fn record(&mut self, result: LessonResult) {
        match self.lessons.iter_mut().find(|l| l.id == result.id) {
            Some(entry) => *entry = result,
            None => self.lessons.push(result),
        }
    }

    /// What a teacher reads: a heading line, then one line per lesson.
    pub fn summary(&self) -> Vec<Text> {
        let who = match self.name.trim() {
            "" => text!("lesson.summary.someone"),
            name => Text::verbatim(name),
        };
        let done = self.lessons.iter().filter(|l| l.done).count();
        let right: u32 = self.lessons.iter().map(|l| l.predictions_right).sum();
        let asked: u32 = self
            .lessons
            .iter()
            .map(|l| l.predictions_right + l.predictions_wrong)
            .sum();
        let mut out = vec![text!(
            "lesson.summary.head",
            who = &who,
            date = self.date.as_str(),
            done = done,
            lessons = self.lessons.len(),
            right = right,
            asked = asked
        )];
        for l in &self.lessons {
            let name = if l.title.is_empty() { &l.id } else { &l.title };
            let (name, moves, solution) = (name.as_str(), l.moves, l.solution_moves);
            let (right, wrong) = (l.predictions_right, l.predictions_wrong);
            let mut line = if l.done {
                text!(
                    "lesson.summary.done",
                    name = name,
                    moves = moves,
                    solution = solution,
                    right = right,
                    wrong = wrong
                )
            } else {
                text!(
                    "lesson.summary.not-done",
                    name = name,
                    moves = moves,
                    solution = solution,
                    right = right,
                    wrong = wrong
                )
            };
            if l.hints > 0 {
                line = text!("lesson.summary.hints", line = &line, hints = l.hints);
            }
            if l.solution_shown {
                line = text!("lesson.summary.looked", line = &line);
            }
            out.push(text!("lesson.summary.end", line = &line));
        }
        out
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let err = |field: String, why: &str| Err((field, why.to_string()));
        match self.postroom_results {
            0 => return err("postroom_results".into(), "the format number starts at 1"),
            n if n > RESULTS_FORMAT => {
                return Err((
                    "postroom_results".into(),
                    format!("this file was written by a newer Postroom (format {n}); this page reads format {RESULTS_FORMAT}"),
                ))
            }
            _ => {}
        }
        if !is_date(&self.date) {
            return err(
                "date".into(),
                "a date is written YYYY-MM-DD, e.g. 2026-03-06",
            );
        }
        if self.name.chars().count() > 100 {
            return err("name".into(), "a name is at most 100 characters");
        }
        if self.lessons.len() > 500 {
            return err("lessons".into(), "a results file holds at most 500 lessons");
        }
        for (i, l) in self.lessons.iter().enumerate() {
            if l.id.is_empty() || l.id.chars().count() > 48 {
                return err(
                    format!("lessons[{i}].id"),
                    "a lesson id is 1 to 48 characters",
                );
            }
            if l.title.chars().count() > 200 {
                return err(
                    format!("lessons[{i}].title"),
                    "a title is at most 200 characters",
                );
            }
            if self.lessons.iter().take(i).any(|other| other.id == l.id) {
                return err(format!("lessons[{i}].id"), "this lesson is listed twice");
            }
            for (field, n) in [
                ("moves", l.moves),
                ("solution_moves", l.solution_moves),
                ("predictions_right", l.predictions_right),
                ("predictions_wrong", l.predictions_wrong),
                ("hints", l.hints),
            ] {
                if n > MAX_COUNT {
                    return err(
                        format!("lessons[{i}].{field}"),
                        "this count is too large to be real",
                    );
                }
            }
        }
        Ok(())
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_round_trip_and_read_as_a_summary() {
        let mut r = Results::new("2026-03-06");
        r.name = "Sam".into();
        let mut l = LessonResult {
            id: "pressing-send".into(),
            title: String::new(),
            done: false,
            moves: 2,
            solution_moves: 1,
            predictions_right: 2,
            predictions_wrong: 1,
            hints: 0,
            solution_shown: false,
            attempt: Vec::new(),
        };
        r.record(l.clone());
        l.done = true;
        l.hints = 1;
        r.record(l);
        assert_eq!(r.lessons.len(), 1);
        let text = r.to_json();
        assert_eq!(Results::parse(&text).unwrap(), r);
        let summary = r.summary();
        assert_eq!(
            summary[0],
            "Sam, 2026-03-06: 1 of 1 lessons done; 2 of 3 predictions right."
        );
        assert!(
            summary[1].contains("done in 2 moves (the solution takes 1)"),
            "{summary:?}"
        );
    }

    #[test]
    fn an_attempt_in_progress_reads_back_with_the_pages_own_step_faults() {
        let mut r = Results::new("2026-03-06");
        let moves = [
            r#"{"fault": "no-mx"}"#,
            r#"{"drop_after_step": 7}"#,
            r#"{"lose_at_step": 0}"#,
            r#"{"set": {"device": "phone", "protocol": "imap", "keep": true, "server": "mx.\"b\"", "user": "bob", "password": "pw", "port": 993, "security": "tls"}}"#,
            r#"{"compose": {"subject": "Hi “you”", "body": "line 1\nline 2"}}"#,
            r#"{"act": "pc"}"#,
            r#"{"keep": false}"#,
        ];
        let text = format!(
            "{{\"postroom_results\": 1, \"date\": \"2026-03-06\", \"lessons\": [{{\"id\": \"a\", \"done\": false, \"moves\": 7, \"solution_moves\": 1, \"predictions_right\": 0, \"predictions_wrong\": 0, \"attempt\": [{}]}}]}}",
            moves.join(", ")
        );
        let read = Results::parse(&text).unwrap();
        let attempt = &read.lessons[0].attempt;
        assert_eq!(attempt.len(), moves.len());
        assert_eq!(attempt[1], Move::DropAfterStep(7));
        let written: Vec<String> = attempt.iter().map(Move::to_json).collect();
        assert_eq!(written, moves);
        r.record(read.lessons[0].clone());
        assert_eq!(Results::parse(&r.to_json()).unwrap(), r);
    }

    #[test]
    fn bad_results_name_the_field() {
        let good = Results::new("2026-03-06").to_json();
        for (text, field, why) in [
            (good.replace("2026-03-06", "2026-02-30"), "date", "YYYY-MM-DD"),
            (good.replace("\"postroom_results\": 1", "\"postroom_results\": 9"), "postroom_results", "newer Postroom"),
            (good.replace("\"date\"", "\"day\""), "day", "unknown field"),
            ("{\"postroom_results\": 1, \"date\": \"2026-03-06\", \"lessons\": [{\"id\": \"a\", \"done\": \"yes\"}]}".to_string(), "lessons[0].done", "expected true or false"),
        ] {
            let e = Results::parse(&text).unwrap_err();
            assert!(e.message.contains(why), "{e}");
            if !field.is_empty() {
                assert_eq!(e.field, field, "{e}");
            }
        }
        let twice = "{\"postroom_results\": 1, \"date\": \"2026-03-06\", \"lessons\": [\n{\"id\": \"a\", \"done\": true, \"moves\": 1, \"solution_moves\": 1, \"predictions_right\": 0, \"predictions_wrong\": 0},\n{\"id\": \"a\", \"done\": true, \"moves\": 1, \"solution_moves\": 1, \"predictions_right\": 0, \"predictions_wrong\": 0}]}";
        let e = Results::parse(twice).unwrap_err();
        assert_eq!((e.field.as_str(), e.line), ("lessons[1].id", 3), "{e}");
    }
}
