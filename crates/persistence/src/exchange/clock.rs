//! The change sequence of training records, for retrieval by cursor.
//!
//! Every transaction that writes records takes the next value of one counter row first and
//! keeps that row locked until it commits. Writers therefore commit in the order of their
//! values, and a reader that has seen value `n` has seen every record written with `n` or less:
//! a cursor `(seq, id)` never skips a record committed later with a smaller value. On SQLite
//! the write lock (`BEGIN IMMEDIATE`) orders writers already.

use sea_orm::{ConnectionTrait, Statement};

use crate::StorageError;

/// Takes the next change sequence value; call it before writing any record in the transaction.
pub(crate) async fn tick(conn: &impl ConnectionTrait) -> Result<i64, StorageError> {
    let backend = conn.get_database_backend();
    let sql = "UPDATE exchange_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq";
    let row = conn
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| StorageError::Corrupt("the exchange clock row is missing".into()))?;
    let seq: i64 = row.try_get("", "seq")?;
    Ok(seq)
}
