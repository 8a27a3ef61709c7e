//! Checks the catalogues in static/i18n against the English one: for each language, the
//! lines that cannot be read, the ids it lacks, the ids no page uses, and the texts whose
//! {arguments} differ from English. Run by `scripts/i18n-check [LANG…]`; exits 1 if
//! anything is to be done.

use std::path::Path;
use std::process::ExitCode;

use postroom_proto::i18n::{check, languages, Catalogue};

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/i18n");
    let read = |lang: &str| std::fs::read_to_string(dir.join(format!("{lang}.txt")));
    let Ok(english) = read("en") else {
        eprintln!("i18n-check: cannot read {}/en.txt", dir.display());
        return ExitCode::FAILURE;
    };
    let (english, errors) = Catalogue::parse("en", &english);
    let mut clean = report("en", &errors, None, english.entries().len());
    let mut langs: Vec<String> = std::env::args().skip(1).collect();
    if langs.is_empty() {
        // Every catalogue there is, so a new language is checked as soon as its file exists.
        let mut found: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".txt")
                    .map(String::from)
            })
            // Catalogues are named by two-letter codes; languages.txt is the menu's list.
            .filter(|l| l != "en" && l.len() == 2)
            .collect();
        found.sort();
        langs = found;
    }
    for lang in &langs {
        if !languages().any(|(code, _)| code == lang) {
            println!(
                "{lang}: not in the language menu: add `{lang} = <its name>` to languages.txt"
            );
            clean = false;
        }
        match read(lang) {
            Ok(text) => {
                let (catalogue, errors) = Catalogue::parse(lang, &text);
                let differences = check::compare(&english, &catalogue);
                clean &= report(lang, &errors, Some(&differences), catalogue.entries().len());
            }
            Err(e) => {
                println!("{lang}: cannot read {lang}.txt: {e}");
                clean = false;
            }
        }
    }
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints what is to be done in one catalogue; true if nothing is.
fn report(
    lang: &str,
    errors: &[postroom_proto::i18n::LineError],
    differences: Option<&check::Differences>,
    texts: usize,
) -> bool {
    for e in errors {
        println!("{lang}.txt {e}");
    }
    let Some(d) = differences else {
        if errors.is_empty() {
            println!("{lang}.txt: reads ({texts} texts)");
        }
        return errors.is_empty();
    };
    for id in &d.missing {
        println!("{lang}.txt missing: {id}  (English is shown)");
    }
    for id in &d.unused {
        println!("{lang}.txt unused: {id}  (not in en.txt: misspelt or removed?)");
    }
    for (id, en, here) in &d.arguments {
        println!(
            "{lang}.txt arguments of {id}: {{{}}} here, English has {{{}}}",
            here.join("} {"),
            en.join("} {")
        );
    }
    let clean = errors.is_empty() && d.is_empty();
    if clean {
        println!("{lang}.txt: complete ({texts} texts)");
    }
    clean
}
