//! An HTTP/1.1 exchange over the lab's link: the client's request and the server's answer,
//! both made and read by the engine's codec (`postroom_proto::http`), driven by the same
//! driver as the mail protocols. The server's answer is its handler's: the provider's send
//! API, JMAP, or (later, once it has asked its mail store) the webmail.

use std::collections::VecDeque;

use postroom_proto::http::{decode, explain, HttpError, Response};
use postroom_proto::i18n::Text;
use postroom_proto::{text, Explanation, Instant, MailStore, RfcRef};

use crate::device::DeviceProgress;
use crate::drive::Exchange;
use crate::net::link::Outbox;
use crate::timeline::Protocol;

/// What the server does with a request: an answer now, or later (`None`: the webmail asks
/// its mail store first).
pub(crate) type Handler = Box<dyn FnMut(&postroom_proto::http::Request) -> Option<Response>>;

pub(crate) struct HttpPair {
    client_out: VecDeque<Vec<u8>>,
    server_out: VecDeque<Vec<u8>>,
    server_in: Vec<u8>,
    client_in: Vec<u8>,
    handler: Handler,
    /// The request, once the server has read it whole.
    pub request: Option<postroom_proto::http::Request>,
    /// The response, once the client has read it whole.
    pub response: Option<Response>,
    /// Why the last bytes were refused, if they were.
    pub refused: Option<HttpError>,
}

impl std::fmt::Debug for HttpPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpPair")
            .field("request", &self.request)
            .field("response", &self.response)
            .finish_non_exhaustive()
    }
}

impl HttpPair {
    pub fn new(request: Vec<u8>, handler: Handler) -> Self {
        HttpPair {
            client_out: VecDeque::from([request]),
            server_out: VecDeque::new(),
            server_in: Vec::new(),
            client_in: Vec::new(),
            handler,
            request: None,
            response: None,
            refused: None,
        }
    }

    /// The answer the server deferred, now ready to send.
    pub fn respond(&mut self, response: &Response) {
        self.server_out.push_back(response.to_bytes());
    }
}

/// One explanation for a whole message: its first line's, with what the rest holds.
fn summary(bytes: &[u8]) -> Explanation {
    let lines = explain::message(bytes);
    let Some(first) = lines.first() else {
        return Explanation::new("An empty message", "", RfcRef::new(9112, "2.1"));
    };
    let fields = lines.len().saturating_sub(2);
    let body = lines
        .iter()
        .find(|l| l.explanation.title.starts_with("The body"));
    let mut why = first.explanation.why.clone();
    why.push_str(&format!(
        " Then {}, an empty line{}. The whole message goes in one \
         flight: nothing waits for an answer line by line.",
        postroom_proto::explain::count(fields, "header field line", "header field lines"),
        body.map(|b| format!(" and {}", b.explanation.title.to_lowercase()))
            .unwrap_or_default()
    ));
    Explanation::new(first.explanation.title.clone(), why, first.explanation.rfc)
}

impl Outbox for HttpPair {
    fn client_output(&mut self) -> Option<Vec<u8>> {
        self.client_out.pop_front()
    }
    fn server_output(&mut self) -> Option<Vec<u8>> {
        self.server_out.pop_front()
    }
    fn encrypted(&self) -> bool {
        // HTTPS: TLS from the first byte.
        true
    }
}

impl Exchange for HttpPair {
    fn protocol(&self) -> Protocol {
        Protocol::Http
    }
    fn to_server(&mut self, _now: Instant, bytes: &[u8], _store: &mut MailStore) -> Explanation {
        self.server_in.extend_from_slice(bytes);
        match decode::request(&self.server_in) {
            Ok((request, used)) => {
                self.server_in.drain(..used.min(self.server_in.len()));
                if let Some(response) = (self.handler)(&request) {
                    self.respond(&response);
                }
                self.request = Some(request);
            }
            Err(HttpError::Incomplete) => {}
            Err(error) => {
                // RFC 9112 §2.2: a message that cannot be parsed gets 400.
                self.server_in.clear();
                self.respond(&Response::new(400));
                self.refused = Some(error);
            }
        }
        summary(bytes)
    }
    fn to_client(&mut self, _now: Instant, bytes: &[u8]) -> Explanation {
        self.client_in.extend_from_slice(bytes);
        match decode::response(&self.client_in) {
            Ok((response, _)) => self.response = Some(response),
            Err(HttpError::Incomplete) => {}
            Err(error) => self.refused = Some(error),
        }
        summary(bytes)
    }
    fn tls_due(&mut self) -> bool {
        false
    }
    fn tls_established(&mut self, _now: Instant) {}
    fn states(&self) -> (Text, Text) {
        let client = match &self.response {
            Some(r) => text!(
                "state.http.answered-with",
                status = format!("{} {}", r.status, r.reason)
            ),
            None => text!("state.http.waiting"),
        };
        let server = match (&self.request, self.server_out.is_empty()) {
            (None, _) => text!("state.http.reading"),
            (Some(_), true) => text!("state.http.answered"),
            (Some(_), false) => text!("state.http.answering"),
        };
        (client, server)
    }
    fn cut(&mut self, _store: &mut MailStore) {}
    fn is_quit(&self, _bytes: &[u8]) -> bool {
        false
    }
    fn device_progress(&self) -> DeviceProgress<'_> {
        DeviceProgress::None
    }
    fn accepted_unheard(&self) -> bool {
        false
    }
    fn all_heard(&self) -> bool {
        self.response
            .as_ref()
            .is_some_and(|r| (200..300).contains(&r.status))
    }
}
