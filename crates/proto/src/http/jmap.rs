//! JMAP (RFC 8620, RFC 8621) for sending: one API request carrying `Email/set` (create the
//! message) and `EmailSubmission/set` (send it, with `onSuccessUpdateEmail` to move it from
//! Drafts to Sent), the server's answer to it, and both as serde types.
//!
//! The server side ([`answer`]) is the part of a JMAP server that sending needs: it creates
//! the Email, resolves the `#creation-id` reference (RFC 8620 §5.3), creates the submission,
//! and adds the implicit `Email/set` response the patch produces (RFC 8621 §7.5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// RFC 8620 §3.2: `[name, arguments, method call id]`.
pub type Invocation = (String, Value, String);

pub const CORE: &str = "urn:ietf:params:jmap:core";
pub const MAIL: &str = "urn:ietf:params:jmap:mail";
pub const SUBMISSION: &str = "urn:ietf:params:jmap:submission";

/// RFC 8620 §3.3: the Request object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JmapRequest {
    pub using: Vec<String>,
    pub method_calls: Vec<Invocation>,
}

/// RFC 8620 §3.4: the Response object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JmapResponse {
    pub method_responses: Vec<Invocation>,
    pub session_state: String,
}

/// RFC 8621 §4.1.2.3: an EmailAddress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email: String,
}

/// RFC 8621 §4.1.4: a body part, by the id of its value in `bodyValues`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BodyPart {
    pub part_id: String,
    #[serde(rename = "type")]
    pub media_type: String,
}

/// RFC 8621 §4.1.4: `bodyValues`' EmailBodyValue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyValue {
    pub value: String,
}

/// The Email to create (RFC 8621 §4.6): in Drafts, a draft, with its header and text body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailCreate {
    pub mailbox_ids: BTreeMap<String, bool>,
    pub keywords: BTreeMap<String, bool>,
    pub from: Vec<EmailAddress>,
    pub to: Vec<EmailAddress>,
    pub subject: String,
    pub body_values: BTreeMap<String, BodyValue>,
    pub text_body: Vec<BodyPart>,
}

/// `Email/set` arguments (RFC 8620 §5.3), creating only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailSet {
    pub account_id: String,
    pub create: BTreeMap<String, EmailCreate>,
}

/// RFC 8621 §7: an Envelope address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub email: String,
    pub parameters: Option<BTreeMap<String, Option<String>>>,
}

/// RFC 8621 §7: the SMTP envelope of a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub mail_from: Address,
    pub rcpt_to: Vec<Address>,
}

/// The EmailSubmission to create (RFC 8621 §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionCreate {
    pub identity_id: String,
    pub email_id: String,
    pub envelope: Option<Envelope>,
}

/// A patch (RFC 8620 §5.3): a path and its new value, `null` to remove.
pub type Patch = BTreeMap<String, Option<bool>>;

/// `EmailSubmission/set` arguments (RFC 8621 §7.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionSet {
    pub account_id: String,
    pub create: BTreeMap<String, SubmissionCreate>,
    #[serde(default)]
    pub on_success_update_email: BTreeMap<String, Patch>,
}

/// What the client sends: a message from one address to others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub account_id: String,
    pub identity_id: String,
    pub drafts: String,
    pub sent: String,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
}

/// The request that sends `mail` in one round trip: create the Email as creation id
/// `draft`, submit it as `send` referring to `#draft`, and on success move it from Drafts
/// to Sent and clear `$draft` — the shape of RFC 8621 §7.5.1's example.
pub fn send_request(mail: &Outgoing) -> JmapRequest {
    let address = |email: &str| EmailAddress {
        name: None,
        email: email.to_string(),
    };
    let email = EmailCreate {
        mailbox_ids: BTreeMap::from([(mail.drafts.clone(), true)]),
        keywords: BTreeMap::from([("$draft".to_string(), true), ("$seen".to_string(), true)]),
        from: vec![address(&mail.from)],
        to: mail.to.iter().map(|t| address(t)).collect(),
        subject: mail.subject.clone(),
        body_values: BTreeMap::from([(
            "body".to_string(),
            BodyValue {
                value: mail.text.clone(),
            },
        )]),
        text_body: vec![BodyPart {
            part_id: "body".to_string(),
            media_type: "text/plain".to_string(),
        }],
    };
    let set = EmailSet {
        account_id: mail.account_id.clone(),
        create: BTreeMap::from([("draft".to_string(), email)]),
    };
    let envelope_address = |email: &str| Address {
        email: email.to_string(),
        parameters: None,
    };
    let submission = SubmissionSet {
        account_id: mail.account_id.clone(),
        create: BTreeMap::from([(
            "send".to_string(),
            SubmissionCreate {
                identity_id: mail.identity_id.clone(),
                email_id: "#draft".to_string(),
                envelope: Some(Envelope {
                    mail_from: envelope_address(&mail.from),
                    rcpt_to: mail.to.iter().map(|t| envelope_address(t)).collect(),
                }),
            },
        )]),
        on_success_update_email: BTreeMap::from([(
            "#send".to_string(),
            Patch::from([
                (format!("mailboxIds/{}", mail.drafts), None),
                (format!("mailboxIds/{}", mail.sent), Some(true)),
                ("keywords/$draft".to_string(), None),
            ]),
        )]),
    };
    JmapRequest {
        using: vec![CORE.into(), MAIL.into(), SUBMISSION.into()],
        method_calls: vec![
            ("Email/set".into(), to_value(&set), "0".into()),
            (
                "EmailSubmission/set".into(),
                to_value(&submission),
                "1".into(),
            ),
        ],
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// What the server accepted for sending, to relay onwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub email_id: String,
    pub submission_id: String,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
}

/// The server's answer to an API request: each call in order, the ids it created (numbered
/// from `serial`, so two runs agree), and what it accepted for sending. A call it does not
/// know, or arguments it cannot read, get an error response for that call (RFC 8620 §3.6.2).
pub fn answer(request: &JmapRequest, serial: u32) -> (JmapResponse, Vec<Accepted>) {
    let mut responses = Vec::new();
    let mut created_emails: BTreeMap<String, (String, EmailCreate)> = BTreeMap::new();
    let mut accepted = Vec::new();
    for (name, args, call_id) in &request.method_calls {
        match name.as_str() {
            "Email/set" => match serde_json::from_value::<EmailSet>(args.clone()) {
                Ok(set) => {
                    let mut created = serde_json::Map::new();
                    for (n, (creation, email)) in set.create.into_iter().enumerate() {
                        let id = format!("M{}", serial + n as u32);
                        created.insert(
                            creation.clone(),
                            serde_json::json!({ "id": id, "blobId": format!("B{id}"), "threadId": format!("T{id}") }),
                        );
                        created_emails.insert(creation, (id, email));
                    }
                    let args = serde_json::json!({
                        "accountId": set.account_id, "oldState": "1", "newState": "2",
                        "created": created,
                    });
                    responses.push((name.clone(), args, call_id.clone()));
                }
                Err(e) => responses.push(invalid_arguments(call_id, &e)),
            },
            "EmailSubmission/set" => match serde_json::from_value::<SubmissionSet>(args.clone()) {
                Ok(set) => {
                    let mut created = serde_json::Map::new();
                    let mut not_created = serde_json::Map::new();
                    let mut updated = serde_json::Map::new();
                    for (n, (creation, sub)) in set.create.iter().enumerate() {
                        // RFC 8620 §5.3: "#" and a creation id stands for the id it got.
                        let email = sub
                            .email_id
                            .strip_prefix('#')
                            .and_then(|c| created_emails.get(c));
                        let Some((email_id, email)) = email else {
                            not_created.insert(
                                creation.clone(),
                                serde_json::json!({ "type": "invalidProperties", "properties": ["emailId"] }),
                            );
                            continue;
                        };
                        let id = format!("S{}", serial + n as u32);
                        created.insert(creation.clone(), serde_json::json!({ "id": id }));
                        let to = match &sub.envelope {
                            Some(env) => env.rcpt_to.iter().map(|a| a.email.clone()).collect(),
                            None => email.to.iter().map(|a| a.email.clone()).collect(),
                        };
                        accepted.push(Accepted {
                            email_id: email_id.clone(),
                            submission_id: id,
                            from: email
                                .from
                                .first()
                                .map(|a| a.email.clone())
                                .unwrap_or_default(),
                            to,
                            subject: email.subject.clone(),
                            text: email
                                .body_values
                                .values()
                                .map(|v| v.value.clone())
                                .collect::<Vec<_>>()
                                .join("\n"),
                        });
                        if set
                            .on_success_update_email
                            .contains_key(&format!("#{creation}"))
                        {
                            updated.insert(email_id.clone(), Value::Null);
                        }
                    }
                    let mut args = serde_json::json!({
                        "accountId": set.account_id, "oldState": "1", "newState": "2",
                        "created": created,
                    });
                    if !not_created.is_empty() {
                        if let Some(object) = args.as_object_mut() {
                            object.insert("notCreated".into(), Value::Object(not_created));
                        }
                    }
                    responses.push((name.clone(), args, call_id.clone()));
                    // RFC 8621 §7.5: the patch is applied as an implicit Email/set, whose
                    // response follows, with the same method call id.
                    if !updated.is_empty() {
                        let implicit = serde_json::json!({
                            "accountId": set.account_id, "oldState": "2", "newState": "3",
                            "updated": updated,
                        });
                        responses.push(("Email/set".into(), implicit, call_id.clone()));
                    }
                }
                Err(e) => responses.push(invalid_arguments(call_id, &e)),
            },
            _ => responses.push((
                "error".into(),
                serde_json::json!({ "type": "unknownMethod" }),
                call_id.clone(),
            )),
        }
    }
    let response = JmapResponse {
        method_responses: responses,
        session_state: format!("s{serial}"),
    };
    (response, accepted)
}

/// The API endpoint this server answers on (the session resource's `apiUrl`, RFC 8620 §2).
pub const API_PATH: &str = "/jmap/api/";

/// RFC 8620 §3.1: the request as an HTTP POST of `application/json` to the API endpoint.
pub fn to_http(request: &JmapRequest, host: &str, token: &str) -> super::Request {
    let mut http = super::Request::new("POST", API_PATH, host);
    http.fields.extend([
        super::Field::new("Authorization", &format!("Bearer {token}")),
        super::Field::new("Content-Type", "application/json"),
        super::Field::new("Accept", "application/json"),
    ]);
    http.body = serde_json::to_vec(request).unwrap_or_default();
    http
}

/// The server's HTTP answer: 200 with the JMAP response, or a request-level error as
/// RFC 8620 §3.6.1 says (a body that is not a Request object: `notRequest`, with 400).
pub fn answer_http(request: &super::Request, serial: u32) -> (super::Response, Vec<Accepted>) {
    let json = |status: u16, body: &Value| {
        let mut response = super::Response::new(status);
        response
            .fields
            .push(super::Field::new("Content-Type", "application/json"));
        response.body = serde_json::to_vec(body).unwrap_or_default();
        response
    };
    if request.method != "POST" || request.target != API_PATH {
        let problem = serde_json::json!({ "type": "about:blank", "status": 404 });
        return (json(404, &problem), Vec::new());
    }
    match serde_json::from_slice::<JmapRequest>(&request.body) {
        Ok(jmap) => {
            let (response, accepted) = answer(&jmap, serial);
            (json(200, &to_value(&response)), accepted)
        }
        Err(e) => {
            let problem = serde_json::json!({
                "type": "urn:ietf:params:jmap:error:notRequest",
                "status": 400,
                "detail": e.to_string(),
            });
            (json(400, &problem), Vec::new())
        }
    }
}

fn invalid_arguments(call_id: &str, error: &serde_json::Error) -> Invocation {
    (
        "error".into(),
        serde_json::json!({ "type": "invalidArguments", "description": error.to_string() }),
        call_id.to_string(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn mail() -> Outgoing {
        Outgoing {
            account_id: "A1".into(),
            identity_id: "I1".into(),
            drafts: "drafts".into(),
            sent: "sent".into(),
            from: "alice@example.org".into(),
            to: vec!["bob@example.net".into()],
            subject: "Lunch".into(),
            text: "At noon?".into(),
        }
    }

    /// The members RFC 8621 §7.5.1's example request and response have, at each level.
    #[test]
    fn the_request_and_answer_have_the_shape_of_rfc_8621_section_7_5_1() {
        let text = serde_json::to_string(&send_request(&mail())).unwrap();
        let request: JmapRequest = serde_json::from_str(&text).unwrap();
        let submission = &request.method_calls[1];
        assert_eq!(submission.0, "EmailSubmission/set");
        let args = submission.1.as_object().unwrap();
        let keys: Vec<&str> = args.keys().map(String::as_str).collect();
        assert_eq!(keys, ["accountId", "create", "onSuccessUpdateEmail"]);
        let create = &args["create"]["send"];
        assert_eq!(create["emailId"], "#draft");
        assert!(create["envelope"]["mailFrom"]["email"].is_string());
        assert!(create["envelope"]["rcptTo"][0]["parameters"].is_null());
        let patch = args["onSuccessUpdateEmail"]["#send"].as_object().unwrap();
        assert_eq!(patch["keywords/$draft"], Value::Null);
        assert_eq!(patch["mailboxIds/sent"], true);
        assert_eq!(patch["mailboxIds/drafts"], Value::Null);

        let (response, accepted) = answer(&request, 7);
        let text = serde_json::to_string(&response).unwrap();
        let response: JmapResponse = serde_json::from_str(&text).unwrap();
        let names: Vec<(&str, &str)> = response
            .method_responses
            .iter()
            .map(|(n, _, c)| (n.as_str(), c.as_str()))
            .collect();
        // The example's answer: the submission created, then the implicit Email/set with
        // the same call id, the sent Email updated (null: nothing else changed).
        assert_eq!(
            names,
            [
                ("Email/set", "0"),
                ("EmailSubmission/set", "1"),
                ("Email/set", "1")
            ]
        );
        assert_eq!(
            response.method_responses[1].1["created"]["send"]["id"],
            "S7"
        );
        assert_eq!(response.method_responses[2].1["updated"]["M7"], Value::Null);
        assert_eq!(accepted[0].to, ["bob@example.net"]);
    }

    #[test]
    fn over_http_the_answer_is_200_and_a_bad_body_is_not_a_request() {
        let http = to_http(&send_request(&mail()), "jmap.example.org", "t");
        let (parsed, _) = crate::http::decode::request(&http.to_bytes()).unwrap();
        let (response, accepted) = answer_http(&parsed, 1);
        assert_eq!((response.status, accepted.len()), (200, 1));
        let mut bad = parsed.clone();
        bad.body = b"[1,2]".to_vec();
        let (response, _) = answer_http(&bad, 1);
        assert_eq!(response.status, 400);
        assert!(String::from_utf8_lossy(&response.body).contains("notRequest"));
    }

    #[test]
    fn a_reference_to_no_created_email_is_not_created() {
        let mut request = send_request(&mail());
        request.method_calls[1].1["create"]["send"]["emailId"] = "#nothing".into();
        let (response, accepted) = answer(&request, 1);
        assert!(accepted.is_empty());
        assert_eq!(
            response.method_responses[1].1["notCreated"]["send"]["type"],
            "invalidProperties"
        );
        request.method_calls[0].1 = serde_json::json!({ "accountId": 3 });
        let (response, _) = answer(&request, 1);
        assert_eq!(response.method_responses[0].1["type"], "invalidArguments");
    }
}
