//! Courses: public search and course pages, the organiser's registration form and lists, the
//! reviewer's queue and decisions, attachments, favourites, tags and subject areas.

use inservice_wire::{
    AttachmentDto, AutoApprovalDto, CodeLabel, CourseDto, CourseFormDto, CourseFormOptions,
    CoursePageDto, CourseSearchQuery, DecisionBody, MyEnrollmentDto, NewTag, PagingQuery,
    ReviewQueueQuery, SubjectAreaList, TagDefinition, TagDto, UnitCoursesQuery, UploadQuery,
};

use super::client::public_get;
use super::{ApiError, Client, segment};

/// What the SPA asks of a course.
pub trait CourseExt {
    /// Whether the caller may do `action` now (`edit`, `enroll`, …).
    fn can(&self, action: &str) -> bool;
    /// The form as stored, to edit it.
    fn form(&self) -> CourseFormDto;
}

impl CourseExt for CourseDto {
    fn can(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a == action)
    }

    fn form(&self) -> CourseFormDto {
        let codes = |list: &[CodeLabel]| list.iter().map(|c| c.code.clone()).collect();
        CourseFormDto {
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
            registration_opens_at: crate::format::input_time(&self.registration_opens_at),
            registration_closes_at: crate::format::input_time(&self.registration_closes_at),
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

/// What the SPA asks of a teacher's enrollment on the course page.
pub trait MyEnrollmentExt {
    /// Still in the running: enrolled, pending, waiting or in the lottery.
    fn is_active(&self) -> bool;
}

impl MyEnrollmentExt for MyEnrollmentDto {
    fn is_active(&self) -> bool {
        matches!(
            self.status.as_str(),
            "pending" | "enrolled" | "waiting" | "applied"
        )
    }
}

/// The form's code lists as `(code, label)` choices.
pub trait FormOptionsExt {
    /// `(code, label)` of field `field_no`.
    fn choices(&self, field_no: i32) -> Vec<(String, String)>;
    /// The remote-teaching software.
    fn software(&self) -> Vec<(String, String)>;
}

fn choice(o: &inservice_wire::CourseFormOptionDto) -> (String, String) {
    (
        o.code.clone(),
        o.label.clone().unwrap_or_else(|| o.code.clone()),
    )
}

impl FormOptionsExt for CourseFormOptions {
    fn choices(&self, field_no: i32) -> Vec<(String, String)> {
        self.fields
            .iter()
            .find(|f| f.field_no == field_no)
            .map(|f| f.options.iter().map(choice).collect())
            .unwrap_or_default()
    }

    fn software(&self) -> Vec<(String, String)> {
        self.remote_software.iter().map(choice).collect()
    }
}

/// The search page's state: the search box and filters of `GET /courses` (empty means "any"),
/// sent as the wire `CourseSearchQuery`.
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

/// A filter value as the API reads it: blank means absent.
fn given(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// `true` as the API reads a flag; absent when off.
fn flag(on: bool) -> Option<String> {
    on.then(|| "true".to_owned())
}

impl CourseQuery {
    /// The wire query of this search (every field named: a new one must be decided here).
    fn to_wire(&self, per_page: u64) -> CourseSearchQuery {
        CourseSearchQuery {
            q: given(&self.q),
            county: given(&self.county),
            unit: None,
            tag: given(&self.tag),
            category: given(&self.category),
            stage: given(&self.stage),
            level: given(&self.level),
            mode: given(&self.mode),
            from: given(&self.from),
            to: given(&self.to),
            open: flag(self.open),
            has_places: flag(self.has_places),
            sort: given(&self.sort),
            page: Some(self.page.max(1).to_string()),
            per_page: Some(per_page.to_string()),
        }
    }
}

/// The reviewer queue page's filters, sent as the wire `ReviewQueueQuery`.
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

pub async fn search(query: CourseQuery) -> Result<CoursePageDto, ApiError> {
    public_get("/courses")
        .query_of(&query.to_wire(PER_PAGE))
        .fetch()
        .await
}

/// One course; for its organiser and reviewer (signed in) with its review side.
pub async fn course(client: &Client, code: i32) -> Result<CourseDto, ApiError> {
    client
        .get(&format!("/courses/{code}"))
        .if_signed_in()
        .fetch()
        .await
}

pub async fn subject_areas() -> Result<SubjectAreaList, ApiError> {
    public_get("/subject-areas").fetch().await
}

pub async fn form_options() -> Result<CourseFormOptions, ApiError> {
    public_get("/course-form/options").fetch().await
}

pub async fn create(
    client: &Client,
    unit: &str,
    form: &CourseFormDto,
) -> Result<CourseDto, ApiError> {
    client
        .post(&format!("/units/{}/courses", segment(unit)))
        .json(form)
        .fetch()
        .await
}

pub async fn update(
    client: &Client,
    code: i32,
    form: &CourseFormDto,
) -> Result<CourseDto, ApiError> {
    client
        .put(&format!("/courses/{code}"))
        .json(form)
        .fetch()
        .await
}

pub async fn remove(client: &Client, code: i32) -> Result<(), ApiError> {
    client.delete(&format!("/courses/{code}")).done().await
}

/// `submit`, `copy`, `approve`, `return` or `reject`, with an optional reason.
pub async fn act(
    client: &Client,
    code: i32,
    action: &'static str,
    reason: Option<String>,
) -> Result<CourseDto, ApiError> {
    client
        .post(&format!("/courses/{code}/{action}"))
        .json(&DecisionBody { reason })
        .fetch()
        .await
}

pub async fn unit_courses(
    client: &Client,
    unit: &str,
    state: &str,
    page: u64,
) -> Result<CoursePageDto, ApiError> {
    let query = UnitCoursesQuery {
        state: given(state),
        q: None,
        page: Some(page.to_string()),
        per_page: Some(PER_PAGE.to_string()),
    };
    client
        .get(&format!("/units/{}/courses", segment(unit)))
        .query_of(&query)
        .fetch()
        .await
}

pub async fn queue(client: &Client, query: &QueueQuery) -> Result<CoursePageDto, ApiError> {
    let wire = ReviewQueueQuery {
        status: Some(if query.decided { "decided" } else { "waiting" }.to_owned()),
        stage: given(&query.stage),
        unit: given(&query.unit),
        from: given(&query.from),
        to: given(&query.to),
        flagged: flag(query.flagged),
        page: Some(query.page.max(1).to_string()),
        per_page: Some(PER_PAGE.to_string()),
    };
    client.get("/review/courses").query_of(&wire).fetch().await
}

pub async fn auto_approval(client: &Client, unit: &str) -> Result<AutoApprovalDto, ApiError> {
    client
        .get(&format!("/units/{}/auto-approval", segment(unit)))
        .fetch()
        .await
}

pub async fn set_auto_approval(
    client: &Client,
    unit: &str,
    setting: &AutoApprovalDto,
) -> Result<AutoApprovalDto, ApiError> {
    client
        .put(&format!("/units/{}/auto-approval", segment(unit)))
        .json(setting)
        .fetch()
        .await
}

pub async fn upload(
    client: &Client,
    code: i32,
    file_name: String,
    data: Vec<u8>,
) -> Result<AttachmentDto, ApiError> {
    client
        .post(&format!("/courses/{code}/attachments"))
        .query_of(&UploadQuery {
            file_name: Some(file_name),
        })
        .bytes(data, "application/octet-stream")
        .fetch()
        .await
}

/// An attachment's bytes; its URL comes from the course.
pub async fn download(client: &Client, url: &str) -> Result<Vec<u8>, ApiError> {
    client.get_url(url).download().await
}

pub async fn remove_attachment(client: &Client, code: i32, id: i32) -> Result<(), ApiError> {
    client
        .delete(&format!("/courses/{code}/attachments/{id}"))
        .done()
        .await
}

pub async fn favourites(client: &Client, page: u64) -> Result<CoursePageDto, ApiError> {
    let query = PagingQuery {
        page: Some(page.to_string()),
        per_page: Some(PER_PAGE.to_string()),
    };
    client.get("/me/favourites").query_of(&query).fetch().await
}

pub async fn set_favourite(client: &Client, code: i32, on: bool) -> Result<(), ApiError> {
    let url = format!("/me/favourites/{code}");
    let call = if on {
        client.put(&url)
    } else {
        client.delete(&url)
    };
    call.done().await
}

pub async fn create_tag(client: &Client, tag: &NewTag) -> Result<TagDto, ApiError> {
    client.post("/tags").json(tag).fetch().await
}

pub async fn define_tag(client: &Client, id: i32, definition: String) -> Result<TagDto, ApiError> {
    client
        .patch(&format!("/tags/{id}"))
        .json(&TagDefinition { definition })
        .fetch()
        .await
}

pub async fn retire_tag(client: &Client, id: i32) -> Result<TagDto, ApiError> {
    client.post(&format!("/tags/{id}/retire")).fetch().await
}
