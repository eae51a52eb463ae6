//! Batches in the exchange format: sent by a partner's key or uploaded by staff for a partner,
//! read as they stream in (off the async workers), validated row by row and taken in within
//! one transaction; and the exchange log.

use std::collections::HashSet;
use std::io::{BufReader, Read};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use futures_util::StreamExt;
use inservice_domain::FieldErrors;
use inservice_persistence::exchange::{BatchEntry, BatchMeta, BatchOutcome, IngestRow, RowProblem};
use tokio::sync::mpsc;

use super::{acting_partner, bureau_county, is_partner_admin};
use crate::AppState;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::partner_auth::ExchangeCaller;
use crate::routes::courses::views::taipei_time;
use crate::uploads::UploadError;
use crate::uploads::exchange::{BatchFormat, FileProblem, RowResult, read_batch};

/// Rows handed from the reader to the database at a time.
const CHUNK_ROWS: usize = 5_000;
/// Row problems listed in a `batch_refused` problem (the batch's report keeps up to 1,000).
const LISTED_PROBLEMS: usize = 200;

/// A source over the request body's chunks as they arrive, for the blocking reader.
pub(crate) struct BodyReader {
    pub(crate) chunks: mpsc::Receiver<web::Bytes>,
    pub(crate) current: web::Bytes,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let n = self.current.len().min(buf.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

pub(crate) fn file_problem_row(problem: &FileProblem) -> RowProblem {
    let (field, code) = match problem {
        FileProblem::Upload(UploadError::Rejected { reason, .. }) => ("file", reason.code()),
        FileProblem::Upload(UploadError::Unreadable(_)) => ("file", "unreadable_file"),
        FileProblem::Shape(errors) => (
            errors.0.first().map_or("file", |e| e.field.as_str()),
            errors.0.first().map_or("invalid_file", |e| e.code),
        ),
    };
    RowProblem {
        row: 0,
        partner_record_id: None,
        field: field.to_owned(),
        code: code.to_owned(),
        message: problem.to_string(),
    }
}

fn problem_dto(p: &RowProblem) -> RowProblemDto {
    RowProblemDto {
        row: p.row,
        partner_record_id: p.partner_record_id.clone(),
        field: p.field.clone(),
        code: p.code.clone(),
        message: p.message.clone(),
    }
}

pub(crate) fn report_dto(entry: &BatchEntry) -> BatchReportDto {
    let c = &entry.outcome.counts;
    BatchReportDto {
        id: entry.id,
        partner_code: entry.partner_code.clone(),
        kind: entry.meta.kind.clone(),
        format: entry.meta.format.clone(),
        dry_run: entry.meta.dry_run,
        status: entry.outcome.status.clone(),
        rows: c.rows,
        created: c.created,
        updated: c.updated,
        unchanged: c.unchanged,
        unmatched: c.unmatched,
        refused: c.refused,
        duplicates: c.duplicates,
        problems: entry.outcome.problems.iter().map(problem_dto).collect(),
        problems_truncated: entry.outcome.problems_truncated,
        file_name: entry.meta.file_name.clone(),
        run_by: entry.run_by.clone(),
        started_at: taipei_time(entry.meta.started_at),
        duration_ms: entry.duration_ms,
    }
}

pub(crate) fn dry_run(value: Option<&str>) -> AppResult<bool> {
    match value.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => {
            Err(
                FieldErrors::single("dry_run", "not_a_boolean", "dry_run 必須是 true 或 false")
                    .into(),
            )
        }
    }
}

/// Sends a batch of records in the exchange format: JSON (`application/json`), XML
/// (`application/xml`) or a workbook (the xlsx template). Each row is checked; a dry run
/// reports what would be created, updated, left unchanged, kept unmatched or refused, and
/// writes nothing. A committed batch is idempotent on the partner's record ids: the same batch
/// again changes nothing; a corrected row updates its record and keeps the previous values.
/// A batch with any refused row writes nothing (`batch_refused`).
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    params(BatchQuery),
    request_body(
        description = "The batch: JSON as below, the same rows as XML (`<exchange format_version=\"1\"><row>…</row></exchange>`), or the xlsx template.",
        content(
            (ExchangeBatchDto = "application/json"),
            (inline(FileBytes) = "application/xml"),
            (inline(FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ),
    ),
    responses(
        (status = 200, description = "A dry run's report.", body = BatchReportDto),
        (status = 201, description = "Committed; its report.", body = BatchReportDto),
        (status = 400, description = "The file is unreadable or its columns or version are wrong; nothing was written.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No, an unknown or a revoked key (`api_key_invalid`, `api_key_revoked`), or not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An address outside the allow-list (`address_not_allowed`), a disabled partner, a partner without the item `sends_records`, or staff who may not act for the partner.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partner (`partner_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON, XML or xlsx.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows were refused (`batch_refused`, nothing written; `errors` names them as `rows[12].hours`) or the file is over a limit.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the partner's rate.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/batches")]
pub async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: ExchangeCaller,
    query: web::Query<BatchQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let dry_run = dry_run(query.dry_run.as_deref())?;
    let (partner, by_account, by_key) =
        acting_partner(&state, &caller, query.partner.as_deref()).await?;
    // Staff uploading for a partner are held to what the partner itself may send.
    if !partner.fields.enabled {
        return Err(AppError::Forbidden {
            code: ProblemCode::PartnerDisabled,
            detail: "此合作系統已停用。".into(),
        });
    }
    if !partner.has_item("sends_records") {
        return Err(AppError::Forbidden {
            code: ProblemCode::CooperationItemMissing,
            detail: "此合作系統未申請「sends_records」合作項目。".into(),
        });
    }
    let format = batch_format(&req, "批次")?;
    let known_tags: HashSet<String> = state
        .db
        .attribute_tags()
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let now = Utc::now();
    let meta = BatchMeta {
        kind: "records".into(),
        format: format.code().into(),
        dry_run,
        file_name: query.name.as_deref().map(|n| n.chars().take(200).collect()),
        run_by_account: by_account,
        run_by_key: by_key,
        started_at: now,
    };
    let mut ingest = state
        .db
        .begin_ingest(&partner, &state.vault, meta, now)
        .await?;

    let (source, pump) = streamed_body(payload);
    let (rows_tx, mut rows_rx) = mpsc::channel::<Vec<(u64, RowResult)>>(4);
    let reading = web::block(move || {
        let mut pending: Vec<(u64, RowResult)> = Vec::with_capacity(CHUNK_ROWS);
        let mut open = true;
        let result = read_batch(source, format, &known_tags, &mut |row, result| {
            pending.push((row, result));
            if pending.len() >= CHUNK_ROWS {
                open = rows_tx.blocking_send(std::mem::take(&mut pending)).is_ok();
            }
            open
        });
        if open && !pending.is_empty() {
            let _ = rows_tx.blocking_send(pending);
        }
        result
    });
    let take_in = async {
        while let Some(rows) = rows_rx.recv().await {
            let mut valid = Vec::with_capacity(rows.len());
            for (row, result) in rows {
                match result {
                    Ok(facts) => valid.push(IngestRow { row, facts }),
                    Err((record_id, errors)) => ingest.refuse(row, record_id.as_deref(), &errors),
                }
            }
            ingest.rows(valid).await?;
        }
        Ok::<(), AppError>(())
    };
    let ((), taken) = futures_util::future::join(pump, take_in).await;
    let read = reading
        .await
        .map_err(|e| AppError::Internal(format!("reading a batch stopped: {e}")))?;
    taken?;
    let file_problem = read.as_ref().err().map(file_problem_row);
    let outcome = ingest.finish(dry_run, file_problem).await?;
    answer(&state, &outcome, read).await
}

/// The format a batch's `Content-Type` names (`what` words the refusal).
pub(crate) fn batch_format(req: &HttpRequest, what: &str) -> AppResult<BatchFormat> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(BatchFormat::of_content_type)
        .ok_or_else(|| AppError::UnsupportedMediaType {
            detail: format!("請以 application/json、application/xml 或 xlsx 傳送{what}。"),
        })
}

/// The request body as a source for a blocking reader, and the future that feeds it as the
/// body arrives (a reader that stopped ends the feeding). Poll the future beside the reader.
pub(crate) fn streamed_body(
    mut payload: web::Payload,
) -> (BufReader<BodyReader>, impl std::future::Future<Output = ()>) {
    let (chunk_tx, chunk_rx) = mpsc::channel::<web::Bytes>(16);
    let source = BufReader::with_capacity(
        64 << 10,
        BodyReader {
            chunks: chunk_rx,
            current: web::Bytes::new(),
        },
    );
    let pump = async move {
        while let Some(chunk) = payload.next().await {
            let Ok(chunk) = chunk else { break };
            if chunk_tx.send(chunk).await.is_err() {
                break;
            }
        }
    };
    (source, pump)
}

/// The answer to a finished batch: the file's problem, the report (200 for a dry run, 201
/// when committed), or `batch_refused` naming the rows.
pub(crate) async fn answer(
    state: &AppState,
    outcome: &BatchOutcome,
    read: Result<(), FileProblem>,
) -> AppResult<HttpResponse> {
    if let Err(problem) = read {
        return Err(match problem {
            FileProblem::Upload(error) => error.into(),
            FileProblem::Shape(errors) => AppError::Validation(errors),
        });
    }
    let entry = state
        .db
        .batch(outcome.batch_id)
        .await?
        .ok_or_else(|| AppError::Internal("a logged batch is gone".into()))?;
    match outcome.status.as_str() {
        "dry_run" => Ok(HttpResponse::Ok().json(report_dto(&entry))),
        "committed" => Ok(HttpResponse::Created().json(report_dto(&entry))),
        _ => Err(AppError::BatchRefused {
            detail: format!(
                "{} 列未通過檢查，本批次未寫入任何資料（批次 {}，完整報告見 /api/v1/exchange/batches/{}）。",
                outcome.counts.refused, outcome.batch_id, outcome.batch_id
            ),
            errors: outcome
                .problems
                .iter()
                .take(LISTED_PROBLEMS)
                .map(|p| ProblemFieldError {
                    field: format!("rows[{}].{}", p.row, p.field),
                    code: p.code.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }),
    }
}

/// Which partner's log a caller sees: a partner its own; a bureau its county's partners; the
/// national centre any (all when none is named).
async fn log_scope(
    state: &AppState,
    caller: &ExchangeCaller,
    named: Option<&str>,
) -> AppResult<Option<i32>> {
    match caller {
        ExchangeCaller::Partner(p) => Ok(Some(p.partner.id)),
        ExchangeCaller::Staff(actor) if is_partner_admin(actor) && named.is_none() => Ok(None),
        ExchangeCaller::Staff(actor) => {
            if named.is_none() {
                bureau_county(state, actor).await?;
            }
            let (partner, _, _) = acting_partner(state, caller, named).await?;
            Ok(Some(partner.id))
        }
    }
}

/// The exchange log: batches newest first with their counts, and each partner's monthly
/// success rate over the last year.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    params(BatchLogQuery),
    responses(
        (status = 200, description = "One page of the log.", body = BatchLogDto),
        (status = 400, description = "Bad paging, or a bureau that named no partner.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the national centre, the partner's bureau or the partner.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/batches")]
pub async fn log(
    state: web::Data<AppState>,
    caller: ExchangeCaller,
    query: web::Query<BatchLogQuery>,
) -> AppResult<web::Json<BatchLogDto>> {
    let page = crate::routes::params::parse_page(query.page.as_deref(), query.per_page.as_deref())?;
    let scope = log_scope(&state, &caller, query.partner.as_deref()).await?;
    let (entries, total) = state.db.batches(scope, page.page, page.per_page).await?;
    let success = state
        .db
        .success_rates(scope, Utc::now() - Duration::days(366))
        .await?
        .into_iter()
        .map(|r| SuccessRateDto {
            partner_code: r.partner_code,
            month: r.month,
            batches: r.batches,
            committed: r.committed,
        })
        .collect();
    Ok(web::Json(BatchLogDto {
        items: entries.iter().map(report_dto).collect(),
        total,
        success,
    }))
}

/// One batch with its full report (up to 1,000 row problems).
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = []), ("bearer" = [])),
    params(("id" = i32, Path, description = "The batch's id.")),
    responses(
        (status = 200, description = "The batch.", body = BatchReportDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither the national centre, the partner's bureau nor the partner.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such batch the caller may see (`batch_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/batches/{id}")]
pub async fn one(
    state: web::Data<AppState>,
    caller: ExchangeCaller,
    path: web::Path<i32>,
) -> AppResult<web::Json<BatchReportDto>> {
    let not_found = || AppError::NotFound {
        code: ProblemCode::BatchNotFound,
        detail: "找不到此批次。".into(),
    };
    if let ExchangeCaller::Staff(actor) = &caller {
        super::exchange_staff(&state, actor).await?;
    }
    let entry = state
        .db
        .batch(path.into_inner())
        .await?
        .ok_or_else(not_found)?;
    let visible = match &caller {
        ExchangeCaller::Partner(p) => entry.partner_code.as_deref() == Some(&p.partner.fields.code),
        ExchangeCaller::Staff(actor) if is_partner_admin(actor) => true,
        ExchangeCaller::Staff(_) => acting_partner(&state, &caller, entry.partner_code.as_deref())
            .await
            .is_ok(),
    };
    if !visible {
        return Err(not_found());
    }
    Ok(web::Json(report_dto(&entry)))
}
