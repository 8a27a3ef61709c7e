//! Server-side renders of the app and its components at known steps: fast, native view tests.
#![cfg(not(target_arch = "wasm32"))]
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::rc::Rc;

use postroom::app::App;
use postroom::components::explanation::ExplanationProps;
use postroom::components::mailbox_panel::MailboxPanelProps;
use postroom::components::transcript::TranscriptProps;
use postroom::components::{ExplanationPanel, MailboxPanel, Transcript};
use postroom_sim::{run, Scenario, Timeline};
use yew::{Callback, LocalServerRenderer};

fn timeline() -> Rc<Timeline> {
    Rc::new(run(&Scenario::default()).unwrap())
}

fn step_of(t: &Timeline, label_start: &str) -> usize {
    t.steps
        .iter()
        .position(|s| s.label().starts_with(label_start))
        .unwrap()
}

#[tokio::test]
async fn the_app_opens_on_the_servers_greeting() {
    let html = LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("Step 1 of 13"), "{html}");
    assert!(html.contains("The server is ready: mx.example.net ESMTP Postroom"));
    assert!(html.contains("transcript__step--current"));
    assert!(html.contains("https://www.rfc-editor.org/rfc/rfc5321#section-4.3.1"));
    assert!(html.contains("No messages yet."));
    // The Back button is disabled on the first step; Step is not.
    assert!(back_is_disabled(&html));
}

fn back_is_disabled(html: &str) -> bool {
    let at = html.find(r#"data-action="back""#).unwrap();
    let start = html[..at].rfind("<button").unwrap();
    let end = at + html[at..].find('>').unwrap();
    html[start..end].contains("disabled")
}

#[tokio::test]
async fn the_transcript_marks_past_current_and_future_steps() {
    let t = timeline();
    let current = step_of(&t, "MAIL FROM");
    let props = TranscriptProps {
        timeline: t.clone(),
        current,
        on_select: Callback::noop(),
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
    // The greeting's continuation lines of the EHLO reply are shown one per line.
    assert!(html.contains("250-PIPELINING"));
    // HTML-escaped, the data step shows the doubled period of dot-stuffing.
    assert!(html.contains(".. and bring the slides") || html.contains("... and bring the slides"));
}

#[tokio::test]
async fn the_explanation_of_the_data_step_mentions_dot_stuffing() {
    let t = timeline();
    let current = step_of(&t, "From:");
    let html = LocalServerRenderer::<ExplanationPanel>::with_props(ExplanationProps {
        timeline: t.clone(),
        current,
    })
    .hydratable(false)
    .render()
    .await;
    assert!(html.contains("The message itself (163 octets)"), "{html}");
    assert!(html.contains("One line starts with a period"));
    assert!(html.contains("RFC 5321 §4.5.2"));
    assert!(
        html.contains("Alice&#x27;s mail client → Bob&#x27;s mail server")
            || html.contains("Alice's mail client → Bob's mail server")
    );
}

#[tokio::test]
async fn the_mailbox_shows_the_message_once_the_server_has_the_final_period() {
    let t = timeline();
    // The server stores the message when the data with its final "." line arrives.
    let accepted = step_of(&t, "From:");
    let render = |current| {
        LocalServerRenderer::<MailboxPanel>::with_props(MailboxPanelProps {
            timeline: t.clone(),
            current,
        })
        .hydratable(false)
        .render()
    };
    let before = render(accepted - 1).await;
    let after = render(accepted).await;
    assert!(before.contains("No messages yet."));
    assert!(after.contains("Lunch on Friday?"));
    assert!(after.contains("mailbox__message--new"));
    let later = render(accepted + 1).await;
    assert!(later.contains("Lunch on Friday?") && !later.contains("mailbox__message--new"));
}
