//! Around courses: attachments (研習附件), teachers' favourites (收藏追蹤), the attribute tags'
//! administration, and the subject areas (課程性質).

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::Utc;
use inservice_domain::account::TeacherAction;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::validation::Collector;
use inservice_domain::{FieldErrors, Stage};
use inservice_persistence::courses::{NewAttachment, TagChange};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::{
    attachment_dto, changed_by, course_error, course_not_found, course_page, visible_course,
};
use crate::routes::params::parse_page;

/// Largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 << 20;

/// The kinds of file a course may carry: extension, media type, and how the content starts.
const FILE_KINDS: [(&str, &str, &[u8]); 11] = [
    ("pdf", "application/pdf", b"%PDF-"),
    ("png", "image/png", b"\x89PNG"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        b"PK\x03\x04",
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        b"PK\x03\x04",
    ),
    (
        "doc",
        "application/msword",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    ),
    (
        "xls",
        "application/vnd.ms-excel",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    ),
];

/// Checks an upload's name, size and content; the media type follows from what it is.
fn checked_upload(file_name: Option<&str>, body: &[u8]) -> AppResult<NewAttachment> {
    let name = file_name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or_default().trim())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            FieldErrors::single("file_name", "required", "請以 file_name 參數提供檔名")
        })?;
    if name.chars().count() > 200 {
        return Err(FieldErrors::single("file_name", "too_long", "檔名最多 200 個字").into());
    }
    if body.is_empty() {
        return Err(FieldErrors::single("file", "required", "檔案是空的").into());
    }
    if body.len() > MAX_ATTACHMENT_BYTES {
        return Err(AppError::TooLarge {
            detail: "附件不可超過 10 MB。".into(),
        });
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = FILE_KINDS
        .iter()
        .find(|(ext, _, _)| *ext == extension)
        .ok_or_else(|| AppError::UnsupportedMediaType {
            detail: "附件限 PDF、Word、Excel、PowerPoint、ODF 文件或 PNG、JPEG 圖片。".into(),
        })?;
    if !body.starts_with(kind.2) {
        return Err(AppError::UnsupportedMediaType {
            detail: format!("檔案內容不是 .{extension} 檔，請確認檔案沒有損壞或改錯副檔名。"),
        });
    }
    Ok(NewAttachment {
        file_name: name.to_owned(),
        content_type: kind.1.to_owned(),
        data: body.to_vec(),
    })
}

/// `filename*` of RFC 6266 / 8187: the UTF-8 name, percent-encoded.
fn content_disposition(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Attaches a file (up to 5 per course, 10 MB each) to a course. The body is the file itself.
/// On an approved course this is a change: the course goes back to review (Art. 11-8).
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), UploadQuery),
    request_body(content = inline(FileBytes), description = "The file's bytes.", content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "The stored attachment.", body = AttachmentDto),
        (status = 400, description = "No file name, or an empty file.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`too_many_attachments` or `invalid_course_state`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MB.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an allowed kind of file.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    query: web::Query<UploadQuery>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let code = *code;
    let (course, _) = visible_course(&state, Some(&actor), code).await?;
    actor.authorize(Action::ManageCourse, &Target::Unit(&course.unit.code))?;
    let upload = checked_upload(query.file_name.as_deref(), &body)?;
    let stored = state
        .db
        .add_attachment(code, upload, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    Ok(HttpResponse::Created().json(attachment_dto(stored)))
}

/// Downloads an attachment of a course the caller may see.
#[utoipa::path(
    tag = "courses",
    params(
        ("code" = i32, Path, description = "課程代碼."),
        ("id" = i32, Path, description = "Attachment id."),
    ),
    responses(
        (status = 200, description = "The file, with its media type and name.", content_type = "application/octet-stream"),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "`course_not_found` or `attachment_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/attachments/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    crate::routes::courses::views::MaybeActor(actor): crate::routes::courses::views::MaybeActor,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (code, id) = *path;
    visible_course(&state, actor.as_ref(), code).await?;
    let file = state
        .db
        .attachment_file(code, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            code: ProblemCode::AttachmentNotFound,
            detail: "找不到這個附件。".into(),
        })?;
    Ok(HttpResponse::Ok()
        .content_type(file.attachment.content_type.as_str())
        .insert_header((
            "content-disposition",
            content_disposition(&file.attachment.file_name),
        ))
        .insert_header(("x-content-sha256", file.attachment.sha256.as_str()))
        .body(file.data))
}

/// Removes an attachment (on an approved course, the course goes back to review).
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(
        ("code" = i32, Path, description = "課程代碼."),
        ("id" = i32, Path, description = "Attachment id."),
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/v1/courses/{code}/attachments/{id}")]
pub async fn remove_attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (code, id) = *path;
    let (course, _) = visible_course(&state, Some(&actor), code).await?;
    actor.authorize(Action::ManageCourse, &Target::Unit(&course.unit.code))?;
    state
        .db
        .delete_attachment(code, id, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in teacher's favourite courses (收藏追蹤), latest start first.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(PagingQuery),
    responses(
        (status = 200, description = "One page of favourites.", body = CoursePageDto),
        (status = 400, description = "Bad paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required` or `no_serving_unit`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me/favourites")]
pub async fn favourites(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<PagingQuery>,
) -> AppResult<web::Json<CoursePageDto>> {
    actor.authorize(Action::Teacher(TeacherAction::Favourite), &Target::Nothing)?;
    let page = parse_page(query.page.as_deref(), query.per_page.as_deref())?;
    let result = state.db.favourites(actor.account_id, page).await?;
    Ok(web::Json(course_page(result, page, Utc::now(), false)))
}

/// Adds a published course to the teacher's favourites (doing it again changes nothing).
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 204, description = "It is a favourite."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required` or `no_serving_unit`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/me/favourites/{code}")]
pub async fn add_favourite(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    actor.authorize(Action::Teacher(TeacherAction::Favourite), &Target::Nothing)?;
    let code = *code;
    let (course, _) = visible_course(&state, Some(&actor), code).await?;
    if !course.state.is_public() {
        return Err(course_not_found(code));
    }
    state
        .db
        .add_favourite(actor.account_id, code, Utc::now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes a course from the teacher's favourites.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 204, description = "It is no favourite."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required` or `no_serving_unit`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/v1/me/favourites/{code}")]
pub async fn remove_favourite(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    actor.authorize(Action::Teacher(TeacherAction::Favourite), &Target::Nothing)?;
    state.db.remove_favourite(actor.account_id, *code).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn tag_text(
    errors: &mut Collector,
    field: &str,
    value: &str,
    label: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    errors.check(if value.is_empty() {
        Err(FieldErrors::single(
            field,
            "required",
            format!("請填寫{label}"),
        ))
    } else if value.chars().count() > max {
        Err(FieldErrors::single(
            field,
            "too_long",
            format!("{label}最多 {max} 個字"),
        ))
    } else {
        Ok(value.to_owned())
    })
}

fn tag_error(error: TagChange) -> AppError {
    match error {
        TagChange::NotFound => AppError::NotFound {
            code: ProblemCode::TagNotFound,
            detail: "找不到這個屬性標籤。".into(),
        },
        TagChange::Duplicate => AppError::Conflict {
            code: ProblemCode::TagExists,
            detail: "已有同名的屬性標籤。".into(),
        },
        TagChange::Retired => AppError::Conflict {
            code: ProblemCode::TagRetired,
            detail: "這個屬性標籤已經停用。".into(),
        },
        TagChange::Storage(e) => AppError::Storage(e),
    }
}

/// Adds an attribute tag with its definition (national centre only).
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    request_body = NewTag,
    responses(
        (status = 201, description = "The new tag.", body = TagDto),
        (status = 400, description = "No name or definition, or too long.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 409, description = "`tag_exists`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/tags")]
pub async fn create_tag(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    body: web::Json<NewTag>,
) -> AppResult<HttpResponse> {
    actor.authorize(Action::AdministerTags, &Target::Nothing)?;
    let mut e = Collector::default();
    let name = tag_text(&mut e, "name", &body.name, "標籤名稱", 20);
    let definition = tag_text(&mut e, "definition", &body.definition, "標籤定義", 1000);
    let (name, definition) = e.finish_with(|| name.zip(definition))?;
    let now = Utc::now();
    let tag = state
        .db
        .create_tag(
            &name,
            &definition,
            &changed_by(&actor, &req),
            taipei_today(now),
            now,
        )
        .await
        .map_err(tag_error)?;
    Ok(HttpResponse::Created().json(TagDto::from_stored(tag)))
}

/// Replaces a tag's definition; the day of the change is recorded.
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Tag id.")),
    request_body = TagDefinition,
    responses(
        (status = 200, description = "The tag.", body = TagDto),
        (status = 400, description = "No definition, or too long.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "`tag_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[patch("/api/v1/tags/{id}")]
pub async fn define_tag(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    id: web::Path<i32>,
    body: web::Json<TagDefinition>,
) -> AppResult<web::Json<TagDto>> {
    actor.authorize(Action::AdministerTags, &Target::Nothing)?;
    let mut e = Collector::default();
    let definition = tag_text(&mut e, "definition", &body.definition, "標籤定義", 1000);
    let definition = e.finish_with(|| definition)?;
    let now = Utc::now();
    let tag = state
        .db
        .update_tag_definition(
            *id,
            &definition,
            &changed_by(&actor, &req),
            taipei_today(now),
            now,
        )
        .await
        .map_err(tag_error)?;
    Ok(web::Json(TagDto::from_stored(tag)))
}

/// Retires a tag: courses keep it, new courses can no longer take it. Tags are never deleted.
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Tag id.")),
    responses(
        (status = 200, description = "The retired tag.", body = TagDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "`tag_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`tag_retired`: retired already.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/tags/{id}/retire")]
pub async fn retire_tag(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    id: web::Path<i32>,
) -> AppResult<web::Json<TagDto>> {
    actor.authorize(Action::AdministerTags, &Target::Nothing)?;
    let now = Utc::now();
    let tag = state
        .db
        .retire_tag(*id, &changed_by(&actor, &req), taipei_today(now), now)
        .await
        .map_err(tag_error)?;
    Ok(web::Json(TagDto::from_stored(tag)))
}

/// 課程性質: the stage–domain–subject list of course-form field 4, from the 108 curriculum.
#[utoipa::path(
    tag = "reference",
    params(SubjectAreaQuery),
    responses(
        (status = 200, description = "The subject areas.", body = SubjectAreaList),
        (status = 400, description = "Bad stage.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/subject-areas")]
pub async fn subject_areas(
    state: web::Data<AppState>,
    query: web::Query<SubjectAreaQuery>,
) -> AppResult<web::Json<SubjectAreaList>> {
    let stage = query
        .stage
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Stage::parse_field("stage", s))
        .transpose()?;
    let items: Vec<SubjectAreaDto> = state
        .db
        .subject_areas()
        .await?
        .into_iter()
        .filter(|a| stage.is_none_or(|s| a.stage == s))
        .map(|a| SubjectAreaDto {
            label: a.label(),
            stage: a.stage.code().to_owned(),
            code: a.code,
            domain: a.domain,
            subject: a.subject,
        })
        .collect();
    Ok(web::Json(SubjectAreaList {
        total: items.len() as u64,
        items,
    }))
}
