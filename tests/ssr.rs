//! Server-side renders of the app and its components at known steps: fast, native view tests.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::rc::Rc;

use postroom::components::transcript::TranscriptProps;
use postroom::components::{
    explanation_panel, mailbox_panel, sequence_diagram, ExplanationProps, MailboxPanelProps,
    SequenceDiagramProps, Transcript,
};
use postroom::pages::explorer::App;
use postroom_sim::{run, Scenario, Timeline};
use yew::{function_component, Callback, Html, LocalServerRenderer, Properties};

/// Renders the markup of a plain view function (the stateless panels are not components).
#[derive(Properties, PartialEq)]
struct ShowProps {
    html: Html,
}

#[function_component]
fn Show(props: &ShowProps) -> Html {
    props.html.clone()
}

async fn render(html: Html) -> String {
    LocalServerRenderer::<Show>::with_props(ShowProps { html })
        .hydratable(false)
        .render()
        .await
}

fn timeline() -> Rc<Timeline> {
    Rc::new(run(&Scenario::default()).unwrap())
}

fn step_of(t: &Timeline, label_start: &str) -> usize {
    t.steps
        .iter()
        .position(|s| s.label().starts_with(label_start))
        .unwrap()
}

fn button_is_disabled(html: &str, action: &str) -> bool {
    let at = html.find(&format!("data-action=\"{action}\"")).unwrap();
    let start = html[..at].rfind("<button").unwrap();
    let end = at + html[at..].find('>').unwrap();
    html[start..end].contains("disabled")
}

#[tokio::test]
async fn the_app_opens_on_the_submission_servers_greeting() {
    let html = LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await;
    let t = timeline();
    assert!(html.contains(&format!("Step 1 of {}", t.len())), "{html}");
    assert!(html.contains("The server is ready: smtp.example.org ESMTP Postroom"));
    assert!(html.contains("https://www.rfc-editor.org/rfc/rfc5321#section-4.3.1"));
    // Six lanes, as in the wireframe.
    for host in [
        "Alice's laptop",
        "Submission server",
        "DNS resolver",
        "Bob's mail server",
        "Bob's phone",
        "Bob's laptop",
    ] {
        assert!(html.contains(host), "{host}");
    }
    assert!(button_is_disabled(&html, "back") && !button_is_disabled(&html, "step"));
    assert!(
        html.contains("SMTP submission") && html.contains("SMTP relay") && html.contains("DNS")
    );
}

#[tokio::test]
async fn the_transcript_marks_past_current_and_future_steps() {
    let t = timeline();
    let current = step_of(&t, "MAIL FROM");
    let props = TranscriptProps {
        timeline: t.clone(),
        current,
        on_select: Callback::noop(),
        bytes: true,
        on_toggle_bytes: Callback::noop(),
    };
    let html = LocalServerRenderer::<Transcript>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    assert_eq!(html.matches("transcript__step--past").count(), current);
    assert_eq!(html.matches("transcript__step--current").count(), 1);
    assert_eq!(
        html.matches("transcript__step--future").count(),
        t.len() - current - 1
    );
    assert!(html.contains("250-PIPELINING"));
    // Byte view: every wire line shows its CR LF.
    assert_eq!(
        html.matches("transcript__crlf").count(),
        html.matches("class=\"transcript__line\"").count() - html.matches("TLS handshake").count()
    );
    assert!(
        html.contains("transcript__step--local"),
        "the TLS handshake is shown as a local step"
    );
    // The octets with a meaning of their own are marked: the period dot-stuffing added (the
    // body has a line starting with ".."), the final single period, IMAP literal counts.
    assert!(
        html.contains("Dot-stuffing: the line began with a period"),
        "{html}"
    );
    assert!(html.contains(">.</mark>.. and bring the slides"), "{html}");
    assert!(html.contains("A line with a single period: the end of the message"));
    assert!(html.contains("A literal: exactly this many octets"));
    let marked_literal = regex_free_find(&html, "RFC 9051 §4.3)\">{", "}</mark>");
    assert!(
        marked_literal.bytes().all(|b| b.is_ascii_digit()),
        "{marked_literal}"
    );
    // Each line sent after STARTTLS says so.
    let encrypted = t
        .steps
        .iter()
        .filter(|s| s.encrypted && s.direction != postroom_sim::Direction::Local)
        .count();
    assert!(encrypted > 0);
    assert_eq!(html.matches("transcript__tls").count(), encrypted);
}

/// The text between the first `start` and the next `end`.
fn regex_free_find<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or(text.len());
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap_or(0)]
}

#[tokio::test]
async fn the_diagram_shows_a_window_around_the_current_step() {
    let t = timeline();
    let current = step_of(&t, "QUERY example.net");
    let props = SequenceDiagramProps {
        timeline: t.clone(),
        current,
        on_select: Callback::noop(),
        speed: 100,
    };
    let html = render(sequence_diagram(&props)).await;
    // One column per host; the rows are the window of steps around the current one: twenty
    // before it, three after.
    assert!(html.contains("style=\"--lanes: 6\""), "{html}");
    assert_eq!(html.matches("<li class=\"diagram__host").count(), 6);
    let first = current.saturating_sub(20);
    assert_eq!(
        html.matches("<li class=\"diagram__step ").count(),
        current + 4 - first,
        "{html}"
    );
    assert!(html.contains(&format!(
        "steps {} to {} of {}",
        first + 1,
        current + 4,
        t.len()
    )));
    assert_eq!(html.matches("diagram__step--current").count(), 1);
    // Only the current arrow flies: 40 ms on the link gives 0.56 s at normal speed.
    assert_eq!(html.matches("--flight:").count(), 1);
    assert!(html.contains("; --flight: 560ms\""), "{html}");
    // The header is also the map: the two ends of the current step are marked and joined.
    assert_eq!(html.matches("diagram__host--active").count(), 2);
    assert!(html.contains("diagram__link diagram__step--dns"));
    assert!(html.contains("diagram__step--dns"));
    assert!(html.contains("QUERY example.net. IN MX"));
    // Encrypted submission steps are drawn as such.
    assert!(
        html.contains("diagram__step--encrypted") && html.contains("TLS · 235 2.7.0"),
        "{html}"
    );
}

#[tokio::test]
async fn the_explanation_of_the_data_step_mentions_dot_stuffing() {
    let t = timeline();
    let current = step_of(&t, "From:");
    let html = render(explanation_panel(&ExplanationProps {
        timeline: t.clone(),
        current,
    }))
    .await;
    assert!(html.contains("The message itself (163 octets)"), "{html}");
    assert!(html.contains("One line starts with a period"));
    assert!(html.contains("RFC 5321 §4.5.2"));
    assert!(
        html.contains("badge--tls"),
        "the submission's data travels under TLS"
    );
}

#[tokio::test]
async fn the_mailboxes_fill_and_empty_as_the_story_goes() {
    let t = timeline();
    let render = |current| {
        render(mailbox_panel(&MailboxPanelProps {
            timeline: t.clone(),
            current,
            empty: None,
            focusable: false,
        }))
    };
    let relay_data = t
        .steps
        .iter()
        .position(|s| s.label().starts_with("Received:"))
        .unwrap();
    let before = render(relay_data - 1).await;
    let after = render(relay_data).await;
    assert!(!before.contains("Lunch on Friday?"));
    assert!(after.contains("Lunch on Friday?") && after.contains("mailbox__message--changed"));
    // The server deletes in the UPDATE state, when QUIT arrives.
    let quit = t
        .steps
        .iter()
        .position(|s| s.protocol == postroom_sim::Protocol::Pop3 && s.label() == "QUIT")
        .unwrap();
    let gone = render(quit).await;
    assert!(gone.contains("empty — its messages are gone"), "{gone}");
    let end = render(t.len() - 1).await;
    assert_eq!(
        end.matches("Lunch on Friday?").count(),
        1,
        "only the phone keeps it: {end}"
    );
}

#[tokio::test]
async fn the_scenario_panel_shows_the_email_devices_story_and_every_fault() {
    use postroom::components::scenario_panel::ScenarioPanelProps;
    use postroom::components::ScenarioPanel;
    use postroom::state::compose::STORIES;
    let mut scenario = Scenario::default();
    scenario.faults.push(postroom_sim::Fault::Greylisting);
    let props = ScenarioPanelProps {
        scenario,
        on_apply: Callback::noop(),
        on_append: Callback::noop(),
        on_close: Callback::noop(),
        problem: None,
    };
    let html = LocalServerRenderer::<ScenarioPanel>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("value=\"Lunch on Friday?\""), "{html}");
    assert!(html.contains("data-action=\"send-next\""), "{html}");
    assert_eq!(
        html.matches("name=\"fault-").count(),
        postroom_sim::share::FAULTS.len()
    );
    assert_eq!(
        html.matches("checked").count(),
        2,
        "laptop keeps a copy, and greylisting: {html}"
    );
    // Protocol (2) and security (3) for each device, Alice's outgoing security (3) and the
    // ports it suggests (3), and the stories.
    assert_eq!(html.matches("<option value=").count(), 16 + STORIES.len());
    assert!(
        html.contains("Alice's mail program: outgoing server"),
        "{html}"
    );
    assert!(html.contains("<option value=\"starttls\" selected=\"selected\">STARTTLS (587)"));
}

#[tokio::test]
async fn a_story_bob_added_to_is_kept_when_the_panel_sends_again() {
    use postroom::components::scenario_panel::ScenarioPanelProps;
    use postroom::components::ScenarioPanel;
    use postroom::state::compose::STORIES;
    let mut scenario = Scenario::default();
    scenario
        .actions
        .push(postroom_sim::Action::Switch(postroom_sim::Device::Phone));
    let props = ScenarioPanelProps {
        scenario,
        on_apply: Callback::noop(),
        on_append: Callback::noop(),
        on_close: Callback::noop(),
        problem: None,
    };
    let html = LocalServerRenderer::<ScenarioPanel>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    // Not one of the ready-made stories: the first choice keeps it as it is.
    assert!(
        html.contains(
            "<option value=\"keep\" selected=\"selected\">As it is now (4 actions)</option>"
        ),
        "{html}"
    );
    assert_eq!(html.matches("<option value=").count(), 17 + STORIES.len());
}

#[tokio::test]
async fn the_comparison_page_opens_on_the_first_lesson_with_both_worlds() {
    let html = LocalServerRenderer::<postroom::pages::compare::CompareApp>::new()
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("Two devices, one inbox"), "{html}");
    assert!(html.contains("POP3 · download and delete"));
    assert!(html.contains("IMAP · one mailbox, many views"));
    assert!(html.contains("After step 1 of 5"));
    assert!(html.contains("Server: “Lunch on Friday?” arrives."));
    assert!(html.contains("nothing crosses the network"));
    // The comparison page links back to the explorer and marks itself as the current view.
    assert!(html.contains(r#"href="./""#));
    assert!(html.contains(r#"data-view="compare" href="compare.html" aria-current="page""#));
}

#[tokio::test]
async fn the_compare_view_renders_a_script_of_its_own() {
    use postroom::pages::compare::{CompareProps, CompareView};
    use postroom_sim::compare::{Act, Script};
    use postroom_sim::Device;
    let script = Script {
        leave_on_server: true,
        acts: vec![
            Act::NewMail,
            Act::Check(Device::Laptop),
            Act::File(Device::Laptop),
        ],
    };
    let props = CompareProps {
        script,
        on_script: Callback::noop(),
    };
    let html = LocalServerRenderer::<CompareView>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("Your own script"), "{html}");
    assert!(html.contains("POP3 · leave a copy"));
    assert!(html.contains("3 · laptop files a message in “Work”"));
    assert!(html.contains("After step 1 of 3"));
}

#[tokio::test]
async fn the_console_opens_on_the_smtp_servers_greeting_with_lines_to_try() {
    let html = LocalServerRenderer::<postroom::pages::console::ConsoleApp>::new()
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("220 mx.example.net"), "{html}");
    assert!(html.contains("SMTP server state"));
    assert!(html.contains(r#"data-try="EHLO laptop.example.org""#));
    assert!(html.contains(r#"data-protocol="smtp" aria-pressed="true""#));
    assert!(html.contains(r#"data-view="console" href="console.html" aria-current="page""#));
    // No Share button: a console session is not a link.
    assert!(!html.contains(r#"data-action="share""#));
}

#[tokio::test]
async fn the_controls_offer_speeds_and_a_slow_link_flies_longer() {
    use postroom::components::controls::{ControlsProps, SPEEDS};
    use postroom::components::sequence_diagram::flight_ms;
    use postroom::state::Playback;
    let t = timeline();
    let props = ControlsProps {
        timeline: t.clone(),
        playback: Playback::new(t.len()),
        on_action: Callback::noop(),
        speed: 200,
        on_speed: Callback::noop(),
        clock: true,
    };
    let html = render(postroom::components::controls(&props)).await;
    assert!(html.contains("t = "), "{html}");
    // Without the clock (a pasted log's made-up times), no time at all.
    let unclocked = ControlsProps {
        timeline: t.clone(),
        playback: Playback::new(t.len()),
        on_action: Callback::noop(),
        speed: 200,
        on_speed: Callback::noop(),
        clock: false,
    };
    let quiet = render(postroom::components::controls(&unclocked)).await;
    assert!(!quiet.contains("t = "), "{quiet}");
    assert_eq!(html.matches("<option value=").count(), SPEEDS.len());
    assert!(
        html.contains("<option value=\"200\" selected=\"selected\">2×</option>"),
        "{html}"
    );
    assert!(html.contains(">0.5×</option>"), "{html}");
    // A lost packet keeps the line a second longer on the link: it flies longer, capped.
    let mut lossy = Scenario::default();
    let data = t
        .steps
        .iter()
        .position(|s| s.label().starts_with("From:"))
        .unwrap();
    lossy.faults.push(postroom_sim::Fault::LossAt(data as u32));
    let slow = postroom_sim::run(&lossy).unwrap();
    assert_eq!(flight_ms(&t.steps[data], 100), 560);
    assert_eq!(flight_ms(&slow.steps[data + 1], 100), 1300);
    assert_eq!(flight_ms(&slow.steps[data + 1], 400), 325);
}

#[tokio::test]
async fn the_compose_panel_says_what_is_wrong_beside_the_field() {
    use postroom::components::scenario_panel::ScenarioPanelProps;
    use postroom::components::ScenarioPanel;
    use postroom::state::compose::{Field, Problem};
    let bad = Scenario {
        from: "alice@".into(),
        ..Scenario::default()
    };
    let error = run(&bad).unwrap_err();
    let props = ScenarioPanelProps {
        scenario: Scenario::default(),
        on_apply: Callback::noop(),
        on_append: Callback::noop(),
        on_close: Callback::noop(),
        problem: Some(Problem::of(&bad, &error)),
    };
    let html = LocalServerRenderer::<ScenarioPanel>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    assert_eq!(Problem::of(&bad, &error).field, Field::From);
    // The message follows the From field, which points to it; To is left alone.
    let from = html.find("name=\"from\"").unwrap();
    let message = html.find("is not a valid sender address").unwrap();
    let to = html.find("name=\"to\"").unwrap();
    assert!(from < message && message < to, "{html}");
    assert_eq!(html.matches("aria-invalid=\"true\"").count(), 1, "{html}");
    assert!(html.contains("aria-describedby=\"scenario-problem\""));
    assert!(html.contains("role=\"alert\""));
}

#[tokio::test]
async fn the_log_page_opens_on_its_text_area_with_examples_and_formats() {
    let html = LocalServerRenderer::<postroom::pages::log::LogApp>::new()
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains(r#"data-view="log" href="log.html" aria-current="page""#));
    assert!(html.contains(r#"id="log-text""#), "{html}");
    assert!(html.contains(r#"data-example="swaks""#));
    assert!(html.contains("Dovecot rawlog"));
    // Nothing to share yet, no session to step through.
    assert!(!html.contains(r#"data-action="share""#));
    assert!(!html.contains("diagram"));
}

#[tokio::test]
async fn a_logs_findings_cite_their_rule_with_a_button_to_their_step() {
    use postroom::state::log::examples::EXAMPLES;
    use postroom::state::log::{Input, LogAction, LogState};
    let example = EXAMPLES.iter().find(|e| e.key == "openssl-pop3").unwrap();
    let state = yew::Reducible::reduce(
        Rc::new(LogState::default()),
        LogAction::Read {
            input: Input::Text(Rc::from(example.text)),
            source: example.title.into(),
        },
    );
    let html = render(postroom::components::log::log_summary(
        &state,
        &Callback::noop(),
    ))
    .await;
    assert!(
        html.contains("Read as <strong>openssl s_client or telnet session</strong>"),
        "{html}"
    );
    assert!(html.contains("1 finding"));
    assert!(html.contains("The session ends without QUIT: nothing was deleted"));
    assert!(html.contains(r#"href="https://www.rfc-editor.org/rfc/rfc1939#section-6""#));
    assert!(html.contains(r#"data-action="finding-go""#));
    assert!(html.contains("Go to step"));
}

#[tokio::test]
async fn the_live_mailbox_panel_says_nothing_is_stored_then_shows_flags() {
    use postroom::state::live::{LiveAction, LiveState};
    use yew::Reducible;
    let records = [
        r#"{"seq":1,"at_ms":1,"event":{"kind":"opened","session":1,"protocol":"IMAP","service":"imap","client":"127.0.0.1:5","port":10143}}"#,
        r#"{"seq":2,"at_ms":2,"event":{"kind":"line","session":1,"from":"server","text":"* OK ready\r\n","encrypted":false,"title":"t","why":"w","rfc":9051,"section":"7.1.1","state":"s"}}"#,
        r#"{"seq":3,"at_ms":3,"event":{"kind":"mailbox","session":1,"mailbox":"bob · INBOX","messages":[{"uid":1,"size":9,"subject":"Hello","flags":["\\Seen","\\Deleted"]}]}}"#,
        r#"{"seq":4,"at_ms":4,"event":{"kind":"line","session":1,"from":"server","text":"a1 OK done\r\n","encrypted":false,"title":"t","why":"w","rfc":9051,"section":"7.1.1","state":"s"}}"#,
    ];
    let state = Rc::new(LiveState::default()).reduce(LiveAction::Records(records.join("\n")));
    let timeline = state.session(1).unwrap().timeline.clone();
    let panel = |current| {
        render(mailbox_panel(&MailboxPanelProps {
            timeline: timeline.clone(),
            current,
            empty: Some("Nothing stored yet".into()),
            focusable: true,
        }))
    };
    let before = panel(0).await;
    assert!(before.contains("Nothing stored yet"), "{before}");
    let after = panel(1).await;
    assert!(
        after.contains("bob · INBOX") && after.contains("Hello"),
        "{after}"
    );
    assert!(after.contains(r"\Seen \Deleted"), "{after}");
    assert!(!after.contains("Nothing stored yet"));
    assert!(
        after.contains("tabindex=\"0\""),
        "a panel that scrolls takes focus"
    );
}

#[tokio::test]
async fn the_live_settings_are_shown_as_plain_text_a_phone_can_use() {
    use postroom::components::live::settings_panel;
    use postroom_proto::live::{Ports, Settings};
    let settings = Settings {
        hostname: "mail.example.net".into(),
        domain: "example.net".into(),
        bind: "0.0.0.0".into(),
        ports: Ports {
            smtp: 10025,
            submission: 10587,
            submissions: 10465,
            pop3: 10110,
            imap: 10143,
        },
        users: vec![
            ("alice".into(), "secret".into()),
            ("bob".into(), "hunter2".into()),
        ],
        require_tls: true,
        fingerprint: "AB:CD".into(),
        show_secrets: false,
    };
    let html = render(settings_panel(&settings, "192.168.1.20")).await;
    // Shown, not folded away, and with what a mail app's manual setup asks for.
    assert!(!html.contains("<details"), "{html}");
    let plain = regex_free_find(&html, "data-settings=\"plain\"", "</pre>");
    for expected in [
        "Server: 192.168.1.20  Port: 10143  Security: STARTTLS (required)",
        "or POP3: port 10110",
        "Server: 192.168.1.20  Port: 10587  Security: STARTTLS",
        "or port 10465, SSL/TLS",
        "alice@example.net  user name: alice  password: secret",
        "bob@example.net  user name: bob  password: hunter2",
    ] {
        assert!(plain.contains(expected), "{expected:?} not in {plain}");
    }
}
