//! Demo data for trying the product locally: a handful of fictional course-offering units.
//!
//! Loading is idempotent: rows already present are left alone, so running it twice changes nothing.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};

use crate::entities::unit;
use crate::{Database, StorageError};

/// (code, name, kind, county, parent) of each demo unit. Every name carries 示範 so nobody mistakes
/// them for real schools.
const DEMO_UNITS: [(&str, &str, &str, &str, &str); 7] = [
    (
        "demo-jh-taipei",
        "臺北市立示範國民中學",
        "junior_high",
        "63000",
        "bureau-63000",
    ),
    (
        "demo-es-newtaipei",
        "新北市立示範國民小學",
        "elementary",
        "65000",
        "bureau-65000",
    ),
    (
        "demo-kg-kaohsiung",
        "高雄市立示範幼兒園",
        "kindergarten",
        "64000",
        "bureau-64000",
    ),
    (
        "demo-sh-national",
        "國立示範高級中學",
        "senior_high",
        "66000",
        "k12ea",
    ),
    (
        "demo-vh-tainan",
        "臺南市立示範高級工業職業學校",
        "vocational_high",
        "67000",
        "bureau-67000",
    ),
    (
        "demo-university",
        "國立示範大學",
        "university",
        "10018",
        "national-centre",
    ),
    (
        "demo-training-centre",
        "宜蘭縣示範教師研習中心",
        "teacher_training_centre",
        "10002",
        "bureau-10002",
    ),
];

/// What a demo load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub units_added: usize,
    pub units_present: usize,
}

/// Inserts the demo rows that are missing, all in one transaction.
pub async fn seed_demo(db: &Database) -> Result<DemoSummary, StorageError> {
    let txn = db.conn.begin().await?;
    let codes: Vec<&str> = DEMO_UNITS.iter().map(|u| u.0).collect();
    let existing: Vec<String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Code)
        .filter(unit::Column::Code.is_in(codes))
        .into_tuple()
        .all(&txn)
        .await?;
    let missing: Vec<unit::ActiveModel> = DEMO_UNITS
        .iter()
        .filter(|u| !existing.iter().any(|code| code == u.0))
        .map(|(code, name, kind, county, parent)| unit::ActiveModel {
            code: Set((*code).to_owned()),
            name: Set((*name).to_owned()),
            kind: Set((*kind).to_owned()),
            county_code: Set(Some((*county).to_owned())),
            parent_code: Set(Some((*parent).to_owned())),
            ..Default::default()
        })
        .collect();
    let units_added = missing.len();
    if !missing.is_empty() {
        unit::Entity::insert_many(missing)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(DemoSummary {
        units_added,
        units_present: DEMO_UNITS.len(),
    })
}

#[cfg(test)]
mod tests {
    use inservice_domain::UnitKind;

    use super::DEMO_UNITS;

    #[test]
    fn demo_units_use_known_kinds_and_are_marked_as_demo() {
        for (code, name, kind, _, _) in DEMO_UNITS {
            assert!(kind.parse::<UnitKind>().is_ok(), "{code}");
            assert!(code.starts_with("demo-") && name.contains("示範"), "{code}");
        }
    }
}
