//! The list of lessons the page shows before it fetches any lesson: one line a file, made
//! when the site is built from the files themselves (`examples/lesson_index.rs`), so the
//! page fetches a lesson's file only when that lesson opens.
//!
//! A line is tab-separated: `FILE lesson ID LEVEL KIND TITLE ABOUT` for a lesson (KIND is
//! `explorer` or `compare`, ABOUT its first slide), then `LANG TITLE ABOUT` for each other
//! language the lesson writes its title in; `FILE broken WHY` for a file that cannot be used.
//! Tabs and line breaks inside a text become spaces: a page shows them as spaces.

use super::{Lesson, Level, Words};

/// A lesson as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    pub title: Words,
    pub level: Level,
    /// Whether it compares POP3 and IMAP (else it watches the explorer's world).
    pub compares: bool,
    /// Its first slide, under its title in the list.
    pub about: Words,
}

impl Listed {
    pub fn of(lesson: &Lesson) -> Listed {
        Listed {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            level: lesson.level,
            compares: lesson.compares(),
            about: lesson
                .intro
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
        }
    }
}

/// One file's line of the index: the lesson it holds, or why it cannot be used.
pub fn line(file: &str, lesson: Result<&Lesson, &str>) -> String {
    let flat = |text: &str| text.replace(['\t', '\r', '\n'], " ");
    match lesson {
        Ok(l) => {
            let l = Listed::of(l);
            let kind = if l.compares { "compare" } else { "explorer" };
            let mut fields = vec![
                file.to_string(),
                "lesson".into(),
                l.id.clone(),
                l.level.name().into(),
                kind.into(),
                flat(l.title.en()),
                flat(l.about.en()),
            ];
            for (lang, title) in l.title.languages().skip(1) {
                let about = l.about.in_language(lang).unwrap_or(l.about.en());
                fields.extend([lang.to_string(), flat(title), flat(about)]);
            }
            fields.join("\t")
        }
        Err(why) => [file, "broken", &flat(why)].join("\t"),
    }
}

/// The files an index lists, each with its lesson or why it cannot be used; lines that
/// name no lesson file (`x.json` in the same folder) are skipped.
pub fn read(index: &str) -> Vec<(String, Result<Listed, String>)> {
    index.lines().filter_map(read_line).collect()
}

fn read_line(line: &str) -> Option<(String, Result<Listed, String>)> {
    let mut fields = line.trim_end_matches('\r').split('\t');
    let file = fields.next()?.trim();
    if !file.ends_with(".json") || file.contains(['/', '\\']) || file.starts_with('.') {
        return None;
    }
    let entry = match (fields.next(), fields.next()) {
        (Some("lesson"), Some(id)) => {
            let level = fields.next().and_then(Level::named);
            let compares = match fields.next() {
                Some("compare") => Some(true),
                Some("explorer") => Some(false),
                _ => None,
            };
            let (title, about) = (fields.next(), fields.next().unwrap_or_default());
            let (mut titles, mut abouts) = (Vec::new(), Vec::new());
            if let Some(title) = title {
                titles.push(("en".to_string(), title.to_string()));
                abouts.push(("en".to_string(), about.to_string()));
            }
            let rest: Vec<&str> = fields.collect();
            for other in rest.chunks_exact(3) {
                if let [lang, title, about] = other {
                    titles.push((lang.to_string(), title.to_string()));
                    abouts.push((lang.to_string(), about.to_string()));
                }
            }
            let title = Words::from_languages(titles);
            let about = Words::from_languages(abouts);
            match (level, compares, title, about) {
                (Some(level), Some(compares), Some(title), Some(about)) => Ok(Listed {
                    id: id.to_string(),
                    title,
                    level,
                    compares,
                    about,
                }),
                _ => Err("the list of lessons does not describe this file".to_string()),
            }
        }
        (Some("broken"), why) => Err(why.unwrap_or_default().to_string()),
        _ => Err("the list of lessons does not describe this file".to_string()),
    };
    Some((file.to_string(), entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(file: &str) -> Lesson {
        let path = format!("{}/../../static/lessons/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Lesson::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    #[test]
    fn a_line_reads_back_as_the_lesson_listed() {
        for file in ["01-pressing-send.json", "08-folders.json"] {
            let l = lesson(file);
            let read = read(&line(file, Ok(&l)));
            assert_eq!(read, [(file.to_string(), Ok(Listed::of(&l)))]);
        }
    }

    #[test]
    fn a_broken_file_keeps_why_and_texts_stay_on_their_line() {
        let mut l = lesson("01-pressing-send.json");
        l.title = "Two\tlines\nhere".into();
        let index = [
            line("a.json", Ok(&l)),
            line("b.json", Err("line 4: in “level”:\nunknown")),
        ]
        .join("\n");
        let read = read(&index);
        assert_eq!(read.len(), 2);
        assert_eq!(
            read[0].1.as_ref().map(|l| l.title.en()),
            Ok("Two lines here")
        );
        assert_eq!(
            read[1],
            ("b.json".into(), Err("line 4: in “level”: unknown".into()))
        );
    }

    #[test]
    fn only_lesson_files_of_the_folder_are_read() {
        let read =
            read("01-a.json\tbroken\tx\n\nREADME.md\n../x.json\tbroken\tx\n.h.json\n02-b.json\n");
        let files: Vec<_> = read.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(files, ["01-a.json", "02-b.json"]);
        assert!(read[1].1.is_err());
    }
}
