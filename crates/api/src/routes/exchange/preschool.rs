//! The preschool platform's monthly export: run on the 15th by the scheduler (or by hand by the
//! national centre, with a dry run), fetched by the platform with its key; and the exchange
//! format's workbook template.

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use inservice_domain::exchange::RECORD_COLUMNS;
use inservice_persistence::exchange::{BatchMeta, Partner};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::PartnerAdmin;
use super::batches::report_dto;
use super::retrieval::{page_xml, parse_limit, record_dto};
use crate::AppState;
use crate::dto::*;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem, ProblemCode};
use crate::partner_auth::ExchangeCaller;
use crate::routes::courses::views::taipei_time;
use crate::routes::xlsx::xlsx_response;

async fn preschool_partner(state: &AppState) -> AppResult<Partner> {
    state
        .db
        .partner_by_code(&state.preschool_partner)
        .await?
        .ok_or_else(|| AppError::NotFound {
            code: ProblemCode::PartnerNotFound,
            detail: format!(
                "尚未登錄幼教平臺（合作系統代碼 {}）。",
                state.preschool_partner
            ),
        })
}

/// Runs the preschool export now: every counted record of a kindergarten teacher not exported
/// yet goes into a new batch (`dry_run=true`: only counts them). The scheduler runs it on the
/// 15th of each month.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(BatchQuery),
    responses(
        (status = 200, description = "A dry run: what would go.", body = BatchReportDto),
        (status = 201, description = "The batch written (0 records when nothing was due).", body = BatchReportDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "The preschool platform is not registered (`partner_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/preschool-exports")]
pub async fn run(
    state: web::Data<AppState>,
    admin: PartnerAdmin,
    query: web::Query<BatchQuery>,
) -> AppResult<HttpResponse> {
    let dry_run = matches!(query.dry_run.as_deref(), Some("true") | Some("1"));
    let partner = preschool_partner(&state).await?;
    let now = Utc::now();
    let meta = BatchMeta {
        kind: "preschool_export".into(),
        format: "json".into(),
        dry_run,
        file_name: None,
        run_by_account: Some(admin.0.account_id),
        run_by_key: None,
        started_at: now,
    };
    let outcome = state.db.preschool_export(&partner, meta, now).await?;
    let entry = state
        .db
        .batch(outcome.batch_id)
        .await?
        .ok_or_else(|| AppError::Internal("a logged batch is gone".into()))?;
    let report = report_dto(&entry);
    Ok(if dry_run {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::Created().json(report)
    })
}

/// The preschool export's batches, newest first: the platform (by its key) or the national
/// centre.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The batches.", body = PreschoolBatchListDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither the preschool platform nor the national centre.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The preschool platform is not registered.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/preschool-exports")]
pub async fn batches(
    state: web::Data<AppState>,
    caller: ExchangeCaller,
) -> AppResult<web::Json<PreschoolBatchListDto>> {
    let partner = allowed(&state, &caller).await?;
    let items = state
        .db
        .preschool_batches(&partner)
        .await?
        .into_iter()
        .map(|b| PreschoolBatchDto {
            id: b.id,
            created_at: taipei_time(b.created_at),
            records: b.records,
            run_by: b
                .run_by_account
                .map(|_| "staff".to_owned())
                .or(Some("schedule".into())),
        })
        .collect();
    Ok(web::Json(PreschoolBatchListDto { items }))
}

async fn allowed(state: &AppState, caller: &ExchangeCaller) -> AppResult<Partner> {
    if let ExchangeCaller::Staff(actor) = caller
        && !super::is_partner_admin(actor)
    {
        return Err(AppError::Forbidden {
            code: ProblemCode::NationalAdminRequired,
            detail: "只有幼教平臺與國家中心可以讀取此匯出。".into(),
        });
    }
    let partner = preschool_partner(state).await?;
    let ok = match caller {
        ExchangeCaller::Partner(p) => p.partner.id == partner.id,
        ExchangeCaller::Staff(actor) => super::is_partner_admin(actor),
    };
    if ok {
        Ok(partner)
    } else {
        Err(AppError::Forbidden {
            code: ProblemCode::NotPermitted,
            detail: "只有幼教平臺與國家中心可以讀取此匯出。".into(),
        })
    }
}

/// One export batch's records, paginated by `cursor` (the last record id of the previous
/// page); `Accept: application/xml` answers in XML.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    params(("id" = i32, Path, description = "The batch's id."), RetrievalQuery),
    responses(
        (status = 200, description = "One page.", content((RetrievalPageDto = "application/json"), (String = "application/xml"))),
        (status = 400, description = "A bad cursor or limit.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither the preschool platform nor the national centre.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The preschool platform is not registered.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/preschool-exports/{id}/records")]
pub async fn batch_records(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    caller: ExchangeCaller,
    path: web::Path<i32>,
    query: web::Query<RetrievalQuery>,
) -> AppResult<HttpResponse> {
    allowed(&state, &caller).await?;
    let after =
        crate::routes::params::parse_integer("cursor", query.cursor.as_deref())?.unwrap_or(0);
    let limit = parse_limit(query.limit.as_deref())?;
    let (records, has_more) = state
        .db
        .preschool_batch_records(
            path.into_inner(),
            i32::try_from(after).unwrap_or(i32::MAX),
            limit,
            &state.vault,
        )
        .await?;
    let next = records.last().map_or(after as i64, |r| i64::from(r.id));
    let page = RetrievalPageDto {
        items: records.into_iter().map(record_dto).collect(),
        next_cursor: next.to_string(),
        has_more,
    };
    let xml = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("xml"));
    if xml {
        return Ok(HttpResponse::Ok()
            .content_type("application/xml; charset=utf-8")
            .body(page_xml(&page)?));
    }
    Ok(HttpResponse::Ok().json(page))
}

fn template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let sheet = book.add_worksheet();
    sheet.set_name("研習紀錄")?;
    for (column, c) in RECORD_COLUMNS.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, column, c.label, &header)?;
        sheet.set_column_width(column, 16)?;
    }
    let example = [
        "TP-2026-0315",
        "海洋教育融入教學研習",
        "",
        "臺北市立大安國民中學",
        "2026-03-15",
        "2026-03-15",
        "1",
        "junior_high",
        "1-1",
        "",
        "TP-2026-0315-001",
        "A123456789",
        "王小明",
        "3",
        "2026-03-15",
    ];
    for (column, value) in example.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.write_string(1, column, *value)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let help = book.add_worksheet();
    help.set_name("欄位說明")?;
    for (column, title) in ["欄位", "英文鍵", "必填", "說明"].iter().enumerate() {
        help.write_string_with_format(0, column as u16, *title, &header)?;
    }
    for (row, c) in RECORD_COLUMNS.iter().enumerate() {
        let row = u32::try_from(row + 1).unwrap_or(u32::MAX);
        help.write_string(row, 0, c.label)?;
        help.write_string(row, 1, c.key)?;
        help.write_string(row, 2, if c.required { "是" } else { "否" })?;
        help.write_string(row, 3, c.help)?;
    }
    help.autofit();
    book.save_to_buffer()
}

/// The exchange format's workbook template (版本 1): the header row in Chinese, an example row
/// to overwrite, and a sheet explaining each column.
#[utoipa::path(
    tag = "exchange",
    responses(
        (status = 200, description = "The template.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/template.xlsx")]
pub async fn workbook_template() -> AppResult<HttpResponse> {
    xlsx_response("exchange-template-v1.xlsx", template).await
}
