//! The English catalogue built into the engines: `static/i18n/en.txt` without its comments,
//! and without the texts of the pages this build is not for. Each page is its own build, and
//! English is in every page's module, so a page leaves out the sections (`compare.…`, `lab.…`,
//! …) it never shows: the cargo features `texts-…` keep them.
// A build script that cannot read the catalogue should stop the build, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::env;
use std::fs;
use std::path::Path;

/// A section of ids (their first word) and the feature that keeps it.
const SECTIONS: [(&str, &str); 9] = [
    ("smtp", "TEXTS_SMTP"),
    ("pop3", "TEXTS_POP3"),
    ("note", "TEXTS_NOTES"),
    ("compare", "TEXTS_COMPARE"),
    ("lab", "TEXTS_LAB"),
    // HTTP is spoken in the round-trip lab only.
    ("http", "TEXTS_LAB"),
    ("log", "TEXTS_LOG"),
    ("live", "TEXTS_LIVE"),
    ("lesson", "TEXTS_LESSON"),
];

fn main() {
    let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source = Path::new(&dir).join("../../static/i18n/en.txt");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source).expect("static/i18n/en.txt is readable");
    let left_out: Vec<&str> = SECTIONS
        .iter()
        .filter(|(_, feature)| env::var_os(format!("CARGO_FEATURE_{feature}")).is_none())
        .map(|(section, _)| *section)
        .collect();
    let kept: String = text
        .lines()
        .filter(|line| {
            let line = line.trim();
            let section = line.split(['.', ' ', '=']).next().unwrap_or_default();
            !line.is_empty() && !line.starts_with('#') && !left_out.contains(&section)
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("en.txt"), kept).expect("OUT_DIR is writable");
}
