//! What several test modules set up or read the same way.

use testkit::TestApp;

/// The `field` of every error in an API answer's envelope, in order.
pub fn error_fields(body: &serde_json::Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Seven experts with sign-in accounts `{prefix}0` … `{prefix}6`, one in each of `cities`, named
/// `{name}甲` … `{name}庚`, their ID numbers numbered from `first`; the first works for `first_employer`
/// when one is given (and is recused from its draws). Answers (expert id, username).
pub async fn experts_who_sign_in(
    app: &TestApp,
    prefix: &str,
    name: &str,
    first: usize,
    cities: [&str; 7],
    first_employer: Option<i64>,
) -> Vec<(i64, String)> {
    let mut experts = Vec::new();
    for (i, city) in cities.iter().enumerate() {
        let idn = testkit::id_number(&format!("43010219700101{:03}", first + i));
        let name = format!("{name}{}", "甲乙丙丁戊己庚".chars().nth(i).unwrap_or('X'));
        let username = format!("{prefix}{i}");
        let employer = if i == 0 { first_employer } else { None };
        experts.push((app.create_expert_with_account(&username, &name, &idn, city, employer).await, username));
    }
    experts
}

/// The error shown beside the input with this id (between it and the next input's id), if any.
pub fn error_beside(body: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let Some(at) = body.find(&marker) else { panic!("no input {id} on the page") };
    let rest = &body[at + marker.len()..];
    let end = rest.find(" id=\"").unwrap_or(rest.len());
    let block = &rest[..end];
    block
        .find("<div class=\"field-error\">")
        .map(|i| {
            let s = &block[i + "<div class=\"field-error\">".len()..];
            s[..s.find("</div>").unwrap_or(s.len())].to_string()
        })
        .unwrap_or_default()
}

/// The filing id of a `/filings/{id}…` redirect.
pub fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/filings/")
        .split(['?', '/'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no filing id in {location}"))
}
