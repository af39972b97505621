//! The OpenAPI document says what the API does (issue 8 item 13): every body has a schema with its
//! properties, and every operation documents the error answers it can give — and only those — in
//! Chinese, with the error envelope.

use serde_json::Value;
use std::collections::BTreeSet;
use testkit::TestApp;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document() -> Value {
    let app = TestApp::spawn().await;
    app.get("/api/v1/openapi.json", None).await.json()
}

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            if item[m].is_object() {
                ops.push((m.to_string(), path.clone(), item[m].clone()));
            }
        }
    }
    ops
}

/// `#/components/schemas/X` → its schema.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> (&'a Value, Option<String>) {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/").to_string();
            (&doc["components"]["schemas"][&name], Some(name))
        }
        None => (schema, None),
    }
}

/// The places under `schema` where an object has no properties (`{}` or `{"type":"object"}` alone).
fn bare_objects(doc: &Value, schema: &Value, at: &str, seen: &mut BTreeSet<String>, found: &mut Vec<String>) {
    let (schema, name) = resolve(doc, schema);
    if let Some(name) = name
        && !seen.insert(name)
    {
        return;
    }
    let Some(obj) = schema.as_object() else {
        found.push(format!("{at}: not a schema ({schema})"));
        return;
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let composed = ["allOf", "oneOf", "anyOf"].iter().any(|k| obj.contains_key(*k));
    if (types.is_empty() && !composed && !obj.contains_key("enum") && !obj.contains_key("const"))
        || (types.contains(&"object") && !obj.contains_key("properties") && !obj.contains_key("additionalProperties"))
    {
        found.push(format!("{at}: {schema}"));
    }
    for (k, p) in schema["properties"].as_object().into_iter().flatten() {
        bare_objects(doc, p, &format!("{at}.{k}"), seen, found);
    }
    if schema["items"].is_object() {
        bare_objects(doc, &schema["items"], &format!("{at}[]"), seen, found);
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        for s in schema[k].as_array().into_iter().flatten() {
            bare_objects(doc, s, at, seen, found);
        }
    }
}

#[tokio::test]
async fn every_request_and_response_body_has_a_schema_with_its_properties() {
    let doc = document().await;
    let mut found = Vec::new();
    for (method, path, op) in operations(&doc) {
        let op_at = format!("{} {path}", method.to_uppercase());
        if let Some(body) = op["requestBody"].as_object() {
            let content = body.get("content").and_then(Value::as_object).cloned().unwrap_or_default();
            if content.is_empty() {
                found.push(format!("{op_at} request body: no content"));
            }
            for (ct, c) in content {
                bare_objects(
                    &doc,
                    &c["schema"],
                    &format!("{op_at} request body {ct}"),
                    &mut BTreeSet::new(),
                    &mut found,
                );
            }
        }
        for (status, resp) in op["responses"].as_object().into_iter().flatten() {
            let content = resp["content"].as_object().cloned().unwrap_or_default();
            if content.is_empty() && status != "204" {
                found.push(format!("{op_at} {status}: no content"));
            }
            for (ct, c) in content {
                bare_objects(&doc, &c["schema"], &format!("{op_at} {status} {ct}"), &mut BTreeSet::new(), &mut found);
            }
        }
    }
    assert!(found.is_empty(), "bodies without a schema of their own:\n{}", found.join("\n"));
}

#[tokio::test]
async fn the_findings_mark_their_required_fields_a_draft_application_none_and_both_carry_examples() {
    let doc = document().await;
    let schemas = &doc["components"]["schemas"];
    let required = |name: &str| -> BTreeSet<String> {
        schemas[name]["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from).collect()
    };
    // A draft saves half-filled (issue 9 item 11): submission, not the body, demands the whole form.
    let application = required("ApplicationInput");
    assert!(application.is_empty(), "a draft may leave out any field: {application:?}");
    assert_eq!(schemas["ApplicationInput"]["example"]["region_code"], "430104", "the example is the valid form");
    assert_eq!(required("FindingsInput"), BTreeSet::from(["findings".to_string(), "conclusion".to_string()]));
    assert_eq!(schemas["FindingsInput"]["example"]["findings"].as_array().map(Vec::len), Some(6));
    let body_of = |method: &str, path: &str| doc["paths"][path][method]["requestBody"].clone();
    for (method, path, schema) in [
        ("post", "/api/v1/filings", "ApplicationInput"),
        ("put", "/api/v1/filings/{id}", "ApplicationInput"),
        ("post", "/api/v1/filings/{id}/findings", "FindingsInput"),
    ] {
        let body = body_of(method, path);
        assert_eq!(body["required"], true, "{method} {path}");
        assert_eq!(
            body["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}"),
            "{method} {path}"
        );
    }
}

/// Operations that need a token but no particular role: they cannot answer 403.
const ANY_CALLER: &[(&str, &str)] = &[("delete", "/api/v1/auth/token"), ("get", "/api/v1/me"), ("get", "/api/v1/todo")];

/// Operations without a token that still answer 401 (a wrong password or code).
const SIGN_IN_DOORS: &[(&str, &str)] = &[("post", "/api/v1/auth/token"), ("post", "/api/v1/auth/password")];

/// Operations that change a record whose state may refuse the change or have moved on (409).
const STATE_CHANGES: &[(&str, &str)] = &[
    ("put", "/api/v1/orgs/{id}"),
    ("put", "/api/v1/filings/{id}"),
    ("post", "/api/v1/filings/{id}/actions"),
    ("post", "/api/v1/filings/{id}/findings"),
    ("post", "/api/v1/filings/{id}/attachments"),
    ("delete", "/api/v1/filings/{id}/attachments/{att}"),
    ("put", "/api/v1/projects/{id}"),
    ("post", "/api/v1/projects/{id}/submit"),
    ("post", "/api/v1/projects/{id}/actions"),
    ("post", "/api/v1/projects/{id}/opinion"),
    ("post", "/api/v1/projects/{id}/materials"),
    ("post", "/api/v1/releases/{id}/steps"),
    ("post", "/api/v1/projects/{id}/materials/{material}/file"),
    ("post", "/api/v1/projects/{id}/files"),
    ("delete", "/api/v1/projects/{id}/files/{file}"),
    ("post", "/api/v1/draws"),
    ("post", "/api/v1/draws/{id}/draw"),
    ("post", "/api/v1/draws/{id}/declines"),
    ("post", "/api/v1/draws/{id}/open"),
    ("put", "/api/v1/qbank/items/{id}"),
    ("post", "/api/v1/qbank/items/{id}/actions"),
    ("post", "/api/v1/qbank/papers"),
    ("post", "/api/v1/qbank/papers/{id}/reveal"),
    ("put", "/api/v1/sessions/{id}"),
    ("post", "/api/v1/sessions/{id}/actions"),
    ("post", "/api/v1/sessions/{id}/candidates"),
    ("delete", "/api/v1/sessions/{id}/candidates/{cid}"),
    ("post", "/api/v1/sessions/{id}/roster"),
    ("post", "/api/v1/registry"),
    ("post", "/api/v1/registry/import"),
    ("post", "/api/v1/registry/{id}/status"),
    ("post", "/api/v1/registry/courses/{id}/enrolments"),
    ("post", "/api/v1/registry/courses/{id}/results"),
    ("post", "/api/v1/my/applications"),
    ("post", "/api/v1/my/applications/{id}/withdraw"),
    ("post", "/api/v1/sessions/{id}/applications/{aid}/decision"),
    ("put", "/api/v1/sessions/{id}/applications-open"),
    // Issue 12: a ticket exists only once the plan is approved and the application confirmed.
    ("post", "/api/v1/sessions/{id}/archives"),
    ("post", "/api/v1/sessions/{id}/archives/upload"),
    // E7: a disposed material's file is no longer served (ARCHIVE_FILE_DISPOSED).
    ("get", "/api/v1/archives/{id}/file"),
    ("post", "/api/v1/archives/{id}/dispose"),
    // C1: a blank's state (used, voided, changed), the issuing gates, duplicates, the stock, the organizer.
    ("post", "/api/v1/certificate-blanks/{id}/void"),
    ("post", "/api/v1/sessions/{id}/certificates"),
    ("post", "/api/v1/sessions/{id}/certificates/all"),
    // C1: a certificate's credential exists only once it is reported (CERTIFICATE_NOT_REPORTED).
    ("get", "/api/v1/issued-certificates/{id}/credential"),
    ("get", "/api/v1/my/tickets/{id}"),
    ("get", "/api/v1/sessions/{id}/tickets"),
    ("post", "/api/v1/my/tickets/{id}/photo"),
    ("put", "/api/v1/sessions/{id}/scores/{cid}"),
    ("post", "/api/v1/sessions/{id}/scores/import"),
    ("post", "/api/v1/sessions/{id}/register"),
    ("put", "/api/v1/sessions/{id}/panel"),
    ("post", "/api/v1/sessions/{id}/panel/draw"),
    ("put", "/api/v1/my/panels/{id}/scores/{cid}"),
    ("put", "/api/v1/my/panels/{id}/assessor-report"),
    ("post", "/api/v1/my/panels/{id}/assessor-report/signature"),
    ("put", "/api/v1/my/panels/{id}/supervision-report"),
    // F1: a fee's state (and its session's) decides what may be recorded.
    ("post", "/api/v1/sessions/{id}/fees/{cid}/pay"),
    ("post", "/api/v1/sessions/{id}/fees/{cid}/waive"),
    ("post", "/api/v1/sessions/{id}/fees/{cid}/refund"),
    // C1: a certificate's state decides whether it may be reported, revoked or reissued.
    ("post", "/api/v1/certificate-reports"),
    ("post", "/api/v1/issued-certificates/{id}/revoke"),
    ("post", "/api/v1/issued-certificates/{id}/reissue"),
    // F3: a batch's and a claim's state decide what may be done; a person and project is claimed once.
    ("post", "/api/v1/subsidies"),
    ("post", "/api/v1/subsidies/{id}/approve"),
    ("post", "/api/v1/subsidies/{id}/pay"),
    ("post", "/api/v1/subsidies/{id}/claims/{cid}/approve"),
    ("post", "/api/v1/subsidies/{id}/claims/{cid}/reject"),
    // C1 printing: a revoked certificate is not printed, a candidate's not before it is reported, a
    // session without valid certificates has nothing to print, a character the font lacks is refused.
    ("get", "/api/v1/issued-certificates/{id}/certificate.pdf"),
    ("get", "/api/v1/issued-certificates/{id}/overlay.pdf"),
    ("get", "/api/v1/sessions/{id}/certificates.pdf"),
    ("get", "/api/v1/my/certificates/{id}/certificate.pdf"),
];

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn every_operation_documents_the_error_answers_it_can_give() {
    let doc = document().await;
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        let key = (method.as_str(), path.as_str());
        let at = format!("{} {path}", method.to_uppercase());
        let public =
            op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())));
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let body = op["requestBody"].is_object();
        let by_path = params.iter().any(|p| p["in"] == "path");
        let documented: BTreeSet<u16> =
            op["responses"].as_object().into_iter().flatten().filter_map(|(s, _)| s.parse().ok()).collect();

        let mut expected = BTreeSet::from([429, 500]);
        if !public {
            expected.insert(401);
            if !ANY_CALLER.contains(&key) {
                expected.insert(403);
            }
        }
        if !params.is_empty() || body {
            expected.insert(400);
        }
        if by_path {
            expected.insert(404);
        }
        if body {
            expected.extend([413, 415, 422]);
        }
        if STATE_CHANGES.contains(&key) {
            expected.insert(409);
        }
        for missing in expected.difference(&documented) {
            wrong.push(format!("{at}: {missing} not documented"));
        }
        // Only what it can answer.
        let cannot = |s: u16| match s {
            401 => public && !SIGN_IN_DOORS.contains(&key),
            403 => !public && ANY_CALLER.contains(&key),
            409 => !STATE_CHANGES.contains(&key),
            413 | 415 => !body,
            _ => false,
        };
        for s in documented.iter().filter(|s| cannot(**s)) {
            wrong.push(format!("{at}: documents {s}, which it cannot answer"));
        }
        for (status, resp) in op["responses"].as_object().into_iter().flatten() {
            if !status.starts_with('4') && !status.starts_with('5') {
                continue;
            }
            if !has_chinese(resp["description"].as_str().unwrap_or_default()) {
                wrong.push(format!("{at} {status}: no Chinese description ({})", resp["description"]));
            }
            if resp["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/ErrorEnvelope" {
                wrong.push(format!("{at} {status}: not the error envelope"));
            }
        }
        if documented.contains(&429) && !op["responses"]["429"]["headers"]["Retry-After"].is_object() {
            wrong.push(format!("{at} 429: no Retry-After header"));
        }
    }
    assert!(wrong.is_empty(), "{} problems:\n{}", wrong.len(), wrong.join("\n"));
}
