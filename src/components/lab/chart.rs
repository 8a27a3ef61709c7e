//! The chart: each path's time until acceptance against the round-trip time, both on log
//! scales (1 to 600 ms across; whole decades of time up, so the same room shows the paths
//! apart at 1 ms and at 600 ms), every point a run of the simulation; the latency chosen,
//! and the crossovers where two paths change places, marked.

use postroom_sim::lab::chart::SAMPLES;
use postroom_sim::lab::{Path, LATENCIES};
use yew::prelude::*;

use super::{tenths, time};
use crate::state::lab::Chart;

const W: f64 = 560.0;
const H: f64 = 250.0;
const LEFT: f64 = 58.0;
/// Room right of the plot for the lines' names, so no name sits on a line.
const RIGHT: f64 = 74.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;

fn x(rtt_ms: f64) -> f64 {
    let first = f64::from(SAMPLES.first().copied().unwrap_or(1));
    let last = f64::from(SAMPLES.last().copied().unwrap_or(600));
    let t = (rtt_ms.max(first).ln() - first.ln()) / (last.ln() - first.ln());
    LEFT + t * (W - LEFT - RIGHT)
}

/// Height of a time on the log scale from `scale.0` to `scale.1` microseconds.
fn y(micros: f64, scale: (f64, f64)) -> f64 {
    let (low, high) = scale;
    let t = (micros.max(low).ln() - low.ln()) / (high.ln() - low.ln()).max(f64::EPSILON);
    H - BOTTOM - t * (H - BOTTOM - TOP)
}

/// The whole decades around every time: the power of ten at or below the fastest and at or
/// above the slowest, in microseconds (at least one decade apart).
fn decades(min: u64, max: u64) -> (u64, u64) {
    let mut low = 1u64;
    while low.saturating_mul(10) <= min.max(1) {
        low *= 10;
    }
    let mut high = low.saturating_mul(10);
    while high < max {
        high = high.saturating_mul(10);
    }
    (low, high)
}

pub fn time_chart(chart: &Chart, rtt_ms: u32) -> Html {
    let times = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1));
    let (min, max) = (times.clone().min().unwrap_or(1), times.max().unwrap_or(1));
    let (low, high) = decades(min, max);
    let top = (low as f64, high as f64);
    // The names at the lines' ends, moved apart where two lines end close together.
    let mut ends: Vec<(usize, f64)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.points.last().map_or(0.0, |p| y(p.1 as f64, top))))
        .collect();
    ends.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut above = f64::MIN;
    for end in &mut ends {
        end.1 = end.1.max(above + 14.0);
        above = end.1;
    }
    let label_y = |i: usize| ends.iter().find(|e| e.0 == i).map_or(0.0, |e| e.1);
    let lines = chart.series.iter().enumerate().map(|(i, s)| {
        let points: Vec<String> = s
            .points
            .iter()
            .map(|&(r, t)| format!("{},{}", tenths(x(f64::from(r))), tenths(y(t as f64, top))))
            .collect();
        let end = label_y(i);
        html! {
            <g class={classes!("chart__series", format!("chart__series--{}", s.path.key()))} data-path={s.path.key()}>
                <polyline points={points.join(" ")} />
                <text x={tenths(W - RIGHT + 6.0)} y={tenths(end + 4.0)}>{ short(s.path) }</text>
            </g>
        }
    });
    let ticks = LATENCIES.iter().map(|&ms| {
        let at = x(f64::from(ms));
        html! {
            <g class="chart__tick">
                <line x1={tenths(at)} x2={tenths(at)} y1={tenths(H - BOTTOM)} y2={tenths(H - BOTTOM + 5.0)} />
                <text x={tenths(at)} y={tenths(H - BOTTOM + 18.0)} text-anchor="middle">{ format!("{ms}") }</text>
            </g>
        }
    });
    let levels = std::iter::successors(Some(low), |&d| (d < high).then(|| d * 10)).map(|d| {
        let value = d as f64;
        let at = y(value, top);
        html! {
            <g class="chart__level">
                <line x1={tenths(LEFT)} x2={tenths(W - RIGHT)} y1={tenths(at)} y2={tenths(at)} />
                <text x={tenths(LEFT - 6.0)} y={tenths(at + 4.0)} text-anchor="end">{ decade(d) }</text>
            </g>
        }
    });
    let crossings = chart.crossovers.iter().map(|c| {
        let (cx, cy) = (x(c.rtt_ms), y(c.micros, top));
        let title = crate::t!(
            "lab.chart.crossing",
            rtt = crate::i18n::number(tenths(c.rtt_ms)),
            below = crate::i18n::said(&c.below.title()).to_string(),
            above = crate::i18n::said(&c.above.title()).to_string()
        );
        html! {
            <g class="chart__cross" data-rtt={tenths(c.rtt_ms)}>
                <title>{ title }</title>
                <circle cx={tenths(cx)} cy={tenths(cy)} r="6" />
                <text x={tenths(cx + 8.0)} y={tenths(cy - 8.0)}>{ crate::i18n::number(format!("{} ms", tenths(c.rtt_ms))) }</text>
            </g>
        }
    });
    let now = x(f64::from(rtt_ms));
    let label = chart_label(chart, rtt_ms);
    let crossings_text: Vec<String> = chart
        .crossovers
        .iter()
        .map(|c| {
            crate::t!(
                "lab.chart.crossing-short",
                rtt = crate::i18n::number(tenths(c.rtt_ms)),
                below = crate::i18n::said(&c.below.title()).to_string(),
                above = crate::i18n::said(&c.above.title()).to_string()
            )
            .to_string()
        })
        .collect();
    html! {
        <figure class="chart">
            <figcaption class="panel__title">{ crate::t!("lab.chart.caption") }</figcaption>
            <svg class="chart__svg" viewBox={format!("0 0 {} {}", W as u32, H as u32)} role="img" aria-label={label}>
                { for levels }
                <line class="chart__axis" x1={tenths(LEFT)} x2={tenths(W - RIGHT)} y1={tenths(H - BOTTOM)} y2={tenths(H - BOTTOM)} />
                { for ticks }
                <line class="chart__now" x1={tenths(now)} x2={tenths(now)} y1={tenths(TOP)} y2={tenths(H - BOTTOM)} />
                { for lines }
                { for crossings }
            </svg>
            <p class="chart__note" data-field="crossovers">{
                if crossings_text.is_empty() {
                    crate::t!("lab.chart.no-crossover")
                } else {
                    crate::t!("lab.chart.crossovers", list = crossings_text.join("; "))
                }
            }</p>
        </figure>
    }
}

/// A decade's label: "10 ms", "1 s", "100 µs".
fn decade(micros: u64) -> String {
    match micros {
        1_000_000.. => format!("{} s", micros / 1_000_000),
        1_000.. => format!("{} ms", micros / 1_000),
        _ => format!("{micros} µs"),
    }
}

fn short(path: Path) -> &'static str {
    match path {
        Path::SmtpStepByStep => "SMTP 587",
        Path::SmtpWell => "SMTP 465",
        Path::HttpApi => "API",
        Path::Jmap => "JMAP",
    }
}

/// What the chart shows, for a screen reader: each path at the chosen latency's nearest
/// sample and at both ends.
fn chart_label(chart: &Chart, rtt_ms: u32) -> String {
    let parts: Vec<String> = chart
        .series
        .iter()
        .map(|s| {
            let first = s.points.first().map_or(0, |p| p.1);
            let last = s.points.last().map_or(0, |p| p.1);
            crate::t!(
                "lab.chart.series",
                path = crate::i18n::said(&s.path.title()).to_string(),
                first = time(first),
                last = time(last)
            )
            .to_string()
        })
        .collect();
    crate::t!("lab.chart.label", rtt = rtt_ms, series = parts.join("; ")).to_string()
}

#[cfg(test)]
mod tests {
    use super::{decade, decades, y, BOTTOM, H, TOP};

    #[test]
    fn the_time_scale_spans_whole_decades_around_every_time() {
        // 12 ms to 7.4 s: 10 ms to 10 s.
        assert_eq!(decades(12_000, 7_400_000), (10_000, 10_000_000));
        assert_eq!(decades(10_000, 10_000), (10_000, 100_000));
        assert_eq!(decades(0, 0), (1, 10));
        // The decades' ends are the chart's bottom and top, a decade in between equally apart.
        let scale = (10_000.0, 10_000_000.0);
        assert_eq!(y(10_000.0, scale), H - BOTTOM);
        assert!((y(10_000_000.0, scale) - TOP).abs() < 1e-9);
        let third = (H - BOTTOM - TOP) / 3.0;
        assert!((y(100_000.0, scale) - (H - BOTTOM - third)).abs() < 1e-9);
        let labels: Vec<String> = [100, 10_000, 1_000_000, 10_000_000].map(decade).into();
        assert_eq!(labels, ["100 µs", "10 ms", "1 s", "10 s"]);
    }
}
