//! S2: who applies and where the application goes. "按属地原则，向所在市州鉴定中心提交……省直部门、行业和
//! 中央在湘、省属企业可直接向省鉴定中心递交申请": employers, schools and other units submit to the city
//! center of their region ([`Receiver::City`]); provincial departments, provincial trade bodies, central
//! enterprises in Hunan and provincial enterprises submit directly to the province center
//! ([`Receiver::Province`]).

use crate::enums::string_enum;
use crate::ids::RegionCode;

string_enum! {
    /// The kind of applicant, which decides where the application goes (S2, [`route`]).
    ApplicantCategory {
        Employer = "employer" => "用人单位（企业）",
        TechnicalSchool = "technical_school" => "技工院校",
        VocationalSchool = "vocational_school" => "职业院校",
        OtherUnit = "other_unit" => "其他单位",
        ProvincialDepartment = "provincial_department" => "省直部门",
        ProvincialTradeBody = "provincial_trade_body" => "省级行业组织",
        CentralEnterprise = "central_enterprise" => "中央在湘企业",
        ProvincialEnterprise = "provincial_enterprise" => "省属企业",
    }
}

string_enum! {
    /// The center that receives the application, accepts it and draws up the evaluation plan (S2, S3).
    Receiver {
        City = "city" => "市州鉴定中心",
        Province = "province" => "省鉴定中心",
    }
}

/// S2: the receiving center of an applicant category (see the module doc for the clause's words).
pub fn route(category: ApplicantCategory) -> Receiver {
    match category {
        ApplicantCategory::Employer
        | ApplicantCategory::TechnicalSchool
        | ApplicantCategory::VocationalSchool
        | ApplicantCategory::OtherUnit => Receiver::City,
        ApplicantCategory::ProvincialDepartment
        | ApplicantCategory::ProvincialTradeBody
        | ApplicantCategory::CentralEnterprise
        | ApplicantCategory::ProvincialEnterprise => Receiver::Province,
    }
}

impl Receiver {
    /// The region code of the receiving center for an applicant located in `applicant_region`: the city
    /// of that region, or the province (430000). `None` when a city-routed applicant's region is not in a
    /// Hunan city (never for a parsed [`FilingApplication`](super::FilingApplication)).
    pub fn center_region(self, applicant_region: &RegionCode) -> Option<RegionCode> {
        match self {
            Receiver::City => applicant_region.city(),
            Receiver::Province => Some(RegionCode::hunan_province()),
        }
    }
}
