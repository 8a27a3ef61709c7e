//! The "HTTP email API" of transactional email providers: one `POST /v3/mail/send` with a
//! JSON body, answered `202 Accepted` (RFC 9110 §15.3.3) once the message is queued. The
//! JSON vocabulary follows the common shape of such APIs (personalizations, from, subject,
//! content); the HTTP around it is [`super`]'s. The serde types define the JSON; the small
//! codec of [`super::json`] writes and reads it at run time, as the tests check.

use serde::{Deserialize, Serialize};

use super::json::Json;
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

    /// The JSON, member by member as the serde derives write it.
    pub fn to_json(&self) -> Json {
        let address = |a: &Address| Json::obj([("email", Json::str(&a.email))]);
        let personalizations = self
            .personalizations
            .iter()
            .map(|p| Json::obj([("to", Json::Arr(p.to.iter().map(address).collect()))]))
            .collect();
        let content = self
            .content
            .iter()
            .map(|c| {
                Json::obj([
                    ("type", Json::str(&c.media_type)),
                    ("value", Json::str(&c.value)),
                ])
            })
            .collect();
        Json::obj([
            ("personalizations", Json::Arr(personalizations)),
            ("from", address(&self.from)),
            ("subject", Json::str(&self.subject)),
            ("content", Json::Arr(content)),
        ])
    }

    /// Reads a send request; says which member is missing or wrong.
    pub fn from_json(json: &Json) -> Result<SendRequest, String> {
        let text = |v: &Json, key: &str| {
            v.get(key)
                .and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("\"{key}\" must be a string"))
        };
        let address = |v: &Json| text(v, "email").map(|email| Address { email });
        let personalizations = json
            .get("personalizations")
            .map(Json::as_arr)
            .unwrap_or_default()
            .iter()
            .map(|p| {
                let to = p.get("to").map(Json::as_arr).unwrap_or_default();
                to.iter()
                    .map(address)
                    .collect::<Result<Vec<_>, _>>()
                    .map(|to| Personalization { to })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let from = address(json.get("from").unwrap_or(&Json::Null))
            .map_err(|_| "\"from\" needs an \"email\"".to_string())?;
        let content = json
            .get("content")
            .map(Json::as_arr)
            .unwrap_or_default()
            .iter()
            .map(|c| {
                Ok(Content {
                    media_type: text(c, "type")?,
                    value: text(c, "value")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(SendRequest {
            personalizations,
            from,
            subject: text(json, "subject")?,
            content,
        })
    }

    /// The HTTP request that carries it, with the API key as a bearer token.
    pub fn to_request(&self, host: &str, api_key: &str) -> Request {
        let mut request = Request::new("POST", PATH, host);
        request.fields.extend([
            Field::new("Authorization", &format!("Bearer {api_key}")),
            Field::new("Content-Type", "application/json"),
        ]);
        request.body = self.to_json().to_text().into_bytes();
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

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errors {
    pub errors: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub message: String,
}

/// The 202's body: the queued message's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub id: String,
    pub status: String,
}

/// The provider's answer: 202 with the queued message's id, or why not.
pub fn answer(request: &Request, message_id: &str) -> (Response, Option<SendRequest>) {
    let error = |status: u16, why: &str| {
        let mut response = Response::new(status);
        response
            .fields
            .push(Field::new("Content-Type", "application/json"));
        let body = Json::obj([(
            "errors",
            Json::Arr(vec![Json::obj([("message", Json::str(why))])]),
        )]);
        response.body = body.to_text().into_bytes();
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
    let send = match Json::parse(&request.body).and_then(|j| SendRequest::from_json(&j)) {
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
    let queued = Json::obj([
        ("id", Json::str(message_id)),
        ("status", Json::str("queued")),
    ]);
    response.body = queued.to_text().into_bytes();
    (response, Some(send))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

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
    fn it_writes_and_reads_what_the_serde_types_do() {
        let send = SendRequest::new("a@b", &["c@d".into(), "e@f".into()], "Hi \"you\"", "x\ny");
        assert_eq!(
            send.to_json().to_text(),
            serde_json::to_string(&send).unwrap()
        );
        let back = SendRequest::from_json(
            &Json::parse(serde_json::to_string(&send).unwrap().as_bytes()).unwrap(),
        );
        assert_eq!(back.unwrap(), send);
        let queued = answer(&send.to_request("h", "k"), "m1").0;
        let queued: Queued = serde_json::from_slice(&queued.body).unwrap();
        assert_eq!(queued.id, "m1");
        let mut request = send.to_request("h", "k");
        request.body = b"{}".to_vec();
        let refused: Errors = serde_json::from_slice(&answer(&request, "m").0.body).unwrap();
        assert!(
            refused.errors[0].message.contains("subject")
                || refused.errors[0].message.contains("from")
        );
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
