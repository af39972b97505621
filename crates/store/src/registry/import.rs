//! E8–E10: registry rows from a spreadsheet, all-or-nothing — every bad cell named `row:field`
//! (header = row 1), an ID number and a card number once per kind in the file and in the registry;
//! nothing is written unless every row is good.

use super::steps::CardPolicy;
use crate::audit::AuditDraft;
use crate::people::ImportErrors;
use crate::policy::PolicyUsed;
use crate::{Ctx, Store, StoreResult};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::ids::IdNumber;
use domain::org::Principal;
use domain::registry::{PersonInput, PersonKind, parse_card_number, parse_person};
use serde_json::json;
use std::collections::HashMap;

impl Store {
    /// Import registry rows; returns how many were written.
    pub async fn import_registry(&self, p: &Principal, rows: &[PersonInput], ctx: &Ctx) -> StoreResult<usize> {
        crate::error::require(p, Action::ManageRegistry)?;
        let mut used = PolicyUsed::default();
        let mut cards: HashMap<PersonKind, CardPolicy> = HashMap::new();
        for kind in PersonKind::ALL {
            cards.insert(*kind, self.card_policy(*kind, &mut used).await?);
        }
        let mut errs = ImportErrors::default();
        let mut people = Vec::with_capacity(rows.len());
        let step = self.step(p, ctx).await?;
        for (i, row) in rows.iter().enumerate() {
            let line = ImportErrors::line(i);
            // Repeats within the file are checked whenever the kind and the number read, so every bad
            // cell of a row is reported at once.
            let kind = PersonKind::from_text(&row.kind);
            let mut repeated_id = false;
            if let (Some(kind), Ok(id)) = (kind, IdNumber::parse(&row.id_number)) {
                repeated_id = errs.repeated(line, "id_number", &format!("{kind}:{}", id.as_str()), "身份证号码");
            }
            if let (Some(kind), Ok(card)) = (kind, parse_card_number(&row.card_number)) {
                errs.repeated(line, "card_number", &format!("{kind}:{card}"), "证书编号");
            }
            match parse_person(row) {
                Ok(mut person) => {
                    for e in self.check_person(&*step, &mut person, None).await? {
                        // A repeat within the file is named once, against its first row.
                        if !(repeated_id && e.field == "id_number") {
                            errs.push(line, e);
                        }
                    }
                    people.push(person);
                }
                Err(e) => errs.push_all(line, e),
            }
        }
        errs.finish(rows.len())?;
        let mut kinds: HashMap<&str, usize> = HashMap::new();
        for person in &people {
            let card = cards.get(&person.kind).ok_or_else(|| crate::StoreError::corrupt("card policy", "missing"))?;
            self.insert_person(&step, person, card).await?;
            *kinds.entry(person.kind.id()).or_default() += 1;
        }
        step.audit(AuditDraft::new(
            AuditAction::RegistryImported,
            "batch",
            json!({ "rows": people.len(), "kinds": kinds, "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await?;
        Ok(people.len())
    }
}
