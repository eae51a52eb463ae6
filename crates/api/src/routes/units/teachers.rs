//! 本單位教師帳號管理 and 教師資料登錄: a unit's teacher accounts.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use inservice_domain::UnitCode;
use inservice_domain::account::{self, AccountKind, AccountStatus, EnteredTeacher};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::notice;
use inservice_persistence::accounts::{Account, CreateAccountError, NewAccount};
use inservice_persistence::audit::AuditEntry;
use rand::RngCore;

use crate::AppState;
use crate::auth::{Actor, hash_password, new_opaque_token};
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable, UnitNotFound};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::accounts::auth::client_ip;

async fn checked_unit(state: &AppState, code: &str) -> AppResult<String> {
    let code = UnitCode::parse_field("code", code)?;
    match state.db.unit_ref(code.as_str()).await? {
        Some(unit) => Ok(unit.code),
        None => Err(AppError::NotFound {
            code: ProblemCode::UnitNotFound,
            detail: format!("找不到代碼為 {code} 的單位。"),
        }),
    }
}

/// Lists and searches the unit's teacher accounts.
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code."), TeacherQuery),
    responses(
        (status = 200, description = "One page of the unit's teachers.", body = UnitTeacherPage),
        (status = 400, description = "Bad paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/teachers")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
    query: web::Query<TeacherQuery>,
) -> AppResult<web::Json<UnitTeacherPage>> {
    let unit = checked_unit(&state, &code).await?;
    actor.authorize(Action::ManageUnitTeachers, &Target::Unit(&unit))?;
    let page = crate::routes::params::parse_page(query.page.as_deref(), query.per_page.as_deref())?;
    let result = state
        .db
        .unit_teachers(&unit, query.q.as_deref(), page)
        .await?;
    Ok(web::Json(UnitTeacherPage {
        items: result.items.into_iter().map(IntoWire::into_wire).collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

const EXPORT_LIMIT: u64 = 100;

/// Builds the workbook of a unit's teachers; identity numbers are masked here too.
fn teachers_workbook(teachers: &[Account]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("本單位教師")?;
    let bold = Format::new().set_bold();
    let headers = [
        "帳號",
        "姓名",
        "身分證號",
        "教師個人專用識別號碼",
        "職稱",
        "任教科目",
        "電子郵件",
        "電話",
        "最後登入",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &bold)?;
    }
    for (index, teacher) in teachers.iter().enumerate() {
        let row = index as u32 + 1;
        let title = teacher
            .job_title
            .as_deref()
            .and_then(account::job_title_label)
            .unwrap_or("");
        let last_login = teacher
            .last_login_at
            .map(|t| {
                t.with_timezone(&inservice_domain::course::schedule::TAIPEI)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let cells = [
            teacher.account_name.as_str(),
            teacher.real_name.as_str(),
            teacher.identity_masked.as_str(),
            teacher.personal_number.as_deref().unwrap_or(""),
            title,
            &teacher.subjects.join("、"),
            teacher.email.as_str(),
            teacher.phone.as_deref().unwrap_or(""),
            &last_login,
        ];
        for (column, value) in cells.iter().enumerate() {
            sheet.write_string(row, column as u16, *value)?;
        }
    }
    sheet.autofit();
    workbook.save_to_buffer()
}

/// Downloads the unit's teacher accounts as an Excel workbook (.xlsx).
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The workbook.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/teachers.xlsx")]
pub async fn export(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let unit = checked_unit(&state, &code).await?;
    actor.authorize(Action::ManageUnitTeachers, &Target::Unit(&unit))?;
    let mut teachers = Vec::new();
    for page_number in 1.. {
        let page = inservice_domain::PageRequest {
            page: page_number,
            per_page: EXPORT_LIMIT,
        };
        let result = state.db.unit_teachers(&unit, None, page).await?;
        let done = result.items.len() < EXPORT_LIMIT as usize;
        teachers.extend(result.items);
        if done {
            break;
        }
    }
    let bytes = web::block(move || teachers_workbook(&teachers))
        .await
        .map_err(|e| AppError::Internal(format!("export cancelled: {e}")))?
        .map_err(|e| AppError::Internal(format!("cannot build the workbook: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"teachers-{unit}.xlsx\""),
        ))
        .insert_header(("cache-control", "no-store"))
        .body(bytes))
}

/// 教師資料登錄: enters a teacher by identity number. An existing teacher without a unit (or
/// already in this one) joins the unit with the given job title; a person without an account
/// gets one, and an e-mail with a link to set their password.
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    request_body = TeacherEntry,
    responses(
        (status = 200, description = "The existing teacher, now in this unit.", body = UnitTeacherDto),
        (status = 201, description = "A new teacher account in this unit.", body = UnitTeacherDto),
        (status = 400, description = "A field is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller may not enter teachers for this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 409, description = "`teacher_in_other_unit`: the other unit must transfer the teacher out first; `identity_name_mismatch`: the number has an account under another name.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many look-ups by identity number.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/units/{code}/teachers")]
pub async fn enter(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<String>,
    body: web::Json<TeacherEntry>,
) -> AppResult<HttpResponse> {
    let unit = checked_unit(&state, &code).await?;
    actor.authorize(Action::EnterTeacherData, &Target::Unit(&unit))?;
    let form = body.into_inner();
    let entry = account::check_teacher_entry(
        &form.national_id,
        &form.real_name,
        &form.email,
        &form.job_title,
    )?;
    let audit = |summary: String, target: Option<i32>| AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: "unit.teacher_entry".into(),
        target_kind: "account".into(),
        target_id: target.map(|id| id.to_string()),
        summary,
        ip: Some(client_ip(&req).to_string()),
    };
    // Entry by identity number must not become a way to learn whose number it is: limited per
    // manager, and an existing account joins only when the entered name is its name.
    state.throttles.identity_lookup(actor.account_id)?;
    match state
        .db
        .teacher_by_identity(&entry.identity, &state.vault)
        .await?
    {
        Some(existing) => join_existing(&state, &unit, existing, &entry, audit).await,
        None => create_entered(&state, &unit, entry, audit).await,
    }
}

/// How long the link to set the password of an entered teacher's new account works.
const SET_PASSWORD_DAYS: i64 = 3;

/// An entered teacher who has an account joins the unit, if not in another one and if the
/// entered name is the account's.
async fn join_existing(
    state: &AppState,
    unit: &str,
    existing: Account,
    entry: &EnteredTeacher,
    audit: impl Fn(String, Option<i32>) -> AuditEntry,
) -> AppResult<HttpResponse> {
    let current = existing.unit.as_ref().map(|u| u.code.clone());
    if current.as_deref().is_some_and(|c| c != unit) {
        return Err(AppError::Conflict {
            code: ProblemCode::TeacherInOtherUnit,
            detail: "這位教師目前在其他服務單位，請原單位先辦理調出，或由教師本人申請變更。".into(),
        });
    }
    if existing.real_name.trim() != entry.real_name.trim() {
        return Err(AppError::Conflict {
            code: ProblemCode::IdentityNameMismatch,
            detail: "這個身分證號已有帳號，但姓名與輸入的不同；請確認教師的姓名，或請教師本人申請加入本單位。"
                .into(),
        });
    }
    let moved = state
        .db
        .move_teacher(
            existing.id,
            current.as_deref(),
            Some(unit),
            Some(&entry.job_title),
            audit(
                format!("{} entered into {unit}", existing.account_name),
                Some(existing.id),
            ),
            Utc::now(),
        )
        .await?;
    state.sessions.forget_account(existing.id);
    if !moved {
        return Err(AppError::Conflict {
            code: ProblemCode::AccountStateChanged,
            detail: "教師資料剛被其他人變更，請重新整理。".into(),
        });
    }
    Ok(HttpResponse::Ok().json(changed_teacher(state, existing.id).await?))
}

/// A new account for an entered teacher: a name from the personal number, a random password
/// nobody knows, and a mailed link to set one.
async fn create_entered(
    state: &AppState,
    unit: &str,
    entry: EnteredTeacher,
    audit: impl Fn(String, Option<i32>) -> AuditEntry,
) -> AppResult<HttpResponse> {
    let EnteredTeacher {
        identity,
        real_name,
        email,
        job_title,
    } = entry;
    let now = Utc::now();
    let mut random = [0u8; 24];
    rand::rng().fill_bytes(&mut random);
    let password_hash = hash_password(format!("{random:?}")).await?;
    for _ in 0..3 {
        let number = account::personal_number(rand::rng().next_u64());
        let new = NewAccount {
            account_name: number.to_lowercase(),
            kind: AccountKind::Teacher,
            status: AccountStatus::Active,
            real_name: real_name.clone(),
            identity: identity.clone(),
            birth_date: None,
            gender: None,
            email: email.clone(),
            phone: None,
            unit_code: Some(unit.to_owned()),
            requested_unit_code: None,
            account_type: None,
            job_title: Some(job_title.clone()),
            subjects: Vec::new(),
            personal_number: Some(number.clone()),
            password_hash: password_hash.clone(),
            consent_version: None,
        };
        let created = match state
            .db
            .create_account(
                new,
                &state.vault,
                now,
                Some(audit(
                    format!("account {} created by unit {unit}", number.to_lowercase()),
                    None,
                )),
            )
            .await
        {
            Ok(account) => account,
            Err(
                CreateAccountError::DuplicatePersonalNumber | CreateAccountError::DuplicateName,
            ) => continue,
            Err(CreateAccountError::DuplicateIdentity) => {
                return Err(AppError::Conflict {
                    code: ProblemCode::AccountStateChanged,
                    detail: "這位教師的帳號剛被建立，請重新查詢。".into(),
                });
            }
            Err(CreateAccountError::Storage(e)) => return Err(e.into()),
        };
        let (token, hash) = new_opaque_token();
        let link = format!("{}/reset-password?token={token}", state.public_url);
        let mail = notice::teacher_account_created(
            &real_name,
            &created.account_name,
            &link,
            SET_PASSWORD_DAYS,
        );
        state
            .db
            .create_password_reset(
                created.id,
                &hash,
                now + Duration::days(SET_PASSWORD_DAYS),
                (&created.email, mail.subject, &mail.body),
                now,
            )
            .await?;
        return Ok(HttpResponse::Created().json(UnitTeacherDto::from_stored(created)));
    }
    Err(AppError::Internal(
        "could not allocate a personal number".into(),
    ))
}

/// Transfers a teacher out of the unit (調出): the teacher keeps the account and records and
/// becomes 無服務學校 until a new unit takes them in.
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code."), ("id" = i32, Path, description = "Teacher account id.")),
    responses(
        (status = 200, description = "The teacher, now without a unit.", body = UnitTeacherDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit, or the teacher is not in it.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/units/{code}/teachers/{id}/transfer-out")]
pub async fn transfer_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i32)>,
) -> AppResult<web::Json<UnitTeacherDto>> {
    let (code, id) = path.into_inner();
    let unit = checked_unit(&state, &code).await?;
    actor.authorize(Action::ManageUnitTeachers, &Target::Unit(&unit))?;
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: "unit.teacher_transfer_out".into(),
        target_kind: "account".into(),
        target_id: Some(id.to_string()),
        summary: format!("teacher {id} transferred out of {unit}"),
        ip: Some(client_ip(&req).to_string()),
    };
    let moved = state
        .db
        .move_teacher(id, Some(&unit), None, None, audit, Utc::now())
        .await?;
    state.sessions.forget_account(id);
    if !moved {
        return Err(AppError::NotFound {
            code: ProblemCode::TeacherNotInUnit,
            detail: "這位教師不在本單位。".into(),
        });
    }
    Ok(web::Json(changed_teacher(&state, id).await?))
}

/// Teachers asking to join the unit (their serving-unit requests).
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The requesting teachers, oldest request first.", body = UnitTeacherPage),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/teacher-requests")]
pub async fn requests(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
) -> AppResult<web::Json<UnitTeacherPage>> {
    let unit = checked_unit(&state, &code).await?;
    actor.authorize(Action::ManageUnitTeachers, &Target::Unit(&unit))?;
    let items: Vec<UnitTeacherDto> = state
        .db
        .unit_requests(&unit)
        .await?
        .into_iter()
        .map(IntoWire::into_wire)
        .collect();
    let total = items.len() as u64;
    Ok(web::Json(UnitTeacherPage {
        items,
        total,
        page: 1,
        per_page: total.max(1),
    }))
}

async fn decide_request(
    state: &AppState,
    req: &HttpRequest,
    actor: &Actor,
    code: &str,
    id: i32,
    accept: bool,
) -> AppResult<web::Json<UnitTeacherDto>> {
    let unit = checked_unit(state, code).await?;
    actor.authorize(Action::ManageUnitTeachers, &Target::Unit(&unit))?;
    let verb = if accept { "accept" } else { "decline" };
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: format!("unit.teacher_request_{verb}"),
        target_kind: "account".into(),
        target_id: Some(id.to_string()),
        summary: format!("{verb} teacher {id}'s request to join {unit}"),
        ip: Some(client_ip(req).to_string()),
    };
    let decided = state
        .db
        .decide_unit_request(id, &unit, accept, audit, Utc::now())
        .await?;
    state.sessions.forget_account(id);
    if !decided {
        return Err(AppError::NotFound {
            code: ProblemCode::RequestNotFound,
            detail: "這位教師沒有申請加入本單位，或申請已處理。".into(),
        });
    }
    Ok(web::Json(changed_teacher(state, id).await?))
}

/// Accepts a teacher's request: the teacher's serving unit becomes this unit.
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code."), ("id" = i32, Path, description = "Teacher account id.")),
    responses(
        (status = 200, description = "The teacher, now in this unit.", body = UnitTeacherDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit or request.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/units/{code}/teacher-requests/{id}/accept")]
pub async fn accept_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i32)>,
) -> AppResult<web::Json<UnitTeacherDto>> {
    let (code, id) = path.into_inner();
    decide_request(&state, &req, &actor, &code, id, true).await
}

/// Declines a teacher's request; the teacher stays where they are.
#[utoipa::path(
    tag = "unit management",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code."), ("id" = i32, Path, description = "Teacher account id.")),
    responses(
        (status = 200, description = "The teacher, request withdrawn.", body = UnitTeacherDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit or request.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/units/{code}/teacher-requests/{id}/decline")]
pub async fn decline_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i32)>,
) -> AppResult<web::Json<UnitTeacherDto>> {
    let (code, id) = path.into_inner();
    decide_request(&state, &req, &actor, &code, id, false).await
}

/// The teacher as stored after a change the caller just made (it exists: the change succeeded).
async fn changed_teacher(state: &AppState, id: i32) -> AppResult<UnitTeacherDto> {
    let teacher = state
        .db
        .account(id)
        .await?
        .ok_or_else(|| AppError::Internal("teacher vanished".into()))?;
    Ok(teacher.into_wire())
}
