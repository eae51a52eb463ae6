//! Attendance and the roster's submission by the organiser (研習資料管理上傳): the sheet with
//! the hours each teacher earns, walk-ins, the filled sign-in workbook, and submitting.

use std::collections::HashMap;

use actix_web::{HttpRequest, get, post, put, web};
use chrono::{DateTime, Utc};
use inservice_domain::FieldErrors;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::{CourseState, Session};
use inservice_domain::identity::IdentityNumber;
use inservice_domain::roster::{AttendanceEntry, Missed, roster_due};
use inservice_domain::sign_in_sheet::{LineInput, check_lines, sign_in_entries};
use inservice_persistence::courses::Course;
use inservice_persistence::records::{AttendanceRow, RecordError, RosterFacts};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::error::{ProblemCode, domain_code};
use crate::routes::courses::views::{
    Standing, changed_by, course_not_found, taipei_time, visible_course,
};
use crate::routes::enrollments::organiser::managed_course;
use crate::uploads;

/// Hours from stored half-hours.
pub(crate) fn hours(half_hours: u32) -> f64 {
    f64::from(half_hours) / 2.0
}

/// The errors after the course, in the words its users read.
pub(crate) fn record_error(code: i32, error: RecordError) -> AppError {
    let conflict = |code: &'static str, detail: &str| AppError::Conflict {
        code: domain_code(code, ProblemCode::InvalidCourseState),
        detail: detail.to_owned(),
    };
    match error {
        RecordError::CourseNotFound => course_not_found(code),
        RecordError::NotFound => AppError::NotFound {
            code: ProblemCode::NotFound,
            detail: "找不到指定的資料。".into(),
        },
        RecordError::NotNow(what) => conflict(
            what,
            match what {
                "roster_closed" => {
                    "名單已送出或課程已結案，不能再修改出席紀錄；已結案的課程請提出修改已結案課程內容申請。"
                }
                "course_not_started" => "課程尚未開始，還不能登錄出席。",
                "course_not_finished" => "課程尚未結束，最後一場結束後才能送出名單。",
                "not_a_participant" => {
                    "名單上沒有這位教師；現場參加的教師請先以「新增現場參加者」加入。"
                }
                "already_on_roster" => "這位教師已在名單上。",
                "roster_not_submitted" => "名單不在待確認狀態（可能已確認或已退回）。",
                "course_not_closed" => "只有已結案的課程可以提出修改申請。",
                "already_decided" => "這件申請已經處理過。",
                "already_answered" => "您已填答過這門課程的問卷，每人限填一次。",
                _ => "課程目前的狀態不能進行這項操作。",
            },
        ),
        RecordError::Stale => conflict(
            "course_changed",
            "課程剛被其他人處理（例如名單已確認），請重新載入後再試。",
        ),
        RecordError::Invalid(errors) => AppError::Validation(errors),
        RecordError::Storage(e) => AppError::Storage(e),
    }
}

/// Loads a course whose roster the caller works on: its managers, its unit's organisers (to
/// read) and its reviewer.
pub(crate) async fn roster_course(
    state: &AppState,
    actor: &Actor,
    code: i32,
) -> AppResult<(Course, Standing)> {
    let (course, standing) = visible_course(state, Some(actor), code).await?;
    if !(standing.manager || standing.organiser || standing.reviewer) {
        actor.authorize(Action::ManageCourse, &Target::Unit(&course.unit.code))?;
    }
    Ok((course, standing))
}

fn missed_dto(m: &Missed) -> MissedDto {
    MissedDto {
        unexcused_minutes: m.unexcused_minutes,
        leave_minutes: m.leave_minutes,
    }
}

fn line_dto(row: AttendanceRow) -> AttendanceLineDto {
    AttendanceLineDto {
        account_id: row.account_id,
        enrollment_id: row.enrollment_id,
        walk_in: row.walk_in,
        real_name: row.real_name,
        account_name: row.account_name,
        unit_name: row.unit_name,
        job_title: row.job_title.map(|t| {
            inservice_domain::account::job_title_label(&t)
                .map(str::to_owned)
                .unwrap_or(t)
        }),
        mark: row.mark.code().to_owned(),
        mark_label: row.mark.label().to_owned(),
        sessions: row.missed.iter().map(missed_dto).collect(),
        hours: hours(row.half_hours),
        saved: row.saved,
    }
}

pub(crate) fn roster_dto(course: &Course, facts: Option<RosterFacts>) -> RosterDto {
    let facts = facts.unwrap_or(RosterFacts {
        submitted_at: None,
        late: false,
        returned_at: None,
        reason: None,
        flags: Vec::new(),
        closed_at: None,
    });
    RosterDto {
        state: course.state.code().to_owned(),
        due_date: roster_due(course.form.end_date()),
        submitted_at: facts.submitted_at.map(taipei_time),
        late: facts.late,
        returned_at: facts.returned_at.map(taipei_time),
        reason: facts.reason,
        flags: facts
            .flags
            .into_iter()
            .map(|(teacher, message)| RosterFlagDto { teacher, message })
            .collect(),
        closed_at: facts.closed_at.map(taipei_time),
    }
}

pub(crate) fn session_dtos(sessions: &[Session]) -> Vec<CourseSessionDto> {
    sessions
        .iter()
        .map(|s| CourseSessionDto {
            date: s.date.to_string(),
            starts_at: s.starts_at.format("%H:%M").to_string(),
            ends_at: s.ends_at.format("%H:%M").to_string(),
        })
        .collect()
}

async fn sheet_dto(
    state: &AppState,
    course: &Course,
    rows: Vec<AttendanceRow>,
    now: DateTime<Utc>,
) -> AppResult<AttendanceSheetDto> {
    let facts = state.db.roster_facts(course.id).await?;
    let total: u32 = rows.iter().map(|r| r.half_hours).sum();
    Ok(AttendanceSheetDto {
        course_code: course.id,
        sessions: session_dtos(&course.form.sessions),
        lines: rows.into_iter().map(line_dto).collect(),
        total_hours: hours(total),
        roster: roster_dto(course, facts),
        editable: matches!(course.state, CourseState::Approved { .. })
            && now >= course.form.starts_at(),
    })
}

/// Checks the organiser's lines against the course's sessions (the rules are the domain's).
pub(crate) fn parse_entries(
    input: &[AttendanceEntryDto],
    sessions: &[Session],
) -> Result<Vec<AttendanceEntry>, FieldErrors> {
    let lines: Vec<LineInput> = input
        .iter()
        .map(|line| LineInput {
            account_id: line.account_id,
            mark: &line.mark,
            sessions: line
                .sessions
                .iter()
                .map(|s| Missed {
                    unexcused_minutes: s.unexcused_minutes,
                    leave_minutes: s.leave_minutes,
                })
                .collect(),
        })
        .collect();
    check_lines(&lines, sessions)
}

/// The attendance sheet: every enrolled teacher and walk-in, what was recorded (or the
/// default, present in full), the hours each earns by Art. 10, and the roster's state.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The sheet.", body = AttendanceSheetDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither an organiser nor the reviewer of the course.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/attendance")]
pub async fn sheet(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<AttendanceSheetDto>> {
    let (course, _) = roster_course(&state, &actor, *code).await?;
    let rows = state
        .db
        .attendance_sheet(course.id)
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(web::Json(
        sheet_dto(&state, &course, rows, Utc::now()).await?,
    ))
}

/// Saves attendance lines (出席、請假、缺席, with minutes missed per session). Lines not sent
/// stay as they are; all or nothing.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = AttendanceInput,
    responses(
        (status = 200, description = "The sheet after saving.", body = AttendanceSheetDto),
        (status = 400, description = "A line is invalid (`errors` names `entries[i].…`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_not_started`, `roster_closed` (submitted or closed) or `not_a_participant`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/courses/{code}/attendance")]
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<AttendanceInput>,
) -> AppResult<web::Json<AttendanceSheetDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    let entries = parse_entries(&body.entries, &course.form.sessions)?;
    let now = Utc::now();
    let rows = state
        .db
        .save_attendance(course.id, &entries, &changed_by(&actor, &req), now)
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(web::Json(sheet_dto(&state, &course, rows, now).await?))
}

/// Adds a teacher who came without enrolling, found by account name, e-mail, identity number
/// or personal number; they count as present in full until marked otherwise.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = WalkInRequest,
    responses(
        (status = 200, description = "The sheet with the walk-in.", body = AttendanceSheetDto),
        (status = 400, description = "Nothing to look up.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found` or `teacher_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_on_roster`, `course_not_started` or `roster_closed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/attendance/walk-ins")]
pub async fn walk_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<WalkInRequest>,
) -> AppResult<web::Json<AttendanceSheetDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    let login = body.login.trim();
    if login.is_empty() {
        return Err(FieldErrors::single(
            "login",
            "required",
            "請輸入教師的帳號、電子郵件、身分證號或教師個人專用識別號碼",
        )
        .into());
    }
    // Look-ups by identity number or personal number reveal who holds it: limited per manager
    // and written to the audit log.
    state.throttles.identity_lookup(actor.account_id)?;
    if IdentityNumber::parse(login).is_ok() {
        let audit = inservice_persistence::audit::AuditEntry {
            actor_account_id: Some(actor.account_id),
            actor_role: actor.role(),
            action: "attendance.identity_lookup".into(),
            target_kind: "course".into(),
            target_id: Some(course.id.to_string()),
            // The number itself never goes into the log.
            summary: "walk-in looked up by identity number".into(),
            ip: Some(crate::routes::accounts::auth::client_ip(&req).to_string()),
        };
        state.db.record_audit(audit, Utc::now()).await?;
    }
    let teacher = find_teacher(&state, login)
        .await?
        .ok_or(AppError::NotFound {
            code: ProblemCode::TeacherNotFound,
            detail: "找不到這位教師的帳號；請確認輸入的資料，或請教師先註冊。".into(),
        })?;
    let now = Utc::now();
    let rows = state
        .db
        .add_walk_in(course.id, teacher, &changed_by(&actor, &req), now)
        .await
        .map_err(|e| match e {
            RecordError::NotFound => AppError::NotFound {
                code: ProblemCode::TeacherNotFound,
                detail: "找不到這位教師的帳號。".into(),
            },
            e => record_error(course.id, e),
        })?;
    Ok(web::Json(sheet_dto(&state, &course, rows, now).await?))
}

/// A teacher account by identity number, personal number, account name or e-mail.
async fn find_teacher(state: &AppState, login: &str) -> AppResult<Option<i32>> {
    use inservice_domain::account::AccountKind;
    if let Ok(identity) = IdentityNumber::parse(login) {
        return Ok(state
            .db
            .teacher_by_identity(&identity, &state.vault)
            .await?
            .map(|a| a.id));
    }
    if let Some(teacher) = state.db.teacher_by_personal_number(login).await? {
        return Ok(Some(teacher.id));
    }
    let candidates = state.db.login_candidates(login).await?;
    let teachers: Vec<i32> = candidates
        .iter()
        .filter(|a| a.kind == AccountKind::Teacher)
        .map(|a| a.id)
        .collect();
    // An e-mail shared by several accounts does not say which one.
    Ok(match teachers.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// Uploads the filled sign-in workbook (.xlsx, as exported with `kind=sign_in`): each row's
/// signatures become its attendance. Walk-ins are added separately.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body(content = inline(FileBytes), description = "The workbook's bytes.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses(
        (status = 200, description = "The sheet after saving.", body = AttendanceSheetDto),
        (status = 400, description = "Unreadable, not a sign-in sheet of this course, or unknown rows (`errors` names `row N: 報名編號`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_not_started` or `roster_closed`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MB.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an xlsx workbook.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The workbook is over a limit of the upload check, named by `code`: `zip_bomb` (an entry inflates over 200 times, or past its declared size), `workbook_too_large` (over 1,000 entries, an entry over 50 MB or all over 100 MB inflated), `too_many_rows` (past row 20,000), `too_many_columns` (past column 200), `too_many_cells` (over 1,000,000), `too_many_shared_strings` (over 1,000,000 declared or held), `xml_doctype` (a DOCTYPE in a part), `xml_too_deep` (elements nested over 64 deep).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/attendance/sign-in-sheet")]
pub async fn import_sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Bytes,
) -> AppResult<web::Json<AttendanceSheetDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    if body.len() > 10 * 1024 * 1024 {
        return Err(AppError::TooLarge {
            detail: "檔案不可超過 10 MB。".into(),
        });
    }
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with(crate::routes::xlsx::XLSX_TYPE) && !body.starts_with(b"PK\x03\x04")
    {
        return Err(AppError::UnsupportedMediaType {
            detail: "請上傳從本系統下載並填寫的簽到表（.xlsx）。".into(),
        });
    }
    let table = uploads::read_table(body, uploads::Format::Xlsx, uploads::Limits::SHEETS).await?;
    let lines = state
        .db
        .attendance_sheet(course.id)
        .await
        .map_err(|e| record_error(course.id, e))?;
    let enrollment_accounts: HashMap<i32, i32> = lines
        .iter()
        .filter_map(|l| l.enrollment_id.map(|e| (e, l.account_id)))
        .collect();
    let entries = sign_in_entries(&table, &course.form.sessions, &enrollment_accounts)?;
    let now = Utc::now();
    let rows = state
        .db
        .save_attendance(course.id, &entries, &changed_by(&actor, &req), now)
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(web::Json(sheet_dto(&state, &course, rows, now).await?))
}

/// Submits the roster once the last session has ended (teachers not marked count as present in
/// full). Late after a week (Art. 12-2: marked, not refused). Confirmed at once when the
/// regional centre switched automatic roster confirmation on.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "Submitted (or confirmed at once).", body = RosterResultDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_not_finished`, `invalid_course_state` (already submitted, closed or cancelled) or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/roster/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<RosterResultDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    let confirmed = state
        .db
        .submit_roster(course.id, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(web::Json(RosterResultDto {
        state: if confirmed {
            CourseState::Closed
        } else {
            CourseState::RosterSubmitted
        }
        .code()
        .to_owned(),
        confirmed,
    }))
}
