//! Base-data refresh (提供基本資料): a partner with the item `base_data` updates its teachers'
//! serving unit, job title and subjects in bulk, with the same dry run and report as records.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use inservice_domain::exchange::validate_base_row;
use inservice_persistence::exchange::BatchMeta;

use super::acting_partner;
use super::batches::{answer, batch_format, dry_run, file_problem_row, streamed_body};
use crate::AppState;
use crate::dto::*;
use crate::error::responses::Unavailable;
use crate::error::{AppError, AppResult, Problem};
use crate::partner_auth::ExchangeCaller;
use crate::uploads::exchange::{FileProblem, read_base_data};
use crate::uploads::{Reason, UploadError};

/// Teachers in one base-data batch (a county's teachers fit).
const MAX_BASE_ROWS: u64 = 200_000;

/// Updates teachers' base data: rows of `identity_number` with any of `unit_code`, `job_title`
/// (a code such as `15-4`) and `subjects` (`;`-separated); JSON (`{"format_version": "1",
/// "rows": […]}`), XML (`<exchange format_version="1"><row>…</row></exchange>`) or a workbook
/// (header: the keys or 身分證統一編號或居留證統一證號, 姓名, 服務單位代碼, 職稱代碼, 任教科目). A
/// teacher we do not know is reported (`unmatched`), not created; the previous values of every
/// change go to the audit log. A batch with a refused row writes nothing.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    params(BatchQuery),
    request_body(
        description = "The teachers' rows: JSON, XML or xlsx.",
        content(
            (String = "application/json"),
            (inline(FileBytes) = "application/xml"),
            (inline(FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ),
    ),
    responses(
        (status = 200, description = "A dry run's report.", body = BatchReportDto),
        (status = 201, description = "Applied; its report.", body = BatchReportDto),
        (status = 400, description = "The file is unreadable, or its columns or version are wrong.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No, an unknown or a revoked key, or not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An address outside the allow-list, a partner without `base_data`, or staff who may not act for the partner.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON, XML or xlsx.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows were refused (`batch_refused`, nothing written) or the file is over a limit.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the partner's rate.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/base-data")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: ExchangeCaller,
    query: web::Query<BatchQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let dry_run = dry_run(query.dry_run.as_deref())?;
    let (partner, by_account, by_key) =
        acting_partner(&state, &caller, query.partner.as_deref()).await?;
    if let ExchangeCaller::Partner(p) = &caller {
        p.require_item("base_data")?;
    }
    let format = batch_format(&req, "基本資料")?;
    let now = Utc::now();
    let (source, pump) = streamed_body(payload);
    let reading = web::block(move || {
        let mut rows = Vec::new();
        let mut over = false;
        let result = read_base_data(source, format, &mut |n, pairs| {
            if n > MAX_BASE_ROWS {
                over = true;
                return false;
            }
            rows.push((n, pairs.and_then(|p| validate_base_row(&p))));
            true
        });
        let result = if over {
            Err(FileProblem::Upload(UploadError::rejected(
                Reason::TooManyRows,
                format!("一個基本資料批次最多 {MAX_BASE_ROWS} 位教師；請分批傳送。"),
            )))
        } else {
            result
        };
        (rows, result)
    });
    let ((), read) = futures_util::future::join(pump, reading).await;
    let (rows, read) =
        read.map_err(|e| AppError::Internal(format!("reading base data stopped: {e}")))?;
    let meta = BatchMeta {
        kind: "base_data".into(),
        format: format.code().into(),
        dry_run,
        file_name: query.name.as_deref().map(|n| n.chars().take(200).collect()),
        run_by_account: by_account,
        run_by_key: by_key,
        started_at: now,
    };
    let file_problem = read.as_ref().err().map(file_problem_row);
    let outcome = state
        .db
        .refresh_base_data(&partner, &state.vault, meta, rows, file_problem, Utc::now())
        .await?;
    answer(&state, &outcome, read).await
}
