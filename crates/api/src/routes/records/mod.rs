//! Teachers' training records (研習紀錄): the web page (no personal data), the official record
//! as a workbook, and transcripts with a verification code anyone can check.

pub mod attendance;
pub mod feedback;
pub mod roster_review;

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use inservice_domain::account::TeacherAction;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::codes::label;
use inservice_domain::course::form::CATEGORIES;
use inservice_domain::transcript::{mask_name, normalize_code, totals, verification_code};
use inservice_persistence::records::{TrainingRecord, Transcript, sha256_hex};
use rand::RngCore;
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::taipei_time;
use crate::routes::enrollments::calendar::qr_response;
use crate::routes::records::attendance::hours;
use crate::routes::xlsx::{cells, header_row, styles, xlsx_response};

fn category_label(code: &str) -> String {
    label(CATEGORIES, code).unwrap_or(code).to_owned()
}

fn total_dto(key: String, label: String, half_hours: u32, records: u64) -> TotalDto {
    TotalDto {
        key,
        label,
        hours: hours(half_hours),
        records,
    }
}

/// A teacher's records with their totals.
pub(crate) fn records_dto(all: &[TrainingRecord]) -> RecordsDto {
    use chrono::Datelike;
    // Totals count a record once: not while its county has to confirm it, nor a repeat of a
    // course counted from another source.
    let counted: Vec<&TrainingRecord> = all.iter().filter(|r| r.standing.counts()).collect();
    let records = &counted;
    let mut by_year: Vec<TotalDto> =
        totals(records.iter().map(|r| (r.end_date.year(), r.half_hours)))
            .into_iter()
            .map(|(year, h, n)| total_dto(year.to_string(), format!("{year} 年"), h, n))
            .collect();
    by_year.reverse();
    let by_category = totals(records.iter().map(|r| (r.category.clone(), r.half_hours)))
        .into_iter()
        .map(|(code, h, n)| total_dto(code.clone(), category_label(&code), h, n))
        .collect();
    let mut by_tag: Vec<TotalDto> = totals(
        records
            .iter()
            .flat_map(|r| r.tags.iter().map(|t| (t.clone(), r.half_hours))),
    )
    .into_iter()
    .map(|(tag, h, n)| total_dto(tag.clone(), tag, h, n))
    .collect();
    by_tag.sort_by(|a, b| b.hours.total_cmp(&a.hours).then(a.key.cmp(&b.key)));
    RecordsDto {
        items: all
            .iter()
            .map(|r| RecordDto {
                course_code: r.course_id,
                partner_course_id: r.partner_course_id.clone(),
                standing: r.standing.code().to_owned(),
                course_name: r.course_name.clone(),
                unit_name: r.unit_name.clone(),
                start_date: r.start_date,
                end_date: r.end_date,
                hours: hours(r.half_hours),
                category: r.category.clone(),
                category_label: category_label(&r.category),
                tags: r.tags.clone(),
                source: r.source.clone(),
            })
            .collect(),
        total_hours: hours(records.iter().map(|r| r.half_hours).sum()),
        by_year,
        by_category,
        by_tag,
    }
}

fn reader(actor: &Actor) -> AppResult<()> {
    actor.authorize(
        Action::Teacher(TeacherAction::ReadRecords),
        &Target::Nothing,
    )?;
    Ok(())
}

/// The signed-in teacher's confirmed training records with totals by year, category and tag.
/// Nothing on it identifies the teacher.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The records.", body = RecordsDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a teacher account.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me/records")]
pub async fn mine(state: web::Data<AppState>, actor: Actor) -> AppResult<web::Json<RecordsDto>> {
    reader(&actor)?;
    let records = state.db.training_records(actor.account_id).await?;
    Ok(web::Json(records_dto(&records)))
}

fn record_workbook(
    name: &str,
    personal_number: &str,
    printed: &str,
    records: &RecordsDto,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let s = styles();
    let sheet = book.add_worksheet();
    sheet.set_name("研習時數紀錄")?;
    sheet.write_string_with_format(0, 0, "教師在職進修研習時數紀錄", &s.title)?;
    sheet.write_string_with_format(
        1,
        0,
        format!("姓名：{name}　教師個人專用識別號碼：{personal_number}"),
        &s.text,
    )?;
    sheet.write_string_with_format(
        2,
        0,
        format!("列印時間：{printed}　總時數：{} 小時", records.total_hours),
        &s.text,
    )?;
    let headers = [
        "課程代碼",
        "課程名稱",
        "開課單位",
        "開始日期",
        "結束日期",
        "時數",
        "進修範疇",
        "屬性標籤",
        "來源",
    ]
    .map(String::from);
    header_row(sheet, &s, 4, &headers)?;
    for (i, r) in records.items.iter().enumerate() {
        let row = 5 + i as u32;
        cells(
            sheet,
            &s,
            row,
            &[
                r.course_code
                    .map(|c| c.to_string())
                    .or_else(|| r.partner_course_id.clone())
                    .unwrap_or_default(),
                r.course_name.clone(),
                r.unit_name.clone(),
                r.start_date.to_string(),
                r.end_date.to_string(),
            ],
        )?;
        sheet.write_number_with_format(row, 5, r.hours, &s.cell)?;
        for (column, value) in [
            (6, r.category_label.clone()),
            (7, r.tags.join("、")),
            (
                8,
                if r.source == "online" {
                    "本平臺".into()
                } else {
                    r.source.clone()
                },
            ),
        ] {
            sheet.write_string_with_format(row, column, value, &s.cell)?;
        }
    }
    sheet.autofit();
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(4, 4)?;
    let summary = book.add_worksheet();
    summary.set_name("時數統計")?;
    header_row(
        summary,
        &s,
        0,
        &["統計".into(), "項目".into(), "時數".into(), "筆數".into()],
    )?;
    let mut row = 1;
    for (group, list) in [
        ("年度", &records.by_year),
        ("進修範疇", &records.by_category),
        ("屬性標籤", &records.by_tag),
    ] {
        for total in list {
            cells(summary, &s, row, &[group.to_owned(), total.label.clone()])?;
            summary.write_number_with_format(row, 2, total.hours, &s.cell)?;
            summary.write_number_with_format(row, 3, total.records as f64, &s.cell)?;
            row += 1;
        }
    }
    summary.autofit();
    book.save_to_buffer()
}

/// The official record as a workbook: every confirmed record with the teacher's name and
/// personal number, and a second sheet of totals.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The workbook.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a teacher account.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me/records.xlsx")]
pub async fn workbook(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    reader(&actor)?;
    let account = state
        .db
        .account(actor.account_id)
        .await?
        .ok_or_else(|| AppError::Internal("the signed-in account is gone".into()))?;
    let records = records_dto(&state.db.training_records(actor.account_id).await?);
    let printed = taipei_time(Utc::now()).format("%Y-%m-%d %H:%M").to_string();
    let name = account.real_name;
    let number = account.personal_number.unwrap_or_default();
    xlsx_response("training-records.xlsx", move || {
        record_workbook(&name, &number, &printed, &records)
    })
    .await
}

/// What a transcript says, exactly as stored and hashed.
#[derive(Debug, Serialize, Deserialize)]
struct TranscriptContent {
    holder_name: String,
    personal_number: Option<String>,
    records: RecordsDto,
}

fn transcript_dto(state: &AppState, transcript: Transcript) -> AppResult<TranscriptDto> {
    let content: TranscriptContent = serde_json::from_str(&transcript.content).map_err(|e| {
        AppError::Internal(format!("transcript {} unreadable: {e}", transcript.code))
    })?;
    Ok(TranscriptDto {
        verify_url: verify_url(state, &transcript.code),
        intact: sha256_hex(&transcript.content) == transcript.sha256,
        code: transcript.code,
        issued_at: taipei_time(transcript.issued_at),
        holder_name: content.holder_name,
        personal_number: content.personal_number,
        records: content.records,
        sha256: transcript.sha256,
    })
}

/// Issues a transcript (研習時數證明) of the signed-in teacher's records as they stand now: a
/// snapshot under a verification code, for the printable page. The name is masked, as the
/// public verification page shows it.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The transcript.", body = TranscriptDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a teacher account.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/me/transcripts")]
pub async fn issue(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    reader(&actor)?;
    let account = state
        .db
        .account(actor.account_id)
        .await?
        .ok_or_else(|| AppError::Internal("the signed-in account is gone".into()))?;
    let content = TranscriptContent {
        holder_name: mask_name(&account.real_name),
        personal_number: account.personal_number,
        records: records_dto(&state.db.training_records(actor.account_id).await?),
    };
    let text = serde_json::to_string(&content)
        .map_err(|e| AppError::Internal(format!("transcript not serialisable: {e}")))?;
    let mut random = [0u8; 10];
    rand::rng().fill_bytes(&mut random);
    let transcript = state
        .db
        .issue_transcript(
            actor.account_id,
            &verification_code(random),
            &text,
            Utc::now(),
        )
        .await?;
    Ok(HttpResponse::Created().json(transcript_dto(&state, transcript)?))
}

/// Verifies a transcript: anyone with the code sees what it said when issued (records, hours,
/// masked name and personal number), and whether the stored content is intact.
#[utoipa::path(
    tag = "records",
    params(("code" = String, Path, description = "Verification code, `XXXX-XXXX-XXXX-XXXX` (any case, dashes optional).")),
    responses(
        (status = 200, description = "The transcript as issued.", body = TranscriptDto),
        (status = 404, description = "`transcript_not_found`: no transcript has this code.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/transcripts/{code}")]
pub async fn verify(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<TranscriptDto>> {
    let transcript = stored_transcript(&state, &code).await?;
    Ok(web::Json(transcript_dto(&state, transcript)?))
}

/// A QR code (SVG) of the transcript's verification URL, printed on the transcript so a reader
/// can check it from a phone.
#[utoipa::path(
    tag = "records",
    params(("code" = String, Path, description = "Verification code, `XXXX-XXXX-XXXX-XXXX` (any case, dashes optional).")),
    responses(
        (status = 200, description = "An SVG image of the verification URL.", content_type = "image/svg+xml"),
        (status = 404, description = "`transcript_not_found`: no transcript has this code.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/transcripts/{code}/qr.svg")]
pub async fn verify_qr(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let transcript = stored_transcript(&state, &code).await?;
    qr_response(&verify_url(&state, &transcript.code))
}

async fn stored_transcript(state: &AppState, typed: &str) -> AppResult<Transcript> {
    let not_found = || AppError::NotFound {
        code: ProblemCode::TranscriptNotFound,
        detail: "查無此驗證碼；請確認輸入的驗證碼與證明上的相同。".into(),
    };
    let code = normalize_code(typed).ok_or_else(not_found)?;
    state.db.transcript(&code).await?.ok_or_else(not_found)
}

fn verify_url(state: &AppState, code: &str) -> String {
    format!("{}/verify/{code}", state.public_url)
}
