//! The four times against latency: each point a run of the simulation, and the latencies
//! where two paths change places, found between the points where their order flips.

use super::{run, Network, Path};

/// Round-trip times the chart samples, in ms: the page's five and points between them.
pub const SAMPLES: [u32; 12] = [1, 2, 5, 10, 20, 40, 80, 150, 225, 300, 450, 600];

/// One path's time to acceptance at each sample, in microseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub path: Path,
    pub points: Vec<(u32, u64)>,
}

/// Where two paths take the same time: below `rtt_ms` one is faster, above it the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    pub rtt_ms: f64,
    pub micros: f64,
    /// Faster below the crossing, faster above it.
    pub below: Path,
    pub above: Path,
}

/// Every path at every sample, on a link of `kbit_s`.
pub fn series(kbit_s: u32) -> Vec<Series> {
    Path::ALL
        .iter()
        .map(|&path| Series {
            path,
            points: SAMPLES
                .iter()
                .map(|&rtt_ms| {
                    let run = run(path, Network { rtt_ms, kbit_s });
                    (rtt_ms, run.accepted_after().unwrap_or(0))
                })
                .collect(),
        })
        .collect()
}

/// The crossings of each pair of series. Between two samples a time grows linearly with
/// the round-trip time (each round trip costs one RTT), so the crossing is where the two
/// segments meet.
pub fn crossovers(series: &[Series]) -> Vec<Crossover> {
    let mut found = Vec::new();
    for (i, a) in series.iter().enumerate() {
        for b in series.iter().skip(i + 1) {
            for (pa, pb) in a.points.windows(2).zip(b.points.windows(2)) {
                let (Some(&(x0, a0)), Some(&(x1, a1)), Some(&(_, b0)), Some(&(_, b1))) =
                    (pa.first(), pa.last(), pb.first(), pb.last())
                else {
                    continue;
                };
                let d0 = a0 as f64 - b0 as f64;
                let d1 = a1 as f64 - b1 as f64;
                // A sign change (touching at the far end counts once, at the next segment).
                if d0 == 0.0 || d0.signum() == d1.signum() || d1 == 0.0 {
                    continue;
                }
                let t = d0 / (d0 - d1);
                let rtt_ms = f64::from(x0) + t * f64::from(x1 - x0);
                let micros = a0 as f64 + t * (a1 as f64 - a0 as f64);
                let (below, above) = if d0 < 0.0 {
                    (a.path, b.path)
                } else {
                    (b.path, a.path)
                };
                found.push(Crossover {
                    rtt_ms,
                    micros,
                    below,
                    above,
                });
            }
        }
    }
    found.sort_by(|x, y| x.rtt_ms.total_cmp(&y.rtt_ms));
    found
}
