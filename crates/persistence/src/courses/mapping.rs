//! Between the stored row and the domain's course form: lists and sessions are JSON text, so
//! one schema serves SQLite and PostgreSQL alike.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use inservice_domain::course::{ClassType, Contact, CourseForm, CourseState, ReviewFlag, Session};
use inservice_domain::enrollment::Allocation;
use inservice_domain::search::normalize;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{Course, CourseUnit, StoredFlag, TagRef};
use crate::StorageError;
use crate::entities::{attribute_tag, county, course, course_tag, unit};

fn corrupt(id: i32, what: &str) -> StorageError {
    StorageError::Corrupt(format!("course {id} has an invalid {what}"))
}

fn strings(id: i32, what: &str, text: &str) -> Result<Vec<String>, StorageError> {
    serde_json::from_str(text).map_err(|_| corrupt(id, what))
}

fn to_json(list: &[String]) -> String {
    serde_json::Value::from(list).to_string()
}

pub(crate) fn sessions_json(sessions: &[Session]) -> String {
    let rows: Vec<Value> = sessions
        .iter()
        .map(|s| {
            json!([
                s.date.to_string(),
                s.starts_at.format("%H:%M").to_string(),
                s.ends_at.format("%H:%M").to_string()
            ])
        })
        .collect();
    Value::Array(rows).to_string()
}

fn parse_sessions(id: i32, text: &str) -> Result<Vec<Session>, StorageError> {
    let rows: Vec<[String; 3]> = serde_json::from_str(text).map_err(|_| corrupt(id, "sessions"))?;
    rows.iter()
        .map(|[date, starts, ends]| {
            let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M");
            Ok(Session {
                date: date
                    .parse::<NaiveDate>()
                    .map_err(|_| corrupt(id, "session date"))?,
                starts_at: time(starts).map_err(|_| corrupt(id, "session time"))?,
                ends_at: time(ends).map_err(|_| corrupt(id, "session time"))?,
            })
        })
        .collect()
}

fn contacts_json(contacts: &[Contact]) -> String {
    let rows: Vec<Value> = contacts
        .iter()
        .map(|c| json!({"name": c.name, "phone": c.phone, "email": c.email}))
        .collect();
    Value::Array(rows).to_string()
}

fn parse_contacts(id: i32, text: &str) -> Result<Vec<Contact>, StorageError> {
    let rows: Vec<HashMap<String, String>> =
        serde_json::from_str(text).map_err(|_| corrupt(id, "contact list"))?;
    Ok(rows
        .into_iter()
        .map(|mut row| Contact {
            name: row.remove("name").unwrap_or_default(),
            phone: row.remove("phone").unwrap_or_default(),
            email: row.remove("email").unwrap_or_default(),
        })
        .collect())
}

pub(super) fn flags_json(flags: &[ReviewFlag]) -> String {
    let rows: Vec<Value> = flags
        .iter()
        .map(|f| json!({"code": f.code(), "message": f.message()}))
        .collect();
    Value::Array(rows).to_string()
}

fn parse_flags(id: i32, text: &str) -> Result<Vec<StoredFlag>, StorageError> {
    let rows: Vec<HashMap<String, String>> =
        serde_json::from_str(text).map_err(|_| corrupt(id, "flag list"))?;
    Ok(rows
        .into_iter()
        .map(|mut row| StoredFlag {
            code: row.remove("code").unwrap_or_default(),
            message: row.remove("message").unwrap_or_default(),
        })
        .collect())
}

fn amount(value: Option<u32>) -> Option<i32> {
    value.map(|v| i32::try_from(v).unwrap_or(i32::MAX))
}

/// The keyword index of a course: its name and outline, normalised.
pub(super) fn search_text(form: &CourseForm) -> String {
    normalize(&format!("{}\n{}", form.name, form.outline))
}

/// Writes every form column of `active` from `form`.
pub(super) fn set_form(active: &mut course::ActiveModel, form: &CourseForm) {
    active.class_type = Set(form.class_type.code().to_owned());
    active.credits = Set(amount(form.credits));
    active.nature = Set(form.nature.clone());
    active.document_number = Set(form.document_number.clone());
    active.name = Set(form.name.clone());
    active.subject_area = Set(form.subject_area.clone());
    active.stage = Set(form.stage.code().to_owned());
    active.category = Set(form.category.clone());
    active.items = Set(to_json(&form.items));
    active.level = Set(i32::from(form.level));
    active.instructor_name = Set(form.instructor_name.clone());
    active.instructor_kind = Set(form.instructor_kind.clone());
    active.outline = Set(form.outline.clone());
    active.modes = Set(to_json(&form.modes));
    active.mode_other = Set(form.mode_other.clone());
    active.remote_software = Set(to_json(&form.remote_software));
    active.remote_software_other = Set(form.remote_software_other.clone());
    active.time_slots = Set(to_json(&form.time_slots));
    active.half_hours = Set(amount(Some(form.half_hours)).unwrap_or_default());
    active.target_stages = Set(to_json(&form.target_stages));
    active.target_titles = Set(to_json(&form.target_titles));
    active.target_title_other = Set(form.target_title_other.clone());
    active.registration_opens_at = Set(form.registration_opens_at);
    active.registration_closes_at = Set(form.registration_closes_at);
    active.sessions = Set(sessions_json(&form.sessions));
    active.start_date = Set(form.start_date());
    active.end_date = Set(form.end_date());
    active.venue = Set(form.venue.clone());
    active.schedule_note = Set(form.schedule_note.clone());
    active.funding_sources = Set(to_json(&form.funding_sources));
    active.subsidy_amount = Set(amount(form.subsidy_amount));
    active.fee_kind = Set(form.fee_kind.clone());
    active.fee_amount = Set(amount(form.fee_amount));
    active.classes = Set(amount(Some(form.classes)).unwrap_or_default());
    active.places_per_class = Set(amount(Some(form.places_per_class)).unwrap_or_default());
    active.capacity = Set(amount(Some(form.capacity())).unwrap_or_default());
    active.contacts = Set(contacts_json(&form.contacts));
    active.feedback = Set(form.feedback.clone());
    active.is_digital = Set(form.is_digital());
    active.search_text = Set(search_text(form));
    active.allocation = Set(form.allocation.code().to_owned());
    active.review_enrollments = Set(form.review_enrollments);
}

/// The domain form stored in `row`; `tag_ids` come from the tag table.
pub(super) fn form(row: &course::Model, tag_ids: Vec<i32>) -> Result<CourseForm, StorageError> {
    let id = row.id;
    let unsigned = |v: i32| u32::try_from(v).map_err(|_| corrupt(id, "number"));
    Ok(CourseForm {
        class_type: ClassType::from_code(&row.class_type).ok_or_else(|| corrupt(id, "class"))?,
        credits: row.credits.map(unsigned).transpose()?,
        nature: row.nature.clone(),
        document_number: row.document_number.clone(),
        name: row.name.clone(),
        tag_ids,
        subject_area: row.subject_area.clone(),
        stage: row.stage.parse().map_err(|_| corrupt(id, "stage"))?,
        category: row.category.clone(),
        items: strings(id, "item list", &row.items)?,
        level: u8::try_from(row.level).map_err(|_| corrupt(id, "level"))?,
        instructor_name: row.instructor_name.clone(),
        instructor_kind: row.instructor_kind.clone(),
        outline: row.outline.clone(),
        modes: strings(id, "mode list", &row.modes)?,
        mode_other: row.mode_other.clone(),
        remote_software: strings(id, "software list", &row.remote_software)?,
        remote_software_other: row.remote_software_other.clone(),
        time_slots: strings(id, "time slots", &row.time_slots)?,
        half_hours: unsigned(row.half_hours)?,
        target_stages: strings(id, "target stages", &row.target_stages)?,
        target_titles: strings(id, "target titles", &row.target_titles)?,
        target_title_other: row.target_title_other.clone(),
        registration_opens_at: row.registration_opens_at,
        registration_closes_at: row.registration_closes_at,
        sessions: parse_sessions(id, &row.sessions)?,
        venue: row.venue.clone(),
        schedule_note: row.schedule_note.clone(),
        funding_sources: strings(id, "funding sources", &row.funding_sources)?,
        subsidy_amount: row.subsidy_amount.map(unsigned).transpose()?,
        fee_kind: row.fee_kind.clone(),
        fee_amount: row.fee_amount.map(unsigned).transpose()?,
        classes: unsigned(row.classes)?,
        places_per_class: unsigned(row.places_per_class)?,
        contacts: parse_contacts(id, &row.contacts)?,
        feedback: row.feedback.clone(),
        allocation: Allocation::from_code(&row.allocation)
            .ok_or_else(|| corrupt(id, "allocation"))?,
        review_enrollments: row.review_enrollments,
    })
}

pub(super) fn state(row: &course::Model) -> Result<CourseState, StorageError> {
    CourseState::from_stored(&row.state, row.auto_approved).ok_or_else(|| corrupt(row.id, "state"))
}

/// Turns rows into courses, reading their units, reviewers, counties and tags in four queries.
pub(crate) async fn courses(
    conn: &impl ConnectionTrait,
    rows: Vec<course::Model>,
) -> Result<Vec<Course>, StorageError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut unit_codes: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.unit_code.clone(), r.reviewer_code.clone()])
        .collect();
    unit_codes.sort();
    unit_codes.dedup();
    let units: HashMap<String, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Code.is_in(unit_codes))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();
    let counties: HashMap<String, String> = county::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let links = course_tag::Entity::find()
        .filter(course_tag::Column::CourseId.is_in(ids))
        .all(conn)
        .await?;
    let mut tag_ids: Vec<i32> = links.iter().map(|l| l.tag_id).collect();
    tag_ids.sort_unstable();
    tag_ids.dedup();
    let tag_names: HashMap<i32, String> = attribute_tag::Entity::find()
        .filter(attribute_tag::Column::Id.is_in(tag_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            let tags: Vec<TagRef> = links
                .iter()
                .filter(|l| l.course_id == row.id)
                .map(|l| TagRef {
                    id: l.tag_id,
                    name: tag_names.get(&l.tag_id).cloned().unwrap_or_default(),
                })
                .collect();
            let unit = units
                .get(&row.unit_code)
                .ok_or_else(|| corrupt(row.id, "unit"))?;
            let kind = unit
                .kind
                .parse()
                .map_err(|_| corrupt(row.id, "unit kind"))?;
            let course_unit = CourseUnit {
                code: unit.code.clone(),
                name: unit.name.clone(),
                kind,
                county_code: unit.county_code.clone(),
                county_name: unit
                    .county_code
                    .as_ref()
                    .and_then(|c| counties.get(c).cloned()),
            };
            let reviewer_name = units
                .get(&row.reviewer_code)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| row.reviewer_code.clone());
            Ok(Course {
                form: form(&row, tags.iter().map(|t| t.id).collect())?,
                state: state(&row)?,
                flags: parse_flags(row.id, &row.flags)?,
                enrolled_count: u32::try_from(row.enrolled_count).unwrap_or(0),
                id: row.id,
                unit: course_unit,
                series_id: row.series_id,
                version: row.version,
                reviewer_code: row.reviewer_code,
                reviewer_name,
                tags,
                decision_reason: row.decision_reason,
                submitted_at: row.submitted_at,
                decided_at: row.decided_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
                cancel_reason: row.cancel_reason,
                lottery_seed: row.lottery_seed,
                lottery_drawn_at: row.lottery_drawn_at,
            })
        })
        .collect()
}

/// Replaces the tags of a course.
pub(super) async fn set_tags(
    conn: &impl ConnectionTrait,
    course_id: i32,
    tag_ids: &[i32],
) -> Result<(), sea_orm::DbErr> {
    course_tag::Entity::delete_many()
        .filter(course_tag::Column::CourseId.eq(course_id))
        .exec(conn)
        .await?;
    if !tag_ids.is_empty() {
        course_tag::Entity::insert_many(tag_ids.iter().map(|tag_id| course_tag::ActiveModel {
            course_id: Set(course_id),
            tag_id: Set(*tag_id),
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}
