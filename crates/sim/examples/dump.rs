//! Prints the default scenario's timeline as a transcript: `cargo run -p postroom-sim --example dump`
//! (`-- --states` adds each step's client and server state).

fn main() {
    match postroom_sim::run(&postroom_sim::Scenario::default()) {
        Ok(t) => {
            for (i, s) in t.steps.iter().enumerate() {
                let from = t.host(s.from).map(|h| h.label.as_str()).unwrap_or("?");
                println!(
                    "{:3} {:>9} {:6} {:18} {} {}",
                    i + 1,
                    s.arrived_at.to_string(),
                    s.protocol.name(),
                    from,
                    s.direction.prefix(),
                    s.label()
                );
                if std::env::args().any(|a| a == "--states") {
                    println!(
                        "      client: {} | server: {}",
                        s.client_state, s.server_state
                    );
                }
            }
            for line in &t.outcome {
                println!("outcome: {line}");
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
