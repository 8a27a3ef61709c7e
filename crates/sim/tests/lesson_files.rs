//! Every lesson under static/lessons, played by the engines: it parses, its goal is open at
//! the start and met by its solution, its predictions' right answers are the replies the
//! engine sends, and its RFC links point at sections the explanations cite.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use postroom_sim::compare::Comparison;
use postroom_sim::lesson::{Asked, AskedIn, Attempt, Lesson, Prediction, Results, Side, World};
use postroom_sim::{Direction, Protocol, Timeline};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every lesson file, with its name and text.
fn files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(root().join("static/lessons"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn lessons() -> Vec<(String, Lesson)> {
    files()
        .into_iter()
        .map(|(name, text)| {
            let lesson = Lesson::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, lesson)
        })
        .collect()
}

/// The page's small reader and serde_json, over the types' serde derives, read every lesson
/// file alike, and results too.
#[test]
fn the_small_reader_reads_as_serde_does() {
    for (name, text) in files() {
        let by_serde: Lesson =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Lesson::parse(&text).unwrap(), by_serde, "{name}");
    }
    let mut r = Results::new("2026-03-06");
    r.name = "Zoë \"Z\" \\ O'Neil\n".into();
    r.record(postroom_sim::lesson::LessonResult {
        id: "the-relay".into(),
        title: "The relay: “finding” Bob's server".into(),
        done: true,
        moves: 3,
        solution_moves: 2,
        predictions_right: 1,
        predictions_wrong: 2,
        hints: 1,
        solution_shown: true,
        // Every kind of move a lesson file can name, written back as serde reads it.
        attempt: [
            r#"{"bob": "check-phone"}"#,
            r#"{"fault": "greylisting"}"#,
            r#"{"clear_fault": "greylisting"}"#,
            r#"{"drop_after": "DATA"}"#,
            r#"{"lose_at": "RETR 1"}"#,
            r#"{"set": {"device": "laptop", "protocol": "pop3", "keep": false, "server": "pop.example.net", "user": "bob", "password": "a \"b\"", "port": 0, "security": "starttls"}}"#,
            r#"{"set": {"device": "phone"}}"#,
            r#"{"outgoing": {"server": "smtp.example.org", "port": 465, "security": "tls", "user": "alice@example.org"}}"#,
            r#"{"outgoing": {}}"#,
            r#"{"compose": {"subject": "Zoë", "body": "a\nb"}}"#,
            r#"{"send_next": {"subject": "", "body": ""}}"#,
            r#"{"act": "lf"}"#,
            r#"{"keep": true}"#,
        ]
        .map(|m| serde_json::from_str(m).unwrap())
        .to_vec(),
    });
    let text = r.to_json();
    assert_eq!(serde_json::from_str::<Results>(&text).unwrap(), r);
    assert_eq!(Results::parse(&text).unwrap(), r);
    assert_eq!(
        serde_json::to_string(&r)
            .map(|t| Results::parse(&t))
            .unwrap()
            .unwrap(),
        r
    );
}

#[test]
fn there_are_at_least_twelve_lessons_each_named_by_its_id() {
    let lessons = lessons();
    assert!(lessons.len() >= 12, "{}", lessons.len());
    let mut ids = BTreeSet::new();
    for (name, lesson) in &lessons {
        assert!(name.ends_with(&format!("{}.json", lesson.id)), "{name}");
        assert!(ids.insert(lesson.id.clone()), "{} twice", lesson.id);
        assert!(!lesson.hints.is_empty(), "{name} has no hint");
    }
}

#[test]
fn every_goal_is_open_at_the_start_and_met_by_the_solution() {
    for (name, lesson) in lessons() {
        let start = Attempt::start(&lesson).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!start.complete(&lesson), "{name}: met before any move");
        let steps = Attempt::solution(&lesson).unwrap_or_else(|e| panic!("{name}: {e}"));
        let end = steps.last().unwrap();
        let goal = end.goal(&lesson);
        assert!(
            end.complete(&lesson),
            "{name}: the solution leaves open {:?}",
            goal.iter()
                .filter(|g| !g.ticked)
                .map(|g| &g.label)
                .collect::<Vec<_>>()
        );
        assert_eq!(steps.len(), lesson.solution.len() + 1);
        assert_eq!(end.moves().len(), lesson.solution.len());
        // Completed only at the last move: the solution has no move to spare.
        for (i, before) in steps.iter().enumerate().take(steps.len() - 1) {
            assert!(
                !before.complete(&lesson),
                "{name}: complete after {i} moves"
            );
        }
    }
}

/// The line of `reply` that answers `command`, read as a student reads the transcript.
fn answer_line(t: &Timeline, command: usize, reply: usize) -> String {
    let c = &t.steps[command];
    let r = &t.steps[reply];
    if c.protocol == Protocol::Imap {
        let tag = c.label().split(' ').next().unwrap().to_string();
        if let Some(line) = r
            .lines()
            .into_iter()
            .find(|l| l.starts_with(&format!("{tag} ")))
        {
            return line;
        }
    }
    r.label()
}

fn well_formed(protocol: Protocol, line: &str) -> bool {
    let bytes = format!("{line}\r\n").into_bytes();
    match protocol {
        Protocol::Smtp => postroom_proto::smtp::decode::reply(&bytes).is_ok(),
        Protocol::Pop3 => postroom_proto::pop3::decode::response(&bytes, false).is_ok(),
        Protocol::Imap => postroom_proto::imap::response::response(&bytes).is_ok(),
        Protocol::Dns => line.starts_with("ANSWER "),
        Protocol::Http | Protocol::Handshake | Protocol::Local => false,
    }
}

fn check_asked(name: &str, t: &Timeline, asked: &Asked) {
    let command = &t.steps[asked.command_step];
    let reply = &t.steps[asked.step];
    assert_eq!(command.direction, Direction::ClientToServer, "{name}");
    assert_eq!(reply.direction, Direction::ServerToClient, "{name}");
    assert!(asked.step > asked.command_step, "{name}");
    assert_eq!(reply.connection, command.connection, "{name}");
    assert_eq!(reply.protocol, command.protocol, "{name}");
    let right = &asked.options[asked.right];
    assert_eq!(
        *right,
        answer_line(t, asked.command_step, asked.step),
        "{name}"
    );
    assert_eq!(asked.explanation, reply.explanation, "{name}");
    check_options(name, reply.protocol, asked);
}

/// A comparison's question: the story stops before the action in which the side's client
/// sends the command, and the right option is the line its server answered with, read from
/// that action's units as the page lists them.
fn check_asked_compare(name: &str, c: &Comparison, p: &Prediction, asked: &Asked) {
    let (frames, protocol) = match p.side.unwrap() {
        Side::Pop3 => (&c.pop3, Protocol::Pop3),
        Side::Imap => (&c.imap, Protocol::Imap),
    };
    assert_eq!(asked.command_step + 1, asked.step.max(1), "{name}");
    let lines = &frames[asked.step].lines;
    // The question quotes the command; its reply is the next line the server sent that
    // device in the same action (nothing was pipelined in these sessions).
    let at = lines
        .iter()
        .position(|l| {
            l.direction == Direction::ClientToServer
                && asked.question.contains(&format!("“{}”", l.text))
        })
        .unwrap_or_else(|| panic!("{name}: the command of “{}” is not sent", asked.question));
    let device = lines[at].device;
    let reply = lines[at + 1..]
        .iter()
        .find(|l| l.device == device && l.direction != Direction::Local)
        .unwrap();
    assert_eq!(reply.direction, Direction::ServerToClient, "{name}");
    assert_eq!(asked.options[asked.right], reply.status, "{name}");
    assert_eq!(asked.explanation.title, reply.explanation.title, "{name}");
    assert_eq!(asked.explanation.rfc, reply.explanation.rfc, "{name}");
    check_options(name, protocol, asked);
}

fn check_options(name: &str, protocol: Protocol, asked: &Asked) {
    assert!(
        (3..=4).contains(&asked.options.len()),
        "{name}: {:?}",
        asked.options
    );
    let distinct: BTreeSet<&String> = asked.options.iter().collect();
    assert_eq!(
        distinct.len(),
        asked.options.len(),
        "{name}: {:?}",
        asked.options
    );
    for option in &asked.options {
        assert!(well_formed(protocol, option), "{name}: {option}");
    }
}

/// A question in whichever world the attempt runs.
fn check_in(name: &str, attempt: &Attempt, p: &Prediction, asked: &Asked) {
    match attempt.world() {
        World::Explorer { timeline, .. } => check_asked(name, timeline, asked),
        World::Compare(c) => check_asked_compare(name, c, p, asked),
    }
}

#[test]
fn predictions_are_answered_by_the_engine() {
    let mut asked_total = 0;
    let mut compared = 0;
    for (name, lesson) in lessons() {
        let start = Attempt::start(&lesson).unwrap();
        let end = Attempt::solution(&lesson).unwrap().pop().unwrap();
        for (i, p) in lesson.predictions.iter().enumerate() {
            let home = match p.world {
                AskedIn::Start => &start,
                AskedIn::Solution => &end,
            };
            let asked = home.predictions(&lesson)[i]
                .clone()
                .unwrap_or_else(|| panic!("{name}: prediction {i} is not asked in its world"));
            check_in(&name, home, p, &asked);
            asked_total += 1;
            compared += usize::from(lesson.compares());
            // Wherever else it is asked, it is answered by that world's engine.
            for other in [&start, &end] {
                if let Some(asked) = &other.predictions(&lesson)[i] {
                    check_in(&name, other, p, asked);
                }
            }
        }
    }
    assert!(asked_total >= 24, "{asked_total}");
    assert!(compared >= 4, "{compared}");
}

/// The right answer where the story makes it plain, and where pipelining could mislead.
#[test]
fn predictions_pick_the_reply_to_the_command_even_when_pipelined() {
    let lessons = lessons();
    let find = |id: &str| lessons.iter().find(|(_, l)| l.id == id).unwrap().1.clone();
    let right = |id: &str, i: usize, solution: bool| {
        let lesson = find(id);
        let attempt = if solution {
            Attempt::solution(&lesson).unwrap().pop().unwrap()
        } else {
            Attempt::start(&lesson).unwrap()
        };
        let asked = attempt.predictions(&lesson)[i].clone().unwrap();
        asked.options[asked.right].clone()
    };
    assert_eq!(right("the-relay", 1, false), "250 2.1.5 Recipient OK");
    assert_eq!(
        right("the-relay", 0, true),
        "ANSWER example.net. IN MX: none (NOERROR, no records)"
    );
    assert_eq!(
        right("greylisting", 0, true),
        "451 4.7.1 Greylisted: please try again later"
    );
    assert_eq!(right("greylisting", 1, true), "250 2.1.5 Recipient OK");
    assert_eq!(
        right("when-sending-fails", 2, true),
        "552 5.2.2 <bob@example.net>: Mailbox full"
    );
    assert_eq!(
        right("inside-data", 0, false),
        "354 End data with <CR><LF>.<CR><LF>"
    );
    assert_eq!(right("pop3-one-device", 1, true), "+OK message 1 deleted");
    // Comparisons: POP3 left all three on the server; IMAP told the phone only what changed.
    assert!(right("offline-and-back", 1, true).starts_with("+OK 3 "));
    assert!(right("offline-and-back", 0, true).ends_with(" OK UID FETCH completed"));
    assert!(right("folders", 1, true).ends_with(" OK MOVE completed"));
}

/// Every (RFC, section) the engines cite: written in the sources as `RfcRef::new(N, "S")`,
/// or shown at a step of any lesson's world.
fn cited(lessons: &[(String, Lesson)]) -> BTreeSet<(u16, String)> {
    let mut set = BTreeSet::new();
    let mut dirs = vec![
        root().join("crates/proto/src"),
        root().join("crates/sim/src"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for rest in text.split("RfcRef::new(").skip(1) {
                let mut parts = rest.splitn(2, ',');
                let rfc = parts.next().unwrap_or_default().trim().parse::<u16>();
                let section = parts.next().unwrap_or_default().trim_start();
                if let (Ok(rfc), Some(section)) = (rfc, section.strip_prefix('"')) {
                    if let Some((section, _)) = section.split_once('"') {
                        set.insert((rfc, section.to_string()));
                    }
                }
            }
        }
    }
    for (_, lesson) in lessons {
        for attempt in Attempt::solution(lesson).unwrap() {
            match attempt.world() {
                World::Explorer { timeline, .. } => {
                    for step in &timeline.steps {
                        let r = step.explanation.rfc;
                        set.insert((r.rfc, r.section.to_string()));
                    }
                }
                World::Compare(c) => {
                    for frame in c.pop3.iter().chain(&c.imap) {
                        for line in &frame.lines {
                            set.insert((
                                line.explanation.rfc.rfc,
                                line.explanation.rfc.section.to_string(),
                            ));
                        }
                    }
                }
            }
        }
    }
    set
}

#[test]
fn every_rfc_link_points_at_a_section_the_explanations_cite() {
    let lessons = lessons();
    let cited = cited(&lessons);
    assert!(cited.contains(&(5321, "4.1.1.4".to_string())));
    for (name, lesson) in &lessons {
        for slide in &lesson.intro {
            for link in &slide.rfc {
                assert!(
                    cited.contains(&(link.rfc, link.section.clone())),
                    "{name}: {} is cited nowhere; cited: {cited:?}",
                    link.label()
                );
                assert!(link.url().ends_with(&format!("#section-{}", link.section)));
            }
        }
    }
}

#[test]
fn bad_lesson_files_say_which_field_and_line() {
    let (_, text) = files().into_iter().next().unwrap();
    let cases = [
        (
            text.replacen("\"no-tls\"", "\"no-tsl\"", 1),
            "solution[0].clear_fault",
            "not a fault",
        ),
        (
            text.replacen("\"beginner\"", "\"expert\"", 1),
            "level",
            "is not one of beginner",
        ),
        (
            text.replacen("\"check\": \"sent\"", "\"check\": \"holds\"", 1),
            "goal[0].check",
            "needs “on”",
        ),
        (
            text.replacen(
                "\"protocol\": \"smtp\",",
                "\"side\": \"imap\", \"protocol\": \"smtp\",",
                1,
            ),
            "goal[0].side",
            "only comparison lessons",
        ),
        (
            text.replacen("\"explorer\": \"v1.", "\"explorer\": \"v1.x", 1),
            "start.explorer",
            "cannot be read",
        ),
        (
            text.replacen("\"allow\": [\"faults\"", "\"allow\": [\"acts\"", 1),
            "allow[0]",
            "other page",
        ),
        (
            text.replacen(
                "\"reply_to\": \"STARTTLS\",",
                "\"reply_to\": \"STARTTLS\", \"side\": \"imap\",",
                1,
            ),
            "predictions[0].side",
            "only comparison lessons",
        ),
        (
            text.replacen("\"title\"", "\"titel\"", 1),
            "titel",
            "unknown field “titel”",
        ),
        (
            text.replacen("\"goal\": [", "\"goal\": [,", 1),
            "goal[0]",
            "expected a value",
        ),
        (
            text.replacen("\"level\": \"beginner\",", "\"level\": \"beginner\"", 1),
            "",
            "is a , missing?",
        ),
        (
            text.replacen("\"id\": \"pressing-send\",", "", 1),
            "",
            "missing field “id”",
        ),
    ];
    for (bad, field, why) in cases {
        assert_ne!(bad, text, "{why}: the mutation did not apply");
        let e = Lesson::parse(&bad).unwrap_err();
        assert!(e.message.contains(why), "{e}");
        assert!(e.line > 0, "{e}");
        if !field.is_empty() {
            assert_eq!(e.field, field, "{e}");
        }
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("line {}", e.line)), "{shown}");
    }
}

/// A small xorshift generator: the same bytes on every run, no extra dependency.
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random bytes, and valid files cut, flipped and spliced, never panic either parser.
#[test]
fn no_input_makes_the_parsers_panic() {
    let mut rng = Bytes(0x9e37_79b9_7f4a_7c15);
    let mut samples: Vec<Vec<u8>> = files().into_iter().map(|(_, t)| t.into_bytes()).collect();
    samples.push(Results::new("2026-03-06").to_json().into_bytes());
    let alphabet = b"{}[]\":,.-0123456789 \n\\tfnaeu\x00\xff\xc3";
    for round in 0..3_000 {
        let input: Vec<u8> = if round % 3 == 0 {
            let n = rng.below(200);
            (0..n)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        } else {
            let mut bytes = samples[rng.below(samples.len())].clone();
            for _ in 0..=rng.below(6) {
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes.truncate(at),
                    1 => {
                        if let Some(b) = bytes.get_mut(at) {
                            *b = alphabet[rng.below(alphabet.len())];
                        }
                    }
                    2 => bytes.insert(at.min(bytes.len()), alphabet[rng.below(alphabet.len())]),
                    _ => {
                        let end = (at + rng.below(40)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                }
            }
            bytes
        };
        let text = String::from_utf8_lossy(&input);
        // Where both readers take a file, they read the same lesson.
        if let (Ok(mine), Ok(theirs)) =
            (Lesson::parse(&text), serde_json::from_str::<Lesson>(&text))
        {
            assert_eq!(mine, theirs, "{text}");
        }
        if let Ok(lesson) = Lesson::parse(&text) {
            // A lesson that reads also starts, or says why not.
            let _ = Attempt::start(&lesson).map(|a| a.goal(&lesson));
        }
        let _ = Results::parse(&text).map(|r| r.summary());
    }
}

/// The page injects faults at the step on screen; the goal follows as for a named line.
#[test]
fn a_fault_at_a_step_on_screen_is_a_move() {
    use postroom_sim::lesson::Move;
    let lessons = lessons();
    let lesson = &lessons
        .iter()
        .find(|(_, l)| l.id == "drop-before-quit")
        .unwrap()
        .1;
    let mut attempt = Attempt::start(lesson).unwrap();
    let t = attempt.timeline().unwrap();
    let dele = t.steps.iter().position(|s| s.label() == "DELE 1").unwrap() as u32;
    let last = t.len() as u32 - 1;
    assert!(attempt.apply(lesson, &Move::DropAfterStep(last)).is_err());
    assert!(attempt.moves().is_empty(), "a refused move is not counted");
    attempt.apply(lesson, &Move::DropAfterStep(dele)).unwrap();
    let goal = attempt.goal(lesson);
    assert_eq!(
        goal.iter().map(|g| g.ticked).collect::<Vec<_>>(),
        [false, true, true, true, true],
        "{goal:?}"
    );
    assert!(Move::DropAfterStep(dele)
        .label()
        .contains(&format!("step {}", dele + 1)));
}
