//! C1: overlay printing (套打) templates. The province keeps one or more layouts — where each field is
//! printed on its pre-printed blank, in millimetres (`domain::certificates::layout`) — and marks one the
//! default, which every overlay print uses.
//!
//! - `certificate_layouts`: a name, the blank's size in tenths of a millimetre, the placements as the
//!   JSON of the `LayoutInput` they were typed as (checked whole by `Layout::parse` before saving and
//!   again when read), whether it is the default, who saved it and when.
//!
//! One layout is seeded: positions for a 210 × 148 mm blank (`domain::certificates::default_layout_input`),
//! an assumption until the province enters its own blank's positions.

use super::{index, ts};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0033_certificate_layouts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("certificate_layouts")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(integer("width_tenth_mm"))
                .col(integer("height_tenth_mm"))
                .col(text("placements"))
                .col(boolean("is_default").default(false))
                .col(string("updated_by"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_layouts", &["name"], true)).await?;
        let input = domain::certificates::default_layout_input();
        let layout = domain::certificates::Layout::parse(&input)
            .map_err(|e| DbErr::Custom(format!("default certificate layout: {e:?}")))?;
        let placements =
            serde_json::to_string(&input.placements).map_err(|e| DbErr::Custom(format!("default layout: {e}")))?;
        let insert = Query::insert()
            .into_table("certificate_layouts")
            .columns([
                "name",
                "width_tenth_mm",
                "height_tenth_mm",
                "placements",
                "is_default",
                "updated_by",
                "updated_at",
            ])
            .values_panic([
                "默认套打模板（210×148 毫米，待按实际空白证书校准）".into(),
                (layout.width.0 as i32).into(),
                (layout.height.0 as i32).into(),
                placements.into(),
                true.into(),
                "system".into(),
                crate::now().into(),
            ])
            .to_owned();
        m.get_connection().execute(&insert).await?;
        Ok(())
    }
}
