//! The course form checked in groups of fields, in the form's order: each group collects its
//! errors and returns its cleaned fields when all of them passed.

use chrono::{DateTime, Utc};

use super::fields::{
    choice, choices, contact, error, items, optional_text, other_text, positive, tags, text,
};
use super::{
    CATEGORIES, Catalog, Contact, CourseInput, MAX_CLASSES, MAX_NAME_CHARS, MAX_OUTLINE_CHARS,
    MAX_PLACES_PER_CLASS,
};
use crate::course::ClassType;
use crate::course::codes;
use crate::course::schedule::{self, Session};
use crate::enrollment::Allocation;
use crate::validation::Collector;
use crate::{FieldErrors, Stage};

pub(super) fn class_type(input: &CourseInput) -> Result<ClassType, FieldErrors> {
    match input.class_type.trim() {
        "" => error("class_type", "required", "請選擇班別類別"),
        code => ClassType::from_code(code).map_or_else(
            || error("class_type", "invalid_choice", "班別類別必須是 1-1 到 1-8"),
            Ok,
        ),
    }
}

/// Fields 2–8: what the course is and where it sits in the taxonomy.
pub(super) struct About {
    pub(super) nature: String,
    pub(super) document_number: Option<String>,
    pub(super) name: String,
    pub(super) tag_ids: Vec<i32>,
    pub(super) stage: Stage,
    pub(super) category: String,
    pub(super) items: Vec<String>,
    pub(super) level: u8,
}

pub(super) fn about(
    e: &mut Collector,
    input: &CourseInput,
    catalog: &impl Catalog,
    kept_tags: &[i32],
) -> Option<About> {
    let nature = e.check(choice("nature", &input.nature, codes::NATURES, "辦理性質"));
    let document_number = e.check(optional_text(
        "document_number",
        input.document_number.as_deref(),
        "依據文號",
        60,
    ));
    if nature.as_deref() == Some("2-2") && matches!(document_number, Some(None)) {
        e.fail(
            "document_number",
            "required",
            "委託辦理請填寫委託單位核定的依據文號",
        );
    }
    let name = e.check(text("name", &input.name, "研習名稱", MAX_NAME_CHARS));
    let tag_ids = e.check(tags(&input.tag_ids, catalog, kept_tags));
    let subject_area = input.subject_area.trim();
    let stage = e.check(if subject_area.is_empty() {
        error("subject_area", "required", "請選擇教育階段-領域-科目")
    } else {
        catalog.subject_stage(subject_area).map_or_else(
            || {
                error(
                    "subject_area",
                    "invalid_choice",
                    "沒有這個教育階段-領域-科目代碼",
                )
            },
            Ok,
        )
    });
    let category = e.check(choice("category", &input.category, CATEGORIES, "進修範疇"));
    let items = e.check(items(input, stage, category.as_deref(), catalog));
    let level = e.check(match input.level {
        None => error("level", "required", "請選擇進修階層"),
        Some(level @ 1..=4) => Ok(level),
        Some(_) => error("level", "invalid_choice", "進修階層必須是 1 到 4"),
    });
    Some(About {
        nature: nature?,
        document_number: document_number?,
        name: name?,
        tag_ids: tag_ids?,
        stage: stage?,
        category: category?,
        items: items?,
        level: level?,
    })
}

/// Fields 9–12: who teaches, what, and how it is delivered.
pub(super) struct Teaching {
    pub(super) instructor_name: String,
    pub(super) instructor_kind: String,
    pub(super) outline: String,
    pub(super) modes: Vec<String>,
    pub(super) mode_other: Option<String>,
    pub(super) remote_software: Vec<String>,
    pub(super) remote_software_other: Option<String>,
    pub(super) time_slots: Vec<String>,
}

/// The fields, and whether the course is digital (known even when another field failed, for
/// the checks that depend on it).
pub(super) fn teaching(e: &mut Collector, input: &CourseInput) -> (Option<Teaching>, bool) {
    let instructor_name = e.check(text(
        "instructor_name",
        &input.instructor_name,
        "師資姓名",
        100,
    ));
    let instructor_kind = e.check(choice(
        "instructor_kind",
        &input.instructor_kind,
        codes::INSTRUCTOR_KINDS,
        "師資類別",
    ));
    let outline = e.check(text(
        "outline",
        &input.outline,
        "課程大綱",
        MAX_OUTLINE_CHARS,
    ));
    let modes = e.check(choices("modes", &input.modes, codes::MODES, "實施方式"));
    let mode_other = e.check(other_text(
        "mode_other",
        chose(&modes, codes::OTHER_MODE),
        input.mode_other.as_deref(),
        "實施方式",
    ));
    let digital = chose(&modes, codes::DIGITAL_MODE);
    let remote_software = e.check(if digital {
        choices(
            "remote_software",
            &input.remote_software,
            codes::REMOTE_SOFTWARE,
            "遠距教學軟體",
        )
    } else {
        Ok(Vec::new())
    });
    let remote_software_other = e.check(other_text(
        "remote_software_other",
        chose(&remote_software, codes::OTHER_SOFTWARE),
        input.remote_software_other.as_deref(),
        "遠距教學軟體",
    ));
    let time_slots = e.check(choices(
        "time_slots",
        &input.time_slots,
        codes::TIME_SLOTS,
        "課程時段",
    ));
    let teaching = match (
        instructor_name,
        instructor_kind,
        outline,
        modes,
        mode_other,
        remote_software,
        remote_software_other,
        time_slots,
    ) {
        (
            Some(instructor_name),
            Some(instructor_kind),
            Some(outline),
            Some(modes),
            Some(mode_other),
            Some(remote_software),
            Some(remote_software_other),
            Some(time_slots),
        ) => Some(Teaching {
            instructor_name,
            instructor_kind,
            outline,
            modes,
            mode_other,
            remote_software,
            remote_software_other,
            time_slots,
        }),
        _ => None,
    };
    (teaching, digital)
}

/// Whether a checked list (if it passed) holds `code`.
fn chose(list: &Option<Vec<String>>, code: &str) -> bool {
    list.as_ref().is_some_and(|l| l.iter().any(|c| c == code))
}

/// Fields 14–15: who may enroll.
pub(super) struct Audience {
    pub(super) target_stages: Vec<String>,
    pub(super) target_titles: Vec<String>,
    pub(super) target_title_other: Option<String>,
}

pub(super) fn audience(e: &mut Collector, input: &CourseInput) -> Option<Audience> {
    let target_stages = e.check(choices(
        "target_stages",
        &input.target_stages,
        codes::TARGET_STAGES,
        "參加對象教育階段",
    ));
    let target_titles = e.check(choices(
        "target_titles",
        &input.target_titles,
        codes::TARGET_TITLES.as_slice(),
        "參加對象職稱",
    ));
    let target_title_other = e.check(other_text(
        "target_title_other",
        chose(&target_titles, codes::OTHER_TITLE),
        input.target_title_other.as_deref(),
        "參加對象職稱",
    ));
    Some(Audience {
        target_stages: target_stages?,
        target_titles: target_titles?,
        target_title_other: target_title_other?,
    })
}

/// Fields 16–17: the registration window and the sessions, checked against each other and
/// against the hours.
pub(super) struct Dates {
    pub(super) opens: DateTime<Utc>,
    pub(super) closes: DateTime<Utc>,
    pub(super) sessions: Vec<Session>,
}

pub(super) fn dates(
    e: &mut Collector,
    input: &CourseInput,
    hours: Option<(Option<u32>, u32)>,
    digital: bool,
) -> Option<Dates> {
    let opens = e.check(schedule::parse_local_datetime(
        "registration_opens_at",
        &input.registration_opens_at,
    ));
    let closes = e.check(schedule::parse_local_datetime(
        "registration_closes_at",
        &input.registration_closes_at,
    ));
    let sessions = e.check(schedule::parse_sessions(&input.sessions));
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        e.fail(
            "registration_closes_at",
            "out_of_order",
            "報名截止時間必須晚於報名開始時間",
        );
    }
    if let (Some(closes), Some(first)) = (closes, sessions.as_ref().and_then(|s| s.first()))
        && closes > first.start()
    {
        e.fail(
            "registration_closes_at",
            "out_of_order",
            "報名截止時間不可晚於課程開始時間",
        );
    }
    // Class time bounds the hours, except for digital courses (recorded, self-paced).
    if let (Some(sessions), Some((None, half_hours))) = (&sessions, hours)
        && !digital
    {
        let minutes: u32 = sessions.iter().map(Session::minutes).sum();
        if half_hours * 30 > minutes {
            e.fail(
                "hours",
                "hours_exceed_schedule",
                format!(
                    "研習時數不可超過上課時間（各場次合計 {} 小時）",
                    f64::from(minutes) / 60.0
                ),
            );
        }
    }
    Some(Dates {
        opens: opens?,
        closes: closes?,
        sessions: sessions?,
    })
}

/// Fields 18–26: venue, money, size, contacts, feedback and how places are handed out.
pub(super) struct Running {
    pub(super) venue: String,
    pub(super) schedule_note: Option<String>,
    pub(super) funding_sources: Vec<String>,
    pub(super) fee_kind: String,
    pub(super) fee_amount: Option<u32>,
    pub(super) classes: u32,
    pub(super) places: u32,
    pub(super) contacts: Vec<Contact>,
    pub(super) feedback: String,
    pub(super) allocation: Allocation,
}

pub(super) fn running(e: &mut Collector, input: &CourseInput) -> Option<Running> {
    let venue = e.check(text("venue", &input.venue, "上課地點", 200));
    let schedule_note = e.check(optional_text(
        "schedule_note",
        input.schedule_note.as_deref(),
        "課程表及注意事項",
        2000,
    ));
    let funding_sources = e.check(choices(
        "funding_sources",
        &input.funding_sources,
        codes::FUNDING_SOURCES,
        "經費來源",
    ));
    if let Some(sources) = &funding_sources
        && sources.len() > 1
        && sources.iter().any(|s| s == codes::NO_FUNDING)
    {
        e.fail(
            "funding_sources",
            "exclusive_choice",
            "「無接受補助」不能與其他經費來源同時選擇",
        );
    }
    let fee_kind = e.check(choice(
        "fee_kind",
        &input.fee_kind,
        codes::FEE_KINDS,
        "學員繳費情形",
    ));
    let fee_amount = e.check(fee_amount(fee_kind.as_deref(), input.fee_amount));
    let classes = e.check(positive("classes", input.classes, "辦理班數", MAX_CLASSES));
    let places = e.check(positive(
        "places_per_class",
        input.places_per_class,
        "每班人數",
        MAX_PLACES_PER_CLASS,
    ));
    let contacts = e.check(contacts(&input.contacts));
    let feedback = e.check(choice(
        "feedback",
        &input.feedback,
        codes::FEEDBACK_KINDS,
        "課程意見回饋問卷方式",
    ));
    let allocation = e.check(allocation(input));
    Some(Running {
        venue: venue?,
        schedule_note: schedule_note?,
        funding_sources: funding_sources?,
        fee_kind: fee_kind?,
        fee_amount: fee_amount?,
        classes: classes?,
        places: places?,
        contacts: contacts?,
        feedback: feedback?,
        allocation: allocation?,
    })
}

fn fee_amount(fee_kind: Option<&str>, amount: Option<u32>) -> Result<Option<u32>, FieldErrors> {
    match (fee_kind, amount) {
        (None, _) => Ok(None),
        (Some(codes::NO_FEE), Some(amount)) if amount > 0 => {
            error("fee_amount", "not_allowed", "無繳費的課程不填金額")
        }
        (Some(codes::NO_FEE), _) => Ok(None),
        (Some(_), Some(amount)) if amount > 0 => Ok(Some(amount)),
        (Some(_), _) => error("fee_amount", "required", "請填寫學員應繳（或保證金）金額"),
    }
}

fn contacts(input: &[Contact]) -> Result<Vec<Contact>, FieldErrors> {
    match input.len() {
        0 => error("contacts", "required", "請填寫至少一位承辦人"),
        1 | 2 => {
            let mut inner = Collector::default();
            let checked: Vec<_> = input
                .iter()
                .enumerate()
                .filter_map(|(i, c)| inner.check(contact(i, c)))
                .collect();
            inner.finish().map(|()| checked)
        }
        _ => error("contacts", "too_many", "承辦人最多兩位"),
    }
}

fn allocation(input: &CourseInput) -> Result<Allocation, FieldErrors> {
    match input.allocation.trim() {
        "" => Ok(Allocation::FirstCome),
        code => Allocation::from_code(code).map_or_else(
            || {
                error(
                    "allocation",
                    "invalid_choice",
                    "報名錄取方式必須是 first_come 或 lottery",
                )
            },
            Ok,
        ),
    }
}
