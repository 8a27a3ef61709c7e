//! Prints every lesson's goal at the start and after its solution, and its predictions as
//! the page asks them: `cargo run -p postroom-sim --example lessons`.

use postroom_sim::lesson::{Attempt, Lesson};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/lessons");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lesson = match Lesson::parse(&text) {
            Ok(lesson) => lesson,
            Err(e) => {
                println!("=== {name}: {e}");
                continue;
            }
        };
        println!("=== {name}");
        let (Ok(start), Ok(mut steps)) = (Attempt::start(&lesson), Attempt::solution(&lesson))
        else {
            println!("  (cannot run)");
            continue;
        };
        let Some(end) = steps.pop() else { continue };
        for (a, b) in start.goal(&lesson).iter().zip(end.goal(&lesson)) {
            let tick = |t: bool| if t { "x" } else { " " };
            println!("  [{}→{}] {}", tick(a.ticked), tick(b.ticked), a.label.en());
        }
        for (w, at) in [("start", &start), ("end", &end)] {
            for a in at.predictions(&lesson).into_iter().flatten() {
                println!("  {w} step {}: {}", a.step, a.question);
                for (i, o) in a.options.iter().enumerate() {
                    println!("     {} {o}", if i == a.right { "*" } else { " " });
                }
                println!(
                    "     → {} ({})",
                    a.explanation.title,
                    a.explanation.rfc.label()
                );
            }
        }
    }
}
