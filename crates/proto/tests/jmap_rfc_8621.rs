//! The lab's JMAP request and answer against RFC 8621 §7.5.1's own example, member by
//! member: the same method calls with the same call ids, the same members at every level,
//! the creation id referred to with `#`, and the same kind of patch on success. The RFC's
//! example is read by our serde types too. Where ours differs, the difference is named here
//! with the reason it is allowed.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use postroom_proto::http::jmap::{answer, send_request, Outgoing, SetResponse, SubmissionSet};
use serde_json::Value;

/// RFC 8621 §7.5.1: the request's method calls ("..." in `rcptTo` left out).
const RFC_CALLS: &str = r##"[[ "Email/set", {
  "accountId": "ue150411c",
  "create": {
    "k1490": {
      "mailboxIds": { "2ea1ca41b38e": true },
      "keywords": { "$seen": true, "$draft": true },
      "from": [{ "name": "Joe Bloggs", "email": "joe@example.com" }],
      "to": [{ "name": "John", "email": "john@example.com" }],
      "subject": "World domination",
      "receivedAt": "2018-07-10T01:03:11Z",
      "sentAt": "2018-07-10T11:03:11+10:00",
      "bodyStructure": { "type": "text/plain", "partId": "bd48", "header:Content-Language": "en" },
      "bodyValues": { "bd48": { "value": "I have the most brilliant plan.", "isTruncated": false } }
    }
  }
}, "0" ],
[ "EmailSubmission/set", {
  "accountId": "ue411d190",
  "create": {
    "k1491": {
      "identityId": "64588216",
      "emailId": "#k1490",
      "envelope": {
        "mailFrom": { "email": "john@example.com", "parameters": null },
        "rcptTo": [{ "email": "jane@example.com", "parameters": null }]
      }
    }
  },
  "onSuccessUpdateEmail": {
    "#k1491": {
      "mailboxIds/7cb4e8ee-df87-4757-b9c4-2ea1ca41b38e": null,
      "mailboxIds/73dbcb4b-bffc-48bd-8c2a-a2e91ca672f6": true,
      "keywords/$draft": null
    }
  }
}, "1" ]]"##;

/// RFC 8621 §7.5.1: the server's method responses.
const RFC_RESPONSES: &str = r##"[[ "Email/set", {
  "accountId": "ue150411c",
  "oldState": "780823",
  "newState": "780839",
  "created": {
    "k1490": { "id": "Mf40b5f831", "blobId": "Bf40b5f831", "threadId": "T1aa23aa", "size": 359 }
  }
}, "0" ],
[ "EmailSubmission/set", {
  "accountId": "ue411d190",
  "oldState": "012421s6-8nrq-4ps4-n0p4-9330r951ns21",
  "newState": "355421f6-8aed-4cf4-a0c4-7377e951af36",
  "created": {
    "k1491": { "id": "ES-3bab7f9a-623e-4acf-99a5-2e67facb02a0" }
  }
}, "1" ],
[ "Email/set", {
  "accountId": "neilj@example.com",
  "oldState": "778193",
  "newState": "778197",
  "updated": { "Mf40b5f831": null }
}, "1" ]]"##;

fn mail() -> Outgoing {
    Outgoing {
        account_id: "A1".into(),
        identity_id: "I1".into(),
        drafts: "drafts".into(),
        sent: "sent".into(),
        from: "alice@example.org".into(),
        to: vec!["bob@example.net".into()],
        subject: "Lunch on Friday?".into(),
        text: "At noon?".into(),
    }
}

fn ours() -> (Value, Value) {
    let request = send_request(&mail());
    let calls: Value = serde_json::from_str(&request.to_text()).unwrap();
    let (response, _) = answer(&request, 1, "Fri, 04 Dec 2026 10:00:00 +0000");
    let responses: Value = serde_json::from_str(&response.to_text()).unwrap();
    (
        calls["methodCalls"].clone(),
        responses["methodResponses"].clone(),
    )
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The only member of an object keyed by ids: its key and value.
fn only(v: &Value) -> (&str, &Value) {
    let map = v.as_object().unwrap();
    assert_eq!(map.len(), 1, "{v}");
    map.iter().next().map(|(k, v)| (k.as_str(), v)).unwrap()
}

/// Each call's name and call id.
fn calls(v: &Value) -> Vec<(&str, &str)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap(), c[2].as_str().unwrap()))
        .collect()
}

/// A patch as its paths' kinds and values: `mailboxIds/<id>` loses its id.
fn patch(v: &Value) -> BTreeSet<(String, String)> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(path, value)| {
            let kind = if path.starts_with("mailboxIds/") {
                "mailboxIds"
            } else {
                path.as_str()
            };
            (kind.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn the_request_has_the_members_of_the_rfc_example() {
    let rfc: Value = serde_json::from_str(RFC_CALLS).unwrap();
    let (ours, _) = ours();
    assert_eq!(calls(&ours), calls(&rfc));

    // Email/set: the same arguments; the Email created with the same members, but for two
    // that RFC 8621 §4.6 leaves to the client: the example sets receivedAt and sentAt (the
    // server fills them in when they are left out), and gives its body as bodyStructure
    // where ours gives textBody (§4.6 takes either).
    let (rfc_set, our_set) = (&rfc[0][1], &ours[0][1]);
    assert_eq!(keys(our_set), keys(rfc_set));
    let (rfc_id, rfc_email) = only(&rfc_set["create"]);
    let (our_id, our_email) = only(&our_set["create"]);
    let rfc_members: BTreeSet<&str> = keys(rfc_email)
        .into_iter()
        .filter(|k| !["receivedAt", "sentAt", "bodyStructure"].contains(k))
        .collect();
    let our_members: BTreeSet<&str> = keys(our_email)
        .into_iter()
        .filter(|k| *k != "textBody")
        .collect();
    assert_eq!(our_members, rfc_members);
    assert_eq!((keys(&our_email["keywords"])), keys(&rfc_email["keywords"]));
    // An EmailAddress's name may be null (RFC 8621 §4.1.2.3): ours leave it out.
    for field in ["from", "to"] {
        assert!(keys(&our_email[field][0]).is_subset(&keys(&rfc_email[field][0])));
        assert!(our_email[field][0]["email"].is_string());
    }
    let (_, rfc_value) = only(&rfc_email["bodyValues"]);
    let (_, our_value) = only(&our_email["bodyValues"]);
    assert!(keys(our_value).is_subset(&keys(rfc_value)));
    assert!(keys(our_value).contains("value"));

    // EmailSubmission/set: the same members at every level, the Email referred to by its
    // creation id, and on success the same patch: out of one mailbox, into another, the
    // $draft keyword removed.
    let (rfc_sub, our_sub) = (&rfc[1][1], &ours[1][1]);
    assert_eq!(keys(our_sub), keys(rfc_sub));
    let (rfc_sid, rfc_create) = only(&rfc_sub["create"]);
    let (our_sid, our_create) = only(&our_sub["create"]);
    assert_eq!(keys(our_create), keys(rfc_create));
    assert_eq!(rfc_create["emailId"], format!("#{rfc_id}"));
    assert_eq!(our_create["emailId"], format!("#{our_id}"));
    let (rfc_env, our_env) = (&rfc_create["envelope"], &our_create["envelope"]);
    assert_eq!(keys(our_env), keys(rfc_env));
    assert_eq!(keys(&our_env["mailFrom"]), keys(&rfc_env["mailFrom"]));
    assert_eq!(keys(&our_env["rcptTo"][0]), keys(&rfc_env["rcptTo"][0]));
    let (rfc_ref, rfc_patch) = only(&rfc_sub["onSuccessUpdateEmail"]);
    let (our_ref, our_patch) = only(&our_sub["onSuccessUpdateEmail"]);
    assert_eq!(rfc_ref, format!("#{rfc_sid}"));
    assert_eq!(our_ref, format!("#{our_sid}"));
    assert_eq!(patch(our_patch), patch(rfc_patch));
    assert_eq!(our_patch.as_object().unwrap().len(), 3);

    // Our serde types read the RFC's submission as they read ours.
    let theirs: SubmissionSet = serde_json::from_value(rfc_sub.clone()).unwrap();
    assert_eq!(theirs.create["k1491"].email_id, "#k1490");
    assert_eq!(theirs.on_success_update_email["#k1491"].len(), 3);
}

#[test]
fn the_answer_has_the_members_of_the_rfc_example() {
    let rfc: Value = serde_json::from_str(RFC_RESPONSES).unwrap();
    let (calls_sent, ours) = ours();
    // The same three answers: Email/set, EmailSubmission/set, then the implicit Email/set
    // of onSuccessUpdateEmail with the submission's call id.
    assert_eq!(calls(&ours), calls(&rfc));
    for i in 0..3 {
        assert_eq!(keys(&ours[i][1]), keys(&rfc[i][1]), "answer {i}");
        // Our serde type reads the RFC's answers and ours.
        let _: SetResponse = serde_json::from_value(rfc[i][1].clone()).unwrap();
        let _: SetResponse = serde_json::from_value(ours[i][1].clone()).unwrap();
    }
    // Created under the creation ids the request gave.
    let (email_creation, _) = only(&calls_sent[0][1]["create"]);
    let (our_email_key, our_email) = only(&ours[0][1]["created"]);
    assert_eq!(our_email_key, email_creation);
    let (submission_creation, _) = only(&calls_sent[1][1]["create"]);
    let (our_sub_key, our_sub) = only(&ours[1][1]["created"]);
    assert_eq!(our_sub_key, submission_creation);
    assert_eq!(keys(our_sub), keys(only(&rfc[1][1]["created"]).1));
    // The created Email says its id, blob, thread and size as the example does (RFC 8621
    // §4.6 requires all four); the size counts the octets of the message the server made.
    assert_eq!(keys(our_email), keys(only(&rfc[0][1]["created"]).1));
    assert!(our_email["size"].as_u64().is_some_and(|n| n > 100));
    // The Email moved on success is the one created, updated with nothing else changed.
    let (updated, nothing) = only(&ours[2][1]["updated"]);
    assert_eq!(updated, our_email["id"]);
    assert_eq!(*nothing, Value::Null);
}
