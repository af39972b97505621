//! Authorization: a pure role × action matrix (R1, R2 tiered management; level-3 separation of the
//! system, security and audit administrators). The data scope is enforced by the store; this module
//! answers only "may a holder of these roles do this at all".

use crate::org::Role;
use serde::Serialize;

macro_rules! actions {
    ($($var:ident = $id:literal => $label:literal : [$($role:ident),*]),+ $(,)?) => {
        /// Everything a request can ask to do. Each action lists the roles allowed to do it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum Action { $($var),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$var),+];
            pub fn id(self) -> &'static str { match self { $(Action::$var => $id),+ } }
            pub fn label(self) -> &'static str { match self { $(Action::$var => $label),+ } }
            /// The roles that may perform this action (the matrix row).
            pub fn roles(self) -> &'static [Role] {
                match self { $(Action::$var => &[$(Role::$role),*]),+ }
            }
        }
    };
}

const STAFF: &[Role] = &[
    Role::ProvinceAdmin,
    Role::ProvinceStaff,
    Role::QbankOfficer,
    Role::CityAdmin,
    Role::CityStaff,
    Role::SystemAdmin,
    Role::SecurityAdmin,
    Role::AuditAdmin,
];

actions! {
    ViewWorkbench = "workbench.view" => "查看工作台与待办" : [ProvinceAdmin, ProvinceStaff, QbankOfficer, CityAdmin, CityStaff, StationStaff, DevunitStaff, Expert, Assessor, Supervisor, Candidate, SystemAdmin, SecurityAdmin, AuditAdmin],
    ManageOwnAccount = "account.manage_own" => "修改本人密码与双因素认证" : [ProvinceAdmin, ProvinceStaff, QbankOfficer, CityAdmin, CityStaff, StationStaff, DevunitStaff, Expert, Assessor, Supervisor, Candidate, SystemAdmin, SecurityAdmin, AuditAdmin],
    ListUsers = "user.list" => "查看用户" : [ProvinceAdmin, CityAdmin, SystemAdmin, SecurityAdmin, AuditAdmin],
    ManageUsers = "user.manage" => "新增用户，修改用户的基本信息与状态" : [ProvinceAdmin, CityAdmin, SystemAdmin],
    GrantRoles = "user.grant_roles" => "授予、变更用户角色" : [ProvinceAdmin, CityAdmin, SecurityAdmin],
    UnlockUsers = "user.unlock" => "解锁账号、重置密码" : [SystemAdmin, SecurityAdmin],
    ListOrgs = "org.list" => "查看机构" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff, SystemAdmin],
    ManageOrgs = "org.manage" => "新增、修改机构" : [ProvinceAdmin, CityAdmin, SystemAdmin],
    ViewAudit = "audit.view" => "查看审计日志" : [AuditAdmin],
    ViewPolicy = "policy.view" => "查看政策参数" : [ProvinceAdmin, ProvinceStaff, QbankOfficer, CityAdmin, CityStaff, SystemAdmin, SecurityAdmin, AuditAdmin],
    EditProcedurePolicy = "policy.edit_procedure" => "发布业务政策参数新版本" : [ProvinceAdmin],
    EditSecurityPolicy = "policy.edit_security" => "发布安全策略参数新版本" : [SecurityAdmin],
    ViewCalendar = "calendar.view" => "查看工作日历" : [ProvinceAdmin, ProvinceStaff, QbankOfficer, CityAdmin, CityStaff, StationStaff, DevunitStaff, SystemAdmin, SecurityAdmin, AuditAdmin],
    EditCalendar = "calendar.edit" => "录入节假日安排" : [ProvinceAdmin],
    ListExperts = "expert.list" => "查看专家库" : [ProvinceAdmin, ProvinceStaff],
    ManageExperts = "expert.manage" => "管理专家库（新增、导入、修改、回避声明）" : [ProvinceAdmin, ProvinceStaff],
    RunDraws = "draw.run" => "随机抽取专家（承诺、抽取、登记拒绝、揭晓）" : [ProvinceAdmin, ProvinceStaff],
    ViewOwnReviews = "review.view_own" => "查看本人参加的评审" : [Expert],
    ListFilings = "filing.list" => "查看考核站备案申请" : [StationStaff, CityAdmin, CityStaff, ProvinceAdmin, ProvinceStaff],
    ApplyFiling = "filing.apply" => "填报、提交考核站备案申请" : [StationStaff],
    ReceiveFilings = "filing.receive" => "受理备案申请、制定评估方案" : [CityAdmin, CityStaff, ProvinceAdmin, ProvinceStaff],
    DecideFilings = "filing.decide" => "审核评估方案、抽取评议组、作出备案决定" : [ProvinceAdmin, ProvinceStaff],
    RecordFindings = "filing.record_findings" => "填写评估意见（专家评议组成员）" : [Expert],
    ListProjects = "project.list" => "查看考核项目开发申请与考核项目" : [DevunitStaff, CityAdmin, CityStaff, ProvinceAdmin, ProvinceStaff],
    ApplyProject = "project.apply" => "填报、提交考核项目开发申请" : [DevunitStaff],
    ReviewProjectCity = "project.review_city" => "初审考核项目开发申请（报省或退回）" : [CityAdmin, CityStaff],
    DecideProject = "project.decide" => "论证评审、设立、发布、推行或停止考核项目" : [ProvinceAdmin, ProvinceStaff],
    FileProjectOpinion = "project.file_opinion" => "填写考核项目论证评审意见（专家组成员）" : [Expert],
    ManageCatalog = "project.manage_catalog" => "登记直接采用的考核项目、培训教材和考试指南" : [ProvinceAdmin, ProvinceStaff],
    ListQuestionItems = "qbank.list" => "查看题库试题目录与试卷清单（不含试题内容）" : [QbankOfficer, ProvinceAdmin, ProvinceStaff],
    ReadQuestionItems = "qbank.read" => "查看、导出、打印试题内容" : [QbankOfficer],
    WriteQuestionItems = "qbank.write" => "编写、修改、导入试题，提交审核" : [QbankOfficer],
    ReviewQuestionItems = "qbank.review" => "审核试题入库、退回、停用（省级题库管理员）" : [QbankOfficer],
    AssemblePapers = "qbank.assemble" => "编制组卷蓝图、组卷、公开组卷种子（省级题库管理员）" : [QbankOfficer],
    ReadPapers = "qbank.read_papers" => "查看、打印试卷与答案（省级题库管理员）" : [QbankOfficer],
    ListPaperReleases = "paper_release.list" => "查看试卷使用申请与保管记录" : [ProvinceAdmin, ProvinceStaff, QbankOfficer, CityAdmin, CityStaff],
    RequestPapers = "paper_release.request" => "申请使用试卷，登记启封、回收或销毁（组织考核的鉴定中心）" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ListRegistry = "registry.list" => "查看考评人员库" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ManageRegistry = "registry.manage" => "管理考评员、督导员、培训师库" : [ProvinceAdmin, ProvinceStaff],
    ViewOwnRegistry = "registry.view_own" => "查看本人登记信息、申报亲属" : [Assessor, Supervisor],
    DispatchPapers = "paper_release.dispatch" => "批准使用试卷并调配，登记印制、封存、交接（省级题库管理员）" : [QbankOfficer],
    ListSessions = "session.list" => "查看考核计划" : [StationStaff, CityAdmin, CityStaff, ProvinceAdmin, ProvinceStaff],
    PlanSessions = "session.plan" => "制定、报送考核计划，管理考生名单" : [StationStaff],
    DecideSessions = "session.decide" => "审核考核计划" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ServeOnPanels = "exam.panel" => "查看本人所在考评组的考核，录入成绩、签署考评情况报告（考评员）或填写督导报告（督导员）" : [Assessor, Supervisor],
    ApplyExams = "exam.apply" => "查看开放报名的考核、网上报名与撤回（考生本人）" : [Candidate],
    ViewFees = "fee.view" => "查看考核收费台账（市州鉴定中心本市，省鉴定中心全省）" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    RecordFees = "fee.record" => "登记考生缴费、减免、退费和上缴财政（市州鉴定中心）" : [CityAdmin, CityStaff],
    ListCertificates = "certificate.list" => "查看空白证书库存与已核发的证书" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ManageCertificateStock = "certificate.stock" => "登记空白证书入库、作废空白证书（市州鉴定中心）" : [CityAdmin, CityStaff],
    IssueCertificates = "certificate.issue" => "核发证书（组织考核的鉴定中心）" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ReportCertificates = "certificate.report" => "向省鉴定中心上报证书数据、导出上报数据" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    RevokeCertificates = "certificate.revoke" => "注销、补发证书" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ViewSubsidies = "subsidy.view" => "查看取证补贴申领批次（市州鉴定中心本市，省鉴定中心全省）" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ManageSubsidies = "subsidy.manage" => "生成、审核取证补贴申领批次，登记发放（市州鉴定中心）" : [CityAdmin, CityStaff],
    ViewStatistics = "stats.view" => "查看统计分析（省鉴定中心全省，市州鉴定中心本市）" : [ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff],
    ManageCertificateLayouts = "certificate.layouts" => "管理证书套打模板、试打印（省鉴定中心）" : [ProvinceAdmin, ProvinceStaff],
    ViewOwnCertificates = "certificate.view_own" => "查看、下载本人的证书（考生本人）" : [Candidate],
}

/// Whether any of `roles` may perform `action`.
pub fn allows(roles: &[Role], action: Action) -> bool {
    roles.iter().any(|r| action.roles().contains(r))
}

/// Roles a holder of `granter` roles may give to others (level-3 separation, GB/T 22239-2019): the
/// security administrator grants every role, the separated administrators' included; the system
/// administrator keeps accounts and settings and grants none; the audit administrator reviews and
/// grants none. In the business tiers (R2) the province administrator grants every business role and
/// a city administrator only the roles of its own region.
pub fn grantable_roles(granter: &[Role]) -> Vec<Role> {
    let mut out: Vec<Role> = Vec::new();
    for role in Role::ALL {
        let ok = granter.iter().any(|g| match g {
            Role::SecurityAdmin => true,
            Role::ProvinceAdmin => !role.is_separated_admin(),
            Role::CityAdmin => matches!(
                role,
                Role::CityStaff
                    | Role::StationStaff
                    | Role::DevunitStaff
                    | Role::Expert
                    | Role::Assessor
                    | Role::Supervisor
                    | Role::Candidate
            ),
            _ => false,
        });
        if ok {
            out.push(*role);
        }
    }
    out
}

/// The separated administrator roles are exclusive: one person holds at most one of them.
pub fn separated_roles_conflict(roles: &[Role]) -> bool {
    roles.iter().filter(|r| r.is_separated_admin()).count() > 1
}

/// Whether a role is a staff role of a center (sees the policy and calendar pages).
pub fn is_center_staff(role: Role) -> bool {
    STAFF.contains(&role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_audit_admin_reads_the_audit_trail() {
        for r in Role::ALL {
            assert_eq!(allows(&[*r], Action::ViewAudit), *r == Role::AuditAdmin, "{r}");
        }
    }

    #[test]
    fn v1_only_the_province_admin_publishes_procedure_policy() {
        for r in Role::ALL {
            assert_eq!(allows(&[*r], Action::EditProcedurePolicy), *r == Role::ProvinceAdmin, "{r}");
        }
    }

    #[test]
    fn personal_roles_manage_nothing_but_themselves() {
        for r in [Role::Expert, Role::Assessor, Role::Supervisor, Role::Candidate] {
            let allowed: Vec<_> = Action::ALL.iter().filter(|a| allows(&[r], **a)).collect();
            let mut own = vec![&Action::ViewWorkbench, &Action::ManageOwnAccount];
            if r == Role::Expert {
                own.extend([&Action::ViewOwnReviews, &Action::RecordFindings, &Action::FileProjectOpinion]);
            }
            // E8, E9: an assessor or supervisor sees their own registry record and declares relatives.
            if matches!(r, Role::Assessor | Role::Supervisor) {
                own.push(&Action::ViewOwnRegistry);
                own.push(&Action::ServeOnPanels);
            }
            if r == Role::Candidate {
                own.push(&Action::ApplyExams);
                own.push(&Action::ViewOwnCertificates);
            }
            assert_eq!(allowed, own, "{r}");
        }
    }

    #[test]
    fn city_admin_cannot_grant_province_or_separated_roles() {
        let g = grantable_roles(&[Role::CityAdmin]);
        assert!(!g.contains(&Role::ProvinceAdmin));
        assert!(!g.contains(&Role::CityAdmin));
        assert!(!g.contains(&Role::AuditAdmin));
        assert!(g.contains(&Role::StationStaff));
        let p = grantable_roles(&[Role::ProvinceAdmin]);
        assert!(!p.contains(&Role::SystemAdmin) && p.contains(&Role::CityAdmin));
        assert!(grantable_roles(&[Role::AuditAdmin]).is_empty());
    }

    /// Issue 8 item 9 (三员分立, GB/T 22239-2019 level 3): the system administrator keeps accounts
    /// and system settings, the security administrator grants roles and sets security policy, the
    /// audit administrator reviews; none of them does another's part.
    #[test]
    fn the_three_administrators_each_do_their_own_part_only() {
        let sys = [Role::SystemAdmin];
        let sec = [Role::SecurityAdmin];
        let aud = [Role::AuditAdmin];
        // System administrator: accounts and organisations, no roles, no security policy, no audit.
        assert!(allows(&sys, Action::ManageUsers) && allows(&sys, Action::ManageOrgs));
        assert!(!allows(&sys, Action::GrantRoles) && grantable_roles(&sys).is_empty());
        assert!(!allows(&sys, Action::EditSecurityPolicy) && !allows(&sys, Action::ViewAudit));
        // Security administrator: roles (every role) and security policy; no accounts, no audit.
        assert!(allows(&sec, Action::GrantRoles) && allows(&sec, Action::EditSecurityPolicy));
        assert_eq!(grantable_roles(&sec), Role::ALL.to_vec());
        assert!(!allows(&sec, Action::ManageUsers) && !allows(&sec, Action::ManageOrgs));
        assert!(!allows(&sec, Action::ViewAudit));
        // Audit administrator: reads the trail and the accounts it reviews; changes nothing.
        assert!(allows(&aud, Action::ViewAudit) && allows(&aud, Action::ListUsers));
        for a in [
            Action::ManageUsers,
            Action::GrantRoles,
            Action::UnlockUsers,
            Action::ManageOrgs,
            Action::EditSecurityPolicy,
            Action::EditProcedurePolicy,
            Action::EditCalendar,
        ] {
            assert!(!allows(&aud, a), "{a:?}");
        }
        // Of the three, only the security administrator grants roles.
        for r in Role::ALL {
            assert_eq!(allows(&[*r], Action::GrantRoles) && r.is_separated_admin(), *r == Role::SecurityAdmin, "{r}");
        }
    }

    /// P1–P8, F2: who acts on assessment projects — the development unit applies, the city center
    /// reviews first, the province decides and keeps the catalog, the review group's experts file
    /// opinions; nobody else sees a project's procedure (the public catalog needs no role).
    #[test]
    fn p3_p4_project_actions_belong_to_their_offices() {
        use Role::*;
        let table: &[(Action, &[Role])] = &[
            (Action::ListProjects, &[ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff, DevunitStaff]),
            (Action::ApplyProject, &[DevunitStaff]),
            (Action::ReviewProjectCity, &[CityAdmin, CityStaff]),
            (Action::DecideProject, &[ProvinceAdmin, ProvinceStaff]),
            (Action::FileProjectOpinion, &[Expert]),
            (Action::ManageCatalog, &[ProvinceAdmin, ProvinceStaff]),
        ];
        for (action, roles) in table {
            for r in Role::ALL {
                assert_eq!(allows(&[*r], *action), roles.contains(r), "{action:?} {r}");
            }
        }
    }

    /// P2, P6, E2: item content and papers are read by the question bank officer alone; the province's
    /// staff see the bank's metadata (what exists, by task, kind and status) and nothing of its content.
    #[test]
    fn p6_e2_nobody_but_the_qbank_officer_reads_an_item_or_a_paper() {
        use Role::*;
        for action in [
            Action::ReadQuestionItems,
            Action::WriteQuestionItems,
            Action::ReviewQuestionItems,
            Action::AssemblePapers,
            Action::ReadPapers,
        ] {
            for r in Role::ALL {
                assert_eq!(allows(&[*r], action), *r == QbankOfficer, "{action:?} {r}");
            }
        }
        for r in Role::ALL {
            let want = matches!(r, QbankOfficer | ProvinceAdmin | ProvinceStaff);
            assert_eq!(allows(&[*r], Action::ListQuestionItems), want, "{r}");
        }
    }

    /// E8–E10: the province keeps the registries; city centers see them (their own city, by the store's
    /// scope); assessors and supervisors see only themselves.
    #[test]
    fn e8_registry_actions_belong_to_their_offices() {
        use Role::*;
        let table: &[(Action, &[Role])] = &[
            (Action::ListRegistry, &[ProvinceAdmin, ProvinceStaff, CityAdmin, CityStaff]),
            (Action::ManageRegistry, &[ProvinceAdmin, ProvinceStaff]),
            (Action::ViewOwnRegistry, &[Assessor, Supervisor]),
        ];
        for (action, roles) in table {
            for r in Role::ALL {
                assert_eq!(allows(&[*r], *action), roles.contains(r), "{action:?} {r}");
            }
        }
    }

    #[test]
    fn separated_admin_roles_are_exclusive() {
        assert!(separated_roles_conflict(&[Role::SystemAdmin, Role::AuditAdmin]));
        assert!(!separated_roles_conflict(&[Role::SystemAdmin, Role::ProvinceStaff]));
    }
}
