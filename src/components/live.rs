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
                <h2 id="sessions-title" class="panel__title">{ crate::t!("live.sessions") }</h2>
                <p class="live__empty">{ crate::t!("live.none-yet") }</p>
            </section>
        };
    }
    let rows = state.sessions.iter().rev().map(|s| {
        let id = s.id;
        let on_click = on_select.reform(move |_: MouseEvent| id);
        let selected = state.selected == Some(id);
        let (status, class) = match &s.progress {
            Progress::Open => (crate::t!("live.open"), "live__status--open"),
            Progress::Closed(_) => (crate::t!("live.closed"), "live__status--closed"),
        };
        html! {
            <li>
                <button class={classes!("live__session", format!("live__session--{}", s.protocol.key()))}
                    aria-pressed={selected.to_string()} onclick={on_click} data-session={id.to_string()}>
                    <span class={classes!("badge", format!("badge--{}", s.protocol.key()))}>{ s.protocol.name() }</span>
                    <span class="live__who">{ crate::t!("live.who", id = id, client = s.client.as_str(), port = s.port) }</span>
                    <span class="live__user">{ s.user.clone().map_or_else(|| crate::t!("live.not-logged-in"), AttrValue::from) }</span>
                    { if s.tls { html! { <span class="badge badge--tls">{ "TLS" }</span> } } else { html! {} } }
                    <span class={classes!("live__status", class)}>{ status }</span>
                    <span class="live__count">{ crate::t!("live.lines", count = s.timeline.len()) }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="live__panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title" class="panel__title">{ crate::t!("live.sessions-count", count = state.sessions.len()) }</h2>
            <ul class="live__sessions">{ for rows }</ul>
            { for state.notes.iter().map(|n| html! { <p class="live__note">{ n }</p> }) }
        </section>
    }
}

/// The selected session: its state, what happened besides the lines, and saving it.
pub fn session_detail(session: &LiveSession, on_save: &Callback<MouseEvent>) -> Html {
    let status = match &session.progress {
        Progress::Open => crate::t!("live.growing"),
        Progress::Closed(how) => crate::t!("live.finished", how = how.arg()),
    };
    html! {
        <section class="live__panel" aria-labelledby="detail-title">
            <h2 id="detail-title" class="panel__title">{ crate::t!("live.session", id = session.id) }</h2>
            <dl class="live__facts">
                <dt>{ crate::t!("live.service") }</dt><dd>{ crate::t!("live.service-port", protocol = session.protocol.name(), service = session.service.as_str(), port = session.port) }</dd>
                <dt>{ crate::t!("live.client") }</dt><dd>{ &session.client }</dd>
                <dt>{ crate::t!("live.server-state") }</dt><dd>{ if session.state.is_empty() { "-" } else { &session.state } }</dd>
                <dt>{ crate::t!("live.now") }</dt><dd>{ status }</dd>
            </dl>
            { if session.events.is_empty() { html! {} } else { html! {
                <ul class="live__events">{ for session.events.iter().map(|e| html! { <li>{ crate::i18n::said(e) }</li> }) }</ul>
            } } }
            <button class="live__save" data-action="save" onclick={on_save.clone()}
                title={crate::t!("live.save-title")}>{ crate::t!("live.save") }</button>
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
        crate::t!("live.starttls-required")
    } else {
        crate::t!("live.starttls-offered")
    };
    let plain = phone_text(settings, &server);
    html! {
        <section class="live__panel" aria-labelledby="settings-title">
            <h2 id="settings-title" class="panel__title">{ crate::t!("live.set-up") }</h2>
            <dl class="live__facts">
                <dt>{ crate::t!("compose.server") }</dt><dd><code>{ &server }</code></dd>
                <dt>{ crate::t!("live.sending") }</dt><dd>{ crate::t!("live.sending-ports", submission = p.submission, submissions = p.submissions) }</dd>
                <dt>{ crate::t!("live.reading-imap") }</dt><dd>{ crate::t!("live.reading-port", port = p.imap, tls = tls.as_str()) }</dd>
                <dt>{ crate::t!("live.reading-pop3") }</dt><dd>{ crate::t!("live.reading-port-stls", port = p.pop3, tls = tls.as_str()) }</dd>
                <dt>{ crate::t!("live.user-password") }</dt><dd><code>{ account }</code></dd>
                <dt>{ crate::t!("live.addresses") }</dt><dd>{ format!("user@{}", settings.domain) }</dd>
                <dt>{ crate::t!("live.certificate") }</dt><dd>{ crate::t!("live.self-signed") }{ " " }<code class="live__fingerprint">{ &settings.fingerprint }</code></dd>
                <dt>{ crate::t!("live.secrets") }</dt><dd>{ if settings.show_secrets { crate::t!("live.secrets-shown") } else { crate::t!("live.secrets-hidden") } }</dd>
            </dl>
            <h3 class="live__phone">{ crate::t!("live.plain") }</h3>
            <pre class="live__plain" data-settings="plain">{ plain }</pre>
        </section>
    }
}

/// The settings as a short text a phone can copy from (or read aloud from the projector):
/// the fields a mail app's manual setup asks for, in its order, and every account.
pub fn phone_text(settings: &Settings, server: &str) -> String {
    let p = &settings.ports;
    let starttls = if settings.require_tls {
        crate::t!("live.starttls-required-short")
    } else {
        "STARTTLS".into()
    };
    let starttls = starttls.as_str();
    let accounts: String = settings
        .users
        .iter()
        .map(|(user, password)| {
            let address = format!("{user}@{}", settings.domain);
            let line = crate::t!(
                "live.plain-account",
                address = address,
                user = user.as_str(),
                password = password.as_str()
            );
            format!("  {line}\n")
        })
        .collect();
    // One catalogue text a line, so each line's words are translated whole.
    let lines = [
        crate::t!("live.plain-incoming"),
        crate::t!(
            "live.plain-server",
            server = server,
            port = p.imap,
            security = starttls
        ),
        crate::t!("live.plain-or-pop3", port = p.pop3, security = starttls),
        crate::t!("live.plain-outgoing"),
        crate::t!(
            "live.plain-server",
            server = server,
            port = p.submission,
            security = "STARTTLS"
        ),
        crate::t!("live.plain-or-port", port = p.submissions),
        crate::t!("live.plain-same-login"),
        crate::t!("live.plain-accounts"),
    ];
    let indented = |i: usize, l: &AttrValue| {
        if matches!(i, 0 | 3 | 7) {
            l.to_string()
        } else {
            format!("  {l}")
        }
    };
    let head: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| indented(i, l))
        .collect();
    format!(
        "{}\n{accounts}{}",
        head.join("\n"),
        crate::t!("live.plain-certificate")
    )
}

/// The state of the link to the bridge, when it is not simply open.
pub fn link_notice(link: &Link) -> Html {
    match link {
        Link::Open => html! {},
        Link::Connecting => html! {
            <p class="banner live__link" role="status">{ crate::t!("live.connecting") }</p>
        },
        Link::Retrying(seconds) => html! {
            <p class="banner live__link" role="status">
                { crate::t!("live.lost", seconds = *seconds) }
            </p>
        },
        Link::NoBridge(seconds) => html! {
            <div class="banner live__link live__nobridge" role="status">
                <p><strong>{ crate::t!("live.needs-bridge") }</strong>{ " " }{ crate::t!("live.needs-bridge-why") }</p>
                <pre class="live__plain">{ "scripts/build-web\ncargo run --release -p postroom-serve -- --web 127.0.0.1:8080" }</pre>
                <p>{ crate::t!("live.then-open") }{ " " }<code>{ "http://127.0.0.1:8080/live.html" }</code>{ " · " }{ crate::t!("live.trying-again", seconds = *seconds) }</p>
            </div>
        },
    }
}

/// What the session view shows while no session is selected.
pub fn waiting(settings: Option<&Settings>) -> Html {
    let ports = settings.map(|s| {
        let example = crate::t!(
            "live.example",
            submission = s.ports.submission,
            imap = s.ports.imap
        );
        html! { <>{ " " }{ example }</> }
    });
    html! {
        <main class="live__waiting" id="main">
            <h2>{ crate::t!("live.waiting") }</h2>
            <p>{ crate::t!("live.waiting-why") }{ ports.unwrap_or_default() }</p>
        </main>
    }
}
