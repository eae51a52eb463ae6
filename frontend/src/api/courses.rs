//! Courses: public search and course pages, the organiser's registration form and lists, the
//! reviewer's queue and decisions, attachments, favourites, tags and subject areas.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{answer, bearer, done, send_json};
use super::units::segment;
use super::{ApiError, BASE, List, Page, Tag, bytes, get, send};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CourseUnit {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub county_code: Option<String>,
    #[serde(default)]
    pub county_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CourseTag {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Flag {
    pub code: String,
    pub message: String,
}

/// A course in a list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CourseSummary {
    pub code: i64,
    pub name: String,
    pub unit: CourseUnit,
    pub state: String,
    pub state_label: String,
    pub registration_status: String,
    pub registration_status_label: String,
    pub start_date: String,
    pub end_date: String,
    pub hours: f64,
    pub stage: CodeLabel,
    pub category: CodeLabel,
    pub level: u8,
    #[serde(default)]
    pub tags: Vec<CourseTag>,
    pub is_digital: bool,
    pub venue: String,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    pub capacity: u32,
    pub places_left: u32,
    #[serde(default)]
    pub flags: Option<Vec<Flag>>,
    #[serde(default)]
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseSession {
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CourseEvent {
    pub at: String,
    pub event: String,
    pub from_state: String,
    pub to_state: String,
    #[serde(default)]
    pub actor_name: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Review {
    pub state: String,
    pub reviewer_code: String,
    pub reviewer_name: String,
    pub auto_approved: bool,
    #[serde(default)]
    pub flags: Vec<Flag>,
    #[serde(default)]
    pub decision_reason: Option<String>,
    #[serde(default)]
    pub submitted_at: Option<String>,
    pub version: i64,
    #[serde(default)]
    pub history: Vec<CourseEvent>,
}

/// A course with every field (`GET /courses/{code}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Course {
    pub code: i64,
    pub unit: CourseUnit,
    #[serde(default)]
    pub series_id: Option<i64>,
    pub state: String,
    pub state_label: String,
    pub registration_status: String,
    pub registration_status_label: String,
    pub class_type: CodeLabel,
    #[serde(default)]
    pub credits: Option<u32>,
    pub nature: CodeLabel,
    #[serde(default)]
    pub document_number: Option<String>,
    pub name: String,
    #[serde(default)]
    pub tags: Vec<CourseTag>,
    pub subject_area: CodeLabel,
    pub stage: CodeLabel,
    pub category: CodeLabel,
    #[serde(default)]
    pub items: Vec<CodeLabel>,
    pub level: CodeLabel,
    pub instructor_name: String,
    pub instructor_kind: CodeLabel,
    pub outline: String,
    #[serde(default)]
    pub modes: Vec<CodeLabel>,
    #[serde(default)]
    pub mode_other: Option<String>,
    #[serde(default)]
    pub remote_software: Vec<CodeLabel>,
    #[serde(default)]
    pub remote_software_other: Option<String>,
    pub is_digital: bool,
    #[serde(default)]
    pub time_slots: Vec<CodeLabel>,
    pub hours: f64,
    #[serde(default)]
    pub target_stages: Vec<CodeLabel>,
    #[serde(default)]
    pub target_titles: Vec<CodeLabel>,
    #[serde(default)]
    pub target_title_other: Option<String>,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    pub start_date: String,
    pub end_date: String,
    #[serde(default)]
    pub sessions: Vec<CourseSession>,
    pub venue: String,
    #[serde(default)]
    pub schedule_note: Option<String>,
    #[serde(default)]
    pub funding_sources: Vec<CodeLabel>,
    #[serde(default)]
    pub subsidy_amount: Option<u32>,
    pub fee_kind: CodeLabel,
    #[serde(default)]
    pub fee_amount: Option<u32>,
    pub classes: u32,
    pub places_per_class: u32,
    pub capacity: u32,
    pub enrolled: u32,
    pub places_left: u32,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    pub feedback: CodeLabel,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub favourite: Option<bool>,
    #[serde(default)]
    pub review: Option<Review>,
    pub allocation: CodeLabel,
    #[serde(default)]
    pub review_enrollments: bool,
    #[serde(default)]
    pub cancel_reason: Option<String>,
    #[serde(default)]
    pub lottery_drawn_at: Option<String>,
    #[serde(default)]
    pub lottery_seed: Option<String>,
    pub google_calendar_url: String,
    pub ics_url: String,
    pub qr_url: String,
    #[serde(default)]
    pub my_enrollment: Option<MyEnrollment>,
}

/// The signed-in teacher's enrollment in a course.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MyEnrollment {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    #[serde(default)]
    pub position: Option<u64>,
    #[serde(default)]
    pub warnings: Vec<Flag>,
    #[serde(default)]
    pub reason: Option<String>,
    pub can_withdraw: bool,
}

impl MyEnrollment {
    /// Still in the running: enrolled, pending, waiting or in the lottery.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status.as_str(),
            "pending" | "enrolled" | "waiting" | "applied"
        )
    }
}

impl Course {
    pub fn can(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a == action)
    }

    /// The form as stored, to edit it.
    pub fn form(&self) -> CourseForm {
        let codes = |list: &[CodeLabel]| list.iter().map(|c| c.code.clone()).collect();
        CourseForm {
            version: self.review.as_ref().map(|r| r.version),
            class_type: self.class_type.code.clone(),
            credits: self.credits,
            nature: self.nature.code.clone(),
            document_number: self.document_number.clone(),
            name: self.name.clone(),
            tag_ids: self.tags.iter().map(|t| t.id).collect(),
            subject_area: self.subject_area.code.clone(),
            category: self.category.code.clone(),
            items: codes(&self.items),
            level: self.level.code.parse().ok(),
            instructor_name: self.instructor_name.clone(),
            instructor_kind: self.instructor_kind.code.clone(),
            outline: self.outline.clone(),
            modes: codes(&self.modes),
            mode_other: self.mode_other.clone(),
            remote_software: codes(&self.remote_software),
            remote_software_other: self.remote_software_other.clone(),
            time_slots: codes(&self.time_slots),
            hours: Some(self.hours),
            target_stages: codes(&self.target_stages),
            target_titles: codes(&self.target_titles),
            target_title_other: self.target_title_other.clone(),
            // `2026-12-01T09:00:00+08:00` → `2026-12-01T09:00` for a datetime-local input.
            registration_opens_at: self.registration_opens_at.chars().take(16).collect(),
            registration_closes_at: self.registration_closes_at.chars().take(16).collect(),
            sessions: self.sessions.clone(),
            venue: self.venue.clone(),
            schedule_note: self.schedule_note.clone(),
            funding_sources: codes(&self.funding_sources),
            subsidy_amount: self.subsidy_amount,
            fee_kind: self.fee_kind.code.clone(),
            fee_amount: self.fee_amount,
            classes: Some(self.classes),
            places_per_class: Some(self.places_per_class),
            contacts: self.contacts.clone(),
            feedback: self.feedback.code.clone(),
            allocation: self.allocation.code.clone(),
            review_enrollments: self.review_enrollments,
        }
    }
}

/// The registration form as sent (`POST /units/{code}/courses`, `PUT /courses/{code}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CourseForm {
    pub version: Option<i64>,
    pub class_type: String,
    pub credits: Option<u32>,
    pub nature: String,
    pub document_number: Option<String>,
    pub name: String,
    pub tag_ids: Vec<i64>,
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
    pub sessions: Vec<CourseSession>,
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
    pub allocation: String,
    pub review_enrollments: bool,
}

/// The search box and filters of `GET /courses` (empty means "any").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CourseQuery {
    pub q: String,
    pub county: String,
    pub tag: String,
    pub category: String,
    pub stage: String,
    pub level: String,
    pub mode: String,
    pub from: String,
    pub to: String,
    pub open: bool,
    pub has_places: bool,
    pub sort: String,
    pub page: u64,
}

impl CourseQuery {
    fn pairs(&self, per_page: u64) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = [
            ("q", &self.q),
            ("county", &self.county),
            ("tag", &self.tag),
            ("category", &self.category),
            ("stage", &self.stage),
            ("level", &self.level),
            ("mode", &self.mode),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        if self.open {
            pairs.push(("open", "true".into()));
        }
        if self.has_places {
            pairs.push(("has_places", "true".into()));
        }
        pairs.push(("page", self.page.max(1).to_string()));
        pairs.push(("per_page", per_page.to_string()));
        pairs
    }
}

/// 課程性質.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SubjectArea {
    pub code: String,
    pub stage: String,
    pub domain: String,
    #[serde(default)]
    pub subject: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FormOption {
    pub code: String,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FormField {
    pub field_no: i64,
    pub name: String,
    #[serde(default)]
    pub options: Vec<FormOption>,
}

/// The code lists of the form (`GET /course-form/options`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FormOptions {
    pub fields: Vec<FormField>,
    #[serde(default)]
    pub remote_software: Vec<FormOption>,
}

impl FormOptions {
    /// `(code, label)` of field `field_no`.
    pub fn choices(&self, field_no: i64) -> Vec<(String, String)> {
        self.fields
            .iter()
            .find(|f| f.field_no == field_no)
            .map(|f| {
                f.options
                    .iter()
                    .map(|o| {
                        (
                            o.code.clone(),
                            o.label.clone().unwrap_or_else(|| o.code.clone()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn software(&self) -> Vec<(String, String)> {
        self.remote_software
            .iter()
            .map(|o| {
                (
                    o.code.clone(),
                    o.label.clone().unwrap_or_else(|| o.code.clone()),
                )
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct AutoApproval {
    pub courses: bool,
    pub rosters: bool,
}

/// The reviewer queue's filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueQuery {
    pub decided: bool,
    pub stage: String,
    pub unit: String,
    pub from: String,
    pub to: String,
    pub flagged: bool,
    pub page: u64,
}

const PER_PAGE: u64 = 20;

pub async fn search(query: CourseQuery) -> Result<Page<CourseSummary>, ApiError> {
    get(Request::get(&format!("{BASE}/courses")).query(query.pairs(PER_PAGE))).await
}

/// One course; with a token the organiser and reviewer see its review side.
pub async fn course(token: Option<String>, code: i64) -> Result<Course, ApiError> {
    let request = Request::get(&format!("{BASE}/courses/{code}"));
    let request = match &token {
        Some(token) => bearer(request, token),
        None => request,
    };
    answer(send(request).await?).await
}

pub async fn subject_areas() -> Result<List<SubjectArea>, ApiError> {
    get(Request::get(&format!("{BASE}/subject-areas"))).await
}

pub async fn form_options() -> Result<FormOptions, ApiError> {
    get(Request::get(&format!("{BASE}/course-form/options"))).await
}

pub async fn create(token: String, unit: String, form: CourseForm) -> Result<Course, ApiError> {
    let url = format!("{BASE}/units/{}/courses", segment(&unit));
    answer(send_json(bearer(Request::post(&url), &token), &form).await?).await
}

pub async fn update(token: String, code: i64, form: CourseForm) -> Result<Course, ApiError> {
    let url = format!("{BASE}/courses/{code}");
    answer(send_json(bearer(Request::put(&url), &token), &form).await?).await
}

pub async fn remove(token: String, code: i64) -> Result<(), ApiError> {
    let url = format!("{BASE}/courses/{code}");
    done(send(bearer(Request::delete(&url), &token)).await?).await
}

/// `submit`, `copy`, `approve`, `return` or `reject`, with an optional reason.
pub async fn act(
    token: String,
    code: i64,
    action: &'static str,
    reason: Option<String>,
) -> Result<Course, ApiError> {
    #[derive(Serialize)]
    struct Body {
        reason: Option<String>,
    }
    let url = format!("{BASE}/courses/{code}/{action}");
    answer(send_json(bearer(Request::post(&url), &token), &Body { reason }).await?).await
}

pub async fn unit_courses(
    token: String,
    unit: String,
    state: String,
    page: u64,
) -> Result<Page<CourseSummary>, ApiError> {
    let mut pairs = vec![
        ("page", page.to_string()),
        ("per_page", PER_PAGE.to_string()),
    ];
    if !state.is_empty() {
        pairs.push(("state", state));
    }
    let url = format!("{BASE}/units/{}/courses", segment(&unit));
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

pub async fn queue(token: String, query: QueueQuery) -> Result<Page<CourseSummary>, ApiError> {
    let mut pairs = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", PER_PAGE.to_string()),
        (
            "status",
            if query.decided { "decided" } else { "waiting" }.to_owned(),
        ),
    ];
    for (key, value) in [
        ("stage", query.stage),
        ("unit", query.unit),
        ("from", query.from),
        ("to", query.to),
    ] {
        if !value.trim().is_empty() {
            pairs.push((key, value.trim().to_owned()));
        }
    }
    if query.flagged {
        pairs.push(("flagged", "true".into()));
    }
    let url = format!("{BASE}/review/courses");
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

pub async fn auto_approval(token: String, unit: String) -> Result<AutoApproval, ApiError> {
    let url = format!("{BASE}/units/{}/auto-approval", segment(&unit));
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn set_auto_approval(
    token: String,
    unit: String,
    setting: AutoApproval,
) -> Result<AutoApproval, ApiError> {
    let url = format!("{BASE}/units/{}/auto-approval", segment(&unit));
    answer(send_json(bearer(Request::put(&url), &token), &setting).await?).await
}

pub async fn upload(
    token: String,
    code: i64,
    file_name: String,
    data: Vec<u8>,
) -> Result<Attachment, ApiError> {
    let url = format!("{BASE}/courses/{code}/attachments");
    let request = bearer(
        Request::post(&url).query([("file_name", file_name)]),
        &token,
    )
    .header("Content-Type", "application/octet-stream")
    .header("Accept", "application/json, application/problem+json")
    .body(js_sys::Uint8Array::from(data.as_slice()))
    .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    answer(response).await
}

pub async fn download(token: Option<String>, url: String) -> Result<Vec<u8>, ApiError> {
    let request = Request::get(&url);
    let request = match &token {
        Some(token) => bearer(request, token),
        None => request,
    };
    bytes(send(request).await?).await
}

pub async fn remove_attachment(token: String, code: i64, id: i64) -> Result<(), ApiError> {
    let url = format!("{BASE}/courses/{code}/attachments/{id}");
    done(send(bearer(Request::delete(&url), &token)).await?).await
}

pub async fn favourites(token: String, page: u64) -> Result<Page<CourseSummary>, ApiError> {
    let pairs = [
        ("page", page.to_string()),
        ("per_page", PER_PAGE.to_string()),
    ];
    let url = format!("{BASE}/me/favourites");
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

pub async fn set_favourite(token: String, code: i64, on: bool) -> Result<(), ApiError> {
    let url = format!("{BASE}/me/favourites/{code}");
    let request = if on {
        Request::put(&url)
    } else {
        Request::delete(&url)
    };
    done(send(bearer(request, &token)).await?).await
}

pub async fn create_tag(token: String, name: String, definition: String) -> Result<Tag, ApiError> {
    #[derive(Serialize)]
    struct Body {
        name: String,
        definition: String,
    }
    let url = format!("{BASE}/tags");
    answer(
        send_json(
            bearer(Request::post(&url), &token),
            &Body { name, definition },
        )
        .await?,
    )
    .await
}

pub async fn define_tag(token: String, id: i64, definition: String) -> Result<Tag, ApiError> {
    #[derive(Serialize)]
    struct Body {
        definition: String,
    }
    let url = format!("{BASE}/tags/{id}");
    answer(send_json(bearer(Request::patch(&url), &token), &Body { definition }).await?).await
}

pub async fn retire_tag(token: String, id: i64) -> Result<Tag, ApiError> {
    let url = format!("{BASE}/tags/{id}/retire");
    answer(send(bearer(Request::post(&url), &token)).await?).await
}
