//! Demo: the panel (考评组, E4) of the approved demo session, appointed by `city_staff` (the organizer)
//! through the store's own step: 张伟 (the `assessor` account) heads it with the next legal assessors
//! the appointment page offers, and 黄督 (the `supervisor` account) supervises. The draft and submitted
//! sessions keep no panel, so the appointment page can be tried once one is approved.

use domain::exams::PanelInput;
use domain::org::Principal;
use store::{Ctx, Store};

pub(super) async fn demo_panel(store: &Store, city: &Principal, session: i64, ctx: &Ctx) -> anyhow::Result<()> {
    let err = |e: store::StoreError| anyhow::anyhow!("演示考评组：{e}");
    let choices = store.panel_choices(city, session).await.map_err(err)?;
    let legal: Vec<&store::sessions::PanelChoice> =
        choices.assessors.iter().filter(|c| c.refusals.is_empty()).collect();
    let head = legal
        .iter()
        .find(|c| c.name == "张伟")
        .or(legal.first())
        .map(|c| c.person_id)
        .ok_or_else(|| anyhow::anyhow!("演示考评组：没有可选派的考评员"))?;
    let need = usize::try_from(choices.need).unwrap_or(3);
    let assessors: Vec<i64> = legal.iter().map(|c| c.person_id).filter(|id| *id != head).take(need - 1).collect();
    let supervisor =
        choices.supervisors.iter().find(|c| c.name == "黄督" && c.refusals.is_empty()).map(|c| c.person_id);
    let input = PanelInput { head: Some(head), assessors, supervisor };
    store.appoint_panel(city, session, &input, ctx).await.map_err(err)
}
