//! A student's progress as the browser keeps it: the hand-in's own form (`Results`), and which
//! predictions of each lesson were answered, right or wrong, so a reload neither asks them
//! again nor counts them twice. Unreadable saves are reported and replaced, never fatal.

use std::collections::BTreeMap;

use postroom_sim::lesson::Results;

/// Per lesson id: for each prediction, None while unanswered, else whether it was right.
pub type Answers = BTreeMap<String, Vec<Option<bool>>>;

/// What the page starts with, read from the two saved texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub results: Results,
    pub answers: Answers,
    /// Why the saved progress could not be used, for the banner.
    pub problem: Option<String>,
}

/// Reads the saved progress; anything unreadable gives a fresh start dated `today` and a
/// message saying so.
pub fn read(results: Option<&str>, answers: Option<&str>, today: &str) -> Saved {
    let fresh = |problem: String| Saved {
        results: Results::new(today),
        answers: Answers::new(),
        problem: Some(crate::t!("lesson.progress-lost", why = problem).to_string()),
    };
    let results = match results {
        None => Results::new(today),
        Some(text) => match Results::parse(text) {
            Ok(r) => r,
            Err(e) => return fresh(crate::i18n::said(&e.text()).to_string()),
        },
    };
    let answers = match answers.map(decode_answers).transpose() {
        Ok(a) => a.unwrap_or_default(),
        Err(e) => return fresh(e),
    };
    Saved {
        results,
        answers,
        problem: None,
    }
}

/// `id=rw-;other=r`: one letter per prediction (right, wrong, not yet).
pub fn encode_answers(answers: &Answers) -> String {
    let lessons: Vec<String> = answers
        .iter()
        .map(|(id, marks)| {
            let marks: String = marks
                .iter()
                .map(|m| match m {
                    Some(true) => 'r',
                    Some(false) => 'w',
                    None => '-',
                })
                .collect();
            format!("{id}={marks}")
        })
        .collect();
    lessons.join(";")
}

fn decode_answers(text: &str) -> Result<Answers, String> {
    let mut answers = Answers::new();
    for part in text.split(';').filter(|p| !p.is_empty()) {
        let (id, marks) = part
            .split_once('=')
            .ok_or_else(|| format!("the answers “{part}” name no lesson"))?;
        let marks = marks
            .chars()
            .map(|c| match c {
                'r' => Ok(Some(true)),
                'w' => Ok(Some(false)),
                '-' => Ok(None),
                other => Err(format!("“{other}” is not an answer")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        answers.insert(id.to_string(), marks);
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_back_what_was_written() {
        let mut a = Answers::new();
        a.insert("pressing-send".into(), vec![Some(true), None, Some(false)]);
        a.insert("the-relay".into(), vec![]);
        let text = encode_answers(&a);
        assert_eq!(text, "pressing-send=r-w;the-relay=");
        let saved = read(None, Some(&text), "2026-03-06");
        assert_eq!((saved.answers, saved.problem), (a, None));
    }

    #[test]
    fn a_broken_save_starts_fresh_with_a_message() {
        for (results, answers) in [
            (Some("{not json"), None),
            (
                Some("{\"postroom_results\": 9, \"date\": \"2026-03-06\", \"lessons\": []}"),
                None,
            ),
            (None, Some("pressing-send=rx")),
            (None, Some("nonsense")),
        ] {
            let saved = read(results, answers, "2026-03-06");
            assert_eq!(saved.results, Results::new("2026-03-06"));
            assert!(saved.answers.is_empty());
            let problem = saved.problem.unwrap_or_default();
            assert!(problem.contains("start fresh"), "{problem}");
        }
        let good = Results::new("2026-01-02").to_json();
        let saved = read(Some(&good), None, "2026-03-06");
        assert_eq!(
            (saved.results.date.as_str(), saved.problem),
            ("2026-01-02", None)
        );
    }
}
