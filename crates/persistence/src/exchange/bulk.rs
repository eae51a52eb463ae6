//! Set-based statements for batches: a thousand values go to the database as one JSON
//! parameter rather than a thousand bound parameters (a statement with tens of thousands of
//! parameters costs more to build, send and plan than the rows cost to write).

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};

use super::ingest::{Provenance, RecordValues};
use crate::StorageError;

/// `table.column IN (the strings of values)`, with the values as one JSON array.
pub(crate) fn in_json(
    backend: DbBackend,
    table: &str,
    column: &str,
    values: &[String],
) -> SimpleExpr {
    in_json_as(backend, table, column, values, "text")
}

/// [`in_json`] for a column of PostgreSQL type `pg_type` (each text cast to it).
pub(crate) fn in_json_as(
    backend: DbBackend,
    table: &str,
    column: &str,
    values: &[String],
    pg_type: &str,
) -> SimpleExpr {
    let list = serde_json::Value::from(values).to_string();
    let sql = match backend {
        DbBackend::Postgres => format!(
            "\"{table}\".\"{column}\" IN (SELECT jsonb_array_elements_text($1::jsonb)::{pg_type})"
        ),
        _ => format!("\"{table}\".\"{column}\" IN (SELECT value FROM json_each(?))"),
    };
    Expr::cust_with_values(sql, [list])
}

/// A record to create from a partner's row.
pub(crate) struct NewRecord {
    pub account_id: i32,
    pub values: RecordValues,
    pub partner_record_id: String,
    pub batch_row: i64,
    pub duplicate_of: Option<i32>,
}

/// The columns filled per row, in the order of the JSON objects' keys and of the insert.
const ROW_COLUMNS: [(&str, &str); 19] = [
    ("account_id", "int"),
    ("half_hours", "int"),
    ("days", "text"),
    ("course_name", "text"),
    ("unit_code", "text"),
    ("unit_name", "text"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("category", "text"),
    ("stage", "text"),
    ("class_type", "text"),
    ("tags", "text"),
    ("batch_row", "int"),
    ("partner_course_id", "text"),
    ("partner_record_id", "text"),
    ("counted", "boolean"),
    ("verification", "text"),
    ("duplicate_of", "int"),
    ("duplicate_state", "text"),
];

/// Inserts the records in one statement: the rows as a JSON array, the values every row
/// shares (source, partner, batch, change sequence, time) as parameters.
pub(crate) async fn insert_new_records(
    txn: &DatabaseTransaction,
    rows: &[NewRecord],
    from: &Provenance,
) -> Result<(), StorageError> {
    if rows.is_empty() {
        return Ok(());
    }
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let v = &r.values;
            serde_json::json!({
                "account_id": r.account_id,
                "half_hours": v.half_hours,
                "days": v.days,
                "course_name": v.course_name,
                "unit_code": v.unit_code,
                "unit_name": v.unit_name,
                "start_date": v.start_date.to_string(),
                "end_date": v.end_date.to_string(),
                "category": v.category,
                "stage": v.stage,
                "class_type": v.class_type,
                "tags": v.tags,
                "batch_row": r.batch_row,
                "partner_course_id": v.partner_course_id,
                "partner_record_id": r.partner_record_id,
                "counted": !from.needs_confirmation && r.duplicate_of.is_none(),
                "verification": if from.needs_confirmation { "pending" } else { "none" },
                "duplicate_of": r.duplicate_of,
                "duplicate_state": r.duplicate_of.map(|_| "flagged"),
            })
        })
        .collect();
    let names: Vec<&str> = ROW_COLUMNS.iter().map(|(n, _)| *n).collect();
    let backend = txn.get_database_backend();
    let (source, selected) = match backend {
        DbBackend::Postgres => {
            let types: Vec<String> = ROW_COLUMNS
                .iter()
                .map(|(n, t)| format!("{n} {t}"))
                .collect();
            (
                format!("jsonb_to_recordset($1::jsonb) AS r({})", types.join(", ")),
                names.join(", "),
            )
        }
        _ => (
            "json_each(?1)".to_owned(),
            names
                .iter()
                .map(|n| format!("json_extract(value, '$.{n}')"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    let shared = match backend {
        DbBackend::Postgres => "$2, $3, $4, $5, $6, $7",
        _ => "?2, ?3, ?4, ?5, ?6, ?7",
    };
    let sql = format!(
        "INSERT INTO training_records ({}, source, partner_id, batch_id, change_seq, \
         confirmed_at, updated_at) SELECT {selected}, {shared} FROM {source}",
        names.join(", ")
    );
    let values: Vec<Value> = vec![
        serde_json::Value::Array(json).to_string().into(),
        from.partner_code.clone().into(),
        from.partner_id.into(),
        from.batch_id.into(),
        from.seq.into(),
        from.now.into(),
        from.now.into(),
    ];
    txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}
