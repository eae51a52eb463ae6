//! The feedback questionnaire's answers: online, once per attendee, and paper counts.

use chrono::{DateTime, Utc};
use inservice_domain::feedback::{Answers, PaperCounts};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use super::RecordError;
use crate::entities::{feedback_answer, feedback_paper};
use crate::{Database, StorageError};

fn encode(answers: &Answers) -> String {
    answers
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn decode(text: &str) -> Option<Answers> {
    let scores: Vec<u8> = text.split(',').filter_map(|s| s.parse().ok()).collect();
    scores.try_into().ok()
}

impl Database {
    /// Stores a teacher's answers; a second sheet from the same teacher is refused.
    pub async fn answer_feedback(
        &self,
        course_id: i32,
        account_id: i32,
        answers: &Answers,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        let existing = feedback_answer::Entity::find()
            .filter(feedback_answer::Column::CourseId.eq(course_id))
            .filter(feedback_answer::Column::AccountId.eq(account_id))
            .one(&self.conn)
            .await?;
        if existing.is_some() {
            return Err(RecordError::NotNow("already_answered"));
        }
        let inserted = feedback_answer::ActiveModel {
            course_id: Set(course_id),
            account_id: Set(account_id),
            answers: Set(encode(answers)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.conn)
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                Err(RecordError::NotNow("already_answered"))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn has_answered_feedback(
        &self,
        course_id: i32,
        account_id: i32,
    ) -> Result<bool, StorageError> {
        Ok(feedback_answer::Entity::find()
            .filter(feedback_answer::Column::CourseId.eq(course_id))
            .filter(feedback_answer::Column::AccountId.eq(account_id))
            .one(&self.conn)
            .await?
            .is_some())
    }

    /// Every online answer sheet of a course (anonymous: no teacher attached).
    pub async fn feedback_answers(&self, course_id: i32) -> Result<Vec<Answers>, StorageError> {
        Ok(feedback_answer::Entity::find()
            .filter(feedback_answer::Column::CourseId.eq(course_id))
            .all(&self.conn)
            .await?
            .iter()
            .filter_map(|a| decode(&a.answers))
            .collect())
    }

    pub async fn paper_feedback(
        &self,
        course_id: i32,
    ) -> Result<Option<PaperCounts>, StorageError> {
        Ok(feedback_paper::Entity::find_by_id(course_id)
            .one(&self.conn)
            .await?
            .and_then(|p| serde_json::from_str(&p.counts).ok()))
    }

    /// Replaces the paper questionnaires' counts of a course.
    pub async fn set_paper_feedback(
        &self,
        course_id: i32,
        counts: &PaperCounts,
        by: i32,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        feedback_paper::Entity::insert(feedback_paper::ActiveModel {
            course_id: Set(course_id),
            counts: Set(serde_json::Value::from(
                counts
                    .iter()
                    .map(|row| serde_json::Value::from(row.as_slice()))
                    .collect::<Vec<_>>(),
            )
            .to_string()),
            entered_by: Set(Some(by)),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(feedback_paper::Column::CourseId)
                .update_columns([
                    feedback_paper::Column::Counts,
                    feedback_paper::Column::EnteredBy,
                    feedback_paper::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }
}
