//! What hangs off courses: attachments, teachers' favourites, the attribute-tag list and the
//! regional centres' automatic-approval switches.

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::PageRequest;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};

use super::write::{edited, locked, log, save, tag_ids};
use super::{ChangedBy, CourseError, CoursePage, mapping};
use crate::audit::{AuditEntry, write_audit};
use crate::entities::{attribute_tag, course, course_attachment, course_favourite, unit};
use crate::reference::AttributeTag;
use crate::{Database, StorageError};

/// At most this many attachments per course.
pub const MAX_ATTACHMENTS: u64 = 5;

/// An attachment's description (the bytes come separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i32,
    pub course_id: i32,
    pub file_name: String,
    pub content_type: String,
    pub size: u32,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// An attachment with its bytes, for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    pub attachment: Attachment,
    pub data: Vec<u8>,
}

/// An upload, already checked for size and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A regional centre's automatic-approval switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoApproval {
    pub courses: bool,
    pub rosters: bool,
}

/// A change to the tag list.
#[derive(Debug, thiserror::Error)]
pub enum TagChange {
    #[error("no such tag")]
    NotFound,
    #[error("a tag with this name exists")]
    Duplicate,
    #[error("the tag is retired already")]
    Retired,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for TagChange {
    fn from(error: sea_orm::DbErr) -> Self {
        TagChange::Storage(StorageError::Database(error))
    }
}

fn attachment(row: course_attachment::Model) -> Attachment {
    Attachment {
        id: row.id,
        course_id: row.course_id,
        file_name: row.file_name,
        content_type: row.content_type,
        size: u32::try_from(row.size).unwrap_or(0),
        sha256: row.sha256,
        uploaded_at: row.uploaded_at,
    }
}

fn audit(by: &ChangedBy, action: &str, target: String, summary: String) -> AuditEntry {
    AuditEntry {
        actor_account_id: Some(by.account_id),
        actor_role: by.role.clone(),
        action: action.to_owned(),
        target_kind: action.split('.').next().unwrap_or("tag").to_owned(),
        target_id: Some(target),
        summary,
        ip: by.ip.clone(),
    }
}

impl Database {
    /// Adds an attachment. Like any change, on an approved course it means a new review.
    pub async fn add_attachment(
        &self,
        course_id: i32,
        new: NewAttachment,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Attachment, CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, course_id).await?;
        let count = course_attachment::Entity::find()
            .filter(course_attachment::Column::CourseId.eq(course_id))
            .count(&txn)
            .await?;
        if count >= MAX_ATTACHMENTS {
            return Err(CourseError::Limit("attachments"));
        }
        let form = mapping::form(&row, tag_ids(&txn, course_id).await?)?;
        let (before, after, active) = edited(&txn, &row, &form, now).await?;
        save(&txn, active, course_id, row.version, now).await?;
        let sha256 = Sha256::digest(&new.data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let stored = course_attachment::ActiveModel {
            course_id: Set(course_id),
            size: Set(i32::try_from(new.data.len()).unwrap_or(i32::MAX)),
            file_name: Set(new.file_name),
            content_type: Set(new.content_type),
            sha256: Set(sha256),
            data: Set(new.data),
            uploaded_by: Set(Some(by.account_id)),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        log(
            &txn,
            course_id,
            "attachment_added",
            (before.code(), after.code()),
            Some(&stored.file_name),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(attachment(stored))
    }

    /// The attachments of a course, in upload order.
    pub async fn attachments(&self, course_id: i32) -> Result<Vec<Attachment>, StorageError> {
        let rows = course_attachment::Entity::find()
            .select_only()
            .columns([
                course_attachment::Column::Id,
                course_attachment::Column::CourseId,
                course_attachment::Column::FileName,
                course_attachment::Column::ContentType,
                course_attachment::Column::Size,
                course_attachment::Column::Sha256,
                course_attachment::Column::UploadedAt,
            ])
            .filter(course_attachment::Column::CourseId.eq(course_id))
            .order_by_asc(course_attachment::Column::Id)
            .into_tuple::<(i32, i32, String, String, i32, String, DateTime<Utc>)>()
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, course_id, file_name, content_type, size, sha256, uploaded_at)| Attachment {
                    id,
                    course_id,
                    file_name,
                    content_type,
                    size: u32::try_from(size).unwrap_or(0),
                    sha256,
                    uploaded_at,
                },
            )
            .collect())
    }

    pub async fn attachment_file(
        &self,
        course_id: i32,
        id: i32,
    ) -> Result<Option<AttachmentFile>, StorageError> {
        Ok(course_attachment::Entity::find_by_id(id)
            .filter(course_attachment::Column::CourseId.eq(course_id))
            .one(&self.conn)
            .await?
            .map(|mut row| {
                let data = std::mem::take(&mut row.data);
                AttachmentFile {
                    attachment: attachment(row),
                    data,
                }
            }))
    }

    /// Removes an attachment; on an approved course this, too, means a new review.
    pub async fn delete_attachment(
        &self,
        course_id: i32,
        id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<(), CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, course_id).await?;
        let file = course_attachment::Entity::find_by_id(id)
            .filter(course_attachment::Column::CourseId.eq(course_id))
            .one(&txn)
            .await?
            .ok_or(CourseError::NotFound)?;
        let form = mapping::form(&row, tag_ids(&txn, course_id).await?)?;
        let (before, after, active) = edited(&txn, &row, &form, now).await?;
        save(&txn, active, course_id, row.version, now).await?;
        course_attachment::Entity::delete_by_id(id)
            .exec(&txn)
            .await?;
        log(
            &txn,
            course_id,
            "attachment_removed",
            (before.code(), after.code()),
            Some(&file.file_name),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Marks a course as a teacher's favourite; doing it twice is harmless.
    pub async fn add_favourite(
        &self,
        account_id: i32,
        course_id: i32,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        course_favourite::Entity::insert(course_favourite::ActiveModel {
            account_id: Set(account_id),
            course_id: Set(course_id),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                course_favourite::Column::AccountId,
                course_favourite::Column::CourseId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }

    pub async fn remove_favourite(
        &self,
        account_id: i32,
        course_id: i32,
    ) -> Result<(), StorageError> {
        course_favourite::Entity::delete_many()
            .filter(course_favourite::Column::AccountId.eq(account_id))
            .filter(course_favourite::Column::CourseId.eq(course_id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    pub async fn is_favourite(
        &self,
        account_id: i32,
        course_id: i32,
    ) -> Result<bool, StorageError> {
        Ok(course_favourite::Entity::find()
            .filter(course_favourite::Column::AccountId.eq(account_id))
            .filter(course_favourite::Column::CourseId.eq(course_id))
            .count(&self.conn)
            .await?
            > 0)
    }

    /// A teacher's favourite courses that are still public, soonest start first.
    pub async fn favourites(
        &self,
        account_id: i32,
        page: PageRequest,
    ) -> Result<CoursePage, StorageError> {
        let mine = Query::select()
            .column(course_favourite::Column::CourseId)
            .from(course_favourite::Entity)
            .and_where(Expr::col(course_favourite::Column::AccountId).eq(account_id))
            .to_owned();
        let query = course::Entity::find()
            .filter(course::Column::Id.in_subquery(mine))
            .filter(
                course::Column::State.is_in(inservice_domain::course::CourseState::PUBLIC_STORED),
            )
            .order_by_desc(course::Column::StartDate)
            .order_by_desc(course::Column::Id);
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        Ok(CoursePage {
            items: mapping::courses(&self.conn, rows).await?,
            total,
        })
    }

    /// Adds an attribute tag with its definition, in use from `today`.
    pub async fn create_tag(
        &self,
        name: &str,
        definition: &str,
        by: &ChangedBy,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<AttributeTag, TagChange> {
        let txn = self.begin_write().await?;
        let exists = attribute_tag::Entity::find()
            .filter(attribute_tag::Column::Name.eq(name))
            .count(&txn)
            .await?;
        if exists > 0 {
            return Err(TagChange::Duplicate);
        }
        let row = attribute_tag::ActiveModel {
            name: Set(name.to_owned()),
            definition: Set(Some(definition.to_owned())),
            added_on: Set(Some(today)),
            retired_on: Set(None),
            definition_updated_on: Set(None),
            source: Set("全國推廣中心新增".to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let entry = audit(
            by,
            "tag.create",
            row.id.to_string(),
            format!("added tag {name}"),
        );
        write_audit(&txn, entry, now).await?;
        txn.commit().await?;
        self.tag(row.id).await
    }

    async fn tag(&self, id: i32) -> Result<AttributeTag, TagChange> {
        self.attribute_tags()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(TagChange::NotFound)
    }

    /// Replaces a tag's definition and records the day it changed.
    pub async fn update_tag_definition(
        &self,
        id: i32,
        definition: &str,
        by: &ChangedBy,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<AttributeTag, TagChange> {
        let txn = self.begin_write().await?;
        let row = attribute_tag::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(TagChange::NotFound)?;
        let mut days: Vec<String> = row
            .definition_updated_on
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect();
        let day = today.to_string();
        if !days.contains(&day) {
            days.push(day);
        }
        let name = row.name.clone();
        let mut active: attribute_tag::ActiveModel = row.into();
        active.definition = Set(Some(definition.to_owned()));
        active.definition_updated_on = Set(Some(days.join("; ")));
        active.update(&txn).await?;
        let entry = audit(
            by,
            "tag.define",
            id.to_string(),
            format!("new definition of tag {name}"),
        );
        write_audit(&txn, entry, now).await?;
        txn.commit().await?;
        self.tag(id).await
    }

    /// Retires a tag from `today`: courses keep it, new courses cannot take it.
    pub async fn retire_tag(
        &self,
        id: i32,
        by: &ChangedBy,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<AttributeTag, TagChange> {
        let txn = self.begin_write().await?;
        let row = attribute_tag::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(TagChange::NotFound)?;
        if row.retired_on.is_some_and(|day| day <= today) {
            return Err(TagChange::Retired);
        }
        let name = row.name.clone();
        let mut active: attribute_tag::ActiveModel = row.into();
        active.retired_on = Set(Some(today));
        active.update(&txn).await?;
        let entry = audit(
            by,
            "tag.retire",
            id.to_string(),
            format!("retired tag {name}"),
        );
        write_audit(&txn, entry, now).await?;
        txn.commit().await?;
        self.tag(id).await
    }

    /// A unit's automatic-approval switches.
    pub async fn auto_approval(
        &self,
        unit_code: &str,
    ) -> Result<Option<AutoApproval>, StorageError> {
        Ok(unit::Entity::find()
            .filter(unit::Column::Code.eq(unit_code))
            .one(&self.conn)
            .await?
            .map(|u| AutoApproval {
                courses: u.auto_approve_courses,
                rosters: u.auto_approve_rosters,
            }))
    }

    /// Sets a unit's automatic-approval switches.
    pub async fn set_auto_approval(
        &self,
        unit_code: &str,
        setting: AutoApproval,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<AutoApproval, StorageError> {
        let txn = self.begin_write().await?;
        unit::Entity::update_many()
            .col_expr(
                unit::Column::AutoApproveCourses,
                Expr::value(setting.courses),
            )
            .col_expr(
                unit::Column::AutoApproveRosters,
                Expr::value(setting.rosters),
            )
            .filter(unit::Column::Code.eq(unit_code))
            .exec(&txn)
            .await?;
        let entry = AuditEntry {
            actor_account_id: Some(by.account_id),
            actor_role: by.role.clone(),
            action: "unit.auto_approval".into(),
            target_kind: "unit".into(),
            target_id: Some(unit_code.to_owned()),
            summary: format!(
                "automatic approval of courses {}, of rosters {}",
                if setting.courses { "on" } else { "off" },
                if setting.rosters { "on" } else { "off" }
            ),
            ip: by.ip.clone(),
        };
        write_audit(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(setting)
    }
}
