//! The live page's own panels: the sessions as they open, the selected session's story so
//! far (who, what happened, save it), the settings to type into a mail program, and what
//! to do when the page is not served by the bridge. The session itself is drawn by the
//! explorer's panels.

use postroom_proto::live::Settings;
use yew::prelude::*;

use crate::state::live::{Link, LiveSession, LiveState, Progress};

/// The sessions, newest first: protocol, client, port, user once known, open or closed.
pub fn session_list(state: &LiveState, on_select: &Callback<u64>) -> Html {
    if state.sessions.is_empty() {
        return html! {
            <section class="live__panel" aria-labelledby="sessions-title">
                <h2 id="sessions-title" class="panel__title">{ "Sessions" }</h2>
                <p class="live__empty">{ "None yet: set a mail program up with the settings below, then send or check mail. Each connection shows here as it opens." }</p>
            </section>
        };
    }
    let rows = state.sessions.iter().rev().map(|s| {
        let id = s.id;
        let on_click = on_select.reform(move |_: MouseEvent| id);
        let selected = state.selected == Some(id);
        let (status, class) = match &s.progress {
            Progress::Open => ("open".to_string(), "live__status--open"),
            Progress::Closed(_) => ("closed".to_string(), "live__status--closed"),
        };
        html! {
            <li>
                <button class={classes!("live__session", format!("live__session--{}", s.protocol.key()))}
                    aria-pressed={selected.to_string()} onclick={on_click} data-session={id.to_string()}>
                    <span class={classes!("badge", format!("badge--{}", s.protocol.key()))}>{ s.protocol.name() }</span>
                    <span class="live__who">{ format!("#{id} {} → port {}", s.client, s.port) }</span>
                    <span class="live__user">{ s.user.clone().unwrap_or_else(|| "not logged in".to_string()) }</span>
                    { if s.tls { html! { <span class="badge badge--tls">{ "TLS" }</span> } } else { html! {} } }
                    <span class={classes!("live__status", class)}>{ status }</span>
                    <span class="live__count">{ format!("{} lines", s.timeline.len()) }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="live__panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title" class="panel__title">{ format!("Sessions ({})", state.sessions.len()) }</h2>
            <ul class="live__sessions">{ for rows }</ul>
            { for state.notes.iter().map(|n| html! { <p class="live__note">{ n }</p> }) }
        </section>
    }
}

/// The selected session: its state, what happened besides the lines, and saving it.
pub fn session_detail(session: &LiveSession, on_save: &Callback<MouseEvent>) -> Html {
    let status = match &session.progress {
        Progress::Open => "open, growing as it happens".to_string(),
        Progress::Closed(how) => format!("finished ({how}): step through it"),
    };
    html! {
        <section class="live__panel" aria-labelledby="detail-title">
            <h2 id="detail-title" class="panel__title">{ format!("Session #{}", session.id) }</h2>
            <dl class="live__facts">
                <dt>{ "Service" }</dt><dd>{ format!("{} ({}), port {}", session.protocol.name(), session.service, session.port) }</dd>
                <dt>{ "Client" }</dt><dd>{ &session.client }</dd>
                <dt>{ "Server state" }</dt><dd>{ if session.state.is_empty() { "-" } else { &session.state } }</dd>
                <dt>{ "Now" }</dt><dd>{ status }</dd>
            </dl>
            { if session.events.is_empty() { html! {} } else { html! {
                <ul class="live__events">{ for session.events.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            } } }
            <button class="live__save" data-action="save" onclick={on_save.clone()}
                title="Download the session as a C:/S: log, to open later in the paste-a-log page">{ "Save this session (.txt)" }</button>
        </section>
    }
}

/// What to type into a mail program; `host` is the name the page was reached by, which the
/// class's machines can reach too.
pub fn settings_panel(settings: &Settings, host: &str) -> Html {
    let server = if host.is_empty() {
        settings.bind.clone()
    } else {
        host.to_string()
    };
    let p = &settings.ports;
    let account = settings
        .users
        .iter()
        .map(|(u, pw)| format!("{u} / {pw}"))
        .collect::<Vec<_>>()
        .join(", ");
    let tls = if settings.require_tls {
        "STARTTLS required"
    } else {
        "STARTTLS offered"
    };
    let plain = phone_text(settings, &server);
    html! {
        <section class="live__panel" aria-labelledby="settings-title">
            <h2 id="settings-title" class="panel__title">{ "Set a mail program up" }</h2>
            <dl class="live__facts">
                <dt>{ "Server" }</dt><dd><code>{ &server }</code></dd>
                <dt>{ "Sending (SMTP)" }</dt><dd>{ format!("port {} with STARTTLS, or {} with SSL/TLS; password login", p.submission, p.submissions) }</dd>
                <dt>{ "Reading (IMAP)" }</dt><dd>{ format!("port {}, {tls}", p.imap) }</dd>
                <dt>{ "Reading (POP3)" }</dt><dd>{ format!("port {}, {tls} (STLS)", p.pop3) }</dd>
                <dt>{ "User / password" }</dt><dd><code>{ account }</code></dd>
                <dt>{ "Addresses" }</dt><dd>{ format!("user@{}", settings.domain) }</dd>
                <dt>{ "Certificate" }</dt><dd>{ "self-signed: accept it once; its SHA-256 is " }<code class="live__fingerprint">{ &settings.fingerprint }</code></dd>
                <dt>{ "Secrets" }</dt><dd>{ if settings.show_secrets { "passwords are shown on this page (--show-secrets)" } else { "passwords and AUTH payloads are hidden on this page" } }</dd>
            </dl>
            <h3 class="live__phone">{ "As plain text, for a phone or any mail app" }</h3>
            <pre class="live__plain" data-settings="plain">{ plain }</pre>
        </section>
    }
}

/// The settings as a short text a phone can copy from (or read aloud from the projector):
/// the fields a mail app's manual setup asks for, in its order, and every account.
pub fn phone_text(settings: &Settings, server: &str) -> String {
    let p = &settings.ports;
    let starttls = if settings.require_tls {
        "STARTTLS (required)"
    } else {
        "STARTTLS"
    };
    let accounts: String = settings
        .users
        .iter()
        .map(|(user, password)| {
            format!(
                "  {user}@{domain}  user name: {user}  password: {password}\n",
                domain = settings.domain
            )
        })
        .collect();
    format!(
        "Incoming mail (IMAP)\n  Server: {server}  Port: {imap}  Security: {starttls}\n\
         \x20 or POP3: port {pop3}, {starttls}\n\
         Outgoing mail (SMTP)\n  Server: {server}  Port: {submission}  Security: STARTTLS\n\
         \x20 or port {submissions}, SSL/TLS\n  Log in with the same user name and password\n\
         Accounts\n{accounts}\
         Certificate: self-signed, accept it once",
        imap = p.imap,
        pop3 = p.pop3,
        submission = p.submission,
        submissions = p.submissions,
    )
}

/// The state of the link to the bridge, when it is not simply open.
pub fn link_notice(link: &Link) -> Html {
    match link {
        Link::Open => html! {},
        Link::Connecting => html! {
            <p class="banner live__link" role="status">{ "Connecting to the bridge…" }</p>
        },
        Link::Retrying(seconds) => html! {
            <p class="banner live__link" role="status">
                { format!("The connection to the bridge was lost; trying again in {seconds} s. What was shown stays; what happened meanwhile follows once it is back.") }
            </p>
        },
        Link::NoBridge(seconds) => html! {
            <div class="banner live__link live__nobridge" role="status">
                <p><strong>{ "Live mode needs the bridge." }</strong>{ " This page shows real mail programs talking to Postroom's engines as it happens; it is served by the bridge, not by a plain web host. Start it from the project's folder, after building the pages:" }</p>
                <pre class="live__plain">{ "scripts/build-web\ncargo run --release -p postroom-serve -- --web 127.0.0.1:8080" }</pre>
                <p>{ "then open " }<code>{ "http://127.0.0.1:8080/live.html" }</code>{ format!(". Trying again in {seconds} s.") }</p>
            </div>
        },
    }
}

/// What the session view shows while no session is selected.
pub fn waiting(settings: Option<&Settings>) -> Html {
    let ports = settings.map(|s| {
        format!(
            " For example: send with port {} and STARTTLS, then read with IMAP on {}.",
            s.ports.submission, s.ports.imap
        )
    });
    html! {
        <main class="live__waiting" id="main">
            <h2>{ "Waiting for a mail program" }</h2>
            <p>{ "Each line a real client sends and each reply appears here as it crosses the wire, drawn and explained as in the explorer." }{ ports.unwrap_or_default() }</p>
        </main>
    }
}
