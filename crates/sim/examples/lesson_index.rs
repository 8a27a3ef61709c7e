//! Writes the lessons page's list of lessons for the lesson files of a folder, one line a
//! file in name order (see `postroom_sim::lesson::index`): `cargo run -p postroom-sim
//! --example lesson_index -- DIR`. The site's build writes it to `lessons/index.txt`.

use postroom_sim::lesson::{index, Lesson};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: lesson_index DIR");
        std::process::exit(2);
    };
    let mut files: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(1);
        }
    };
    files.sort();
    for file in files {
        let path = std::path::Path::new(&dir).join(&file);
        let line = match std::fs::read_to_string(&path) {
            Ok(text) => match Lesson::parse(&text) {
                Ok(lesson) => index::line(&file, Ok(&lesson)),
                Err(e) => index::line(&file, Err(&e.to_string())),
            },
            Err(e) => index::line(&file, Err(&e.to_string())),
        };
        println!("{line}");
    }
}
