//! The one-time message of a web session (issue 9 item 4): what the step just done or the upload just
//! refused says on the next page. Kept on the server in `sessions.flash` (m0010), loaded with the
//! session in the query that resolves it, cleared once a page has shown it. The text is the server's
//! own (a notice of an area's fixed list, or the reason of a refusal), never the address bar's.

use crate::entity::session;
use crate::{Store, StoreResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A one-time message: a notice (green) or an error (red).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Notice(String),
    Error(String),
}

impl Flash {
    /// How it is stored: its kind, a line break, its text.
    pub fn stored(&self) -> String {
        match self {
            Flash::Notice(t) => format!("notice\n{t}"),
            Flash::Error(t) => format!("error\n{t}"),
        }
    }

    /// The stored form read back (anything else is no message).
    pub fn parse(s: &str) -> Option<Flash> {
        let (kind, text) = s.split_once('\n')?;
        match kind {
            "notice" => Some(Flash::Notice(text.to_string())),
            "error" => Some(Flash::Error(text.to_string())),
            _ => None,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Flash::Notice(t) | Flash::Error(t) => t,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Flash::Error(_))
    }
}

impl Store {
    /// Keeps `flash` for the next page of the session (replacing one not yet shown). One UPDATE.
    pub async fn set_flash(&self, session_id: i64, flash: &Flash) -> StoreResult<()> {
        session::Entity::update_many()
            .col_expr(session::Column::Flash, Expr::value(flash.stored()))
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Clears `shown` once a page showed it; a message set since (another tab's step) stays. One UPDATE.
    pub async fn clear_flash(&self, session_id: i64, shown: &Flash) -> StoreResult<()> {
        session::Entity::update_many()
            .col_expr(session::Column::Flash, Expr::value(Option::<String>::None))
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::Flash.eq(shown.stored()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Flash;

    #[test]
    fn a_flash_reads_back_as_stored() {
        for f in [Flash::Notice("已提交".into()), Flash::Error("文件类型不符\n第二行".into())] {
            assert_eq!(Flash::parse(&f.stored()), Some(f));
        }
        assert_eq!(Flash::parse("done=filing_submit"), None);
        assert_eq!(Flash::parse("warning\n文字"), None);
    }
}
