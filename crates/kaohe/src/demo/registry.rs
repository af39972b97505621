//! Demo: the registries (E8–E10) — twelve assessors qualified for the catalog's projects in four cities
//! (张伟 and 周磊 work at the 湘味 station, 陈静 at the 铜官 station, so panels there will recuse them),
//! three supervisors and two trainers; the demo accounts `assessor` (张伟) and `supervisor` (黄督) are
//! linked to their records; an assessor course running for two weeks with two trainees.

use domain::org::Principal;
use store::registry::PersonInput;
use store::{Ctx, PageReq, Store, StoreError};

/// The registry's demo people: (kind, name, 17-digit ID body, city, employer, employer org index in
/// `load`'s `org_ids` or `None`, which catalog projects by position).
type DemoPerson =
    (&'static str, &'static str, &'static str, &'static str, &'static str, Option<usize>, &'static [usize]);

const PEOPLE: &[DemoPerson] = &[
    ("assessor", "张伟", "43010219800101101", "430100", "长沙市湘味职业技能培训学校", Some(2), &[0, 1]),
    ("assessor", "周磊", "43010219810202102", "430100", "长沙市湘味职业技能培训学校", Some(2), &[0]),
    ("assessor", "陈静", "43011219820303103", "430100", "长沙市望城区铜官陶艺职业技能培训学校", Some(5), &[4]),
    ("assessor", "李红", "43010419830404104", "430100", "湖南商务职业技术学院", None, &[0, 1, 2]),
    ("assessor", "王磊", "43010519840505105", "430100", "长沙市第一中等职业学校", None, &[1, 3]),
    ("assessor", "赵娟", "43020219850606106", "430200", "株洲市职业技术学院", None, &[0, 2]),
    ("assessor", "孙浩", "43020319860707107", "430200", "株洲市烹饪协会", None, &[1]),
    ("assessor", "吴敏", "43030219870808108", "430300", "湘潭大学", None, &[2, 3]),
    ("assessor", "郑涛", "43030419880909109", "430300", "湘潭市技工学校", None, &[0, 4]),
    ("assessor", "冯丽", "43312219891010110", "433100", "湘西州民族工艺美术职业学校", Some(4), &[3, 4]),
    ("assessor", "彭刚", "43310119901111111", "433100", "吉首市职业中专", None, &[3]),
    ("assessor", "田芳", "43312319911212112", "433100", "凤凰县文化馆", None, &[2, 3, 4]),
    ("supervisor", "黄督", "43010219750101113", "430100", "长沙市职业技能鉴定中心", Some(1), &[]),
    ("supervisor", "梁平", "43020219760202114", "430200", "株洲市人力资源和社会保障局", None, &[]),
    ("supervisor", "龙英", "43310119770303115", "433100", "湘西州人力资源和社会保障局", None, &[]),
    ("trainer", "曾教授", "43010219680404116", "430100", "湖南商务职业技术学院", None, &[]),
    ("trainer", "谢老师", "43030219700505117", "430300", "湘潭大学", None, &[]),
];

pub(super) async fn demo_registry(store: &Store, org_ids: &[i64], ctx: &Ctx) -> anyhow::Result<()> {
    let system = Principal::system();
    let catalog = store.catalog_projects(&Default::default(), PageReq { page: 1, per_page: 100 }).await?;
    let mut codes: Vec<String> = catalog.items.into_iter().filter_map(|p| p.code).collect();
    codes.sort();
    let mut created = 0;
    for (kind, name, body, city, employer, org, projects) in PEOPLE {
        let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow::anyhow!("演示身份证号 {body}"))?;
        let input = PersonInput {
            kind: (*kind).into(),
            name: (*name).into(),
            id_number: format!("{body}{check}"),
            phone: format!("139{}", &body[body.len() - 8..]),
            city_code: (*city).into(),
            employer_name: (*employer).into(),
            employer_org_id: org.and_then(|i| org_ids.get(i).copied()),
            projects: projects.iter().filter_map(|i| codes.get(*i).cloned()).collect::<Vec<_>>().join("、"),
            ..Default::default()
        };
        let id = match store.create_registered(&system, &input, ctx).await {
            Ok(id) => id,
            Err(StoreError::Invalid(e)) if e.get("id_number").is_some_and(|e| e.code == "PERSON_EXISTS") => continue,
            Err(e) => return Err(anyhow::anyhow!("演示考评人员 {name}：{e}")),
        };
        created += 1;
        let account = match *name {
            "张伟" => Some("assessor"),
            "黄督" => Some("supervisor"),
            _ => None,
        };
        if let Some(username) = account {
            store
                .link_registered_account(&system, id, username, ctx)
                .await
                .map_err(|e| anyhow::anyhow!("关联演示账号 {username}：{e}"))?;
        }
    }
    if created > 0 {
        demo_course(store, &codes, ctx).await?;
        println!(
            "演示：考评人员库 12 名考评员、3 名督导员、2 名培训师；assessor（张伟）和 supervisor（黄督）可查看本人登记信息。"
        );
    }
    Ok(())
}

/// An assessor course of the province running for two weeks from today, with two trainees enrolled
/// (results are recorded once it ends).
async fn demo_course(store: &Store, codes: &[String], ctx: &Ctx) -> anyhow::Result<()> {
    let system = Principal::system();
    let input = domain::training::CourseInput {
        kind: "assessor".into(),
        title: format!("{} 年第一期考评员培训班", store::today().year()),
        start_date: store::today().to_string(),
        end_date: (store::today() + time::Duration::days(14)).to_string(),
        location: "长沙市岳麓区麓谷大道 100 号".into(),
        projects: codes.first().cloned().unwrap_or_default(),
    };
    let course = store.create_course(&system, &input, ctx).await.map_err(|e| anyhow::anyhow!("演示培训班：{e}"))?;
    for (name, body, city) in [("易学军", "43010219920101118", "430100"), ("罗小兰", "43020219930202119", "430200")]
    {
        let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow::anyhow!("演示身份证号 {body}"))?;
        let trainee = PersonInput {
            name: name.into(),
            id_number: format!("{body}{check}"),
            phone: format!("137{}", &body[body.len() - 8..]),
            city_code: city.into(),
            employer_name: "湖南商务职业技术学院".into(),
            ..Default::default()
        };
        store.enrol(&system, course, &trainee, ctx).await.map_err(|e| anyhow::anyhow!("演示学员 {name}：{e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::org::{Principal, Role};
    use domain::registry::PersonKind::*;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use store::entity::user;

    #[tokio::test]
    async fn e8_e9_the_demo_registry_has_its_people_and_the_demo_accounts_see_their_own_records() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let all = store::PageReq::new(None, Some(50));
        let people = store.list_registry(&Principal::system(), &Default::default(), all).await.expect("registry");
        let count = |k| people.items.iter().filter(|p| p.kind == k).count();
        assert_eq!((count(Assessor), count(Supervisor), count(Trainer)), (12, 3, 2));
        assert!(people.items.iter().filter(|p| p.kind == Assessor).all(|p| !p.projects.is_empty()));
        let at_stations = people.items.iter().filter(|p| p.employer_name.ends_with("培训学校")).count();
        assert_eq!(at_stations, 3, "three assessors work at demo stations (recusal)");
        for (username, role, name) in [("assessor", Role::Assessor, "张伟"), ("supervisor", Role::Supervisor, "黄督")]
        {
            let u = user::Entity::find()
                .filter(user::Column::Username.eq(username))
                .one(&store.db)
                .await
                .expect("read")
                .expect("account");
            let p = Principal { user_id: u.id, roles: vec![role], ..Principal::system() };
            assert_eq!(store.own_registry_record(&p).await.expect("own record").person.name, name);
        }
        super::super::load(&store).await.expect("demo loads twice");
        let again = store.list_registry(&Principal::system(), &Default::default(), all).await.expect("registry");
        assert_eq!(again.total, 17);
        let courses = store.list_courses(&Principal::system(), None, all).await.expect("courses");
        assert_eq!(courses.total, 1, "one demo course, loaded once");
        let course = store.get_course(&Principal::system(), courses.items[0].id).await.expect("course");
        assert_eq!(course.enrolments.len(), 2);
    }
}
