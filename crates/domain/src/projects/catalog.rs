//! F2: the public catalog of projects ("对专项职业能力考核项目实施目录管理，由省鉴定中心向社会动态公布").
//! Only published projects are public: in pilot, in force, or stopped (a stopped project keeps its page
//! and its history, marked as stopped, so a certificate issued under it can still be traced). Everything
//! before publication — drafts, reviews, established but unpublished projects, pending adoptions,
//! rejections — stays inside kaohe.

use super::machine::ProjectState;
use crate::enums::string_enum;

string_enum! {
    /// How a public project reads in the catalog.
    CatalogStatus {
        Pilot = "pilot" => "试点中",
        InForce = "in_force" => "全省推行",
        Stopped = "stopped" => "已停止",
    }
}

impl CatalogStatus {
    /// The catalog status of a project in `state`; `None` when the project is not public.
    pub fn of(state: ProjectState) -> Option<CatalogStatus> {
        match state {
            ProjectState::Pilot => Some(CatalogStatus::Pilot),
            ProjectState::InForce => Some(CatalogStatus::InForce),
            ProjectState::Stopped => Some(CatalogStatus::Stopped),
            _ => None,
        }
    }

    /// Current projects (the catalog's default list): in pilot or in force.
    pub fn is_current(self) -> bool {
        matches!(self, CatalogStatus::Pilot | CatalogStatus::InForce)
    }
}

impl ProjectState {
    /// F2: listed in the public catalog (with a page of its own).
    pub fn is_public(self) -> bool {
        CatalogStatus::of(self).is_some()
    }

    /// F2: how the catalog shows it, when public.
    pub fn catalog_status(self) -> Option<CatalogStatus> {
        CatalogStatus::of(self)
    }
}

/// The states shown in the public catalog, in [`ProjectState::ALL`] order (for the store's query).
pub fn public_states() -> Vec<ProjectState> {
    ProjectState::ALL.iter().copied().filter(|s| s.is_public()).collect()
}
