//! The simulation's speed, with criterion: whole runs reported per step (throughput in
//! elements = steps), and what the UI does to show a step of a long timeline. The budgets
//! (one step ≤ 16 ms at p95 with a 10 000-message mailbox, any of 1 000 steps ≤ 50 ms) are
//! also reported as percentiles by the `measure` example that `scripts/test` prints.
//! Run with `cargo bench -p postroom-sim --bench world`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use postroom_sim::compare::{compare, presets};
use postroom_sim::{run, Action, Device, DeviceSettings, FetchProtocol, Scenario};

fn busy() -> Scenario {
    Scenario {
        existing_messages: 10_000,
        actions: vec![Action::Check(Device::Phone), Action::Read(Device::Phone)],
        phone: DeviceSettings {
            protocol: FetchProtocol::Imap,
            leave_on_server: true,
            password: "secret".into(),
            port: 0,
            security: postroom_sim::Security::None,
            server: String::new(),
            user: String::new(),
        },
        ..Scenario::default()
    }
}

fn long() -> Scenario {
    Scenario {
        actions: vec![Action::Check(Device::Laptop); 60],
        ..Scenario::default()
    }
}

fn world(c: &mut Criterion) {
    for (name, scenario, samples) in [
        ("default_story", Scenario::default(), 50),
        ("mailbox_10k_imap_sync", busy(), 10),
        ("long_timeline", long(), 20),
    ] {
        let steps = run(&scenario).unwrap().len();
        println!("{name}: {steps} steps");
        let mut group = c.benchmark_group(name);
        group.sample_size(samples);
        group.throughput(Throughput::Elements(steps as u64));
        group.bench_function("run", |b| b.iter(|| run(black_box(&scenario)).unwrap()));
        group.finish();
    }
    // Showing a step is reading what the run recorded: every step of a long timeline.
    let t = run(&long()).unwrap();
    println!("reach: {} steps", t.len());
    let mut group = c.benchmark_group("reach_every_step");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("read", |b| {
        b.iter(|| {
            t.steps
                .iter()
                .map(|s| s.mailboxes.len() + s.bytes.len())
                .sum::<usize>()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("compare_every_lesson");
    group.bench_function("play", |b| {
        b.iter(|| {
            presets()
                .iter()
                .map(|p| compare(&p.script).imap.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, world);
criterion_main!(benches);
