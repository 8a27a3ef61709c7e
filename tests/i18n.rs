//! Every text the code asks for is in every catalogue, with the arguments the code gives;
//! no catalogue holds texts nobody asks for; every catalogue reads without a bad line; and
//! every SMTP reply's explanation renders in every language with all its values in place.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use postroom_proto::i18n::{args, check, is_one, languages, Catalogue};
use postroom_proto::smtp::{self, ReplyTo, Verb};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A text the code asks for: `t!("id", args…)` (or `id!("id")`, for a table) is one text,
/// `msg!("id", args…)` an explanation (`id.title` and `id.why`, which between them use the
/// arguments).
#[derive(Debug)]
struct Use {
    explanation: bool,
    args: BTreeSet<String>,
    at: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The argument names of a macro call's rest (after its id), up to its closing parenthesis:
/// each top-level `name = value`.
fn call_args(rest: &str) -> BTreeSet<String> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut parts = vec![String::new()];
    for c in rest.chars() {
        if in_string {
            escaped = !escaped && c == '\\';
            in_string = escaped || c != '"';
        } else {
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(String::new());
                    continue;
                }
                _ => {}
            }
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
        .iter()
        .filter_map(|p| {
            let (name, value) = p.trim().split_once('=')?;
            let name = name.trim();
            (!value.starts_with('=') && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then(|| name.to_string())
        })
        .collect()
}

/// Every `t!("…")`, `id!("…")`, `text!("…")` and `msg!("…")` in the code of the pages, the engines and the world.
fn uses() -> BTreeMap<String, Use> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    for krate in ["proto", "sim", "serve"] {
        rust_files(
            &Path::new(ROOT).join("crates").join(krate).join("src"),
            &mut files,
        );
    }
    let mut found = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        // Comments may show the macros as examples.
        let code: String = source
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        for (name, explanation) in [
            ("t!(", false),
            ("id!(", false),
            ("text!(", false),
            ("msg!(", true),
        ] {
            for (at, _) in code.match_indices(name) {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = code[at + name.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue; // the macro's own definition
                };
                let Some((id, rest)) = rest.split_once('"') else {
                    continue;
                };
                let line = code[..at].lines().count();
                let at = format!("{}:{line}", file.strip_prefix(ROOT).unwrap().display());
                let args = call_args(rest);
                if let Some(before) = found.get(id).map(|u: &Use| u) {
                    assert_eq!(
                        before.args, args,
                        "{id} is used with other arguments at {} and {at}",
                        before.at
                    );
                }
                found.insert(
                    id.to_string(),
                    Use {
                        explanation,
                        args,
                        at,
                    },
                );
            }
        }
    }
    found
}

fn catalogue(lang: &str) -> Catalogue {
    let path = Path::new(ROOT).join(format!("static/i18n/{lang}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let (catalogue, errors) = Catalogue::parse(lang, &text);
    assert!(errors.is_empty(), "{lang}.txt: {errors:?}");
    catalogue
}

#[test]
fn the_code_and_the_english_catalogue_name_the_same_texts_with_the_same_arguments() {
    let uses = uses();
    assert!(uses.len() > 50, "the scan found only {} texts", uses.len());
    let en = catalogue("en");
    let mut asked = BTreeSet::new();
    for (id, u) in &uses {
        let parts: Vec<String> = if u.explanation {
            vec![format!("{id}.title"), format!("{id}.why")]
        } else {
            vec![id.clone()]
        };
        let mut used = BTreeSet::new();
        for part in &parts {
            let text = en.get(part);
            assert!(
                text.is_some(),
                "{part} (asked for at {}) is not in en.txt",
                u.at
            );
            used.extend(args(text.unwrap()));
            asked.insert(part.clone());
        }
        assert_eq!(
            used, u.args,
            "{id}: en.txt uses these arguments, {} gives those",
            u.at
        );
    }
    let unused: Vec<&str> = en
        .entries()
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| !asked.contains(*id))
        .collect();
    assert!(
        unused.is_empty(),
        "en.txt holds texts no code asks for: {unused:?}"
    );
}

#[test]
fn every_language_has_every_english_text_with_its_arguments() {
    let en = catalogue("en");
    for (lang, _) in languages().filter(|(l, _)| *l != "en") {
        let differences = check::compare(&en, &catalogue(lang));
        assert!(differences.is_empty(), "{lang}.txt: {differences:#?}");
    }
}

#[test]
fn every_smtp_reply_explanation_renders_in_every_language_with_its_values() {
    let verbs = [
        Verb::Ehlo,
        Verb::Helo,
        Verb::Mail,
        Verb::Rcpt,
        Verb::Data,
        Verb::Rset,
        Verb::Noop,
        Verb::Quit,
        Verb::Vrfy,
        Verb::Help,
        Verb::StartTls,
        Verb::Auth,
    ];
    let answers: Vec<ReplyTo> = [ReplyTo::Greeting, ReplyTo::DataEnd]
        .into_iter()
        .chain(verbs.map(ReplyTo::Command))
        .collect();
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let mut seen = BTreeSet::new();
    for code in 200..=599 {
        for text in ["OK", "4.7.1 Greylisted, try later"] {
            let line = if code == 250 {
                format!("250-mail.example.net\r\n250-PIPELINING\r\n250 {text}\r\n")
            } else {
                format!("{code} {text}\r\n")
            };
            let Ok((reply, _)) = smtp::decode::reply(line.as_bytes()) else {
                continue;
            };
            for to in &answers {
                let e = smtp::explain::reply(&reply, *to);
                let message = e
                    .message
                    .expect("every SMTP reply is explained by a message");
                seen.insert(message.id);
                for c in &catalogues {
                    for part in ["title", "why"] {
                        let shown = c.format_part(&message, part).unwrap();
                        assert!(!shown.contains('{'), "{}: {shown}", c.lang);
                    }
                }
            }
        }
    }
    assert!(
        seen.len() >= 25,
        "only {} kinds of reply explained",
        seen.len()
    );
}

/// Renders each explanation's message, title and why, in every catalogue and asserts that no
/// argument was left unfilled; `literal` lists braces the text itself shows (IMAP's `{n}`).
/// The ids met.
fn renders_everywhere(
    explanations: &[postroom_proto::Explanation],
    catalogues: &[Catalogue],
    literal: &[&str],
) -> BTreeSet<&'static str> {
    let mut ids = BTreeSet::new();
    for e in explanations {
        let message = e.message.as_ref().expect("explained by a message");
        ids.insert(message.id);
        for c in catalogues {
            for part in ["title", "why"] {
                let shown = c.format_part(message, part).unwrap();
                let rest = literal.iter().fold(shown.clone(), |t, l| t.replace(l, ""));
                assert!(!rest.contains('{'), "{}: {shown}", c.lang);
            }
        }
    }
    ids
}

/// Every SMTP command a client can send, the AUTH answer and the message (stuffed or not, cut
/// short or not) is explained in every language, the values as sent and counts in words.
#[test]
fn every_smtp_command_and_message_explanation_renders_in_every_language() {
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let mut explanations: Vec<postroom_proto::Explanation> = [
        "EHLO client.example.org",
        "HELO client.example.org",
        "MAIL FROM:<alice@example.org>",
        "MAIL FROM:<>",
        "RCPT TO:<bob@example.net>",
        "DATA",
        "RSET",
        "NOOP",
        "QUIT",
        "VRFY bob",
        "HELP",
        "STARTTLS",
        "AUTH PLAIN AGFsaWNlAHNlY3JldA==",
        "AUTH LOGIN",
    ]
    .iter()
    .map(|line| {
        let command =
            smtp::decode::command(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e:?}"));
        smtp::explain::command(&command)
    })
    .collect();
    explanations.push(smtp::explain::auth_response());
    explanations.extend((0..3).map(|n| smtp::explain::data_content(312, n)));
    explanations.push(smtp::explain::data_fragment(100));
    let ids = renders_everywhere(&explanations, &catalogues, &[]);
    assert_eq!(ids.len(), 18, "{ids:?}");
    // The values stay as sent; a count chooses its words.
    let de = &catalogues[languages().position(|(l, _)| l == "de").unwrap()];
    let rcpt = explanations[4].message.as_ref().unwrap();
    assert_eq!(
        de.format_part(rcpt, "title").unwrap(),
        "Zustellen an bob@example.net"
    );
    let two = explanations[explanations.len() - 2]
        .message
        .as_ref()
        .unwrap();
    assert!(de
        .format_part(two, "why")
        .unwrap()
        .contains("2 Zeilen beginnen mit einem Punkt"));
}

/// Every POP3 command, and every response to each (+OK with and without lines, -ERR with
/// each response code), is explained in every language with its values.
#[test]
fn every_pop3_explanation_renders_in_every_language() {
    use postroom_proto::pop3;
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let commands: Vec<pop3::Command> = [
        "USER bob",
        "PASS secret",
        "APOP bob c4c9334bac560ecc979e58001b3e22fb",
        "AUTH PLAIN",
        "AUTH",
        "STAT",
        "LIST",
        "LIST 2",
        "RETR 1",
        "DELE 1",
        "NOOP",
        "RSET",
        "QUIT",
        "TOP 1 0",
        "TOP 1 1",
        "TOP 1 10",
        "UIDL",
        "CAPA",
        "STLS",
    ]
    .iter()
    .map(|line| pop3::decode::command(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e:?}")))
    .collect();
    let responses: Vec<pop3::Response> = [
        ("+OK done\r\n", false),
        ("+OK 2 messages\r\n1 120\r\n.\r\n", true),
        ("-ERR [IN-USE] Mailbox locked\r\n", false),
        ("-ERR [AUTH] Authentication failed\r\n", false),
        ("-ERR [SYS/TEMP] Try later\r\n", false),
        ("-ERR [SYS/PERM] Broken\r\n", false),
        ("-ERR No such message\r\n", false),
    ]
    .iter()
    .map(|(bytes, multi)| pop3::decode::response(bytes.as_bytes(), *multi).unwrap().0)
    .collect();
    let mut explanations: Vec<_> = commands.iter().map(pop3::explain::command).collect();
    for r in &responses {
        explanations.push(pop3::explain::response_in(r, None, false));
        explanations.push(pop3::explain::response_in(
            r,
            Some(&pop3::Command::Quit),
            false,
        ));
        for c in &commands {
            explanations.push(pop3::explain::response(r, Some(c)));
        }
    }
    let ids = renders_everywhere(&explanations, &catalogues, &[]);
    assert_eq!(ids.len(), 32, "{ids:?}");
    let fr = &catalogues[languages().position(|(l, _)| l == "fr").unwrap()];
    let top = |i: usize| fr.format_part(explanations[i].message.as_ref().unwrap(), "title");
    assert_eq!(top(13).unwrap(), "Seulement les en-têtes du message 1");
    assert_eq!(
        top(14).unwrap(),
        "Les en-têtes et la première ligne du message 1"
    );
    assert_eq!(
        top(15).unwrap(),
        "Les en-têtes et les 10 premières lignes du message 1"
    );
}

/// Every IMAP command explained by a message, and each kind of answer a server sends, is
/// explained in every language with its values; `\\Seen` reads as the flag.
#[test]
fn every_imap_explanation_renders_in_every_language() {
    use postroom_proto::imap;
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let commands = [
        "a CAPABILITY",
        "a NOOP",
        "a LOGOUT",
        "a ID (\"name\" \"Thunderbird\")",
        "a ID NIL",
        "a STARTTLS",
        "a AUTHENTICATE PLAIN",
        "a LOGIN bob secret",
        "a ENABLE CONDSTORE",
        "a SELECT INBOX",
        "a EXAMINE INBOX",
        "a CREATE Work",
        "a DELETE Work",
        "a RENAME Work Old",
        "a SUBSCRIBE Work",
        "a UNSUBSCRIBE Work",
        "a LIST \"\" *",
        "a LSUB \"\" *",
        "a NAMESPACE",
        "a STATUS INBOX (MESSAGES)",
        "a APPEND Sent {5+}\r\nhello",
        "a APPEND Sent {2+}\r\nhi {3+}\r\nhey",
        "a IDLE",
        "a CLOSE",
        "a UNSELECT",
        "a EXPUNGE",
        "a UID EXPUNGE 1:3",
        "a SEARCH ALL",
        "a FETCH 1 BODY[]",
        "a FETCH 1 FLAGS",
        "a STORE 1 +FLAGS (\\Seen)",
        "a STORE 1 +FLAGS.SILENT (\\Seen)",
        "a COPY 1 Work",
        "a MOVE 1 Trash",
    ];
    let units = [
        "+ idling\r\n",
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2] ready\r\n",
        "a OK [APPENDUID 7 3] done\r\n",
        "a OK [APPENDUID 7 4:6] done\r\n",
        "* OK [COPYUID 7 1:2 5:6]\r\n* 1 EXPUNGE\r\n* 1 EXPUNGE\r\na OK done\r\n",
        "a OK [COPYUID 7 1 5] done\r\n",
        "* 1 EXPUNGE\r\na OK done\r\n",
        "* 2 EXPUNGE\r\n* 1 EXPUNGE\r\na OK done\r\n",
        "* 4 EXISTS\r\na OK done\r\n",
        "* FLAGS (\\Seen)\r\n* 4 EXISTS\r\na OK done\r\n",
        "* 1 FETCH (FLAGS (\\Seen))\r\na NO [CANNOT] no\r\n",
        "* 1 FETCH (FLAGS (\\Seen))\r\n* 2 FETCH (FLAGS ())\r\na BAD [CANNOT] no\r\n",
        "a NO [AUTHENTICATIONFAILED] wrong\r\n",
        "a BAD unknown\r\n",
        "* BYE bye\r\na OK done\r\n",
        "a OK done\r\n",
        "* SEARCH 2 3\r\n",
    ];
    let mut explanations: Vec<_> = commands
        .iter()
        .map(|line| {
            let (_, command) = imap::decode::command(format!("{line}\r\n").as_bytes())
                .unwrap_or_else(|e| panic!("{line}: {e:?}"));
            imap::explain::command(&command)
        })
        .collect();
    explanations.extend(
        units
            .iter()
            .map(|u| imap::explain::server_unit(u.as_bytes())),
    );
    explanations.push(imap::explain::starttls_ok());
    // The literal's announcement is written in braces: in the text, not an argument.
    let literal = ["{n}", "{size}", "{Größe}", "{tamaño}", "{taille}"];
    let ids = renders_everywhere(&explanations, &catalogues, &literal);
    assert_eq!(ids.len(), 50, "{ids:?}");
    assert_eq!(
        explanations[25].title,
        "Remove the messages flagged \\Deleted"
    );
    let de = &catalogues[languages().position(|(l, _)| l == "de").unwrap()];
    let expunged = explanations[commands.len() + 7].message.as_ref().unwrap();
    assert_eq!(
        de.format_part(expunged, "title").unwrap(),
        "2 Nachrichten entfernt: Jedes Gerät muss sie löschen"
    );
}

/// A language is offered by a line in the languages file, with no change to the code: the
/// file names one catalogue for each language and each catalogue has its line; the pages'
/// settings script carries the same codes before the build writes them in.
#[test]
fn the_languages_file_names_every_catalogue_and_the_settings_script_agrees() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/i18n");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let code = name.strip_suffix(".txt")?;
            (code.len() == 2).then(|| code.to_owned())
        })
        .collect();
    files.sort();
    let mut offered: Vec<String> = languages().map(|(code, _)| code.to_owned()).collect();
    assert_eq!(offered.first().map(String::as_str), Some("en"));
    let codes = format!(" {} ", offered.join(" "));
    offered.sort();
    assert_eq!(offered, files);
    let settings = include_str!("../static/settings.js");
    assert!(
        settings.contains(&format!("var offered = \"{codes}\";")),
        "static/settings.js should offer{codes}"
    );
    // Plural rules from the same file: French counts 0 as one, the others 1 only.
    assert!(is_one("fr", 0) && is_one("fr", 1) && !is_one("fr", 2));
    assert!(!is_one("de", 0) && is_one("de", 1) && !is_one("es", 2));
}

/// The world's own words (lanes, stages, sessions' states, mailboxes) in the default story
/// and in each fault's story render in every language, every value in place.
#[test]
fn the_worlds_texts_render_in_every_language() {
    use postroom_proto::i18n::Text;
    use postroom_sim::{run, Action, Device, Fault, Scenario, Security};
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let faults = [
        Fault::WrongPassword,
        Fault::UnknownRecipient,
        Fault::MailboxFull,
        Fault::Greylisting,
        Fault::NoMxRecord,
        Fault::PhoneDropsBeforeQuit,
        Fault::TlsNotOffered,
        Fault::ServerDown,
        Fault::DropMidData,
    ];
    let mut stories: Vec<Scenario> = std::iter::once(None)
        .chain(faults.map(Some))
        .chain([Some(Fault::DropAfter(3)), Some(Fault::LossAt(2))])
        .map(|fault| {
            let mut scenario = Scenario::default();
            scenario.faults.extend(fault);
            scenario
        })
        .collect();
    // Devices set up wrongly: a plain port with TLS, a TLS port without, another protocol's
    // port, a server that does not exist; and devices that read, delete and switch.
    for (port, security, server) in [
        (110, Security::ImplicitTls, ""),
        (995, Security::StartTls, ""),
        (25, Security::None, ""),
        (0, Security::ImplicitTls, "nowhere.example.net"),
    ] {
        let mut scenario = Scenario::default();
        (scenario.phone.port, scenario.phone.security) = (port, security);
        scenario.phone.server = server.to_string();
        stories.push(scenario);
    }
    let mut busy = Scenario::default();
    busy.actions.extend([
        Action::Read(Device::Phone),
        Action::Delete(Device::Phone),
        Action::Switch(Device::Phone),
        Action::Check(Device::Phone),
        Action::Read(Device::Laptop),
        Action::Delete(Device::Laptop),
        Action::Check(Device::Laptop),
    ]);
    stories.push(busy);
    let mut texts: Vec<Text> = Vec::new();
    let mut explanations = Vec::new();
    for scenario in &stories {
        let t = run(scenario).unwrap();
        for h in &t.hosts {
            texts.extend([h.label.clone(), h.role.clone()]);
        }
        for s in &t.steps {
            texts.extend([
                s.phase.label.clone(),
                s.client_state.clone(),
                s.server_state.clone(),
            ]);
            texts.extend(s.note.clone());
            texts.extend(s.mailboxes.iter().map(|m| m.title.clone()));
            if s.explanation.message.is_some() {
                explanations.push(s.explanation.clone());
            }
        }
    }
    let explained = renders_everywhere(&explanations, &catalogues, &["{n}"]);
    let notes: Vec<&str> = explained
        .iter()
        .filter(|id| id.starts_with("note."))
        .copied()
        .collect();
    assert!(notes.len() > 20, "only these notes were told: {notes:?}");
    assert!(notes.contains(&"note.copy-goes-too"), "{notes:?}");
    texts_render_everywhere(&texts, &catalogues, 30);
    let de = catalogue("de");
    let t = run(&Scenario::default()).unwrap();
    let first = t.hosts[0].label.message();
    assert_eq!(
        de.format(first.id, &first.args).unwrap(),
        "Laptop von Alice"
    );
    let ehlo = t
        .steps
        .iter()
        .find(|s| s.bytes.starts_with(b"EHLO"))
        .unwrap();
    let waiting = ehlo.client_state.message();
    assert_eq!(
        de.format(waiting.id, &waiting.args).unwrap(),
        "wartet auf die Antwort auf EHLO"
    );
}

/// The comparison's own words (its actions, lessons, shelves, what changed and each device's
/// notes) in every lesson and for every action render in every language, every value in place.
#[test]
fn the_comparisons_texts_render_in_every_language() {
    use postroom_proto::i18n::Text;
    use postroom_sim::compare::{compare, presets, Act, Script, Shelf};
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let mut scripts: Vec<Script> = presets().into_iter().map(|p| p.script).collect();
    // Every action, on both sides, with and without a copy left.
    for leave_on_server in [false, true] {
        let mut acts = vec![Act::NewMail, Act::NewMail];
        acts.extend(Act::ALL);
        acts.extend(Act::ALL);
        scripts.push(Script {
            leave_on_server,
            acts,
        });
    }
    let mut texts: Vec<Text> = presets()
        .into_iter()
        .flat_map(|p| [p.title, p.lesson])
        .chain(Act::ALL.map(Act::label))
        .collect();
    let shelf = |s: &Shelf| {
        let mut t = vec![s.title.clone(), s.note.clone()];
        t.extend(s.items.iter().map(|i| i.note.clone()));
        t
    };
    for script in &scripts {
        let c = compare(script);
        for f in c.pop3.iter().chain(&c.imap) {
            texts.extend(f.changes.iter().cloned());
            texts.extend(f.server.iter().flat_map(shelf));
            texts.extend(shelf(&f.phone));
            texts.extend(shelf(&f.laptop));
            texts.extend(f.lines.iter().filter_map(|l| l.note.clone()));
        }
    }
    texts_render_everywhere(&texts, &catalogues, 40);
    let de = catalogue("de");
    let check = Act::ALL[1].label();
    assert_eq!(
        de.format(check.message().id, &check.message().args)
            .unwrap(),
        "Telefon ruft Mail ab"
    );
}

/// Every text renders in every catalogue with all its values in place, and there are more
/// than `kinds` kinds of them (the stories reached what they should).
fn texts_render_everywhere(
    texts: &[postroom_proto::i18n::Text],
    catalogues: &[Catalogue],
    kinds: usize,
) {
    let ids: BTreeSet<&str> = texts.iter().map(|t| t.message().id).collect();
    assert!(
        ids.len() > kinds,
        "only {} kinds of text: {ids:?}",
        ids.len()
    );
    for text in texts {
        let m = text.message();
        for c in catalogues {
            let shown = c.format(m.id, &m.args);
            assert!(shown.is_some(), "{}: {} does not render", c.lang, m.id);
            let shown = shown.unwrap();
            // An argument left unfilled, not an IMAP literal's `{144}` in a line shown.
            let unfilled = shown
                .match_indices('{')
                .any(|(i, _)| shown[i + 1..].starts_with(char::is_alphabetic));
            assert!(!unfilled, "{}: {shown}", c.lang);
        }
    }
}

#[test]
fn the_lessons_texts_render_in_every_language_and_every_lesson_speaks_each() {
    use postroom_proto::i18n::Text;
    use postroom_sim::lesson::{Label, Lesson, LessonResult, Move, Results, Words};
    let catalogues: Vec<Catalogue> = languages().map(|(l, _)| catalogue(l)).collect();
    let dir = Path::new(ROOT).join("static/lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 12);
    let mut texts: Vec<Text> = Vec::new();
    for file in &files {
        let lesson = Lesson::parse(&std::fs::read_to_string(file).unwrap()).unwrap();
        // Every text the file writes, in every language the pages offer.
        let mut words: Vec<&Words> = vec![&lesson.title];
        words.extend(lesson.intro.iter().map(|s| &s.text));
        words.extend(&lesson.hints);
        let labels: Vec<Label> = lesson.goal.iter().map(|c| c.label()).collect();
        for label in &labels {
            match label {
                Label::Written(w) => words.push(w),
                Label::Made(t) => texts.push(t.clone()),
            }
        }
        for w in words {
            for (lang, _) in languages() {
                assert!(
                    w.in_language(lang).is_some_and(|t| !t.trim().is_empty()),
                    "{}: “{}” has no {lang} text",
                    file.display(),
                    w.en()
                );
            }
        }
        texts.extend(lesson.solution.iter().map(Move::label));
    }
    // Every kind of made label and move, beyond those the lessons use.
    let checks = [
        r#"{"check": "message", "subject": "S", "on": "server"}"#,
        r#"{"check": "message", "subject": "S", "on": "phone", "absent": true, "read": true}"#,
        r#"{"check": "message", "subject": "S", "on": "laptop", "folder": "Work", "read": false}"#,
        r#"{"check": "message", "subject": "S", "on": "alice", "folder": "Work", "absent": true}"#,
        r#"{"check": "seen_agrees"}"#,
        r#"{"check": "seen_agrees", "subject": "S"}"#,
        r#"{"check": "holds", "on": "server", "count": 1}"#,
        r#"{"check": "sent", "line": "DELE", "by": "client"}"#,
        r#"{"check": "sent", "line": "DELE", "by": "client", "never": true}"#,
        r#"{"check": "sent", "line": "550", "by": "server"}"#,
        r#"{"check": "sent", "line": "550", "by": "server", "never": true}"#,
        r#"{"check": "sent", "line": "--"}"#,
        r#"{"check": "sent", "line": "--", "never": true}"#,
        r#"{"check": "reached", "state": "UPDATE"}"#,
        r#"{"check": "reached", "state": "UPDATE", "never": true}"#,
        r#"{"check": "at_most", "what": "commands", "max": 1}"#,
        r#"{"check": "at_most", "what": "round_trips", "max": 3}"#,
        r#"{"check": "at_most", "what": "moves", "max": 2, "side": "imap"}"#,
    ];
    for check in checks {
        let check: postroom_sim::lesson::Check = serde_json::from_str(check).unwrap();
        let Label::Made(t) = check.label() else {
            panic!("no label was written")
        };
        texts.push(t);
    }
    let moves = [
        r#"{"bob": "check-phone"}"#,
        r#"{"bob": "read-laptop"}"#,
        r#"{"bob": "delete-phone"}"#,
        r#"{"bob": "switch-laptop"}"#,
        r#"{"fault": "no-mx"}"#,
        r#"{"clear_fault": "greylisting"}"#,
        r#"{"drop_after": "DELE 1"}"#,
        r#"{"lose_at": "RETR 1"}"#,
        r#"{"set": {"device": "phone", "keep": true}}"#,
        r#"{"outgoing": {"server": "", "port": 0, "security": "none", "user": ""}}"#,
        r#"{"outgoing": {"server": "smtp.example.org", "port": 465, "user": "alice"}}"#,
        r#"{"compose": {"subject": "S", "body": "B"}}"#,
        r#"{"send_next": {"subject": "S", "body": "B"}}"#,
        r#"{"act": "pc"}"#,
        r#"{"keep": true}"#,
        r#"{"keep": false}"#,
    ];
    for mv in moves {
        let mv: Move = serde_json::from_str(mv).unwrap();
        texts.push(mv.label());
    }
    let mut results = Results::new("2026-12-06");
    for (id, done, hints, solution_shown) in [("a", true, 1, false), ("b", false, 0, true)] {
        results.record(LessonResult {
            id: id.into(),
            title: String::new(),
            done,
            moves: 2,
            solution_moves: 1,
            predictions_right: 1,
            predictions_wrong: 1,
            hints,
            solution_shown,
            attempt: Vec::new(),
        });
    }
    texts.extend(results.summary());
    texts_render_everywhere(&texts, &catalogues, 30);
    let de = catalogue("de");
    let phone = Move::Set(serde_json::from_str(r#"{"device": "phone"}"#).unwrap()).label();
    let m = phone.message();
    assert_eq!(
        de.format(m.id, &m.args).unwrap(),
        "Telefon von Bob: Einstellungen geändert"
    );
}
