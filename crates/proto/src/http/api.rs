//! The "HTTP email API" of transactional email providers: one `POST /v3/mail/send` with a
//! JSON body, answered `202 Accepted` (RFC 9110 §15.3.3) once the message is queued. The
//! JSON vocabulary follows the common shape of such APIs (personalizations, from, subject,
//! content); the HTTP around it is [`super`]'s.

use serde::{Deserialize, Serialize};

use super::{Field, Request, Response};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personalization {
    pub to: Vec<Address>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    #[serde(rename = "type")]
    pub media_type: String,
    pub value: String,
}

/// The body of a send request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendRequest {
    pub personalizations: Vec<Personalization>,
    pub from: Address,
    pub subject: String,
    pub content: Vec<Content>,
}

pub const PATH: &str = "/v3/mail/send";

impl SendRequest {
    pub fn new(from: &str, to: &[String], subject: &str, text: &str) -> Self {
        SendRequest {
            personalizations: vec![Personalization {
                to: to.iter().map(|t| Address { email: t.clone() }).collect(),
            }],
            from: Address {
                email: from.to_string(),
            },
            subject: subject.to_string(),
            content: vec![Content {
                media_type: "text/plain".to_string(),
                value: text.to_string(),
            }],
        }
    }

    /// The HTTP request that carries it, with the API key as a bearer token.
    pub fn to_request(&self, host: &str, api_key: &str) -> Request {
        let mut request = Request::new("POST", PATH, host);
        request.fields.extend([
            Field::new("Authorization", &format!("Bearer {api_key}")),
            Field::new("Content-Type", "application/json"),
        ]);
        request.body = serde_json::to_vec(self).unwrap_or_default();
        request
    }

    /// Every recipient.
    pub fn recipients(&self) -> Vec<String> {
        self.personalizations
            .iter()
            .flat_map(|p| p.to.iter().map(|a| a.email.clone()))
            .collect()
    }
}

/// The provider's answer: 202 with the queued message's id, or why not.
pub fn answer(request: &Request, message_id: &str) -> (Response, Option<SendRequest>) {
    let error = |status: u16, why: &str| {
        let mut response = Response::new(status);
        response
            .fields
            .push(Field::new("Content-Type", "application/json"));
        response.body = serde_json::to_vec(&serde_json::json!({ "errors": [{ "message": why }] }))
            .unwrap_or_default();
        (response, None)
    };
    if request.method != "POST" || request.target != PATH {
        return error(404, "no such endpoint: POST /v3/mail/send");
    }
    if !request
        .field("authorization")
        .is_some_and(|a| a.starts_with("Bearer "))
    {
        return error(401, "an API key is required (Authorization: Bearer ...)");
    }
    let send: SendRequest = match serde_json::from_slice(&request.body) {
        Ok(send) => send,
        Err(e) => return error(400, &format!("the body is not a send request: {e}")),
    };
    if send.recipients().is_empty() {
        return error(400, "at least one recipient is required");
    }
    let mut response = Response::new(202);
    response.fields.extend([
        Field::new("Content-Type", "application/json"),
        Field::new("X-Message-Id", message_id),
    ]);
    response.body =
        serde_json::to_vec(&serde_json::json!({ "id": message_id, "status": "queued" }))
            .unwrap_or_default();
    (response, Some(send))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::http::decode;

    #[test]
    fn a_send_request_crosses_as_http_and_is_accepted_with_202() {
        let send = SendRequest::new(
            "alice@example.org",
            &["bob@example.net".into()],
            "Hi",
            "Hello",
        );
        let bytes = send.to_request("api.example.com", "k").to_bytes();
        let (request, used) = decode::request(&bytes).unwrap();
        assert_eq!(used, bytes.len());
        let (response, accepted) = answer(&request, "m1");
        assert_eq!(response.status, 202);
        assert_eq!(accepted.unwrap(), send);
        let (parsed, _) = decode::response(&response.to_bytes()).unwrap();
        assert_eq!(parsed.field("x-message-id"), Some("m1"));
    }

    #[test]
    fn a_bad_body_or_no_key_is_refused_clearly() {
        let mut request = SendRequest::new("a@b", &["c@d".into()], "s", "t").to_request("h", "k");
        request.body = b"{\"from\":1}".to_vec();
        assert_eq!(answer(&request, "m").0.status, 400);
        request.fields.retain(|f| f.name != "Authorization");
        assert_eq!(answer(&request, "m").0.status, 401);
    }
}
