//! The areas of kaohe's web layer. Each area is one module (a directory for the larger ones) whose
//! `area()` says in one place what the area adds to the site: its routes (pages, and API operations with
//! their OpenAPI entries), its menu entries and its notices (the fixed texts its redirects leave for the
//! next page, `view::done`). The
//! router, the OpenAPI document, the menu and the notices are these lists merged; adding an area is its
//! own files plus one line in [`all`].

pub mod account;
pub mod admin;
pub mod archives;
pub mod catalog;
pub mod certificates;
pub mod draws;
pub mod experts;
pub mod fees;
pub mod filings;
pub mod grading;
pub mod org;
pub mod portal;
pub mod projects;
pub mod public;
pub mod qbank;
pub mod regions;
pub mod registry;
pub mod releases;
pub mod sessions;
pub mod stats;
pub mod subsidies;
pub mod tickets;
pub mod verify;

use crate::routes::Routes;
use domain::authz::Action;
use domain::org::Principal;
use domain::workflow::SubjectKind;

/// What an area adds to the site.
pub struct Area {
    /// The area's name, for messages: `filings`.
    pub name: &'static str,
    /// Registers the area's pages and API operations.
    pub routes: fn(Routes) -> Routes,
    /// The area's entries in the staff menu.
    pub menu: &'static [MenuEntry],
    /// The one-line confirmations the area's redirects leave for the next page (`view::done(to, code)`).
    pub notices: &'static [Notice],
    /// The pages of the area's records: where a to-do (or any reference) about a subject leads. The
    /// store knows subjects by kind and id only; the area that shows them knows their page.
    pub links: &'static [SubjectLink],
}

/// The page of a record of `SubjectKind`, from its subject id.
pub type SubjectLink = (SubjectKind, fn(&str) -> String);

/// An entry of the staff menu, shown to whoever may take `action` (to everyone signed in when `None`).
pub struct MenuEntry {
    /// Where the entry stands: the menu is sorted by this key, whatever the area.
    pub order: u16,
    pub label: &'static str,
    pub href: &'static str,
    pub action: Option<Action>,
}

/// A notice's code and the Chinese line the next page shows once (a session's one-time message).
pub type Notice = (&'static str, &'static str);

/// Every area, one line each. The order is the order of `route_specs`; the menu has its own keys.
pub fn all() -> Vec<Area> {
    vec![
        public::area(),
        catalog::area(),
        account::area(),
        org::area(),
        admin::area(),
        experts::area(),
        draws::area(),
        filings::area(),
        projects::area(),
        qbank::area(),
        releases::area(),
        sessions::area(),
        archives::area(),
        certificates::area(),
        verify::area(),
        fees::area(),
        subsidies::area(),
        registry::area(),
        portal::area(),
        grading::area(),
        regions::area(),
        tickets::area(),
        stats::area(),
    ]
}

/// Notices several areas use for their records' forms.
const SHARED_NOTICES: &[Notice] = &[("created", "已保存。"), ("updated", "修改已保存。")];

/// The menu entries the principal may open, in menu order.
pub fn menu_for(p: &Principal) -> Vec<&'static MenuEntry> {
    let mut entries: Vec<&'static MenuEntry> =
        all().iter().flat_map(|a| a.menu.iter()).filter(|e| e.action.is_none_or(|a| p.can(a))).collect();
    entries.sort_by_key(|e| e.order);
    entries
}

/// The page of a subject, from whichever area registered its kind.
pub fn link_for(kind: SubjectKind, id: &str) -> Option<String> {
    all().iter().flat_map(|a| a.links.iter()).find(|(k, _)| *k == kind).map(|(_, link)| link(id))
}

/// The text of a notice code, from whichever area registered it.
pub fn notice_text(code: &str) -> Option<&'static str> {
    let areas = all();
    let mut notices = SHARED_NOTICES.iter().chain(areas.iter().flat_map(|a| a.notices.iter()));
    notices.find(|(c, _)| *c == code).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn notice_codes_and_menu_places_belong_to_one_area_each() {
        let mut codes: HashMap<&str, &str> = SHARED_NOTICES.iter().map(|(c, _)| (*c, "shared")).collect();
        let mut orders: HashMap<u16, &str> = HashMap::new();
        let mut hrefs: HashMap<&str, &str> = HashMap::new();
        for area in all() {
            for (code, _) in area.notices {
                if let Some(other) = codes.insert(code, area.name) {
                    panic!("notice {code} is registered by {other} and {}", area.name);
                }
            }
            for e in area.menu {
                if let Some(other) = orders.insert(e.order, area.name) {
                    panic!("menu place {} is taken by {other} and {}", e.order, area.name);
                }
                if let Some(other) = hrefs.insert(e.href, area.name) {
                    panic!("menu entry {} is registered by {other} and {}", e.href, area.name);
                }
            }
        }
    }

    /// Every notice a redirect names in the areas' sources (`done(to, "code")`) is registered; the
    /// codes made at run time (`filing_<kind>`, a draw's step) are checked by `view::done` in tests.
    #[test]
    fn every_notice_a_redirect_names_is_registered() {
        fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("read the areas' sources").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push((path.display().to_string(), std::fs::read_to_string(&path).expect("read")));
                }
            }
        }
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/areas"), &mut files);
        let mut named = 0;
        for (path, text) in files {
            for line in text.lines().filter(|l| l.contains("done(") && !l.trim_start().starts_with("//")) {
                let Some(call) = line.split("done(").nth(1) else { continue };
                let Some(code) = call.rsplit_once(", \"").map(|(_, c)| c) else { continue };
                let Some(code) = code.split('"').next() else { continue };
                named += 1;
                assert!(notice_text(code).is_some(), "{path}: notice {code} is registered by no area");
            }
        }
        assert!(named >= 15, "the redirects' notices are found ({named})");
    }

    #[test]
    fn every_subject_kind_has_one_page() {
        for kind in SubjectKind::ALL {
            let areas: Vec<&str> =
                all().iter().filter(|a| a.links.iter().any(|(k, _)| k == kind)).map(|a| a.name).collect();
            assert_eq!(areas.len(), 1, "{kind} has a page in exactly one area: {areas:?}");
        }
        assert_eq!(link_for(SubjectKind::Filing, "7").as_deref(), Some("/filings/7"));
        assert_eq!(link_for(SubjectKind::FilingFindings, "7:12").as_deref(), Some("/filings/7/findings"));
        assert_eq!(link_for(SubjectKind::Project, "7").as_deref(), Some("/projects/7"));
        assert_eq!(link_for(SubjectKind::ProjectReview, "7:12").as_deref(), Some("/projects/7/opinion"));
        assert_eq!(link_for(SubjectKind::Calendar, "2027").as_deref(), Some("/admin/calendar"));
        assert_eq!(link_for(SubjectKind::PaperRelease, "3").as_deref(), Some("/releases/3"));
        assert_eq!(link_for(SubjectKind::ExamSession, "5").as_deref(), Some("/sessions/5"));
    }

    #[test]
    fn the_menu_keeps_its_order_across_areas() {
        let labels: Vec<&str> = menu_for(&domain::org::Principal::system()).iter().map(|e| e.label).collect();
        assert_eq!(
            labels,
            [
                "工作台",
                "我的考试",
                "我的证书",
                "备案申请",
                "考核项目",
                "题库",
                "试卷使用",
                "考核计划",
                "待销毁材料",
                "用户管理",
                "考核收费",
                "统计分析",
                "机构管理",
                "政策参数",
                "工作日历",
                "专家库",
                "考评人员库",
                "考评人员培训",
                "证书套打模板",
                "证书管理",
                "空白证书",
                "证书上报",
                "取证补贴",
                "专家抽取",
                "我的评审",
                "我的考评工作",
                "本人登记信息",
                "审计日志",
                "修改密码",
                "双因素认证"
            ]
        );
    }
}
