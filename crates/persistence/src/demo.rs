//! Demo data for trying the product locally: a handful of fictional course-offering units.
//!
//! Loading is idempotent: rows already present are left alone, so running it twice changes nothing.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{county, unit};
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

/// A demo junior high and elementary school in every county, so demo courses come from all over.
async fn county_schools(
    conn: &impl sea_orm::ConnectionTrait,
) -> Result<Vec<(String, String, String, String, String)>, StorageError> {
    let counties = county::Entity::find().all(conn).await?;
    let mut schools = Vec::new();
    for c in counties {
        for (kind, suffix, label) in [
            ("junior_high", "jh", "育才示範國民中學"),
            ("elementary", "es", "樂學示範國民小學"),
        ] {
            schools.push((
                format!("demo-{}-{suffix}", c.code),
                format!("{}立{label}", c.name),
                kind.to_owned(),
                c.code.clone(),
                format!("bureau-{}", c.code),
            ));
        }
    }
    Ok(schools)
}

/// Inserts the demo rows that are missing, all in one transaction.
pub async fn seed_demo(db: &Database) -> Result<DemoSummary, StorageError> {
    let txn = db.begin_write().await?;
    let mut all: Vec<(String, String, String, String, String)> = DEMO_UNITS
        .iter()
        .map(|(a, b, c, d, e)| {
            (
                (*a).to_owned(),
                (*b).to_owned(),
                (*c).to_owned(),
                (*d).to_owned(),
                (*e).to_owned(),
            )
        })
        .collect();
    all.extend(county_schools(&txn).await?);
    let codes: Vec<String> = all.iter().map(|u| u.0.clone()).collect();
    let existing: Vec<String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Code)
        .filter(unit::Column::Code.is_in(codes))
        .into_tuple()
        .all(&txn)
        .await?;
    let missing: Vec<unit::ActiveModel> = all
        .iter()
        .filter(|u| !existing.contains(&u.0))
        .map(|(code, name, kind, county, parent)| unit::ActiveModel {
            code: Set(code.clone()),
            name: Set(name.clone()),
            kind: Set(kind.clone()),
            county_code: Set(Some(county.clone())),
            parent_code: Set(Some(parent.clone())),
            ownership: Set(
                if code.contains("national") || code.contains("university") {
                    "national"
                } else {
                    "local"
                }
                .to_owned(),
            ),
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
        units_present: all.len(),
    })
}

/// How many courses the demo has: enough that search and the review queues look real.
pub const DEMO_COURSES: usize = 360;

/// Generates the demo courses once (a second call finds them and adds nothing).
pub async fn seed_demo_courses(
    db: &Database,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StorageError> {
    let units = db.unit_codes_like("demo-").await?;
    if units.is_empty() || db.has_courses_of(&units).await? {
        return Ok(0);
    }
    db.generate_courses(&units, DEMO_COURSES, 2026, true, now)
        .await
}

/// Closes most past demo courses through the roster flow, so the demo teachers have records
/// and the units' lights show something (once: nothing happens when records exist).
pub async fn seed_demo_records(
    db: &Database,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StorageError> {
    let teachers: Vec<&str> = DEMO_ACCOUNTS
        .iter()
        .filter(|a| a.teacher && a.unit.is_some())
        .map(|a| a.login)
        .collect();
    db.seed_demo_records("demo-", &teachers, now).await
}

/// The password of every demo account (printed by `inservice seed --demo`, listed in README).
pub const DEMO_PASSWORD: &str = "inservice-demo-2026";

/// A demo account: login, role description, kind, unit, business type or job title, ID number.
pub struct DemoAccount {
    pub login: &'static str,
    pub role: &'static str,
    pub real_name: &'static str,
    pub teacher: bool,
    pub unit: Option<&'static str>,
    /// Business-account type, or the teacher's job title code.
    pub title: &'static str,
    pub identity: &'static str,
}

const fn business(
    login: &'static str,
    role: &'static str,
    real_name: &'static str,
    unit: &'static str,
    title: &'static str,
    identity: &'static str,
) -> DemoAccount {
    DemoAccount {
        login,
        role,
        real_name,
        teacher: false,
        unit: Some(unit),
        title,
        identity,
    }
}

const fn teacher(
    login: &'static str,
    role: &'static str,
    real_name: &'static str,
    unit: Option<&'static str>,
    title: &'static str,
    identity: &'static str,
) -> DemoAccount {
    DemoAccount {
        login,
        role,
        real_name,
        teacher: true,
        unit,
        title,
        identity,
    }
}

/// One working account per role. The identity numbers are valid but fictional.
pub const DEMO_ACCOUNTS: [DemoAccount; 13] = [
    business(
        "centre.admin",
        "全國推廣中心 總負責人（系統管理）",
        "高推廣",
        "national-centre",
        "chief",
        "E109000010",
    ),
    business(
        "moe.chief",
        "教育部 總負責人",
        "吳部會",
        "moe",
        "chief",
        "A209000027",
    ),
    business(
        "taipei.chief",
        "臺北市政府教育局 總負責人",
        "鄭局長",
        "bureau-63000",
        "chief",
        "A109000034",
    ),
    business(
        "taipei.reviewer",
        "臺北市政府教育局 作業人員（審核）",
        "許審核",
        "bureau-63000",
        "operator",
        "A209000045",
    ),
    business(
        "k12.reviewer",
        "國教署高級中等教育組 作業人員（審核）",
        "蔡審查",
        "k12ea-senior-high",
        "operator",
        "E109000056",
    ),
    business(
        "school.chief",
        "示範國中 總負責人",
        "陳主任",
        "demo-jh-taipei",
        "chief",
        "A109000061",
    ),
    business(
        "school.contact",
        "示範國中 連絡人",
        "張組長",
        "demo-jh-taipei",
        "contact",
        "A209000072",
    ),
    business(
        "school.operator",
        "示範國中 作業人員",
        "李幹事",
        "demo-jh-taipei",
        "operator",
        "A109000089",
    ),
    business(
        "uni.operator",
        "示範大學 作業人員",
        "周教授",
        "demo-university",
        "operator",
        "F209000095",
    ),
    teacher(
        "teacher.lin",
        "教師（示範國中）",
        "林老師",
        Some("demo-jh-taipei"),
        "15-4",
        "O109000108",
    ),
    teacher(
        "teacher.wang",
        "教師（示範國小，兼行政）",
        "王老師",
        Some("demo-es-newtaipei"),
        "15-3",
        "A209000116",
    ),
    teacher(
        "teacher.chen",
        "教保員（示範幼兒園）",
        "陳老師",
        Some("demo-kg-kaohsiung"),
        "15-14",
        "E209000129",
    ),
    teacher(
        "teacher.nounit",
        "教師（無服務學校）",
        "黃老師",
        None,
        "15-5",
        "B109000133",
    ),
];

/// Creates the demo accounts that are missing. `password_hash` is the hash of [`DEMO_PASSWORD`].
pub async fn seed_demo_accounts(
    db: &Database,
    vault: &crate::secrets::IdentityVault,
    password_hash: &str,
) -> Result<usize, StorageError> {
    use inservice_domain::account::{AccountKind, AccountStatus, Gender, personal_number};
    use inservice_domain::identity::IdentityNumber;
    use inservice_domain::permission::AccountType;

    use crate::accounts::{CreateAccountError, NewAccount};

    let mut added = 0;
    for (index, demo) in DEMO_ACCOUNTS.iter().enumerate() {
        if !db.login_candidates(demo.login).await?.is_empty() {
            continue;
        }
        let identity = IdentityNumber::parse(demo.identity).map_err(|_| {
            StorageError::Corrupt(format!("demo identity of {} is invalid", demo.login))
        })?;
        let new = NewAccount {
            account_name: demo.login.to_owned(),
            kind: if demo.teacher {
                AccountKind::Teacher
            } else {
                AccountKind::Business
            },
            status: AccountStatus::Active,
            real_name: demo.real_name.to_owned(),
            identity,
            birth_date: chrono::NaiveDate::from_ymd_opt(
                1980 + index as i32,
                1 + index as u32 % 12,
                15,
            ),
            gender: Some(if index % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            }),
            email: format!("{}@demo.inservice.tw", demo.login),
            phone: Some(format!("02-2345-{:04}", 6000 + index)),
            unit_code: demo.unit.map(str::to_owned),
            requested_unit_code: None,
            account_type: if demo.teacher {
                None
            } else {
                AccountType::from_code(demo.title)
            },
            job_title: demo.teacher.then(|| demo.title.to_owned()),
            subjects: if demo.teacher {
                vec!["國語文".to_owned()]
            } else {
                Vec::new()
            },
            personal_number: demo
                .teacher
                .then(|| personal_number(1_000_000 + index as u64)),
            password_hash: password_hash.to_owned(),
            consent_version: Some("demo".to_owned()),
        };
        match db
            .create_account(new, vault, chrono::Utc::now(), None)
            .await
        {
            Ok(_) => added += 1,
            Err(CreateAccountError::Storage(e)) => return Err(e),
            // Another identity already holds the slot: leave the existing account alone.
            Err(_) => {}
        }
    }
    Ok(added)
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
