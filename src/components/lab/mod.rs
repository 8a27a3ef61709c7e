//! The round-trip lab's parts: the network controls, the table of the four paths, the
//! chart of their times against latency, the views (each path, the relay, webmail) and the
//! lines of an HTTP message explained one by one.

pub mod chart;
pub mod table;

use postroom_proto::http::explain;
use postroom_sim::lab::{Network, Path, Run, BANDWIDTHS, LATENCIES};
use postroom_sim::Protocol;
use yew::prelude::*;

use crate::state::lab::{offered_bandwidth, LabAction, View};

/// Microseconds as milliseconds for people: "977 ms", "1.98 s", "4.3 ms", rounded to the
/// nearest (a student who works the formula out gets the figure shown). Integer
/// arithmetic only: formatting floats would add kilobytes to the page.
pub fn time(micros: u64) -> String {
    let hundredths_s = (micros + 5_000) / 10_000;
    let ms = (micros + 500) / 1000;
    let shown = if hundredths_s >= 100 {
        format!("{}.{:02} s", hundredths_s / 100, hundredths_s % 100)
    } else if ms >= 10 {
        format!("{ms} ms")
    } else {
        let tenths = (micros + 50) / 100;
        format!("{}.{} ms", tenths / 10, tenths % 10)
    };
    crate::i18n::number(shown)
}

/// Octets for people: "911 B", "3.7 kB", rounded to the nearest.
pub fn octets(n: usize) -> String {
    if n >= 1000 {
        let tenths = (n + 50) / 100;
        crate::i18n::number(format!("{}.{} kB", tenths / 10, tenths % 10))
    } else {
        format!("{n} B")
    }
}

/// A non-negative number with one decimal, without float formatting.
pub fn tenths(v: f64) -> String {
    let t = (v.max(0.0) * 10.0).round() as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// The latency and bandwidth controls.
pub fn network_controls(network: Network, on: &Callback<LabAction>) -> Html {
    let latency = LATENCIES.iter().map(|&ms| {
        let place = match ms {
            1 => crate::t!("lab.place.room"),
            20 => crate::t!("lab.place.city"),
            80 => crate::t!("lab.place.continent"),
            150 => crate::t!("lab.place.ocean"),
            _ => crate::t!("lab.place.satellite"),
        };
        let pressed = network.rtt_ms == ms;
        let onclick = on.reform(move |_: MouseEvent| LabAction::Latency(ms));
        html! {
            <button class={classes!("lab__choice", pressed.then_some("lab__choice--on"))} aria-pressed={pressed.to_string()}
                data-rtt={ms.to_string()} {onclick}>
                <strong>{ format!("{ms} ms") }</strong><span class="lab__place">{ place }</span>
            </button>
        }
    });
    let onchange = on.reform(|e: Event| {
        let value = select_value(&e);
        LabAction::Bandwidth(value.parse().unwrap_or(crate::state::lab::DEFAULT.kbit_s))
    });
    let options = BANDWIDTHS.iter().map(|&kbit| {
        let label = match kbit {
            256 => crate::t!("lab.bandwidth.mobile", kbit = kbit),
            _ => format!("{} Mbit/s", kbit / 1000).into(),
        };
        html! { <option value={kbit.to_string()} selected={network.kbit_s == kbit}>{ label }</option> }
    });
    let other = (!offered_bandwidth(network.kbit_s)).then(|| {
        html! { <option value={network.kbit_s.to_string()} selected=true>{ format!("{} kbit/s", network.kbit_s) }</option> }
    });
    html! {
        <div class="lab__network">
            <div class="lab__latency" role="group" aria-labelledby="lab-latency">
                <span id="lab-latency" class="lab__label">{ crate::t!("lab.round-trip") }</span>
                { for latency }
            </div>
            <label class="lab__bandwidth">
                <span class="lab__label">{ crate::t!("lab.bandwidth") }</span>
                <select {onchange} data-control="bandwidth">{ for options }{ for other }</select>
            </label>
        </div>
    }
}

fn select_value(e: &Event) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        String::new()
    }
}

/// The tabs of the views, numbered for the keyboard.
pub fn view_tabs(shown: View, on: &Callback<LabAction>) -> Html {
    let tabs = View::ALL.iter().enumerate().map(|(i, &view)| {
        let on_now = view == shown;
        let onclick = on.reform(move |_: MouseEvent| LabAction::Show(view));
        html! {
            <button role="tab" aria-selected={on_now.to_string()} data-view={view.key()}
                class={classes!("lab__tab", format!("lab__tab--{}", view.key()), on_now.then_some("lab__tab--on"))} {onclick}>
                <kbd>{ i + 1 }</kbd>{ " " }{ crate::i18n::said(&view.title()) }
            </button>
        }
    });
    html! { <div class="lab__tabs" role="tablist" aria-label={crate::t!("lab.tabs")}>{ for tabs }</div> }
}

/// What a view is about, in a sentence or two computed from its run.
pub fn view_summary(view: View, run: &Run) -> Html {
    let trips = run.round_trips();
    let when = run.accepted_after().map(time).unwrap_or_default();
    let (up, down) = run.octets();
    let text = match view {
        View::Path(Path::SmtpWell) => {
            let saved = postroom_sim::lab::smtp_savings(run.network)
                .iter()
                .map(|(option, gone, n)| {
                    let (option, gone) = (crate::i18n::said(option), crate::i18n::said(gone));
                    crate::t!(
                        "lab.saves",
                        option = option.to_string(),
                        count = *n,
                        gone = gone.to_string()
                    )
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("; ");
            crate::t!(
                "lab.summary.smtp-well",
                summary = crate::i18n::said(&Path::SmtpWell.summary()).to_string(),
                count = trips,
                when = when,
                saved = saved
            )
        }
        View::Path(path) => crate::t!(
            "lab.summary.path",
            summary = crate::i18n::said(&path.summary()).to_string(),
            count = trips,
            when = when
        ),
        View::Relay => crate::t!(
            "lab.summary.relay",
            count = trips,
            when = when,
            up = octets(up),
            down = octets(down)
        ),
        View::Webmail => {
            let imap = run
                .timeline
                .steps
                .iter()
                .filter(|s| s.protocol == Protocol::Imap)
                .count();
            crate::t!(
                "lab.summary.webmail",
                lines = imap,
                count = trips,
                when = when
            )
        }
    };
    html! { <p class="lab__summary">{ text }</p> }
}

/// An HTTP message, each line with what it means and its RFC section.
pub fn http_lines(bytes: &[u8]) -> Html {
    let lines = explain::message(bytes).into_iter().map(|line| {
        let shown: String = if line.text.is_empty() {
            crate::t!("console.empty-line").to_string()
        } else if line.text.chars().count() > 90 {
            format!("{}…", line.text.chars().take(89).collect::<String>())
        } else {
            line.text.clone()
        };
        let e = line.explanation;
        html! {
            <li class="lab__line">
                <code class="lab__code">{ shown }</code>
                <span class="lab__meaning">{ crate::i18n::explanation(&e).0 }{ " · " }
                    <a href={e.rfc.url()} target="_blank" rel="noopener">{ e.rfc.label() }</a></span>
            </li>
        }
    });
    html! {
        <section class="lab__http" aria-labelledby="lab-http-title">
            <h3 id="lab-http-title" class="panel__title">{ crate::t!("lab.http-title") }</h3>
            <ol class="lab__lines">{ for lines }</ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_octets_are_rounded_to_the_nearest() {
        assert_eq!(time(13_760), "14 ms");
        assert_eq!(time(61_480), "61 ms");
        assert_eq!(time(8_680), "8.7 ms");
        assert_eq!(time(9_960), "10 ms");
        assert_eq!(time(999_600), "1.00 s");
        assert_eq!(time(1_946_900), "1.95 s");
        assert_eq!(time(0), "0.0 ms");
        assert_eq!(octets(4_450), "4.5 kB");
        assert_eq!(octets(3_640), "3.6 kB");
        assert_eq!(octets(999), "999 B");
    }
}
