//! JMAP (RFC 8620, RFC 8621) for sending: one API request carrying `Email/set` (create the
//! message) and `EmailSubmission/set` (send it, with `onSuccessUpdateEmail` to move it from
//! Drafts to Sent), the server's answer to it, and both as serde types.
//!
//! The server side ([`answer`]) is the part of a JMAP server that sending needs: it creates
//! the Email, resolves the `#creation-id` reference (RFC 8620 §5.3), creates the submission,
//! and adds the implicit `Email/set` response the patch produces (RFC 8621 §7.5).
//!
//! The serde types define the JSON; at run time the small codec of [`super::json`] writes
//! and reads it (serde_json would not fit the page's budget), and the tests check that
//! serde_json and the types read and write the same.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::json::Json;

pub const CORE: &str = "urn:ietf:params:jmap:core";
pub const MAIL: &str = "urn:ietf:params:jmap:mail";
pub const SUBMISSION: &str = "urn:ietf:params:jmap:submission";

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
/// to Sent and clear `$draft` — the shape of RFC 8621 §7.5.1's example. Written member by
/// member in the order the serde types above serialize (maps sorted, as `BTreeMap` is).
pub fn send_request(mail: &Outgoing) -> Json {
    let address = |email: &str| Json::obj([("email", Json::str(email))]);
    let envelope_address =
        |email: &str| Json::obj([("email", Json::str(email)), ("parameters", Json::Null)]);
    let to = |f: &dyn Fn(&str) -> Json| Json::Arr(mail.to.iter().map(|t| f(t)).collect());
    let email = Json::obj([
        ("mailboxIds", Json::obj([(&mail.drafts, Json::Bool(true))])),
        (
            "keywords",
            Json::obj([("$draft", Json::Bool(true)), ("$seen", Json::Bool(true))]),
        ),
        ("from", Json::Arr(vec![address(&mail.from)])),
        ("to", to(&address)),
        ("subject", Json::str(&mail.subject)),
        (
            "bodyValues",
            Json::obj([("body", Json::obj([("value", Json::str(&mail.text))]))]),
        ),
        (
            "textBody",
            Json::Arr(vec![Json::obj([
                ("partId", Json::str("body")),
                ("type", Json::str("text/plain")),
            ])]),
        ),
    ]);
    let set = Json::obj([
        ("accountId", Json::str(&mail.account_id)),
        ("create", Json::obj([("draft", email)])),
    ]);
    let mut patch = vec![
        (format!("mailboxIds/{}", mail.drafts), Json::Null),
        (format!("mailboxIds/{}", mail.sent), Json::Bool(true)),
        ("keywords/$draft".to_string(), Json::Null),
    ];
    patch.sort_by(|a, b| a.0.cmp(&b.0));
    let submission = Json::obj([
        ("accountId", Json::str(&mail.account_id)),
        (
            "create",
            Json::obj([(
                "send",
                Json::obj([
                    ("identityId", Json::str(&mail.identity_id)),
                    ("emailId", Json::str("#draft")),
                    (
                        "envelope",
                        Json::obj([
                            ("mailFrom", envelope_address(&mail.from)),
                            ("rcptTo", to(&envelope_address)),
                        ]),
                    ),
                ]),
            )]),
        ),
        (
            "onSuccessUpdateEmail",
            Json::obj([("#send", Json::Obj(patch))]),
        ),
    ]);
    let call =
        |name: &str, args: Json, id: &str| Json::Arr(vec![Json::str(name), args, Json::str(id)]);
    Json::obj([
        (
            "using",
            Json::Arr([CORE, MAIL, SUBMISSION].map(Json::str).to_vec()),
        ),
        (
            "methodCalls",
            Json::Arr(vec![
                call("Email/set", set, "0"),
                call("EmailSubmission/set", submission, "1"),
            ]),
        ),
    ])
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

/// The id (and for an Email, its blob and thread) of a created object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// An Email's octets (RFC 8621 §4.1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// RFC 8620 §5.3: a SetError.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetError {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
}

/// RFC 8620 §5.3: a /set response (the members this server fills).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetResponse {
    pub account_id: String,
    pub old_state: String,
    pub new_state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<BTreeMap<String, Created>>,
    /// Each updated id with `null`: nothing changed that the client did not ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<BTreeMap<String, Option<()>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_created: Option<BTreeMap<String, SetError>>,
}

/// RFC 8620 §3.6.2: a method-level error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodError {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A /set response's head: the account and the states before and after.
fn set_response(account_id: &str, states: (u32, u32)) -> Vec<(String, Json)> {
    vec![
        ("accountId".into(), Json::str(account_id)),
        ("oldState".into(), Json::str(&states.0.to_string())),
        ("newState".into(), Json::str(&states.1.to_string())),
    ]
}

/// RFC 8620 §3.6.2: a method-level error, as `["error", {"type": …}, callId]`.
fn error(kind: &str, description: Option<String>, call_id: &Json) -> Json {
    let mut args = vec![("type".to_string(), Json::str(kind))];
    if let Some(d) = description {
        args.push(("description".into(), Json::Str(d)));
    }
    Json::Arr(vec![Json::str("error"), Json::Obj(args), call_id.clone()])
}

/// The strings of `key`'s array of `{"email": …}` objects.
fn emails(value: Option<&Json>) -> Vec<String> {
    value
        .map(Json::as_arr)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.get("email").and_then(Json::as_str).map(str::to_string))
        .collect()
}

/// A created Email the submission can refer to.
struct Draft {
    id: String,
    from: String,
    to: Vec<String>,
    subject: String,
    text: String,
}

/// The server's answer to an API request (RFC 8620 §3.3, §3.4): each call in order, the
/// ids it created (numbered from `serial`, so two runs agree), and what it accepted for
/// sending. A call it does not know, or arguments it cannot read, get an error response for
/// that call (RFC 8620 §3.6.2). `date` is the server's clock as RFC 5322 date-time text: the
/// Date field of the messages it makes, whose octets are each created Email's `size`.
pub fn answer(request: &Json, serial: u32, date: &str) -> (Json, Vec<Accepted>) {
    let mut responses = Vec::new();
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    let mut accepted = Vec::new();
    let calls = request
        .get("methodCalls")
        .map(Json::as_arr)
        .unwrap_or_default();
    for call in calls {
        let (Some(name), Some(args), Some(call_id)) = (
            call.as_arr().first().and_then(Json::as_str),
            call.as_arr().get(1),
            call.as_arr().get(2),
        ) else {
            continue;
        };
        let account = args.get("accountId").and_then(Json::as_str);
        let create = args.get("create").map(Json::members);
        let (Some(account), Some(create)) = (account, create) else {
            let why = "accountId and create are required".to_string();
            responses.push(error("invalidArguments", Some(why), call_id));
            continue;
        };
        match name {
            "Email/set" => {
                let mut created = Vec::new();
                for (n, (creation, email)) in create.iter().enumerate() {
                    let id = format!("M{}", serial + n as u32);
                    let text = email
                        .get("bodyValues")
                        .map(Json::members)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|(_, v)| v.get("value").and_then(Json::as_str))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let draft = Draft {
                        id,
                        from: emails(email.get("from"))
                            .into_iter()
                            .next()
                            .unwrap_or_default(),
                        to: emails(email.get("to")),
                        subject: email
                            .get("subject")
                            .and_then(Json::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        text,
                    };
                    // RFC 8621 §4.6: created says id, blobId, threadId and size, the octets
                    // of the RFC 5322 message the server made of the Email (§4.1.1).
                    let message = crate::message::Message::new(
                        &draft.from,
                        &draft.to.join(", "),
                        &draft.subject,
                        date,
                        &draft.text,
                    );
                    let size = message.to_bytes().len();
                    created.push((
                        creation.clone(),
                        Json::obj([
                            ("id", Json::str(&draft.id)),
                            ("blobId", Json::Str(format!("B{}", draft.id))),
                            ("threadId", Json::Str(format!("T{}", draft.id))),
                            ("size", Json::Num(size.to_string())),
                        ]),
                    ));
                    drafts.insert(creation.clone(), draft);
                }
                let mut response = set_response(account, (1, 2));
                response.push(("created".into(), Json::Obj(created)));
                responses.push(Json::Arr(vec![
                    Json::str(name),
                    Json::Obj(response),
                    call_id.clone(),
                ]));
            }
            "EmailSubmission/set" => {
                let mut created = Vec::new();
                let mut not_created = Vec::new();
                let mut updated = Vec::new();
                let patches = args
                    .get("onSuccessUpdateEmail")
                    .map(Json::members)
                    .unwrap_or_default();
                for (n, (creation, sub)) in create.iter().enumerate() {
                    // RFC 8620 §5.3: "#" and a creation id stands for the id it got.
                    let draft = sub
                        .get("emailId")
                        .and_then(Json::as_str)
                        .and_then(|e| e.strip_prefix('#'))
                        .and_then(|c| drafts.get(c));
                    let Some(draft) = draft else {
                        let refused = Json::obj([
                            ("type", Json::str("invalidProperties")),
                            ("properties", Json::Arr(vec![Json::str("emailId")])),
                        ]);
                        not_created.push((creation.clone(), refused));
                        continue;
                    };
                    let id = format!("S{}", serial + n as u32);
                    let envelope = sub.get("envelope").filter(|e| **e != Json::Null);
                    let to = match envelope {
                        Some(env) => emails(env.get("rcptTo")),
                        None => draft.to.clone(),
                    };
                    accepted.push(Accepted {
                        email_id: draft.id.clone(),
                        submission_id: id.clone(),
                        from: draft.from.clone(),
                        to,
                        subject: draft.subject.clone(),
                        text: draft.text.clone(),
                    });
                    created.push((creation.clone(), Json::obj([("id", Json::Str(id))])));
                    if patches.iter().any(|(k, _)| *k == format!("#{creation}")) {
                        updated.push((draft.id.clone(), Json::Null));
                    }
                }
                let mut response = set_response(account, (1, 2));
                response.push(("created".into(), Json::Obj(created)));
                if !not_created.is_empty() {
                    response.push(("notCreated".into(), Json::Obj(not_created)));
                }
                responses.push(Json::Arr(vec![
                    Json::str(name),
                    Json::Obj(response),
                    call_id.clone(),
                ]));
                // RFC 8621 §7.5: the patch is applied as an implicit Email/set, whose
                // response follows, with the same method call id.
                if !updated.is_empty() {
                    let mut implicit = set_response(account, (2, 3));
                    implicit.push(("updated".into(), Json::Obj(updated)));
                    responses.push(Json::Arr(vec![
                        Json::str("Email/set"),
                        Json::Obj(implicit),
                        call_id.clone(),
                    ]));
                }
            }
            _ => responses.push(error("unknownMethod", None, call_id)),
        }
    }
    let response = Json::obj([
        ("methodResponses", Json::Arr(responses)),
        ("sessionState", Json::Str(format!("s{serial}"))),
    ]);
    (response, accepted)
}

/// RFC 7807's problem details, as RFC 8620 §3.6.1 uses them for request-level errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The API endpoint this server answers on (the session resource's `apiUrl`, RFC 8620 §2).
pub const API_PATH: &str = "/jmap/api/";

/// RFC 8620 §3.1: the request as an HTTP POST of `application/json` to the API endpoint.
pub fn to_http(request: &Json, host: &str, token: &str) -> super::Request {
    let mut http = super::Request::new("POST", API_PATH, host);
    http.fields.extend([
        super::Field::new("Authorization", &format!("Bearer {token}")),
        super::Field::new("Content-Type", "application/json"),
        super::Field::new("Accept", "application/json"),
    ]);
    http.body = request.to_text().into_bytes();
    http
}

/// The server's HTTP answer: 200 with the JMAP response, or a request-level error as
/// RFC 8620 §3.6.1 says (a body that is not a Request object: `notRequest`, with 400).
pub fn answer_http(
    request: &super::Request,
    serial: u32,
    date: &str,
) -> (super::Response, Vec<Accepted>) {
    let json = |status: u16, body: Json| {
        let mut response = super::Response::new(status);
        response
            .fields
            .push(super::Field::new("Content-Type", "application/json"));
        response.body = body.to_text().into_bytes();
        response
    };
    let problem = |status: u16, kind: &str, detail: Option<String>| {
        let mut members = vec![
            ("type".to_string(), Json::str(kind)),
            ("status".to_string(), Json::Num(status.to_string())),
        ];
        if let Some(detail) = detail {
            members.push(("detail".into(), Json::Str(detail)));
        }
        json(status, Json::Obj(members))
    };
    if request.method != "POST" || request.target != API_PATH {
        return (problem(404, "about:blank", None), Vec::new());
    }
    let parsed =
        Json::parse(&request.body).and_then(|j| match (j.get("using"), j.get("methodCalls")) {
            (Some(Json::Arr(_)), Some(Json::Arr(_))) => Ok(j),
            _ => Err("not a Request object: using and methodCalls are required".to_string()),
        });
    match parsed {
        Ok(jmap) => {
            let (response, accepted) = answer(&jmap, serial, date);
            (json(200, response), accepted)
        }
        Err(e) => (
            problem(400, "urn:ietf:params:jmap:error:notRequest", Some(e)),
            Vec::new(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use serde_json::Value;

    use super::*;

    fn mail() -> Outgoing {
        Outgoing {
            account_id: "A1".into(),
            identity_id: "I1".into(),
            drafts: "drafts".into(),
            sent: "sent".into(),
            from: "alice@example.org".into(),
            to: vec!["bob@example.net".into(), "carol@example.net".into()],
            subject: "Lunch \"on\" Friday".into(),
            text: "At noon?\nAlice".into(),
        }
    }

    /// The same request built from the serde types, written by serde_json.
    fn typed(mail: &Outgoing) -> String {
        let address = |email: &str| EmailAddress {
            name: None,
            email: email.to_string(),
        };
        let envelope_address = |email: &str| Address {
            email: email.to_string(),
            parameters: None,
        };
        let email = EmailCreate {
            mailbox_ids: BTreeMap::from([(mail.drafts.clone(), true)]),
            keywords: BTreeMap::from([("$draft".into(), true), ("$seen".into(), true)]),
            from: vec![address(&mail.from)],
            to: mail.to.iter().map(|t| address(t)).collect(),
            subject: mail.subject.clone(),
            body_values: BTreeMap::from([(
                "body".into(),
                BodyValue {
                    value: mail.text.clone(),
                },
            )]),
            text_body: vec![BodyPart {
                part_id: "body".into(),
                media_type: "text/plain".into(),
            }],
        };
        let set = EmailSet {
            account_id: mail.account_id.clone(),
            create: BTreeMap::from([("draft".into(), email)]),
        };
        let submission = SubmissionSet {
            account_id: mail.account_id.clone(),
            create: BTreeMap::from([(
                "send".into(),
                SubmissionCreate {
                    identity_id: mail.identity_id.clone(),
                    email_id: "#draft".into(),
                    envelope: Some(Envelope {
                        mail_from: envelope_address(&mail.from),
                        rcpt_to: mail.to.iter().map(|t| envelope_address(t)).collect(),
                    }),
                },
            )]),
            on_success_update_email: BTreeMap::from([(
                "#send".into(),
                Patch::from([
                    (format!("mailboxIds/{}", mail.drafts), None),
                    (format!("mailboxIds/{}", mail.sent), Some(true)),
                    ("keywords/$draft".into(), None),
                ]),
            )]),
        };
        fn value<T: Serialize>(v: &T) -> Value {
            serde_json::to_value(v).unwrap()
        }
        let request = serde_json::json!({
            "using": [CORE, MAIL, SUBMISSION],
            "methodCalls": [["Email/set", value(&set), "0"], ["EmailSubmission/set", value(&submission), "1"]],
        });
        // serde_json's objects keep their keys sorted; the Request object's two are.
        serde_json::to_string(&request).unwrap()
    }

    #[test]
    fn the_request_is_what_the_serde_types_write() {
        let ours = send_request(&mail()).to_text();
        let theirs: Value = serde_json::from_str(&typed(&mail())).unwrap();
        let back: Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(back, theirs);
        // Member for member in the types' order too, not only the same tree.
        let args = |text: &str| -> String {
            let v: Value = serde_json::from_str(text).unwrap();
            let set: SubmissionSet =
                serde_json::from_value(v["methodCalls"][1][1].clone()).unwrap();
            serde_json::to_string(&set).unwrap()
        };
        assert_eq!(args(&ours), args(&typed(&mail())));
        assert!(ours.contains(
            &serde_json::to_string(
                &serde_json::from_value::<SubmissionSet>(back["methodCalls"][1][1].clone())
                    .unwrap()
            )
            .unwrap()
        ));
    }

    /// The members RFC 8621 §7.5.1's example request and response have, at each level.
    #[test]
    fn the_request_and_answer_have_the_shape_of_rfc_8621_section_7_5_1() {
        let request: Value = serde_json::from_str(&send_request(&mail()).to_text()).unwrap();
        assert_eq!(request["methodCalls"][1][0], "EmailSubmission/set");
        let args = request["methodCalls"][1][1].as_object().unwrap();
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

        let (response, accepted) = answer(&send_request(&mail()), 7, DATE);
        let response: Value = serde_json::from_str(&response.to_text()).unwrap();
        let calls = response["methodResponses"].as_array().unwrap();
        let names: Vec<(&str, &str)> = calls
            .iter()
            .map(|c| (c[0].as_str().unwrap(), c[2].as_str().unwrap()))
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
        // The serde types read every answer.
        let sets: Vec<SetResponse> = calls
            .iter()
            .map(|c| serde_json::from_value(c[1].clone()).unwrap())
            .collect();
        assert_eq!(sets[1].created.as_ref().unwrap()["send"].id, "S7");
        assert_eq!(sets[2].updated.as_ref().unwrap().get("M7"), Some(&None));
        assert!(calls[2][1]["updated"]
            .as_object()
            .unwrap()
            .contains_key("M7"));
        assert_eq!(accepted[0].to, ["bob@example.net", "carol@example.net"]);
        assert_eq!(accepted[0].subject, "Lunch \"on\" Friday");
        // The size is the octets of the message the server made: counted here by hand.
        let a = &accepted[0];
        let made = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {DATE}\r\n\r\n{}\r\n",
            a.from,
            a.to.join(", "),
            a.subject,
            a.text.replace('\n', "\r\n")
        );
        assert_eq!(
            sets[0].created.as_ref().unwrap()["draft"].size,
            Some(made.len() as u64)
        );
    }

    const DATE: &str = "Fri, 04 Dec 2026 10:00:00 +0000";

    #[test]
    fn over_http_the_answer_is_200_and_a_bad_body_is_not_a_request() {
        let http = to_http(&send_request(&mail()), "jmap.example.org", "t");
        let (parsed, _) = crate::http::decode::request(&http.to_bytes()).unwrap();
        let (response, accepted) = answer_http(&parsed, 1, DATE);
        assert_eq!((response.status, accepted.len()), (200, 1));
        for body in [&b"[1,2]"[..], b"{\"using\":", b"{}"] {
            let mut bad = parsed.clone();
            bad.body = body.to_vec();
            let (response, _) = answer_http(&bad, 1, DATE);
            assert_eq!(response.status, 400);
            let problem: Problem = serde_json::from_slice(&response.body).unwrap();
            assert_eq!(problem.kind, "urn:ietf:params:jmap:error:notRequest");
        }
    }

    #[test]
    fn a_reference_to_no_created_email_is_not_created() {
        let text = send_request(&mail())
            .to_text()
            .replace("\"emailId\":\"#draft\"", "\"emailId\":\"#nothing\"");
        let (response, accepted) = answer(&Json::parse(text.as_bytes()).unwrap(), 1, DATE);
        assert!(accepted.is_empty());
        let response: Value = serde_json::from_str(&response.to_text()).unwrap();
        assert_eq!(
            response["methodResponses"][1][1]["notCreated"]["send"]["type"],
            "invalidProperties"
        );
        let text =
            send_request(&mail())
                .to_text()
                .replacen("\"accountId\":\"A1\"", "\"accountId\":3", 1);
        let (response, _) = answer(&Json::parse(text.as_bytes()).unwrap(), 1, DATE);
        let response: Value = serde_json::from_str(&response.to_text()).unwrap();
        let error: MethodError =
            serde_json::from_value(response["methodResponses"][0][1].clone()).unwrap();
        assert_eq!(error.kind, "invalidArguments");
    }
}
