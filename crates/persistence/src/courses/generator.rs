//! Generated courses: the demo data (a few hundred) and the search benchmark (a hundred
//! thousand). Every course passes the same validation as a course typed into the form, and the
//! same seed always gives the same courses.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::course::{
    Contact, CourseForm, CourseInput, CourseState, SessionInput, review_flags, validate,
};
use inservice_domain::{Stage, UnitKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::mapping::{self, flags_json};
use crate::accounts::unit_ref;
use crate::entities::{course, course_event, course_tag, unit};
use crate::{Database, StorageError};

const TOPICS: [(&str, &str); 24] = [
    ("1", "素養導向評量設計"),
    ("1", "差異化教學實務"),
    ("1", "閱讀理解策略教學"),
    ("1", "生成式AI融入教學"),
    ("1", "STEAM跨領域課程設計"),
    ("1", "數位學習與載具應用"),
    ("1", "探究與實作課程設計"),
    ("1", "雙語教學策略"),
    ("2", "班級經營與正向管教"),
    ("2", "學生輔導知能"),
    ("2", "特殊需求學生輔導"),
    ("2", "親師溝通技巧"),
    ("3", "教師專業學習社群"),
    ("3", "公開授課與觀課議課"),
    ("3", "教學輔導教師培訓"),
    ("4", "性別平等教育"),
    ("4", "校園安全與防災教育"),
    ("4", "資通安全與個資保護"),
    ("4", "媒體素養教育"),
    ("4", "國際教育課程發展"),
    ("5", "學校行政領導"),
    ("5", "課程領導與課程評鑑"),
    ("6", "教師身心健康促進"),
    ("6", "急救與CPR訓練"),
];

const FORMATS: [&str; 5] = ["工作坊", "研習", "增能研習", "專題講座", "實作研習"];

const VENUES: [&str; 4] = ["會議室", "視聽教室", "圖書館研討室", "多功能教室"];

/// What the generator draws from: units, subject areas per stage, selectable items per stage and
/// category, and the active tags.
struct Pools {
    units: Vec<(String, String, UnitKind)>,
    subjects: HashMap<Stage, Vec<String>>,
    items: HashMap<(Stage, String), Vec<String>>,
    tags: Vec<i32>,
}

fn stage_of(kind: UnitKind, rng: &mut StdRng) -> Stage {
    match kind {
        UnitKind::Kindergarten => Stage::Kindergarten,
        UnitKind::Elementary => Stage::Elementary,
        UnitKind::JuniorHigh => Stage::JuniorHigh,
        UnitKind::SeniorHigh | UnitKind::VocationalHigh | UnitKind::SpecialEducationSchool => {
            Stage::SeniorHigh
        }
        _ => Stage::ALL[rng.random_range(0..Stage::ALL.len())],
    }
}

fn target_stage(stage: Stage) -> &'static str {
    match stage {
        Stage::Kindergarten => "14-5",
        Stage::Elementary => "14-4",
        Stage::JuniorHigh => "14-3",
        Stage::SeniorHigh => "14-1",
    }
}

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

/// The state of a generated course, given whether it has started.
fn state(rng: &mut StdRng, started: bool) -> CourseState {
    let roll = rng.random_range(0..100);
    match (started, roll) {
        (true, 0..10) => CourseState::Cancelled,
        (true, 10..15) => CourseState::Rejected,
        (true, 15..30) => CourseState::Approved { auto: true },
        (true, _) => CourseState::Approved { auto: false },
        (false, 0..15) => CourseState::Submitted,
        (false, 15..22) => CourseState::Draft,
        (false, 22..26) => CourseState::Returned,
        (false, 26..28) => CourseState::Rejected,
        (false, 28..30) => CourseState::Cancelled,
        (false, 30..45) => CourseState::Approved { auto: true },
        (false, _) => CourseState::Approved { auto: false },
    }
}

fn input(
    rng: &mut StdRng,
    pools: &Pools,
    unit_name: &str,
    kind: UnitKind,
    today: NaiveDate,
) -> CourseInput {
    let stage = stage_of(kind, rng);
    let (category, topic) = *pick(rng, &TOPICS);
    let subject_area = pick(rng, &pools.subjects[&stage]).clone();
    let items = if category == "6" {
        Vec::new()
    } else {
        let pool = &pools.items[&(stage, category.to_owned())];
        let first = pick(rng, pool).clone();
        let second = pick(rng, pool).clone();
        let mut items = vec![first];
        if second != items[0] && rng.random_bool(0.4) {
            items.push(second);
        }
        items
    };
    let start = today + Duration::days(rng.random_range(-150..=150));
    let two_days = rng.random_bool(0.2);
    let full_day = rng.random_bool(0.35);
    let mut sessions = vec![SessionInput {
        date: start.to_string(),
        starts_at: if full_day { "09:00" } else { "13:30" }.into(),
        ends_at: if full_day { "12:00" } else { "16:30" }.into(),
    }];
    if full_day {
        sessions.push(SessionInput {
            date: start.to_string(),
            starts_at: "13:00".into(),
            ends_at: "16:00".into(),
        });
    }
    if two_days {
        sessions.push(SessionInput {
            date: (start + Duration::days(7)).to_string(),
            starts_at: "13:30".into(),
            ends_at: "16:30".into(),
        });
    }
    let hours = 3.0 * sessions.len() as f64;
    let digital = rng.random_bool(0.15);
    let weekend = matches!(start.weekday(), Weekday::Sat | Weekday::Sun);
    let opens = start - Duration::days(30);
    let closes = start - Duration::days(3);
    let session_label = if rng.random_bool(0.2) {
        format!("（第{}場）", rng.random_range(1..=4))
    } else {
        String::new()
    };
    let tag_ids = if !pools.tags.is_empty() && rng.random_bool(0.3) {
        vec![*pick(rng, &pools.tags)]
    } else {
        Vec::new()
    };
    CourseInput {
        class_type: if rng.random_bool(0.3) { "1-2" } else { "1-1" }.into(),
        credits: None,
        nature: "2-1".into(),
        document_number: rng
            .random_bool(0.7)
            .then(|| format!("教研字第{}號", 1_140_000_000 + rng.random_range(0..99_999))),
        name: format!("{topic}{}{session_label}", pick(rng, &FORMATS)),
        tag_ids,
        subject_area,
        category: category.into(),
        items,
        level: Some(rng.random_range(1..=3)),
        instructor_name: format!(
            "{}老師",
            pick(rng, &["林", "陳", "黃", "張", "李", "王", "吳", "劉"])
        ),
        instructor_kind: pick(rng, &["8-1", "8-2", "8-3"]).to_string(),
        outline: format!(
            "本研習由{unit_name}辦理，聚焦「{topic}」，透過講述、示例與分組實作，協助教師將所學轉化為課堂教學與學生學習的具體策略。"
        ),
        modes: if digital {
            vec!["11-6".into()]
        } else if rng.random_bool(0.5) {
            vec!["11-1".into(), "11-3".into()]
        } else {
            vec!["11-1".into()]
        },
        mode_other: None,
        remote_software: if digital {
            vec!["google_meet".into()]
        } else {
            Vec::new()
        },
        remote_software_other: None,
        time_slots: vec![
            if digital {
                "12-6"
            } else if weekend {
                "12-3"
            } else {
                "12-1"
            }
            .into(),
        ],
        hours: Some(hours),
        target_stages: vec![target_stage(stage).into()],
        target_titles: vec!["15-4".into(), "15-5".into()],
        target_title_other: None,
        registration_opens_at: format!("{opens}T09:00"),
        registration_closes_at: format!("{closes}T17:00"),
        sessions,
        venue: if digital {
            "線上（Google Meet，連結於報名後寄送）".into()
        } else {
            format!("{unit_name}{}", pick(rng, &VENUES))
        },
        schedule_note: None,
        funding_sources: vec![pick(rng, &["21-7", "21-1", "21-12"]).to_string()],
        subsidy_amount: None,
        fee_kind: "22-3".into(),
        fee_amount: None,
        classes: Some(1),
        places_per_class: Some(rng.random_range(2..=16) * 5),
        contacts: vec![Contact {
            name: "承辦人".into(),
            phone: format!(
                "02-2{:03}-{:04}",
                rng.random_range(100..999),
                rng.random_range(0..9999)
            ),
            email: "contact@demo.inservice.tw".into(),
        }],
        feedback: "26-1".into(),
        // A few demo courses draw lots or let the organiser pick, so those flows show too.
        allocation: if rng.random_bool(0.05) {
            "lottery"
        } else {
            "first_come"
        }
        .into(),
        review_enrollments: rng.random_bool(0.1),
    }
}

impl Database {
    async fn pools(&self, unit_codes: &[String]) -> Result<Pools, StorageError> {
        let mut units = Vec::new();
        for code in unit_codes {
            if let Some(unit) = unit_ref(&self.conn, code).await? {
                units.push((unit.code, unit.name, unit.kind));
            }
        }
        let mut subjects: HashMap<Stage, Vec<String>> = HashMap::new();
        for area in self.subject_areas().await? {
            subjects.entry(area.stage).or_default().push(area.code);
        }
        let mut items: HashMap<(Stage, String), Vec<String>> = HashMap::new();
        for stage in Stage::ALL {
            for row in self.taxonomy(stage).await? {
                if let Some(code) = row.item_code.or(row.subcategory_code) {
                    items
                        .entry((stage, row.category_code))
                        .or_default()
                        .push(code);
                }
            }
        }
        let tags = self
            .attribute_tags()
            .await?
            .into_iter()
            .filter(|t| t.retired_on.is_none())
            .map(|t| t.id)
            .collect();
        Ok(Pools {
            units,
            subjects,
            items,
            tags,
        })
    }

    /// Generates `count` courses of the given units around `now`, in every state, and stores
    /// them with their history (`history`) in batches. Returns how many were stored.
    pub async fn generate_courses(
        &self,
        unit_codes: &[String],
        count: usize,
        seed: u64,
        history: bool,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        let pools = self.pools(unit_codes).await?;
        if pools.units.is_empty() {
            return Ok(0);
        }
        let catalog = self.course_catalog(taipei_today(now)).await?;
        let reviewers: HashMap<String, (String, Option<String>)> = {
            let mut map = HashMap::new();
            for (code, _, _) in &pools.units {
                if let Some(unit) = unit_ref(&self.conn, code).await? {
                    map.insert(
                        code.clone(),
                        (unit.reviewer_code(), unit.county_code.clone()),
                    );
                }
            }
            map
        };
        let mut rng = StdRng::seed_from_u64(seed);
        let today = taipei_today(now);
        let mut stored = 0;
        let batch = 250;
        while stored < count {
            let txn = self.begin_write().await?;
            let mut rows = Vec::new();
            let mut forms: Vec<(CourseForm, CourseState)> = Vec::new();
            for _ in 0..batch.min(count - stored) {
                let (code, name, kind) = pick(&mut rng, &pools.units).clone();
                let form = validate(&input(&mut rng, &pools, &name, kind, today), &catalog, &[])
                    .map_err(|e| {
                        StorageError::Corrupt(format!("generated course invalid: {e:?}"))
                    })?;
                let started = form.start_date() <= today;
                let state = state(&mut rng, started);
                let flags = review_flags(&form, form.registration_opens_at);
                let (reviewer, county) = reviewers[&code].clone();
                let submitted = state != CourseState::Draft;
                let mut active = course::ActiveModel {
                    unit_code: Set(code),
                    series_id: Set(None),
                    version: Set(0),
                    state: Set(state.code().to_owned()),
                    auto_approved: Set(matches!(state, CourseState::Approved { auto: true })),
                    reviewer_code: Set(reviewer),
                    enrolled_count: Set(0),
                    county_code: Set(county),
                    flags: Set(flags_json(&flags)),
                    flagged: Set(!flags.is_empty()),
                    decision_reason: Set(match state {
                        CourseState::Returned => {
                            Some("請補充課程大綱的辦理目的與講師資歷。".into())
                        }
                        CourseState::Rejected => Some("研習內容與教學無關（第 9 條）。".into()),
                        _ => None,
                    }),
                    submitted_at: Set(
                        submitted.then_some(form.registration_opens_at - Duration::days(10))
                    ),
                    decided_at: Set((submitted && state != CourseState::Submitted)
                        .then_some(form.registration_opens_at - Duration::days(5))),
                    created_by: Set(None),
                    created_at: Set(form.registration_opens_at - Duration::days(14)),
                    updated_at: Set(form.registration_opens_at - Duration::days(5)),
                    ..Default::default()
                };
                mapping::set_form(&mut active, &form);
                rows.push(active);
                forms.push((form, state));
            }
            let ids = course::Entity::insert_many(rows)
                .exec_with_returning_keys(&txn)
                .await?;
            let mut tags = Vec::new();
            let mut events = Vec::new();
            for (id, (form, state)) in ids.into_iter().zip(&forms) {
                tags.extend(form.tag_ids.iter().map(|tag| course_tag::ActiveModel {
                    course_id: Set(id),
                    tag_id: Set(*tag),
                }));
                if history {
                    let created = form.registration_opens_at - Duration::days(14);
                    let mut add = |event: &str, from: &str, to: &str, at| {
                        events.push(course_event::ActiveModel {
                            course_id: Set(id),
                            at: Set(at),
                            actor_account_id: Set(None),
                            actor_unit_code: Set(None),
                            event: Set(event.to_owned()),
                            from_state: Set(from.to_owned()),
                            to_state: Set(to.to_owned()),
                            reason: Set(None),
                            ..Default::default()
                        })
                    };
                    add("created", "", "draft", created);
                    if *state != CourseState::Draft {
                        add(
                            "submitted",
                            "draft",
                            "submitted",
                            created + Duration::days(4),
                        );
                    }
                    if !matches!(state, CourseState::Draft | CourseState::Submitted) {
                        add(
                            state.code(),
                            "submitted",
                            state.code(),
                            created + Duration::days(9),
                        );
                    }
                }
            }
            if !tags.is_empty() {
                course_tag::Entity::insert_many(tags)
                    .exec_without_returning(&txn)
                    .await?;
            }
            if !events.is_empty() {
                course_event::Entity::insert_many(events)
                    .exec_without_returning(&txn)
                    .await?;
            }
            txn.commit().await?;
            stored += forms.len();
        }
        Ok(stored)
    }

    /// Whether any course of these units exists (the demo load runs once).
    pub async fn has_courses_of(&self, unit_codes: &[String]) -> Result<bool, StorageError> {
        Ok(course::Entity::find()
            .filter(course::Column::UnitCode.is_in(unit_codes.to_vec()))
            .one(&self.conn)
            .await?
            .is_some())
    }

    /// Codes of the units whose code starts with `prefix`.
    pub async fn unit_codes_like(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        Ok(unit::Entity::find()
            .filter(unit::Column::Code.starts_with(prefix))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|u| u.code)
            .collect())
    }
}

impl Database {
    /// Stores active teacher accounts of `unit` with the given identity numbers in batches,
    /// for benchmarks (no password: they never log in). Returns how many were stored.
    pub async fn generate_teachers(
        &self,
        unit: &str,
        identities: &[inservice_domain::identity::IdentityNumber],
        vault: &crate::secrets::IdentityVault,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        use crate::entities::account;
        let mut stored = 0;
        for chunk in identities.chunks(500) {
            let mut rows = Vec::with_capacity(chunk.len());
            for identity in chunk {
                let name = format!("gen-{}", identity.expose().to_ascii_lowercase());
                rows.push(account::ActiveModel {
                    account_name: Set(name.clone()),
                    kind: Set("teacher".into()),
                    status: Set("active".into()),
                    real_name: Set("測試教師".into()),
                    identity_hash: Set(vault.lookup_hash(identity)),
                    identity_cipher: Set(vault.encrypt(identity)?),
                    identity_masked: Set(identity.masked()),
                    email: Set(format!("{name}@bench.example.tw")),
                    unit_code: Set(Some(unit.to_owned())),
                    job_title: Set(Some("15-4".into())),
                    subjects: Set("[]".into()),
                    password_hash: Set("not-for-login".into()),
                    failed_logins: Set(0),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            stored += rows.len();
            account::Entity::insert_many(rows)
                .exec_without_returning(&self.conn)
                .await?;
        }
        Ok(stored)
    }
}
