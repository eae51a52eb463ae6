//! Attendance and the roster's submission by the organiser (研習資料管理上傳): the sheet with
//! the hours each teacher earns, walk-ins, the filled sign-in workbook, and submitting.

use std::collections::HashMap;

use actix_web::{HttpRequest, get, post, put, web};
use chrono::{DateTime, Utc};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::{CourseState, Session};
use inservice_domain::identity::IdentityNumber;
use inservice_domain::roster::{Mark, Missed, check_missed, roster_due};
use inservice_domain::{FieldErrors, validation::Collector};
use inservice_persistence::courses::Course;
use inservice_persistence::records::{AttendanceEntry, AttendanceRow, RecordError, RosterFacts};

use super::course_enrollments::managed_course;
use super::course_views::{Standing, changed_by, course_not_found, taipei_time, visible_course};
use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::error::{ProblemCode, domain_code};
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

/// Checks the organiser's lines against the course's sessions; every problem is named by its
/// place (`entries[2].mark`, `entries[0].sessions[1]`).
pub(crate) fn parse_entries(
    input: &[AttendanceEntryDto],
    sessions: &[Session],
) -> Result<Vec<AttendanceEntry>, FieldErrors> {
    if input.is_empty() {
        return Err(FieldErrors::single(
            "entries",
            "required",
            "請至少送出一位教師的出席紀錄",
        ));
    }
    let mut e = Collector::default();
    let mut seen = HashMap::new();
    let mut entries = Vec::with_capacity(input.len());
    for (index, line) in input.iter().enumerate() {
        let field = |name: &str| format!("entries[{index}].{name}");
        if seen.insert(line.account_id, index).is_some() {
            e.check::<()>(Err(FieldErrors::single(
                field("account_id"),
                "duplicate",
                "同一位教師只能出現一次",
            )));
        }
        let Some(mark) = Mark::from_code(line.mark.trim()) else {
            e.check::<()>(Err(FieldErrors::single(
                field("mark"),
                "invalid_choice",
                "mark 必須是 attended（出席）、leave（請假）或 absent（缺席）",
            )));
            continue;
        };
        let missed: Vec<Missed> = if mark == Mark::Attended {
            line.sessions
                .iter()
                .map(|s| Missed {
                    unexcused_minutes: s.unexcused_minutes,
                    leave_minutes: s.leave_minutes,
                })
                .collect()
        } else {
            Vec::new()
        };
        if e.check(check_missed(&field("sessions"), &missed, sessions))
            .is_some()
        {
            entries.push(AttendanceEntry {
                account_id: line.account_id,
                mark,
                missed,
            });
        }
    }
    e.finish()?;
    Ok(entries)
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
            ip: Some(super::auth::client_ip(&req).to_string()),
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

/// Reads the filled sign-in workbook (the `sign_in` export, one signature column per session)
/// into attendance lines: a signed session is attended, an unsigned one missed (on leave when
/// 備註 says 請假); no signature at all is 缺席 (or 請假).
pub(crate) fn sign_in_entries(
    table: &[Vec<String>],
    sessions: &[Session],
    enrollment_accounts: &HashMap<i32, i32>,
) -> Result<Vec<AttendanceEntry>, FieldErrors> {
    let cell = |row: &Vec<String>, column: usize| {
        row.get(column)
            .map(|c| c.trim())
            .unwrap_or_default()
            .to_owned()
    };
    let Some(header_index) = table
        .iter()
        .position(|row| row.iter().any(|c| c.trim() == "報名編號"))
    else {
        return Err(FieldErrors::single(
            "file",
            "not_a_sign_in_sheet",
            "這不是本系統匯出的簽到表（找不到「報名編號」欄）",
        ));
    };
    let header = &table[header_index];
    let id_column = header
        .iter()
        .position(|c| c.trim() == "報名編號")
        .expect("found above");
    let signature_columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, c)| c.trim().ends_with("簽名"))
        .map(|(i, _)| i)
        .collect();
    if signature_columns.len() != sessions.len() {
        return Err(FieldErrors::single(
            "file",
            "wrong_session_count",
            format!(
                "簽到表有 {} 個簽名欄，課程有 {} 個場次；請下載最新的簽到表",
                signature_columns.len(),
                sessions.len()
            ),
        ));
    }
    let note_column = header.iter().position(|c| c.trim() == "備註");
    let mut e = Collector::default();
    let mut entries = Vec::new();
    for (offset, row) in table[header_index + 1..].iter().enumerate() {
        let row_number = header_index + offset + 2;
        let id_text = cell(row, id_column);
        if id_text.is_empty() {
            continue;
        }
        let account = id_text
            .parse::<f64>()
            .ok()
            .filter(|n| n.fract() == 0.0)
            .and_then(|n| enrollment_accounts.get(&(n as i32)));
        let Some(account_id) = account else {
            e.check::<()>(Err(FieldErrors::single(
                format!("row {row_number}: 報名編號"),
                "unknown_enrollment",
                format!("報名編號 {id_text} 不在這門課程的錄取名單上"),
            )));
            continue;
        };
        let on_leave = note_column.is_some_and(|c| cell(row, c).contains("請假"));
        let signed: Vec<bool> = signature_columns
            .iter()
            .map(|c| !cell(row, *c).is_empty())
            .collect();
        let entry = if signed.iter().all(|s| *s) {
            AttendanceEntry {
                account_id: *account_id,
                mark: Mark::Attended,
                missed: Vec::new(),
            }
        } else if !signed.iter().any(|s| *s) {
            AttendanceEntry {
                account_id: *account_id,
                mark: if on_leave { Mark::Leave } else { Mark::Absent },
                missed: Vec::new(),
            }
        } else {
            let missed = signed
                .iter()
                .zip(sessions)
                .map(|(signed, session)| match (signed, on_leave) {
                    (true, _) => Missed::default(),
                    (false, true) => Missed {
                        unexcused_minutes: 0,
                        leave_minutes: session.minutes(),
                    },
                    (false, false) => Missed {
                        unexcused_minutes: session.minutes(),
                        leave_minutes: 0,
                    },
                })
                .collect();
            AttendanceEntry {
                account_id: *account_id,
                mark: Mark::Attended,
                missed,
            }
        };
        entries.push(entry);
    }
    e.finish()?;
    if entries.is_empty() {
        return Err(FieldErrors::single(
            "file",
            "empty_sheet",
            "簽到表上沒有任何報名編號",
        ));
    }
    Ok(entries)
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
    if !content_type.starts_with(super::xlsx::XLSX_TYPE) && !body.starts_with(b"PK\x03\x04") {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    fn sessions() -> Vec<Session> {
        let day = NaiveDate::from_ymd_opt(2026, 12, 19).unwrap();
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        vec![
            Session {
                date: day,
                starts_at: at(9),
                ends_at: at(12),
            },
            Session {
                date: day,
                starts_at: at(13),
                ends_at: at(16),
            },
        ]
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    const HEADER: &[&str] = &[
        "報名編號",
        "序號",
        "姓名",
        "服務單位",
        "職稱",
        "2026-12-19 09:00–12:00 簽名",
        "2026-12-19 13:00–16:00 簽名",
        "備註",
    ];

    #[test]
    fn signatures_become_attendance_and_notes_saying_leave_become_leave() {
        let accounts = HashMap::from([(11, 101), (12, 102), (13, 103), (14, 104), (15, 105)]);
        let entries = sign_in_entries(
            &table(&[
                &["研習簽到表"],
                &[],
                HEADER,
                &["11", "1", "甲", "", "", "甲", "甲", ""],
                &["12", "2", "乙", "", "", "", "", ""],
                &["13", "3", "丙", "", "", "", "", "請假"],
                &["14", "4", "丁", "", "", "丁", "", ""],
                &["15.0", "5", "戊", "", "", "", "戊", "下午請假"],
                &["", "6", "", "", "", "", "", ""],
            ]),
            &sessions(),
            &accounts,
        )
        .unwrap();
        let marks: Vec<(i32, Mark)> = entries.iter().map(|e| (e.account_id, e.mark)).collect();
        assert_eq!(
            marks,
            [
                (101, Mark::Attended),
                (102, Mark::Absent),
                (103, Mark::Leave),
                (104, Mark::Attended),
                (105, Mark::Attended)
            ]
        );
        assert!(entries[0].missed.is_empty());
        assert_eq!(entries[3].missed[1].unexcused_minutes, 180);
        assert_eq!(entries[4].missed[0].leave_minutes, 180);
    }

    #[test]
    fn foreign_sheets_and_unknown_rows_are_refused_with_their_row() {
        let accounts = HashMap::from([(11, 101)]);
        let error = sign_in_entries(&table(&[&["姓名"]]), &sessions(), &accounts).unwrap_err();
        assert_eq!(error.0[0].code, "not_a_sign_in_sheet");
        let error = sign_in_entries(
            &table(&[HEADER, &["99", "1", "甲", "", "", "甲", "甲", ""]]),
            &sessions(),
            &accounts,
        )
        .unwrap_err();
        assert_eq!(error.0[0].field, "row 2: 報名編號");
        let error = sign_in_entries(
            &table(&[&["報名編號", "一 簽名"], &["11", "x"]]),
            &sessions(),
            &accounts,
        )
        .unwrap_err();
        assert_eq!(error.0[0].code, "wrong_session_count");
    }

    #[test]
    fn lines_are_checked_where_they_stand() {
        let input = vec![
            AttendanceEntryDto {
                account_id: 1,
                mark: "present".into(),
                sessions: vec![],
            },
            AttendanceEntryDto {
                account_id: 2,
                mark: "attended".into(),
                sessions: vec![
                    MissedDto {
                        unexcused_minutes: 200,
                        leave_minutes: 0,
                    },
                    MissedDto::default(),
                ],
            },
            AttendanceEntryDto {
                account_id: 2,
                mark: "absent".into(),
                sessions: vec![],
            },
        ];
        let error = parse_entries(&input, &sessions()).unwrap_err();
        let fields: Vec<&str> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "entries[0].mark",
                "entries[1].sessions[0]",
                "entries[2].account_id"
            ]
        );
        assert_eq!(
            parse_entries(&[], &sessions()).unwrap_err().0[0].code,
            "required"
        );
    }
}
