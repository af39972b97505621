//! P3, P1, P7: the files kept with a project — the development unit's feasibility report (可行性分析报告,
//! P3: "开发单位……编写可行性分析报告和考核规范"), the evidence of an adopted project's specification and
//! question bank (P1) and the file of a training material (P7). The store keeps them beside the
//! project ([`ProjectFileKind`] says which); submission requires the feasibility report
//! ([`check_submission_files`]).

use crate::enums::string_enum;
use crate::error::FieldError;

string_enum! {
    /// What a file kept with a project is.
    ProjectFileKind {
        /// P3: required before the development unit submits.
        FeasibilityReport = "feasibility_report" => "可行性分析报告",
        /// P1: the specification and question bank of an adopted project, as obtained.
        AdoptionEvidence = "adoption_evidence" => "考核规范和题（卷）库证明材料",
        /// P7: a training material's or exam guide's file.
        MaterialFile = "material_file" => "培训教材或考试指南文件",
    }
}

/// The field a missing feasibility report is reported against.
pub const FEASIBILITY_REPORT_FIELD: &str = "feasibility_report";

/// P3: a development application is submitted with its feasibility report attached
/// (`PROJECT_FEASIBILITY_REPORT_REQUIRED`); `attached` are the kinds of the files kept with it.
pub fn check_submission_files(attached: &[ProjectFileKind]) -> Result<(), FieldError> {
    if attached.contains(&ProjectFileKind::FeasibilityReport) {
        Ok(())
    } else {
        Err(FieldError::new(
            FEASIBILITY_REPORT_FIELD,
            "PROJECT_FEASIBILITY_REPORT_REQUIRED",
            "请先上传可行性分析报告，再提交考核项目开发申请",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p3_submission_needs_the_feasibility_report() {
        let cases: &[(&[ProjectFileKind], bool)] = &[
            (&[], false),
            (&[ProjectFileKind::AdoptionEvidence, ProjectFileKind::MaterialFile], false),
            (&[ProjectFileKind::FeasibilityReport], true),
            (&[ProjectFileKind::MaterialFile, ProjectFileKind::FeasibilityReport], true),
        ];
        for (kinds, ok) in cases {
            let r = check_submission_files(kinds);
            assert_eq!(r.is_ok(), *ok, "{kinds:?}");
            if let Err(e) = r {
                assert_eq!(
                    (e.field.as_str(), e.code),
                    (FEASIBILITY_REPORT_FIELD, "PROJECT_FEASIBILITY_REPORT_REQUIRED")
                );
                assert!(e.detail.contains("可行性分析报告"));
            }
        }
    }

    #[test]
    fn p3_file_kinds_are_stored_by_their_ids() {
        let ids: Vec<&str> = ProjectFileKind::ALL.iter().map(|k| k.id()).collect();
        assert_eq!(ids, ["feasibility_report", "adoption_evidence", "material_file"]);
    }
}
