//! The 26-field course registration form (研習課程登錄表, seed 002 附件四) as a typed value, and
//! its validation with a precise message for every field.

use chrono::{DateTime, NaiveDate, Utc};

use super::ClassType;
use super::codes::{self, CodeList};
use super::schedule::{self, Session, SessionInput};
use crate::enrollment::Allocation;
use crate::validation::Collector;
use crate::{FieldErrors, Stage};

/// The reference data a form is checked against (loaded from the database by the caller).
pub trait Catalog {
    /// The taxonomy stage of a 課程性質 (stage–domain–subject) code, if the code exists.
    fn subject_stage(&self, code: &str) -> Option<Stage>;
    /// The category of a selectable detail item of `stage` (an item, or a subcategory that has
    /// no items), if `code` is one.
    fn item_category(&self, stage: Stage, code: &str) -> Option<String>;
    /// Whether a tag exists, and whether it is still in use.
    fn tag(&self, id: i32) -> TagState;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagState {
    Active,
    Retired,
    Unknown,
}

/// A contact person (承辦人, field 25).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The form as submitted: free text and codes, checked by [`validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CourseInput {
    pub class_type: String,
    pub credits: Option<u32>,
    pub nature: String,
    pub document_number: Option<String>,
    pub name: String,
    pub tag_ids: Vec<i32>,
    pub subject_area: String,
    pub category: String,
    pub items: Vec<String>,
    pub level: Option<u8>,
    pub instructor_name: String,
    pub instructor_kind: String,
    pub outline: String,
    pub modes: Vec<String>,
    pub mode_other: Option<String>,
    pub remote_software: Vec<String>,
    pub remote_software_other: Option<String>,
    pub time_slots: Vec<String>,
    pub hours: Option<f64>,
    pub target_stages: Vec<String>,
    pub target_titles: Vec<String>,
    pub target_title_other: Option<String>,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    pub sessions: Vec<SessionInput>,
    pub venue: String,
    pub schedule_note: Option<String>,
    pub funding_sources: Vec<String>,
    pub subsidy_amount: Option<u32>,
    pub fee_kind: String,
    pub fee_amount: Option<u32>,
    pub classes: Option<u32>,
    pub places_per_class: Option<u32>,
    pub contacts: Vec<Contact>,
    pub feedback: String,
    /// `first_come` (default) or `lottery`.
    pub allocation: String,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
}

/// A complete, valid course form.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseForm {
    pub class_type: ClassType,
    pub credits: Option<u32>,
    pub nature: String,
    pub document_number: Option<String>,
    pub name: String,
    pub tag_ids: Vec<i32>,
    pub subject_area: String,
    /// The taxonomy stage, from the 課程性質.
    pub stage: Stage,
    pub category: String,
    pub items: Vec<String>,
    pub level: u8,
    pub instructor_name: String,
    pub instructor_kind: String,
    pub outline: String,
    pub modes: Vec<String>,
    pub mode_other: Option<String>,
    pub remote_software: Vec<String>,
    pub remote_software_other: Option<String>,
    pub time_slots: Vec<String>,
    /// Hours in half-hour steps (field 13), or 18 per credit for credit classes.
    pub half_hours: u32,
    pub target_stages: Vec<String>,
    pub target_titles: Vec<String>,
    pub target_title_other: Option<String>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub sessions: Vec<Session>,
    pub venue: String,
    pub schedule_note: Option<String>,
    pub funding_sources: Vec<String>,
    pub subsidy_amount: Option<u32>,
    pub fee_kind: String,
    pub fee_amount: Option<u32>,
    pub classes: u32,
    pub places_per_class: u32,
    pub contacts: Vec<Contact>,
    pub feedback: String,
    /// How places are handed out.
    pub allocation: Allocation,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
}

impl CourseForm {
    pub fn start_date(&self) -> NaiveDate {
        self.sessions
            .first()
            .expect("a valid form has sessions")
            .date
    }

    pub fn end_date(&self) -> NaiveDate {
        self.sessions
            .last()
            .expect("a valid form has sessions")
            .date
    }

    /// When the first session starts.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.sessions
            .first()
            .expect("a valid form has sessions")
            .start()
    }

    /// Places: classes × places per class.
    pub fn capacity(&self) -> u32 {
        self.classes * self.places_per_class
    }

    pub fn is_digital(&self) -> bool {
        self.modes.iter().any(|m| m == codes::DIGITAL_MODE)
    }
}

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_OUTLINE_CHARS: usize = 4000;
pub const MAX_TAGS: usize = 3;
pub const MAX_ITEMS: usize = 10;
pub const MAX_HOURS: f64 = 400.0;
pub const MAX_CREDITS: u32 = 40;
pub const MAX_CLASSES: u32 = 50;
pub const MAX_PLACES_PER_CLASS: u32 = 2000;
/// The category whose content is not subdivided (實用知能與生活素養): no detail items.
pub const UNDIVIDED_CATEGORY: &str = "6";
pub const CATEGORIES: CodeList = &[
    ("1", "課程、教學及評量"),
    ("2", "班級經營與輔導"),
    ("3", "專業發展與責任"),
    ("4", "新興教育政策"),
    ("5", "學校行政與領導"),
    ("6", "實用知能與生活素養"),
];

fn error<T>(field: &str, code: &'static str, message: impl Into<String>) -> Result<T, FieldErrors> {
    Err(FieldErrors::single(field, code, message))
}

/// Trimmed text of 1..=`max` characters.
fn text(field: &str, value: &str, label: &str, max: usize) -> Result<String, FieldErrors> {
    let value = value.trim();
    if value.is_empty() {
        return error(field, "required", format!("請填寫{label}"));
    }
    if value.chars().count() > max {
        return error(field, "too_long", format!("{label}最多 {max} 個字"));
    }
    Ok(value.to_owned())
}

/// Trimmed optional text: blank is `None`.
fn optional_text(
    field: &str,
    value: Option<&str>,
    label: &str,
    max: usize,
) -> Result<Option<String>, FieldErrors> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, label, max).map(Some),
    }
}

fn choice(field: &str, value: &str, list: CodeList, label: &str) -> Result<String, FieldErrors> {
    let value = value.trim();
    if value.is_empty() {
        return error(field, "required", format!("請選擇{label}"));
    }
    match codes::label(list, value) {
        Some(_) => Ok(value.to_owned()),
        None => error(
            field,
            "invalid_choice",
            format!(
                "{label}必須是下列代碼之一：{}",
                list.iter().map(|(c, _)| *c).collect::<Vec<_>>().join("、")
            ),
        ),
    }
}

/// At least one code of `list`, no duplicates; kept in the list's order.
fn choices(
    field: &str,
    values: &[String],
    list: CodeList,
    label: &str,
) -> Result<Vec<String>, FieldErrors> {
    if values.is_empty() {
        return error(field, "required", format!("請至少選擇一項{label}"));
    }
    for value in values {
        if codes::label(list, value).is_none() {
            return error(
                field,
                "invalid_choice",
                format!("「{value}」不是{label}的代碼"),
            );
        }
    }
    if (1..values.len()).any(|i| values[..i].contains(&values[i])) {
        return error(field, "duplicate", format!("{label}有重複的選項"));
    }
    Ok(list
        .iter()
        .filter(|(code, _)| values.iter().any(|v| v == code))
        .map(|(code, _)| (*code).to_owned())
        .collect())
}

/// The free text that goes with an 其他 option: required when it is chosen, dropped otherwise.
fn other_text(
    field: &str,
    chosen: bool,
    value: Option<&str>,
    label: &str,
) -> Result<Option<String>, FieldErrors> {
    let value = optional_text(field, value, label, 60)?;
    match (chosen, value) {
        (true, None) => error(field, "required", format!("選擇「其他」時請說明{label}")),
        (true, value) => Ok(value),
        (false, _) => Ok(None),
    }
}

fn contact(index: usize, contact: &Contact) -> Result<Contact, FieldErrors> {
    let mut errors = Collector::default();
    let field = |name: &str| format!("contacts[{index}].{name}");
    let name = errors.check(text(&field("name"), &contact.name, "承辦人姓名", 30));
    let phone = errors.check(crate::account::check_phone(&field("phone"), &contact.phone));
    let email = errors.check(crate::account::check_email(&field("email"), &contact.email));
    errors.finish()?;
    Ok(Contact {
        name: name.expect("checked"),
        phone: phone.expect("checked"),
        email: email.expect("checked"),
    })
}

fn tags(ids: &[i32], catalog: &impl Catalog, kept: &[i32]) -> Result<Vec<i32>, FieldErrors> {
    if ids.len() > MAX_TAGS {
        return error("tag_ids", "too_many", format!("屬性標籤最多 {MAX_TAGS} 個"));
    }
    if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
        return error("tag_ids", "duplicate", "屬性標籤有重複");
    }
    for id in ids {
        match catalog.tag(*id) {
            TagState::Active => {}
            // A course keeps a tag retired after it was tagged (old courses keep their tags).
            TagState::Retired if kept.contains(id) => {}
            TagState::Retired => {
                return error("tag_ids", "retired_tag", "這個屬性標籤已停用，不能再加註");
            }
            TagState::Unknown => return error("tag_ids", "unknown_tag", "沒有這個屬性標籤"),
        }
    }
    Ok(ids.to_vec())
}

fn items(
    input: &CourseInput,
    stage: Option<Stage>,
    category: Option<&str>,
    catalog: &impl Catalog,
) -> Result<Vec<String>, FieldErrors> {
    let (Some(stage), Some(category)) = (stage, category) else {
        // Reported on the stage or category field already.
        return Ok(Vec::new());
    };
    if category == UNDIVIDED_CATEGORY {
        if input.items.is_empty() {
            return Ok(Vec::new());
        }
        return error(
            "items",
            "not_in_category",
            "「實用知能與生活素養」範疇不分課程細項，請勿選擇細項",
        );
    }
    if input.items.is_empty() {
        return error("items", "required", "請至少選擇一個課程細項");
    }
    if input.items.len() > MAX_ITEMS {
        return error("items", "too_many", format!("課程細項最多 {MAX_ITEMS} 個"));
    }
    for code in &input.items {
        match catalog.item_category(stage, code) {
            Some(found) if found == category => {}
            Some(_) => {
                return error(
                    "items",
                    "not_in_category",
                    format!("課程細項 {code} 不屬於所選的進修範疇"),
                );
            }
            None => {
                return error(
                    "items",
                    "not_in_stage",
                    format!("課程細項 {code} 不在「{}」的課程分類中", stage.label()),
                );
            }
        }
    }
    if (1..input.items.len()).any(|i| input.items[..i].contains(&input.items[i])) {
        return error("items", "duplicate", "課程細項有重複");
    }
    Ok(input.items.clone())
}

/// Field 13 in half hours; credit classes count 18 hours a credit (Art. 10-3).
fn half_hours(
    input: &CourseInput,
    class_type: Option<ClassType>,
) -> Result<(Option<u32>, u32), FieldErrors> {
    let Some(class_type) = class_type else {
        return Ok((None, 0));
    };
    if class_type.carries_credits() {
        let Some(credits) = input.credits.filter(|c| *c > 0) else {
            return error("credits", "required", "學分班與學位班請填寫學分數");
        };
        if credits > MAX_CREDITS {
            return error(
                "credits",
                "out_of_range",
                format!("學分數最多 {MAX_CREDITS}"),
            );
        }
        let hours = ClassType::hours_for_credits(credits);
        if let Some(given) = input.hours
            && (given - f64::from(hours)).abs() > f64::EPSILON
        {
            return error(
                "hours",
                "hours_mismatch",
                format!("學分班一學分採計 18 小時，{credits} 學分應為 {hours} 小時"),
            );
        }
        return Ok((Some(credits), hours * 2));
    }
    if input.credits.is_some() {
        return error("credits", "not_allowed", "非學分班不填學分數");
    }
    let Some(hours) = input.hours else {
        return error("hours", "required", "請填寫研習時數");
    };
    if !hours.is_finite() || hours <= 0.0 || hours > MAX_HOURS {
        return error(
            "hours",
            "out_of_range",
            format!("研習時數必須大於 0 且不超過 {MAX_HOURS} 小時"),
        );
    }
    let doubled = hours * 2.0;
    if (doubled - doubled.round()).abs() > 1e-9 {
        return error("hours", "not_half_hour_step", "研習時數以 0.5 小時為單位");
    }
    Ok((None, doubled.round() as u32))
}

fn positive(field: &str, value: Option<u32>, label: &str, max: u32) -> Result<u32, FieldErrors> {
    match value {
        None => error(field, "required", format!("請填寫{label}")),
        Some(0) => error(field, "out_of_range", format!("{label}必須大於 0")),
        Some(n) if n > max => error(field, "out_of_range", format!("{label}最多 {max}")),
        Some(n) => Ok(n),
    }
}

/// Checks every field of the form and returns all problems at once. `kept_tags` are the tags
/// the course already has (they stay valid after being retired).
pub fn validate(
    input: &CourseInput,
    catalog: &impl Catalog,
    kept_tags: &[i32],
) -> Result<CourseForm, FieldErrors> {
    let mut e = Collector::default();
    let class_type = e.check(match input.class_type.trim() {
        "" => error("class_type", "required", "請選擇班別類別"),
        code => ClassType::from_code(code).map_or_else(
            || error("class_type", "invalid_choice", "班別類別必須是 1-1 到 1-8"),
            Ok,
        ),
    });
    let nature = e.check(choice("nature", &input.nature, codes::NATURES, "辦理性質"));
    let document_number = e.check(optional_text(
        "document_number",
        input.document_number.as_deref(),
        "依據文號",
        60,
    ));
    if nature.as_deref() == Some("2-2") && matches!(document_number, Some(None)) {
        e.check::<()>(error(
            "document_number",
            "required",
            "委託辦理請填寫委託單位核定的依據文號",
        ));
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
    let chose = |list: &Option<Vec<String>>, code: &str| {
        list.as_ref().is_some_and(|l| l.iter().any(|c| c == code))
    };
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
    let hours = e.check(half_hours(input, class_type));
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
        e.check::<()>(error(
            "registration_closes_at",
            "out_of_order",
            "報名截止時間必須晚於報名開始時間",
        ));
    }
    if let (Some(closes), Some(first)) = (closes, sessions.as_ref().and_then(|s| s.first()))
        && closes > first.start()
    {
        e.check::<()>(error(
            "registration_closes_at",
            "out_of_order",
            "報名截止時間不可晚於課程開始時間",
        ));
    }
    // Class time bounds the hours, except for digital courses (recorded, self-paced).
    if let (Some(sessions), Some((None, half_hours))) = (&sessions, hours)
        && !digital
    {
        let minutes: u32 = sessions.iter().map(Session::minutes).sum();
        if half_hours * 30 > minutes {
            e.check::<()>(error(
                "hours",
                "hours_exceed_schedule",
                format!(
                    "研習時數不可超過上課時間（各場次合計 {} 小時）",
                    f64::from(minutes) / 60.0
                ),
            ));
        }
    }
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
        e.check::<()>(error(
            "funding_sources",
            "exclusive_choice",
            "「無接受補助」不能與其他經費來源同時選擇",
        ));
    }
    let fee_kind = e.check(choice(
        "fee_kind",
        &input.fee_kind,
        codes::FEE_KINDS,
        "學員繳費情形",
    ));
    let fee_amount = e.check(match (fee_kind.as_deref(), input.fee_amount) {
        (None, _) => Ok(None),
        (Some(codes::NO_FEE), Some(amount)) if amount > 0 => {
            error("fee_amount", "not_allowed", "無繳費的課程不填金額")
        }
        (Some(codes::NO_FEE), _) => Ok(None),
        (Some(_), Some(amount)) if amount > 0 => Ok(Some(amount)),
        (Some(_), _) => error("fee_amount", "required", "請填寫學員應繳（或保證金）金額"),
    });
    let classes = e.check(positive("classes", input.classes, "辦理班數", MAX_CLASSES));
    let places = e.check(positive(
        "places_per_class",
        input.places_per_class,
        "每班人數",
        MAX_PLACES_PER_CLASS,
    ));
    let contacts = e.check(match input.contacts.len() {
        0 => error("contacts", "required", "請填寫至少一位承辦人"),
        1 | 2 => {
            let mut inner = Collector::default();
            let checked: Vec<_> = input
                .contacts
                .iter()
                .enumerate()
                .filter_map(|(i, c)| inner.check(contact(i, c)))
                .collect();
            inner.finish().map(|()| checked)
        }
        _ => error("contacts", "too_many", "承辦人最多兩位"),
    });
    let feedback = e.check(choice(
        "feedback",
        &input.feedback,
        codes::FEEDBACK_KINDS,
        "課程意見回饋問卷方式",
    ));
    let allocation = e.check(match input.allocation.trim() {
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
    });
    e.finish()?;
    let (credits, half_hours) = hours.expect("checked");
    Ok(CourseForm {
        class_type: class_type.expect("checked"),
        credits,
        nature: nature.expect("checked"),
        document_number: document_number.expect("checked"),
        name: name.expect("checked"),
        tag_ids: tag_ids.expect("checked"),
        subject_area: subject_area.to_owned(),
        stage: stage.expect("checked"),
        category: category.expect("checked"),
        items: items.expect("checked"),
        level: level.expect("checked"),
        instructor_name: instructor_name.expect("checked"),
        instructor_kind: instructor_kind.expect("checked"),
        outline: outline.expect("checked"),
        modes: modes.expect("checked"),
        mode_other: mode_other.expect("checked"),
        remote_software: remote_software.expect("checked"),
        remote_software_other: remote_software_other.expect("checked"),
        time_slots: time_slots.expect("checked"),
        half_hours,
        target_stages: target_stages.expect("checked"),
        target_titles: target_titles.expect("checked"),
        target_title_other: target_title_other.expect("checked"),
        registration_opens_at: opens.expect("checked"),
        registration_closes_at: closes.expect("checked"),
        sessions: sessions.expect("checked"),
        venue: venue.expect("checked"),
        schedule_note: schedule_note.expect("checked"),
        funding_sources: funding_sources.expect("checked"),
        subsidy_amount: input.subsidy_amount,
        fee_kind: fee_kind.expect("checked"),
        fee_amount: fee_amount.expect("checked"),
        classes: classes.expect("checked"),
        places_per_class: places.expect("checked"),
        contacts: contacts.expect("checked"),
        feedback: feedback.expect("checked"),
        allocation: allocation.expect("checked"),
        review_enrollments: input.review_enrollments,
    })
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
