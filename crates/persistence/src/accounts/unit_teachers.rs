//! A unit's teacher accounts (本單位教師帳號管理, 教師資料登錄).

use chrono::{DateTime, Utc};
use inservice_domain::PageRequest;
use inservice_domain::account::AccountKind;
use inservice_domain::identity::IdentityNumber;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Account, account_record};
use crate::entities::account;
use crate::reference::Page;
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

impl Database {
    /// The unit's teachers, filtered by a keyword over name, account name and personal number.
    pub async fn unit_teachers(
        &self,
        unit_code: &str,
        keyword: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Account>, StorageError> {
        let mut query = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
            .filter(account::Column::UnitCode.eq(unit_code));
        if let Some(keyword) = keyword.map(str::trim).filter(|k| !k.is_empty()) {
            let escaped = keyword
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
            query = query.filter(
                Condition::any()
                    .add(Expr::col(account::Column::RealName).like(pattern()))
                    .add(Expr::col(account::Column::AccountName).like(pattern()))
                    .add(Expr::col(account::Column::PersonalNumber).like(pattern())),
            );
        }
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .order_by_asc(account::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(account_record(&self.conn, row).await?);
        }
        Ok(Page { items, total })
    }

    /// The teacher account holding this identity number, if any.
    pub async fn teacher_by_identity(
        &self,
        identity: &IdentityNumber,
        vault: &IdentityVault,
    ) -> Result<Option<Account>, StorageError> {
        let row = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
            .filter(account::Column::IdentityHash.eq(vault.lookup_hash(identity)))
            .one(&self.conn)
            .await?;
        match row {
            Some(row) => Ok(Some(account_record(&self.conn, row).await?)),
            None => Ok(None),
        }
    }

    /// The teacher account with this personal number (教師個人專用識別號碼), if any.
    pub async fn teacher_by_personal_number(
        &self,
        number: &str,
    ) -> Result<Option<Account>, StorageError> {
        let row = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
            .filter(account::Column::PersonalNumber.eq(number.trim()))
            .one(&self.conn)
            .await?;
        match row {
            Some(row) => Ok(Some(account_record(&self.conn, row).await?)),
            None => Ok(None),
        }
    }

    /// Moves a teacher into a unit (or out of every unit with `None`), optionally setting the job
    /// title. Only succeeds while the teacher is still where the caller saw them (`from_unit`).
    pub async fn move_teacher(
        &self,
        teacher_id: i32,
        from_unit: Option<&str>,
        to_unit: Option<&str>,
        job_title: Option<&str>,
        audit: crate::audit::AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let txn = self.begin_write().await?;
        let mut update = account::Entity::update_many()
            .col_expr(
                account::Column::UnitCode,
                Expr::value(to_unit.map(str::to_owned)),
            )
            .col_expr(account::Column::UpdatedAt, Expr::value(now))
            .filter(account::Column::Id.eq(teacher_id))
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()));
        update = match from_unit {
            Some(unit) => update.filter(account::Column::UnitCode.eq(unit)),
            None => update.filter(account::Column::UnitCode.is_null()),
        };
        if let Some(title) = job_title {
            update = update.col_expr(
                account::Column::JobTitle,
                Expr::value(Some(title.to_owned())),
            );
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            return Ok(false);
        }
        crate::audit::write_audit(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Teachers asking to join the unit, oldest request first.
    pub async fn unit_requests(&self, unit_code: &str) -> Result<Vec<Account>, StorageError> {
        let rows = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
            .filter(account::Column::RequestedUnitCode.eq(unit_code))
            .order_by_asc(account::Column::UpdatedAt)
            .all(&self.conn)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(account_record(&self.conn, row).await?);
        }
        Ok(items)
    }

    /// Accepts (the teacher moves into the unit) or declines a request to join `unit_code`. Only
    /// succeeds while the request still stands.
    pub async fn decide_unit_request(
        &self,
        teacher_id: i32,
        unit_code: &str,
        accept: bool,
        audit: crate::audit::AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let txn = self.begin_write().await?;
        let mut update = account::Entity::update_many()
            .col_expr(
                account::Column::RequestedUnitCode,
                Expr::value(Option::<String>::None),
            )
            .col_expr(account::Column::UpdatedAt, Expr::value(now))
            .filter(account::Column::Id.eq(teacher_id))
            .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
            .filter(account::Column::RequestedUnitCode.eq(unit_code));
        if accept {
            update = update.col_expr(
                account::Column::UnitCode,
                Expr::value(Some(unit_code.to_owned())),
            );
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            return Ok(false);
        }
        crate::audit::write_audit(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}
