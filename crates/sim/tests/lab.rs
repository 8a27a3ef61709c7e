//! The round-trip lab: round trips counted by the simulation against a table derived by
//! hand from the protocols, and times that are RTT × round trips + octets ÷ bandwidth.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use postroom_sim::lab::{self, chart, paths_smtp, Network, Path, SmtpOptions};
use postroom_sim::Protocol;

fn net(rtt_ms: u32, kbit_s: u32) -> Network {
    Network { rtt_ms, kbit_s }
}

/// Round trips until the sender knows its mail was accepted, by hand:
///
/// | path | TCP | TLS | greeting | EHLO | STARTTLS | EHLO again | AUTH | MAIL/RCPT/DATA | message | POST | total |
/// |---|---|---|---|---|---|---|---|---|---|---|---|
/// | 587, one at a time | 1 | 1 | 1 | 1 | 1 | 1 | 2 (334 challenge) | 3 | 1 | – | 12 |
/// | 587, pipelining | 1 | 1 | 1 | 1 | 1 | 1 | 2 | 1 | 1 | – | 10 |
/// | 465, SASL-IR, pipelining | 1 | 1 | 1 | 1 | – | – | 1 | 1 | 1 | – | 7 |
/// | 465, SASL-IR, one at a time | 1 | 1 | 1 | 1 | – | – | 1 | 3 | 1 | – | 9 |
/// | 465, pipelining, no SASL-IR | 1 | 1 | 1 | 1 | – | – | 2 | 1 | 1 | – | 8 |
/// | HTTP API | 1 | 1 | – | – | – | – | – | – | – | 1 | 3 |
/// | JMAP | 1 | 1 | – | – | – | – | – | – | – | 1 | 3 |
///
/// (TLS 1.3 is one round trip, RFC 8446 §2; on 465 the greeting waits for the client's
/// Finished; over HTTPS the request goes with it.)
#[test]
fn round_trips_match_the_table_derived_by_hand() {
    let n = net(80, 2_000);
    let opts = |implicit_tls, initial_response, pipelining| SmtpOptions {
        implicit_tls,
        initial_response,
        pipelining,
    };
    let table = [
        (opts(false, false, false), 12),
        (opts(false, false, true), 10),
        (opts(true, true, true), 7),
        (opts(true, true, false), 9),
        (opts(true, false, true), 8),
    ];
    for (options, trips) in table {
        let run = paths_smtp(options, n);
        assert_eq!(run.round_trips(), trips, "{options:?}");
        // The QUIT after acceptance is one more.
        assert_eq!(run.round_trips_total(1), trips + 1, "{options:?}");
    }
    assert_eq!(lab::run(Path::SmtpStepByStep, n).round_trips(), 12);
    assert_eq!(lab::run(Path::SmtpWell, n).round_trips(), 7);
    assert_eq!(lab::run(Path::HttpApi, n).round_trips(), 3);
    assert_eq!(lab::run(Path::Jmap, n).round_trips(), 3);
    // The relay to Bob's MX: TCP, greeting, EHLO, STARTTLS, TLS, EHLO, pipelined
    // MAIL/RCPT/DATA, message.
    assert_eq!(lab::relay(n).round_trips(), 8);
}

#[test]
fn each_option_of_smtp_done_well_saves_its_round_trips() {
    // From the table above: 587 one at a time is 12; 465 alone drops STARTTLS and the
    // second EHLO (2), SASL-IR alone the 334 challenge (1), pipelining alone the waits after
    // MAIL and RCPT (2); together they make the 5 between 12 and 7.
    for rtt in [1, 80, 600] {
        let n = net(rtt, 2_000);
        let saved: Vec<u32> = lab::smtp_savings(n).iter().map(|s| s.2).collect();
        assert_eq!(saved, [2, 1, 2], "{n:?}");
        assert_eq!(
            saved.iter().sum::<u32>(),
            lab::run(Path::SmtpStepByStep, n).round_trips()
                - lab::run(Path::SmtpWell, n).round_trips()
        );
    }
}

#[test]
fn times_are_rtt_times_round_trips_plus_octets_over_bandwidth() {
    for rtt in [1, 20, 80, 150, 600] {
        for kbit in [256, 2_000, 200_000] {
            let n = net(rtt, kbit);
            for path in Path::ALL {
                let run = lab::run(path, n);
                let time = run.accepted_after().unwrap();
                let formula = run.estimate_micros().unwrap();
                // Each unit's transfer is rounded up to a microsecond.
                let units = run.accepted.unwrap() as u64 + 1;
                if path == Path::SmtpWell {
                    // Pipelined: the replies to MAIL and RCPT leave while DATA is still
                    // arriving, so their transfer overlaps; never more than theirs.
                    let overlap: usize = run
                        .marks
                        .iter()
                        .zip(&run.timeline.steps)
                        .filter(|(m, s)| !m.up && s.label().starts_with("250 2.1"))
                        .map(|(m, _)| m.wire)
                        .sum();
                    assert!(time <= formula + units, "{path:?} {n:?}");
                    assert!(
                        formula.saturating_sub(time) <= n.transfer_micros(overlap) + units,
                        "{path:?} {n:?}"
                    );
                } else {
                    assert!(
                        time.abs_diff(formula) <= units,
                        "{path:?} {n:?}: {time} vs {formula}"
                    );
                }
            }
        }
    }
}

#[test]
fn latency_changes_the_times_and_the_order() {
    let slow = |path| lab::run(path, net(600, 2_000)).accepted_after().unwrap();
    let fast = |path| lab::run(path, net(1, 2_000)).accepted_after().unwrap();
    for path in Path::ALL {
        assert!(slow(path) > fast(path) + 1_000_000, "{path:?}");
    }
    assert!(slow(Path::HttpApi) * 3 < slow(Path::SmtpStepByStep));
    // On a thin link at short range, fewer octets beat fewer round trips: SMTP done well
    // is faster than JMAP's verbose JSON until a few milliseconds.
    let crossings = chart::crossovers(&chart::series(256));
    let c = crossings
        .iter()
        .find(|c| (c.below, c.above) == (Path::SmtpWell, Path::Jmap))
        .unwrap();
    assert!(c.rtt_ms > 1.0 && c.rtt_ms < 20.0, "{c:?}");
}

#[test]
fn every_unit_is_the_engines_and_explained() {
    let n = net(20, 20_000);
    let api = lab::run(Path::HttpApi, n);
    let post = api
        .timeline
        .steps
        .iter()
        .find(|s| s.protocol == Protocol::Http)
        .unwrap();
    let (request, _) = postroom_proto::http::decode::request(&post.bytes).unwrap();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v3/mail/send")
    );
    let answer = &api.timeline.steps[api.accepted.unwrap()];
    assert!(answer.label().starts_with("HTTP/1.1 202 Accepted"));
    assert_eq!(answer.explanation.rfc.label(), "RFC 9110 §15.3.3");

    let jmap = lab::run(Path::Jmap, n);
    let answer = &jmap.timeline.steps[jmap.accepted.unwrap()];
    let (response, _) = postroom_proto::http::decode::response(&answer.bytes).unwrap();
    let body = String::from_utf8(response.body).unwrap();
    assert!(
        body.contains("EmailSubmission/set") && body.contains("\"updated\""),
        "{body}"
    );

    let smtp = lab::run(Path::SmtpStepByStep, n);
    let labels: Vec<String> = smtp.timeline.steps.iter().map(|s| s.label()).collect();
    assert!(labels.contains(&"AUTH PLAIN".to_string()));
    assert!(labels.iter().any(|l| l.starts_with("334")));
    assert!(smtp
        .timeline
        .steps
        .iter()
        .all(|s| !s.explanation.title.is_empty()));
    let (up, down) = smtp.octets();
    assert!(up > 500 && down > 3_000, "{up} {down}");
}

#[test]
fn webmail_is_http_to_the_browser_and_imap_behind() {
    let run = lab::webmail(net(80, 2_000));
    let protocols: Vec<Protocol> = run.timeline.steps.iter().map(|s| s.protocol).collect();
    assert!(protocols.contains(&Protocol::Http) && protocols.contains(&Protocol::Imap));
    let page = &run.timeline.steps[run.accepted.unwrap()];
    assert!(String::from_utf8_lossy(&page.bytes).contains("Lunch on Friday?"));
    assert_eq!(run.round_trips(), 3);
    assert_eq!(run.timeline.hosts.len(), 3);
}
