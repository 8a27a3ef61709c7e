//! The performance report printed by `scripts/test`: how long the simulation takes per step
//! (native, release build), how long reaching a step takes, and how much a timeline weighs.
//! Budgets (ARCHITECTURE.md): one step ≤ 16 ms at p95 with a 10 000-message mailbox;
//! reaching any of 1 000 steps ≤ 50 ms.

// A measuring tool, not engine code: indexing here is over ranges it just built.
#![allow(clippy::indexing_slicing)]

use std::time::Instant;

use postroom_sim::{run, run_limited, Action, Device, Scenario, Timeline};

/// The fastest of a few runs, in microseconds.
fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .fold(f64::MAX, f64::min)
}

fn p95(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get((v.len() * 95 / 100).min(v.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0)
}

/// Approximate heap size of a timeline: octets, texts, and each distinct mailbox view once.
fn weight(t: &Timeline) -> usize {
    let mut seen = std::collections::HashSet::new();
    t.steps
        .iter()
        .map(|s| {
            let view = if seen.insert(std::rc::Rc::as_ptr(&s.mailboxes)) {
                s.mailboxes
                    .iter()
                    .flat_map(|v| &v.entries)
                    .map(|e| e.id.len() + e.subject.len() + 64)
                    .sum::<usize>()
            } else {
                0
            };
            s.bytes.len()
                + s.explanation.title.len()
                + s.explanation.why.len()
                + s.client_state.len()
                + s.server_state.len()
                + 200
                + view
        })
        .sum()
}

fn report(name: &str, scenario: &Scenario) {
    let Ok(full) = run(scenario) else {
        println!("{name}: the scenario does not run");
        return;
    };
    let n = full.len();
    // Per-step cost: the difference between running k and k-1 steps.
    let totals: Vec<f64> = (0..=n)
        .map(|k| best_of(3, || drop(run_limited(scenario, k))))
        .collect();
    let per_step: Vec<f64> = totals.windows(2).map(|w| (w[1] - w[0]).max(0.0)).collect();
    let whole = totals.last().copied().unwrap_or(0.0);
    // Reaching a step is reading it: the UI renders a precomputed step.
    let reach = best_of(5, || {
        for k in 0..n {
            std::hint::black_box(&full.steps[k].mailboxes);
        }
    }) / n.max(1) as f64;
    println!(
        "{name}: {n} steps, whole run {:.1} ms, per step p95 {:.3} ms (max {:.3} ms), reaching a step {:.4} ms, timeline ≈ {} KB",
        whole / 1000.0,
        p95(per_step.clone()) / 1000.0,
        per_step.iter().copied().fold(0.0, f64::max) / 1000.0,
        reach / 1000.0,
        weight(&full) / 1024
    );
}

fn main() {
    report("default story", &Scenario::default());
    let busy = Scenario {
        existing_messages: 10_000,
        actions: vec![Action::Check(Device::Phone), Action::Read(Device::Phone)],
        phone: postroom_sim::DeviceSettings {
            protocol: postroom_sim::FetchProtocol::Imap,
            leave_on_server: true,
            password: "secret".into(),
            port: 0,
            security: postroom_sim::Security::None,
            server: String::new(),
            user: String::new(),
        },
        ..Scenario::default()
    };
    report("10 000-message mailbox (IMAP sync)", &busy);
    // A long timeline: many checks, to see the cost of reaching one of ~1 000 steps.
    let long = Scenario {
        actions: vec![Action::Check(Device::Laptop); 60],
        ..Scenario::default()
    };
    report("long timeline", &long);
}
