//! The candidates of a session: one typed on the form, many from an .xlsx roster (all-or-nothing with
//! `第 N 行「列」` errors, `domain::exams::parse_roster`), removed one by one — only by the session's
//! station while the plan is its own (draft or returned). The export of the list carries the full ID
//! numbers for the session's station and its organizer (audited), masked ones for anyone else.
//!
//! A candidate's training record (E4 recusal, F3): the class as typed (`training`) and the registry
//! people who taught it (`exam_candidate_trainers`, m0027), named by their numbers — a trainer's
//! certificate number (培训师证书编号) or, for a person teaching under their assessor card, that card's
//! number (a trainer's certificate wins when both kinds carry the number). Any standing counts (a
//! suspended trainer still taught the class). An unknown number refuses the candidate (field `trainers`)
//! or the whole roster (`第 N 行「授课培训师证书编号」：… 不在培训师库中`), nothing saved.

use super::{is_organizer, is_station};
use crate::audit::AuditDraft;
use crate::entity::{exam_candidate, exam_candidate_trainer, registry_person};
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::exams::{Candidate, CandidateInput, CandidateSource, CandidateState, SessionEvent, parse_roster};
use domain::org::Principal;
use domain::registry::PersonKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Registry numbers (培训师证书编号 or 考评员证编号) → registry person ids, as a training record resolves them.
pub type TrainerIds = HashMap<String, i64>;

/// One who taught a candidate's training class, as pages and the API show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateTrainer {
    pub person_id: i64,
    pub name: String,
    /// The registry number they were named by (a trainer's certificate or an assessor's card).
    pub card_number: String,
    pub kind: PersonKind,
}

/// What the roster template's notes sheet says of each column.
pub const ROSTER_NOTES: [(&str, &str); 7] = [
    ("姓名", "必填，2～30 个字"),
    ("身份证号码", "必填，18 位，末位 X 大小写均可；同一名册、同一场考核中不得重复"),
    ("联系电话", "选填，手机号或带区号的固定电话"),
    ("工作单位", "选填（考评员回避审查用）"),
    (
        "补贴类别",
        "选填：须为政策参数「享受取证补贴的人员类别」所列类别之一（如：登记失业人员、脱贫劳动力、农村转移劳动力），不享受补贴的留空",
    ),
    ("培训情况", "选填：培训班或课程名称（机构、班次与时间）"),
    (
        "授课培训师证书编号",
        "选填：为该考生授课的培训师的培训师证书编号（以考评员证授课的填考评员证编号），多个用顿号或逗号分隔；须为考评人员库中的编号（考评员回避审查、补贴申领用）",
    ),
];

/// The session's candidates as the export writes them.
#[derive(Debug, Clone)]
pub struct CandidateExport {
    /// Full numbers (the caller is the session's station or organizer), or masked ones.
    pub full_id_numbers: bool,
    /// (name, ID number, phone, employer, subsidy category, training, trainers' numbers joined by 、,
    /// source, state)
    pub rows: Vec<[String; 9]>,
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

    /// The registry people the numbers name (trainers' certificates first, then assessors' cards);
    /// a number of neither kind is left out.
    pub(crate) async fn trainer_ids(&self, numbers: &[String]) -> StoreResult<TrainerIds> {
        let mut out = TrainerIds::new();
        if numbers.is_empty() {
            return Ok(out);
        }
        let rows = registry_person::Entity::find()
            .filter(registry_person::Column::CardNumber.is_in(numbers.to_vec()))
            .filter(registry_person::Column::Kind.is_in([PersonKind::Trainer, PersonKind::Assessor]))
            .all(self.reader())
            .await?;
        for kind in [PersonKind::Trainer, PersonKind::Assessor] {
            for r in rows.iter().filter(|r| r.kind == kind) {
                out.entry(r.card_number.clone()).or_insert(r.id);
            }
        }
        Ok(out)
    }

    /// The trainers of each of the candidates, in the order they were named.
    pub(crate) async fn trainers_of(
        &self,
        candidate_ids: Vec<i64>,
    ) -> StoreResult<BTreeMap<i64, Vec<CandidateTrainer>>> {
        let links = exam_candidate_trainer::Entity::find()
            .filter(exam_candidate_trainer::Column::CandidateId.is_in(candidate_ids))
            .order_by_asc(exam_candidate_trainer::Column::Id)
            .all(self.reader())
            .await?;
        let people: HashMap<i64, registry_person::Model> = registry_person::Entity::find()
            .filter(registry_person::Column::Id.is_in(links.iter().map(|l| l.person_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut out: BTreeMap<i64, Vec<CandidateTrainer>> = BTreeMap::new();
        for l in links {
            let m = people.get(&l.person_id).ok_or_else(|| {
                StoreError::corrupt(format!("candidate {} trainer", l.candidate_id), "no such registry person")
            })?;
            out.entry(l.candidate_id).or_default().push(CandidateTrainer {
                person_id: m.id,
                name: m.name.clone(),
                card_number: m.card_number.clone(),
                kind: m.kind,
            });
        }
        Ok(out)
    }

    /// Deletes a candidate with their training record, inside `step`.
    pub(crate) async fn delete_candidate(&self, step: &Step<'_>, candidate_id: i64) -> StoreResult<()> {
        exam_candidate_trainer::Entity::delete_many()
            .filter(exam_candidate_trainer::Column::CandidateId.eq(candidate_id))
            .exec(&**step)
            .await?;
        exam_candidate::Entity::delete_by_id(candidate_id).exec(&**step).await?;
        Ok(())
    }

    /// Writes a candidate and the people who taught them (`trainers`: every number of `c.trainers`
    /// resolved before the step opened).
    pub(crate) async fn insert_candidate(
        &self,
        step: &Step<'_>,
        p: &Principal,
        session_id: i64,
        c: &Candidate,
        source: CandidateSource,
        trainers: &TrainerIds,
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
        for number in &c.trainers {
            let person_id = *trainers
                .get(number)
                .ok_or_else(|| StoreError::Invalid(domain::exams::unknown_trainer(number).into()))?;
            exam_candidate_trainer::ActiveModel {
                candidate_id: Set(row.id),
                person_id: Set(person_id),
                ..Default::default()
            }
            .insert(&**step)
            .await?;
        }
        Ok(row.id)
    }

    /// F3: the subsidy categories the policy in force today names (a candidate's 补贴类别 is one of them
    /// or blank).
    pub(crate) async fn subsidy_categories_today(&self) -> StoreResult<Vec<String>> {
        Ok(domain::policy::list_items(&self.policy_on(domain::policy::keys::SUBSIDY_CATEGORIES, today()).await?.value))
    }

    /// Adds one candidate typed on the form.
    pub async fn add_candidate(&self, p: &Principal, id: i64, input: &CandidateInput, ctx: &Ctx) -> StoreResult<i64> {
        let m = self.roster_session(p, id).await?;
        let c = Candidate::parse(input, today()).map_err(StoreError::Invalid)?;
        let eligible = self.subsidy_categories_today().await?;
        domain::certificates::check_category(&c.subsidy_category, &eligible)
            .map_err(|e| StoreError::Invalid(e.into()))?;
        let trainers = self.trainer_ids(&c.trainers).await?;
        c.check_trainers(|n| trainers.contains_key(n)).map_err(|e| StoreError::Invalid(e.into()))?;
        if self.blind_indexes(id).await?.contains(&self.crypto.blind_index(c.id_number.as_str().as_bytes())) {
            return Err(StoreError::Invalid(
                FieldError::new("id_number", "CANDIDATE_ALREADY_IN_SESSION", "该考生已在本场考核的考生名单中").into(),
            ));
        }
        let step = self.claim_session(p, ctx, &m).await?;
        let cid = self.insert_candidate(&step, p, id, &c, CandidateSource::Manual, &trainers).await?;
        let trainer_ids: Vec<i64> = c.trainers.iter().filter_map(|n| trainers.get(n).copied()).collect();
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionCandidateAdded,
            id,
            json!({ "session_id": id, "candidate_id": cid, "trainers": trainer_ids }),
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
        // Every number the roster names, resolved at once (a number that is not even a number's form is
        // the row's own error in `parse_roster`).
        let mut numbers: Vec<String> =
            rows.iter().filter_map(|r| domain::exams::parse_trainer_numbers(&r.trainers).ok()).flatten().collect();
        numbers.sort();
        numbers.dedup();
        let trainers = self.trainer_ids(&numbers).await?;
        // F3: a subsidy category outside the policy's list is the row's error too, reported with the rest.
        let eligible = self.subsidy_categories_today().await?;
        let categories = domain::exams::check_roster_categories(rows, &eligible);
        let parsed = parse_roster(
            rows,
            today(),
            |n| existing.contains(&self.crypto.blind_index(n.as_str().as_bytes())),
            |n| trainers.contains_key(n),
        );
        let parsed = match parsed {
            Ok(parsed) if categories.is_empty() => parsed,
            Ok(_) => return Err(StoreError::Invalid(categories)),
            Err(mut errs) => {
                errs.0.extend(categories.0);
                return Err(StoreError::Invalid(errs));
            }
        };
        let step = self.claim_session(p, ctx, &m).await?;
        for c in &parsed {
            self.insert_candidate(&step, p, id, c, CandidateSource::Roster, &trainers).await?;
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
        self.delete_candidate(&step, c.id).await?;
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
        let mut trainers = self.trainers_of(rows.iter().map(|c| c.id).collect()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            let taught: Vec<String> =
                trainers.remove(&c.id).unwrap_or_default().into_iter().map(|t| t.card_number).collect();
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
                taught.join("、"),
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
