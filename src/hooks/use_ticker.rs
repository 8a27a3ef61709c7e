//! Play: while `playing`, a timer sends a tick every `period_ms`.

use gloo::timers::callback::Interval;
use yew::{hook, use_effect_with, Callback};

#[hook]
pub fn use_ticker(playing: bool, period_ms: u32, on_tick: Callback<()>) {
    use_effect_with((playing, period_ms), move |(playing, period_ms)| {
        let interval = playing.then(|| {
            let on_tick = on_tick.clone();
            Interval::new(*period_ms, move || on_tick.emit(()))
        });
        move || drop(interval)
    });
}
