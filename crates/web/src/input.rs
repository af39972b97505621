//! Input hygiene at the door (issue 8 item 4): every text value of a page's form, a query string, a
//! path and an API body is checked against `domain::text::forbidden` where it is read — by
//! `crate::extract::{Form, Query, Path}` and `crate::api::ApiJson` — so no handler, store or database
//! sees a NUL, a control, a bidirectional override or a zero-width character, and PostgreSQL and SQLite
//! answer alike (a field error, never a 500, nothing stored). Tab and line breaks pass here (free text
//! has them); single-line values refuse them in their domain types (`domain::text`). Each error names
//! its field in Chinese ([`label`]).

use domain::text::{first_forbidden, forbidden_error};
use domain::{FieldError, FieldErrors};
use serde_json::Value;

/// The errors of `(name, value)` pairs (a form or a query string; the name is checked too), one per
/// field; `path` is the request's path, which decides some labels.
pub fn check_pairs<'a>(path: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for (name, value) in pairs {
        if let Some(c) = first_forbidden(name).or_else(|| first_forbidden(value)) {
            push(&mut errors, path, clean_name(name), c);
        }
    }
    errors.into_result()
}

/// The errors of every string (and object key) of a JSON body, named by their path (`members[0].name`).
pub fn check_json(path: &str, value: &Value) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    walk(path, value, String::new(), &mut errors);
    errors.into_result()
}

fn walk(path: &str, value: &Value, at: String, errors: &mut FieldErrors) {
    match value {
        Value::String(s) => {
            if let Some(c) = first_forbidden(s) {
                push(errors, path, at, c);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(path, v, format!("{at}[{i}]"), errors);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let key = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                match first_forbidden(k) {
                    Some(c) => push(errors, path, clean_name(&key), c),
                    None => walk(path, v, key, errors),
                }
            }
        }
        _ => {}
    }
}

fn push(errors: &mut FieldErrors, path: &str, field: String, c: char) {
    if errors.get(&field).is_none() {
        let label = label(path, &field);
        errors.push(forbidden_error(field, &label, c));
    }
}

/// A field name fit to show: its forbidden characters dropped.
fn clean_name(name: &str) -> String {
    name.chars().filter(|c| !domain::text::forbidden(*c)).collect()
}

/// The first error as one (a query or a path answers 400 with one error).
pub fn first(errors: FieldErrors) -> FieldError {
    errors.0.into_iter().next().unwrap_or_else(|| FieldError::new("", "INPUT_FORBIDDEN_CHARACTER", ""))
}

/// The Chinese label of a field (`username` → 用户名, `facilities[0].name` → 名称), by the request's
/// path where one name means different things; the field's own name when it has no label.
pub fn label(path: &str, field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let key = last.split('[').next().unwrap_or(last);
    let by_path = |pairs: &[(&str, &'static str)], default: &'static str| {
        pairs.iter().find(|(p, _)| path.contains(p)).map_or(default, |(_, l)| *l)
    };
    let label = match key {
        "name" => by_path(&[("/orgs", "机构名称"), ("/experts", "姓名"), ("/users", "姓名")], "名称"),
        "title" => by_path(&[("/experts", "专业技术职称"), ("/draws", "抽取事项")], "标题"),
        "username" => "用户名",
        "password" => "密码",
        "current_password" => "当前密码",
        "new_password" => "新密码",
        "confirm_password" => "确认新密码",
        "temporary_password" => "临时密码",
        "totp" | "code" => "动态验证码",
        "display_name" => "姓名",
        "id_number" => "身份证号码",
        "credit_code" => "统一社会信用代码",
        "region_code" => "所在地区",
        "city" | "city_code" => "所在市州",
        "include_cities" | "exclude_cities" => "市州",
        "address" => "详细地址",
        "phone" | "contact_phone" => "联系电话",
        "contact_name" | "contacts" => "联系人",
        "institution_name" => "机构名称",
        "person_in_charge_name" => "负责人姓名",
        "person_in_charge_phone" => "负责人电话",
        "legal_representative" => "法定代表人",
        "employer_name" | "employer_org_id" => "工作单位",
        "specialties" | "specialty" => "专业领域",
        "projects" | "project" | "assessor_project" => "项目名称",
        "facilities" | "facility_name" => "场地设施设备",
        "facility_spec" | "specification" => "规格型号",
        "facility_purpose" | "purpose" => "用途",
        "assessors" | "assessor_name" => "考评人员",
        "assessor_qualification" | "qualification" => "考评人员资格",
        "kind" | "category" => "类别",
        "nature" => "性质",
        "note" => "备注",
        "reason" => "理由",
        "comment" | "opinion" => "意见",
        "conclusion" => "结论",
        "text" | "findings" => "评估意见",
        "evidence" => "证明材料说明",
        "place" => "地点",
        "value" => "取值",
        "q" => "关键词",
        "role" | "roles" => "角色",
        "status" | "state" => "状态",
        "holidays" => "节假日",
        "workdays" => "调休上班日",
        _ if key.starts_with("evidence_") => "备案条件的证明材料说明",
        _ if key.starts_with("finding_") => "评估意见",
        _ => return field.to_string(),
    };
    label.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_string_of_a_body_is_checked_and_named() {
        let body =
            json!({"name":"某某\u{202e}站","members":[{"note":"ok"},{"note":"a\u{0}"}],"n":3,"text":"第一行\n第二行"});
        let errors = check_json("/api/v1/orgs", &body).expect_err("two bad strings");
        assert_eq!(errors.0.len(), 2, "{errors}");
        let detail = |f: &str| errors.get(f).map(|e| e.detail.clone()).unwrap_or_default();
        assert_eq!(detail("name"), "「机构名称」含有不可见或控制字符（U+202E），请删除后重新填写");
        assert_eq!(detail("members[1].note"), "「备注」含有不可见或控制字符（U+0000），请删除后重新填写");
        assert!(check_pairs("/login", [("username", "admin"), ("note", "a\r\nb\tc")]).is_ok());
        let e = check_pairs("/login", [("username", "ad\u{0}min")]).expect_err("NUL");
        assert_eq!(e.0[0].detail, "「用户名」含有不可见或控制字符（U+0000），请删除后重新填写");
        assert_eq!(label("/x", "unlabelled_field"), "unlabelled_field");
    }
}
