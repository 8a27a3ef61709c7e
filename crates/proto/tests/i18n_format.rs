//! The catalogue format: texts, arguments, plurals by language, and bad lines reported.

use postroom_proto::i18n::{args, is_one, Arg, Catalogue};
use postroom_proto::msg;

fn catalogue(lang: &str, text: &str) -> Catalogue {
    let (c, errors) = Catalogue::parse(lang, text);
    assert_eq!(errors, vec![], "{text}");
    c
}

#[test]
fn texts_take_their_arguments() {
    let c = catalogue("en", "# a comment\n\nhello = Hello, {name}!\n");
    let m = msg!("hello", name = "Bob");
    assert_eq!(c.format(m.id, &m.args).as_deref(), Some("Hello, Bob!"));
    assert_eq!(c.format("nope", &[]), None);
    // A value not given stays visible rather than breaking the text.
    assert_eq!(c.format("hello", &[]).as_deref(), Some("Hello, {name}!"));
}

#[test]
fn plurals_follow_each_language() {
    let line = "n = {count -> one: {count} message | other: {count} messages} left\n";
    let en = catalogue("en", line);
    let fr = catalogue("fr", line);
    let f = |c: &Catalogue, n: usize| c.format("n", &[("count", Arg::from(n))]).unwrap();
    assert_eq!(f(&en, 0), "0 messages left");
    assert_eq!(f(&en, 1), "1 message left");
    assert_eq!(f(&en, 2), "2 messages left");
    // CLDR: French counts 0 as "one".
    assert_eq!(f(&fr, 0), "0 message left");
    assert_eq!(f(&fr, 1), "1 message left");
    assert_eq!(f(&fr, 2), "2 messages left");
    for lang in ["en", "de", "es"] {
        assert!(!is_one(lang, 0) && is_one(lang, 1) && !is_one(lang, 2));
    }
}

#[test]
fn only_other_is_required_and_escapes_keep_characters() {
    let c = catalogue(
        "de",
        "a = {n -> other: {n} Schritte}\nb = \\{literal\\} \\| \\\\\n",
    );
    assert_eq!(
        c.format("a", &[("n", Arg::Count(1))]).as_deref(),
        Some("1 Schritte")
    );
    assert_eq!(c.format("b", &[]).as_deref(), Some("{literal} | \\"));
    assert_eq!(args(c.get("a").unwrap()), vec!["n".to_string()]);
}

#[test]
fn bad_lines_are_reported_with_their_number_and_skipped() {
    let text = "ok = fine\nno equals sign\nBad Id = x\nopen = {name\nplural = {n -> one: x}\n\
                form = {n -> few: x | other: y}\nstray = a } b\nok = again\nlast = {n -> one: a | other: {m -> other: b}}\n";
    let (c, errors) = Catalogue::parse("en", text);
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(c.entries().len(), 1);
    assert_eq!(c.format("ok", &[]).as_deref(), Some("fine"));
    assert!(errors[0].to_string().starts_with("line 2: "));
}

#[test]
fn no_input_breaks_the_reader() {
    for text in [
        "{",
        "}",
        "=",
        "a = {",
        "a = {b ->",
        "a = {b -> one:",
        "a = \\",
        "a = {b -> :|}",
        "a=é{ü}",
    ] {
        let _ = Catalogue::parse("fr", text);
    }
}

/// The live stream carries messages as data: they read back as the same message, and a
/// name no catalogue could hold reads as none (the English sent beside it stands in).
#[test]
fn a_message_written_as_data_reads_back_the_same() {
    use postroom_proto::i18n::{Arg, Said, Value};
    let inner = postroom_proto::msg!("smtp.cmd.ehlo", name = "laptop");
    let outer = postroom_proto::msg!(
        "live.line",
        title = Arg::part(&inner, "title"),
        why = Arg::part(&inner, "why"),
        note = postroom_proto::text!("live.cut", count = 3u64)
    );
    let json = serde_json::to_string(&Said::from(&outer)).unwrap();
    let read: Said = serde_json::from_str(&json).unwrap();
    assert_eq!(read.message(), Some(outer));
    for bad in ["", "Upper.Case", "a b", "smtp.cmd.ehlo\n"] {
        let said = Said {
            id: bad.to_string(),
            args: Vec::new(),
        };
        assert_eq!(said.message(), None, "{bad:?}");
    }
    let odd_part = Said {
        id: "live.line".into(),
        args: vec![(
            "title".into(),
            Value::Part {
                of: Box::new(Said {
                    id: "smtp.cmd.ehlo".into(),
                    args: Vec::new(),
                }),
                part: "nonsense".into(),
            },
        )],
    };
    assert_eq!(odd_part.message(), None);
}
