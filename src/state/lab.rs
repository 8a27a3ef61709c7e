//! The round-trip lab's state: the network chosen, every way of sending run on it (and the
//! chart's runs for its bandwidth), which view is shown and its step, and the share-link
//! form of the settings. Pure, no DOM.

use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_proto::text;
use postroom_sim::lab::{self, chart, Network, Path, Run, BANDWIDTHS, LATENCIES};
use yew::Reducible;

use super::playback::{Playback, PlaybackAction};

/// What the lower half of the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Path(Path),
    /// After the 202: the provider relays over SMTP on port 25.
    Relay,
    /// Webmail: HTTP to the browser, IMAP behind it.
    Webmail,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Path(Path::SmtpStepByStep),
        View::Path(Path::SmtpWell),
        View::Path(Path::HttpApi),
        View::Path(Path::Jmap),
        View::Relay,
        View::Webmail,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Path(path) => path.key(),
            View::Relay => "relay",
            View::Webmail => "webmail",
        }
    }

    pub fn title(self) -> Text {
        match self {
            View::Path(path) => path.title(),
            View::Relay => text!("lab.view.relay"),
            View::Webmail => text!("lab.view.webmail"),
        }
    }

    fn from_key(key: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// Every run for one network.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    pub paths: Vec<Run>,
    pub relay: Run,
    pub webmail: Run,
}

impl Runs {
    fn new(network: Network) -> Self {
        Runs {
            paths: Path::ALL.iter().map(|&p| lab::run(p, network)).collect(),
            relay: lab::relay(network),
            webmail: lab::webmail(network),
        }
    }

    pub fn get(&self, view: View) -> Option<&Run> {
        match view {
            View::Path(path) => {
                let i = Path::ALL.iter().position(|&p| p == path)?;
                self.paths.get(i)
            }
            View::Relay => Some(&self.relay),
            View::Webmail => Some(&self.webmail),
        }
    }
}

/// The chart's runs for one bandwidth, and where the paths change places.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub series: Vec<chart::Series>,
    pub crossovers: Vec<chart::Crossover>,
}

impl Chart {
    fn new(kbit_s: u32) -> Self {
        let series = chart::series(kbit_s);
        Chart {
            crossovers: chart::crossovers(&series),
            series,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub network: Network,
    pub view: View,
    pub playback: Playback,
    pub runs: Rc<Runs>,
    pub chart: Rc<Chart>,
    pub banner: Option<String>,
    pub share_link: Option<String>,
    /// Playback speed in percent of normal, as on the explorer.
    pub speed: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabAction {
    /// A round-trip time, in ms.
    Latency(u32),
    /// The next or the previous of the offered latencies.
    LatencyStep(bool),
    /// A bandwidth, in kbit/s.
    Bandwidth(u32),
    Show(View),
    Step(PlaybackAction),
    /// Playback speed in percent of normal.
    SetSpeed(u32),
    Shared(String),
    DismissShare,
    DismissBanner,
}

pub const DEFAULT: Network = Network {
    rtt_ms: 80,
    kbit_s: 20_000,
};

impl LabState {
    /// The page as it opens: on `network`, showing `view` at the step where its mail was
    /// accepted (or at `step`, counted from 0, if given).
    pub fn new(network: Network, view: View, step: Option<usize>, banner: Option<String>) -> Self {
        let runs = Rc::new(Runs::new(network));
        let chart = Rc::new(Chart::new(network.kbit_s));
        let mut state = LabState {
            network,
            view,
            playback: Playback::new(0),
            runs,
            chart,
            banner,
            share_link: None,
            speed: 100,
        };
        state.show(view, step);
        state
    }

    pub fn run(&self) -> Option<&Run> {
        self.runs.get(self.view)
    }

    fn show(&mut self, view: View, step: Option<usize>) {
        self.view = view;
        let run = self.runs.get(view);
        let len = run.map_or(0, |r| r.timeline.len());
        let accepted = run.and_then(|r| r.accepted).unwrap_or(0);
        self.playback = Playback::at(len, step.unwrap_or(accepted));
    }

    fn set_network(&mut self, network: Network) {
        if network == self.network {
            return;
        }
        let bandwidth_changed = network.kbit_s != self.network.kbit_s;
        self.network = network;
        self.runs = Rc::new(Runs::new(network));
        if bandwidth_changed {
            self.chart = Rc::new(Chart::new(network.kbit_s));
        }
        self.show(self.view, None);
        self.share_link = None;
    }

    /// The settings as a link's fragment: `#lab=rtt-80,bw-20000,view-jmap,step-6` (the step
    /// counted from 1, as on screen).
    pub fn fragment(&self) -> String {
        format!(
            "#lab=rtt-{},bw-{},view-{},step-{}",
            self.network.rtt_ms,
            self.network.kbit_s,
            self.view.key(),
            self.playback.current + 1
        )
    }

    /// The state a fragment asks for; the default and a message if it cannot be read.
    pub fn from_fragment(hash: Option<&str>) -> LabState {
        let Some(hash) = hash.filter(|h| h.len() > 1) else {
            return LabState::new(DEFAULT, View::Path(Path::SmtpStepByStep), None, None);
        };
        match parse(hash) {
            Ok((network, view, step)) => LabState::new(network, view, step, None),
            Err(why) => LabState::new(
                DEFAULT,
                View::Path(Path::SmtpStepByStep),
                None,
                Some(crate::t!("banner.lab", why = why).to_string()),
            ),
        }
    }
}

/// Reads `#lab=rtt-N,bw-N,view-KEY[,step-N]`.
fn parse(hash: &str) -> Result<(Network, View, Option<usize>), String> {
    let shown: String = hash.chars().take(40).collect();
    let body = hash
        .strip_prefix("#lab=")
        .ok_or_else(|| format!("“{shown}” is not a lab link"))?;
    let mut network = DEFAULT;
    let mut view = View::Path(Path::SmtpStepByStep);
    let mut step = None;
    for part in body.split(',') {
        let (key, value) = part
            .split_once('-')
            .ok_or_else(|| format!("“{part}” is not a setting"))?;
        let number = || {
            value
                .parse::<u32>()
                .map_err(|_| format!("“{value}” is not a number"))
        };
        match key {
            "rtt" => network.rtt_ms = number()?.clamp(1, 2_000),
            "bw" => network.kbit_s = number()?.clamp(8, 10_000_000),
            "view" => {
                view = View::from_key(value).ok_or_else(|| format!("there is no view “{value}”"))?
            }
            "step" => step = Some(number()?.saturating_sub(1) as usize),
            _ => return Err(format!("“{key}” is not a setting")),
        }
    }
    Ok((network, view, step))
}

/// The offered latency after (or before) `rtt_ms`.
fn latency_step(rtt_ms: u32, up: bool) -> u32 {
    let offered = LATENCIES;
    let next = if up {
        offered.iter().find(|&&ms| ms > rtt_ms)
    } else {
        offered.iter().rev().find(|&&ms| ms < rtt_ms)
    };
    next.copied().unwrap_or(rtt_ms)
}

/// Whether `kbit_s` is one of the offered bandwidths.
pub fn offered_bandwidth(kbit_s: u32) -> bool {
    BANDWIDTHS.contains(&kbit_s)
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LabAction::Latency(rtt_ms) => next.set_network(Network {
                rtt_ms: rtt_ms.clamp(1, 2_000),
                ..self.network
            }),
            LabAction::LatencyStep(up) => next.set_network(Network {
                rtt_ms: latency_step(self.network.rtt_ms, up),
                ..self.network
            }),
            LabAction::Bandwidth(kbit_s) => next.set_network(Network {
                kbit_s: kbit_s.clamp(8, 10_000_000),
                ..self.network
            }),
            LabAction::Show(view) => {
                if view != self.view {
                    next.show(view, None);
                    next.share_link = None;
                }
            }
            LabAction::Step(action) => next.playback = self.playback.after(action),
            LabAction::SetSpeed(speed) => next.speed = speed.clamp(25, 800),
            LabAction::Shared(link) => next.share_link = Some(link),
            LabAction::DismissShare => next.share_link = None,
            LabAction::DismissBanner => next.banner = None,
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::state::after;

    fn start() -> Rc<LabState> {
        Rc::new(LabState::from_fragment(None))
    }

    #[test]
    fn play_steps_through_the_view_at_the_speed_chosen() {
        let first = after(start(), [LabAction::Step(PlaybackAction::First)]);
        let playing = after(first, [LabAction::Step(PlaybackAction::TogglePlay)]);
        assert!(playing.playback.playing);
        let on = after(playing, [LabAction::Step(PlaybackAction::Tick)]);
        assert_eq!(on.playback.current, 1);
        let fast = after(on, [LabAction::SetSpeed(400)]);
        assert_eq!(fast.speed, 400);
        // Choosing another view stops play there.
        let other = after(fast, [LabAction::Show(View::Relay)]);
        assert!(!other.playback.playing);
    }

    #[test]
    fn it_opens_on_the_first_path_at_its_acceptance() {
        let state = start();
        assert_eq!(state.view, View::Path(Path::SmtpStepByStep));
        let run = state.run().unwrap();
        assert_eq!(Some(state.playback.current), run.accepted);
        assert_eq!(run.round_trips(), 12);
    }

    #[test]
    fn latency_changes_every_time_but_not_the_round_trips() {
        let fast = after(start(), [LabAction::Latency(1)]);
        let slow = after(start(), [LabAction::Latency(600)]);
        for i in 0..4 {
            let (f, s) = (&fast.runs.paths[i], &slow.runs.paths[i]);
            assert!(s.accepted_after().unwrap() > f.accepted_after().unwrap());
            assert_eq!(s.round_trips(), f.round_trips());
        }
        // The chart depends on the bandwidth only: the same one is kept.
        assert!(Rc::ptr_eq(&fast.chart, &start().chart) || fast.chart == start().chart);
        let thin = after(start(), [LabAction::Bandwidth(256)]);
        assert_ne!(thin.chart, start().chart);
    }

    #[test]
    fn latency_steps_through_the_offered_values_and_stops_at_the_ends() {
        let up = after(
            start(),
            [LabAction::LatencyStep(true), LabAction::LatencyStep(true)],
        );
        assert_eq!(up.network.rtt_ms, 600);
        let top = after(up, [LabAction::LatencyStep(true)]);
        assert_eq!(top.network.rtt_ms, 600);
        let down = after(top, (0..6).map(|_| LabAction::LatencyStep(false)));
        assert_eq!(down.network.rtt_ms, 1);
    }

    #[test]
    fn views_and_steps_move_and_a_link_brings_them_back() {
        let state = after(
            start(),
            [
                LabAction::Latency(150),
                LabAction::Bandwidth(256),
                LabAction::Show(View::Path(Path::Jmap)),
                LabAction::Step(PlaybackAction::First),
                LabAction::Step(PlaybackAction::Forward),
            ],
        );
        assert_eq!(state.playback.current, 1);
        let fragment = state.fragment();
        assert_eq!(fragment, "#lab=rtt-150,bw-256,view-jmap,step-2");
        let again = LabState::from_fragment(Some(&fragment));
        assert_eq!(
            (again.network, again.view, again.playback),
            (state.network, state.view, state.playback)
        );
        assert_eq!(again.banner, None);
    }

    #[test]
    fn a_broken_link_says_why_and_opens_the_defaults() {
        for hash in [
            "#lab=rtt-fast",
            "#lab=view-carrier-pigeon",
            "#s=abc",
            "#lab=colour-red",
        ] {
            let state = LabState::from_fragment(Some(hash));
            assert_eq!(state.network, DEFAULT, "{hash}");
            assert!(
                state
                    .banner
                    .as_deref()
                    .unwrap()
                    .contains("could not be opened"),
                "{hash}"
            );
        }
        let dismissed = after(
            Rc::new(LabState::from_fragment(Some("#x"))),
            [LabAction::DismissBanner],
        );
        assert_eq!(dismissed.banner, None);
    }

    #[test]
    fn the_relay_and_webmail_views_have_their_runs() {
        let relay = after(start(), [LabAction::Show(View::Relay)]);
        assert_eq!(relay.run().unwrap().round_trips(), 8);
        let web = after(relay, [LabAction::Show(View::Webmail)]);
        assert_eq!(web.run().unwrap().timeline.hosts.len(), 3);
    }
}
