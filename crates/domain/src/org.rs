//! Organisations, roles and data scope (R1, R2, P5; the tiered management of 职责分工).
//!
//! Every organisation sits in the hierarchy province → city (one of 14) → station / development unit /
//! other institution. A user holds one or more roles and exactly one data scope.

use serde::{Deserialize, Serialize};

pub use crate::enums::UnknownValue;
use crate::enums::string_enum;

string_enum! {
    /// The roles of kaohe. The three `*_admin` roles of the security rules (system, security, audit) are
    /// separated: nobody holds two of them, and the audit admin only reads the audit trail.
    Role {
        ProvinceAdmin = "province_admin" => "省鉴定中心管理员",
        ProvinceStaff = "province_staff" => "省鉴定中心工作人员",
        QbankOfficer = "qbank_officer" => "题库管理员",
        CityAdmin = "city_admin" => "市州鉴定中心管理员",
        CityStaff = "city_staff" => "市州鉴定中心工作人员",
        StationStaff = "station_staff" => "考核站工作人员",
        DevunitStaff = "devunit_staff" => "开发单位工作人员",
        Expert = "expert" => "专家",
        Assessor = "assessor" => "考评员",
        Supervisor = "supervisor" => "质量督导员",
        Candidate = "candidate" => "考生",
        SystemAdmin = "system_admin" => "系统管理员",
        SecurityAdmin = "security_admin" => "安全管理员",
        AuditAdmin = "audit_admin" => "审计管理员",
    }
}

impl Role {
    /// Level-3 systems need two factors for administrators: every `*_admin` role requires TOTP.
    pub fn requires_second_factor(self) -> bool {
        self.id().ends_with("_admin")
    }

    /// The three separated administrator roles of the security rules.
    pub fn is_separated_admin(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
    }

    /// The kinds of organisation a holder of this role may belong to.
    pub fn allowed_org_kinds(self) -> &'static [OrgKind] {
        use OrgKind::*;
        match self {
            Role::ProvinceAdmin | Role::ProvinceStaff | Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => {
                &[ProvinceCenter]
            }
            // P6: a city center that accepted a project develops its question bank and submits it to
            // the province, whose officer reviews and manages the provincial bank.
            Role::QbankOfficer => &[ProvinceCenter, CityCenter],
            Role::CityAdmin | Role::CityStaff => &[CityCenter],
            Role::StationStaff => &[Station],
            Role::DevunitStaff => &[DevUnit],
            Role::Expert | Role::Assessor | Role::Supervisor | Role::Candidate => {
                &[ProvinceCenter, CityCenter, Station, DevUnit, Other]
            }
        }
    }

    /// Personal roles see only their own records.
    pub fn is_personal(self) -> bool {
        matches!(self, Role::Expert | Role::Assessor | Role::Supervisor | Role::Candidate)
    }
}

string_enum! {
    /// Kinds of organisation.
    OrgKind {
        ProvinceCenter = "province_center" => "省鉴定中心",
        CityCenter = "city_center" => "市州鉴定中心",
        Station = "station" => "考核站",
        DevUnit = "devunit" => "开发单位",
        Other = "other" => "其他机构",
    }
}

string_enum! {
    /// 性质 of an organisation (annex-1 form field).
    Nature {
        Enterprise = "enterprise" => "企业",
        PublicInstitution = "public_institution" => "事业单位",
        SocialOrganisation = "social_org" => "社会团体",
        PrivateNonEnterprise = "private_non_enterprise" => "民办非企业单位",
        TechnicalSchool = "technical_school" => "技工院校",
        VocationalSchool = "vocational_school" => "职业院校",
        Government = "government" => "机关",
        Other = "other" => "其他",
    }
}

string_enum! {
    /// Whether an organisation is in service (R1). Seeded and registered organisations start active.
    OrgStatus {
        Active = "active" => "正常",
    }
}

string_enum! {
    /// Whether an account may sign in (R2): an administrator disables an account, never deletes it.
    UserStatus {
        Active = "active" => "启用",
        Disabled = "disabled" => "停用",
    }
}

string_enum! {
    /// The kind of a [`DataScope`], stored on the user (`users.scope_kind`, the city beside it).
    ScopeKind {
        Province = "province" => "全省",
        City = "city" => "本市州",
        Org = "org" => "本单位",
        Person = "person" => "本人",
    }
}

string_enum! {
    /// A browser session (cookie, CSRF token, idle timeout) or an API token (bearer, absolute lifetime
    /// only); both live in `sessions`.
    SessionKind {
        Web = "web" => "网页会话",
        Api = "api" => "API 令牌",
    }
}

/// What a user may see: the province sees all, a city its region, an organisation its own records, a
/// person only what concerns them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DataScope {
    Province,
    /// A city's GB/T 2260 code, e.g. "430100".
    City(String),
    Org(i64),
    Person(i64),
}

/// Where a record lives in the hierarchy, for scope checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The city region code, `None` for province-level records.
    pub city: Option<String>,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
}

impl DataScope {
    pub fn covers(&self, loc: &Location) -> bool {
        match self {
            DataScope::Province => true,
            DataScope::City(c) => loc.city.as_deref() == Some(c.as_str()),
            DataScope::Org(o) => loc.org_id == Some(*o),
            DataScope::Person(p) => loc.person_id == Some(*p),
        }
    }

    pub fn kind(&self) -> ScopeKind {
        match self {
            DataScope::Province => ScopeKind::Province,
            DataScope::City(_) => ScopeKind::City,
            DataScope::Org(_) => ScopeKind::Org,
            DataScope::Person(_) => ScopeKind::Person,
        }
    }

    /// The city of a city scope (`users.scope_city`), `None` for the others.
    pub fn city(&self) -> Option<&str> {
        match self {
            DataScope::City(c) => Some(c),
            _ => None,
        }
    }

    /// The scope a user gets from their organisation and roles: personal roles alone give a personal
    /// scope; otherwise the organisation's level decides.
    pub fn derive(roles: &[Role], org_kind: OrgKind, org_id: i64, org_city: Option<&str>, user_id: i64) -> Self {
        if !roles.is_empty() && roles.iter().all(|r| r.is_personal()) {
            return DataScope::Person(user_id);
        }
        match org_kind {
            OrgKind::ProvinceCenter => DataScope::Province,
            OrgKind::CityCenter => match org_city {
                Some(c) => DataScope::City(c.to_string()),
                None => DataScope::Org(org_id),
            },
            _ => DataScope::Org(org_id),
        }
    }

    pub fn label(&self) -> String {
        match self {
            DataScope::Province => "全省".to_string(),
            DataScope::City(c) => format!("本市州（{c}）"),
            DataScope::Org(_) => "本单位".to_string(),
            DataScope::Person(_) => "本人".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_role_needs_a_second_factor_and_no_other_does() {
        for r in Role::ALL {
            assert_eq!(r.requires_second_factor(), r.id().ends_with("_admin"), "{r}");
        }
        assert!(Role::AuditAdmin.requires_second_factor());
        assert!(!Role::ProvinceStaff.requires_second_factor());
    }

    #[test]
    fn role_ids_round_trip() {
        assert_eq!(Role::ALL.len(), 14);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.id()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn city_scope_covers_only_its_region() {
        let s = DataScope::City("430100".into());
        assert!(s.covers(&Location { city: Some("430100".into()), ..Default::default() }));
        assert!(!s.covers(&Location { city: Some("430200".into()), ..Default::default() }));
        assert!(!s.covers(&Location::default()));
        assert!(DataScope::Province.covers(&Location::default()));
        assert!(!DataScope::Org(3).covers(&Location { org_id: Some(4), ..Default::default() }));
        assert!(!DataScope::Person(3).covers(&Location { org_id: Some(3), ..Default::default() }));
    }

    #[test]
    fn scope_derives_from_org_level_and_personal_roles() {
        assert_eq!(
            DataScope::derive(&[Role::CityStaff], OrgKind::CityCenter, 2, Some("430100"), 9),
            DataScope::City("430100".into())
        );
        assert_eq!(DataScope::derive(&[Role::Expert], OrgKind::Station, 5, Some("430100"), 9), DataScope::Person(9));
        assert_eq!(
            DataScope::derive(&[Role::StationStaff, Role::Assessor], OrgKind::Station, 5, None, 9),
            DataScope::Org(5)
        );
        assert_eq!(DataScope::derive(&[Role::AuditAdmin], OrgKind::ProvinceCenter, 1, None, 9), DataScope::Province);
    }
}

/// Who is asking: resolved from a session or an API token before any handler runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub roles: Vec<Role>,
    pub scope: DataScope,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    pub fn can(&self, action: crate::authz::Action) -> bool {
        crate::authz::allows(&self.roles, action)
    }
    /// The system itself (CLI, demo data, scheduled work): every role, the whole province.
    pub fn system() -> Self {
        Principal {
            user_id: 0,
            username: "system".into(),
            display_name: "系统".into(),
            org_id: 0,
            org_name: String::new(),
            roles: Role::ALL.to_vec(),
            scope: DataScope::Province,
        }
    }
}
