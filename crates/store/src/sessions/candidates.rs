//! The candidates of a session: one typed on the form, many from an .xlsx roster (all-or-nothing with
//! `第 N 行「列」` errors, `domain::exams::parse_roster`), removed one by one — only by the session's
//! station while the plan is its own (draft or returned). The export of the list carries the full ID
//! numbers for the session's station and its organizer (audited), masked ones for anyone else.

use super::{is_organizer, is_station};
use crate::audit::AuditDraft;
use crate::entity::exam_candidate;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::exams::{Candidate, CandidateInput, CandidateSource, CandidateState, SessionEvent, parse_roster};
use domain::org::Principal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashSet;

/// What the roster template's notes sheet says of each column.
pub const ROSTER_NOTES: [(&str, &str); 6] = [
    ("姓名", "必填，2～30 个字"),
    ("身份证号码", "必填，18 位，末位 X 大小写均可；同一名册、同一场考核中不得重复"),
    ("联系电话", "选填，手机号或带区号的固定电话"),
    ("工作单位", "选填（考评员回避审查用）"),
    ("补贴类别", "选填，如：脱贫劳动力、农村转移劳动力、高校毕业生"),
    ("培训情况", "选填：参加培训的机构、班次与时间"),
];

/// The session's candidates as the export writes them.
#[derive(Debug, Clone)]
pub struct CandidateExport {
    /// Full numbers (the caller is the session's station or organizer), or masked ones.
    pub full_id_numbers: bool,
    /// (name, ID number, phone, employer, subsidy category, training, source, state)
    pub rows: Vec<[String; 8]>,
}

impl Store {
    /// The session, when `p` is its station and the plan is still the station's (draft or returned).
    async fn roster_session(&self, p: &Principal, id: i64) -> StoreResult<crate::entity::exam_session::Model> {
        let m = self.session_in_scope(p, id).await?;
        self.allow(p, &m, &SessionEvent::Edit)?;
        Ok(m)
    }

    pub(crate) async fn blind_indexes(&self, session_id: i64) -> StoreResult<HashSet<String>> {
        Ok(exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(session_id))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|c| c.id_number_idx)
            .collect())
    }

    pub(crate) async fn insert_candidate(
        &self,
        step: &Step<'_>,
        p: &Principal,
        session_id: i64,
        c: &Candidate,
        source: CandidateSource,
    ) -> StoreResult<i64> {
        let enc = self
            .crypto
            .encrypt(c.id_number.as_str().as_bytes(), b"id_number")
            .map_err(|e| StoreError::service("cipher", e))?;
        let row = exam_candidate::ActiveModel {
            session_id: Set(session_id),
            name: Set(c.name.as_str().to_owned()),
            id_number_enc: Set(enc),
            id_number_idx: Set(self.crypto.blind_index(c.id_number.as_str().as_bytes())),
            id_number_masked: Set(c.id_number.masked()),
            phone: Set(c.phone.as_ref().map(|x| x.as_str().to_owned()).unwrap_or_default()),
            employer: Set(c.employer.clone()),
            subsidy_category: Set(c.subsidy_category.clone()),
            training: Set(c.training.clone()),
            source: Set(source),
            state: Set(CandidateState::Confirmed),
            created_by: Set(p.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&**step)
        .await?;
        Ok(row.id)
    }

    /// Adds one candidate typed on the form.
    pub async fn add_candidate(&self, p: &Principal, id: i64, input: &CandidateInput, ctx: &Ctx) -> StoreResult<i64> {
        let m = self.roster_session(p, id).await?;
        let c = Candidate::parse(input, today()).map_err(StoreError::Invalid)?;
        if self.blind_indexes(id).await?.contains(&self.crypto.blind_index(c.id_number.as_str().as_bytes())) {
            return Err(StoreError::Invalid(
                FieldError::new("id_number", "CANDIDATE_ALREADY_IN_SESSION", "该考生已在本场考核的考生名单中").into(),
            ));
        }
        let step = self.claim_session(p, ctx, &m).await?;
        let cid = self.insert_candidate(&step, p, id, &c, CandidateSource::Manual).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionCandidateAdded,
            id,
            json!({ "session_id": id, "candidate_id": cid }),
        ))
        .await?;
        step.commit().await?;
        Ok(cid)
    }

    /// Imports a roster: every row checked, nothing saved unless every row is right. Answers how many
    /// candidates were added.
    pub async fn import_roster(
        &self,
        p: &Principal,
        id: i64,
        rows: &[CandidateInput],
        ctx: &Ctx,
    ) -> StoreResult<usize> {
        let m = self.roster_session(p, id).await?;
        let existing = self.blind_indexes(id).await?;
        let parsed =
            parse_roster(rows, today(), |n| existing.contains(&self.crypto.blind_index(n.as_str().as_bytes())))
                .map_err(StoreError::Invalid)?;
        let step = self.claim_session(p, ctx, &m).await?;
        for c in &parsed {
            self.insert_candidate(&step, p, id, c, CandidateSource::Roster).await?;
        }
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionRosterImported,
            id,
            json!({ "session_id": id, "candidates": parsed.len() }),
        ))
        .await?;
        step.commit().await?;
        Ok(parsed.len())
    }

    /// Removes a candidate from the list.
    pub async fn remove_candidate(&self, p: &Principal, id: i64, candidate_id: i64, ctx: &Ctx) -> StoreResult<()> {
        let m = self.roster_session(p, id).await?;
        let c = exam_candidate::Entity::find_by_id(candidate_id)
            .one(self.reader())
            .await?
            .filter(|c| c.session_id == id)
            .ok_or(StoreError::NotFound)?;
        let step = self.claim_session(p, ctx, &m).await?;
        exam_candidate::Entity::delete_by_id(c.id).exec(&*step).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionCandidateRemoved,
            id,
            json!({ "session_id": id, "candidate_id": c.id }),
        ))
        .await?;
        step.commit().await
    }

    /// The list for the spreadsheet: full ID numbers for the session's station and organizer (the
    /// export audited), masked for every other reader.
    pub async fn export_candidates(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<CandidateExport> {
        let m = self.session_in_scope(p, id).await?;
        let full = is_station(p, &m) || is_organizer(p, &m);
        let rows = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(id))
            .order_by_asc(exam_candidate::Column::Id)
            .all(self.reader())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            let number = if full {
                let plain = self
                    .crypto
                    .decrypt(&c.id_number_enc, b"id_number")
                    .map_err(|e| StoreError::service("cipher", e))?;
                String::from_utf8(plain).map_err(|e| StoreError::corrupt(format!("candidate {} ID number", c.id), e))?
            } else {
                c.id_number_masked
            };
            out.push([
                c.name,
                number,
                c.phone,
                c.employer,
                c.subsidy_category,
                c.training,
                c.source.label().to_owned(),
                c.state.label().to_owned(),
            ]);
        }
        if full {
            self.audit(
                ctx,
                AuditDraft::new(
                    AuditAction::ExamSessionRosterExported,
                    id,
                    json!({ "session_id": id, "candidates": out.len() }),
                ),
            )
            .await?;
        }
        Ok(CandidateExport { full_id_numbers: full, rows: out })
    }
}
