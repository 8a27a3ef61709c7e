//! Prints every preset's comparison: the script, what changed and the tally, per protocol.
use postroom_sim::compare::{compare, presets};

fn main() {
    for preset in presets() {
        println!("=== {} ({})", preset.title, preset.script.encode());
        let c = compare(&preset.script);
        for (i, (p, m)) in c.pop3.iter().zip(&c.imap).enumerate() {
            println!("{}. {}", i + 1, p.act.label());
            for (name, f) in [("POP3", p), ("IMAP", m)] {
                println!(
                    "   {name}: {}",
                    f.changes
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                for l in &f.lines {
                    println!("        {:?} {:?} {}", l.device, l.direction, l.text);
                }
                println!("        tally {:?}", f.tally);
            }
        }
    }
}
