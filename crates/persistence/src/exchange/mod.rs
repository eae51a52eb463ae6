//! The partner exchange (資訊傳報): the partner registry and its keys, taking in batches of
//! records, retrieval by cursor, what decides whether a partner's record counts, the preschool
//! export and the exchange log.

mod base_data;
mod batches;
mod bulk;
pub(crate) mod clock;
pub(crate) mod counting;
mod ingest;
mod partners;
mod preschool;
mod retrieval;

pub use batches::{BatchEntry, BatchMeta, BatchOutcome, RowProblem, SuccessRate};
pub use counting::{CountingError, MonthConfirmation, SuspectedDuplicate};
pub use ingest::{BatchCounts, Ingest, IngestRow, MAX_PROBLEMS};
pub use partners::{Denial, Partner, PartnerError, PartnerFields, PartnerKey};
pub use preschool::PreschoolBatch;
pub use retrieval::{RetrievalScope, RetrievedRecord};
