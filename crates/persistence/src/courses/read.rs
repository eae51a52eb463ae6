//! Reading courses: one course with its history, public search, a unit's courses, and a
//! reviewer's queue.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::course::CourseState;
use inservice_domain::search::{bigrams, keyword_variants, keywords};
use inservice_domain::{PageRequest, Stage};
use sea_orm::sea_query::{
    Expr, ExprTrait, LikeExpr, PostgresQueryBuilder, Query, QueryBuilder, Value,
};
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::{Course, CourseEventRecord, CoursePage, mapping};
use crate::entities::{account, course, course_event, course_tag, unit};
use crate::{Database, StorageError};

/// Filters of the public course search; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseFilter {
    /// Words that must all appear in the name, the outline or the unit's name.
    pub keywords: Option<String>,
    pub county_code: Option<String>,
    pub unit_code: Option<String>,
    pub tag_id: Option<i32>,
    pub category: Option<String>,
    pub stage: Option<Stage>,
    pub level: Option<u8>,
    /// `Some(true)`: digital courses only; `Some(false)`: in-person only.
    pub digital: Option<bool>,
    /// Courses running on some day in this range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only courses taking registrations now.
    pub open_now: bool,
    /// Only courses with places left.
    pub with_places: bool,
}

/// The orders a course list can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CourseSort {
    /// Latest start first.
    #[default]
    StartDesc,
    StartAsc,
    /// Registration closing soonest first.
    ClosingSoon,
    /// Most recently registered first.
    Newest,
    /// Most hours first.
    HoursDesc,
}

/// Filters of a reviewer's queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub stage: Option<Stage>,
    pub unit_code: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only courses with reviewer flags (Art. 9 topics, late registration, long days).
    pub flagged_only: bool,
    /// The courses already decided (newest decision first) instead of the waiting ones.
    pub decided: bool,
}

/// Escapes LIKE wildcards (with `\\`) so a user's `%` or `_` matches itself.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// `%text%` with the wildcards in `text` escaped.
fn contains(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", escape_like(text))).escape('\\')
}

/// Up to this many units whose names match a word are listed by code; more (a word like 國小)
/// fall back to a subquery.
const UNIT_CODES_LISTED: usize = 300;

impl Database {
    /// Each word must be in the course's own text or in its unit's name. The units are looked
    /// up first, so the course side is one indexable condition: a subquery in the `OR` would
    /// make PostgreSQL read every course. On PostgreSQL the course text is narrowed by its
    /// two-character pieces (`idx_courses_search_bigrams`) before `LIKE` decides.
    async fn keyword_condition(&self, text: &str) -> Result<Condition, StorageError> {
        let postgres = self.conn.get_database_backend() == DbBackend::Postgres;
        let mut all = Condition::all();
        for word in keywords(text) {
            let mut unit_names = Condition::any();
            for variant in keyword_variants(&word) {
                unit_names = unit_names.add(Expr::col(unit::Column::Name).like(contains(&variant)));
            }
            let codes: Vec<String> = unit::Entity::find()
                .select_only()
                .column(unit::Column::Code)
                .filter(unit_names.clone())
                .limit(UNIT_CODES_LISTED as u64 + 1)
                .into_tuple()
                .all(&self.conn)
                .await?;
            let pieces = bigrams(&word);
            let own_text = if postgres {
                // On PostgreSQL the pattern and the pieces go into the statement as quoted
                // literals, not parameters: with parameters it soon settles on a generic plan
                // that cannot tell a two-character word (which the trigram index cannot
                // serve) from a longer one, and reads every course.
                let quote = |text: String| PostgresQueryBuilder.value_to_string(&Value::from(text));
                let pattern = quote(format!("%{}%", escape_like(&word)));
                let mut own = Condition::all().add(Expr::cust(format!(
                    "\"courses\".\"search_text\" LIKE {pattern} ESCAPE '\\'"
                )));
                if !pieces.is_empty() {
                    let quoted: Vec<String> = pieces
                        .iter()
                        .map(|p| format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\"")))
                        .collect();
                    let array = quote(format!("{{{}}}", quoted.join(",")));
                    own = own.add(Expr::cust(format!(
                        "course_bigrams(\"courses\".\"search_text\") @> CAST({array} AS text[])"
                    )));
                }
                own
            } else {
                Condition::all().add(Expr::col(course::Column::SearchText).like(contains(&word)))
            };
            let mut either = Condition::any().add(own_text);
            if codes.len() > UNIT_CODES_LISTED {
                let units = Query::select()
                    .column(unit::Column::Code)
                    .from(unit::Entity)
                    .cond_where(unit_names)
                    .to_owned();
                either = either.add(course::Column::UnitCode.in_subquery(units));
            } else if !codes.is_empty() {
                either = either.add(course::Column::UnitCode.is_in(codes));
            }
            all = all.add(either);
        }
        Ok(all)
    }
}

fn date_range(
    mut query: Select<course::Entity>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Select<course::Entity> {
    if let Some(from) = from {
        query = query.filter(course::Column::EndDate.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(course::Column::StartDate.lte(to));
    }
    query
}

fn sorted(query: Select<course::Entity>, sort: CourseSort) -> Select<course::Entity> {
    let query = match sort {
        CourseSort::StartDesc => query.order_by_desc(course::Column::StartDate),
        CourseSort::StartAsc => query.order_by_asc(course::Column::StartDate),
        CourseSort::ClosingSoon => query.order_by_asc(course::Column::RegistrationClosesAt),
        CourseSort::Newest => query.order_by_desc(course::Column::CreatedAt),
        CourseSort::HoursDesc => query.order_by_desc(course::Column::HalfHours),
    };
    // A stable tie-break keeps pages from overlapping.
    query.order_by_desc(course::Column::Id)
}

impl Database {
    async fn page(
        &self,
        query: Select<course::Entity>,
        page: PageRequest,
    ) -> Result<CoursePage, StorageError> {
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

    /// One course, in any state.
    pub async fn course(&self, id: i32) -> Result<Option<Course>, StorageError> {
        let Some(row) = course::Entity::find_by_id(id).one(&self.conn).await? else {
            return Ok(None);
        };
        Ok(mapping::courses(&self.conn, vec![row]).await?.pop())
    }

    /// The history of a course, oldest first, with the names of the people involved.
    pub async fn course_events(&self, id: i32) -> Result<Vec<CourseEventRecord>, StorageError> {
        let rows = course_event::Entity::find()
            .filter(course_event::Column::CourseId.eq(id))
            .order_by_asc(course_event::Column::Id)
            .all(&self.conn)
            .await?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_account_id).collect();
        let names: HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|a| (a.id, a.real_name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| CourseEventRecord {
                at: row.at,
                actor_name: row.actor_account_id.and_then(|id| names.get(&id).cloned()),
                actor_account_id: row.actor_account_id,
                actor_unit_code: row.actor_unit_code,
                event: row.event,
                from_state: row.from_state,
                to_state: row.to_state,
                reason: row.reason,
            })
            .collect())
    }

    /// Published courses matching `filter` (cancelled ones included, marked as such).
    pub async fn search_courses(
        &self,
        filter: &CourseFilter,
        sort: CourseSort,
        page: PageRequest,
        now: DateTime<Utc>,
    ) -> Result<CoursePage, StorageError> {
        let mut query =
            course::Entity::find().filter(course::Column::State.is_in(CourseState::PUBLIC_STORED));
        if let Some(text) = &filter.keywords {
            query = query.filter(self.keyword_condition(text).await?);
        }
        if let Some(county) = &filter.county_code {
            query = query.filter(course::Column::CountyCode.eq(county.as_str()));
        }
        if let Some(unit) = &filter.unit_code {
            query = query.filter(course::Column::UnitCode.eq(unit.as_str()));
        }
        if let Some(tag) = filter.tag_id {
            let tagged = Query::select()
                .column(course_tag::Column::CourseId)
                .from(course_tag::Entity)
                .and_where(Expr::col(course_tag::Column::TagId).eq(tag))
                .to_owned();
            query = query.filter(course::Column::Id.in_subquery(tagged));
        }
        if let Some(category) = &filter.category {
            query = query.filter(course::Column::Category.eq(category.as_str()));
        }
        if let Some(stage) = filter.stage {
            query = query.filter(course::Column::Stage.eq(stage.code()));
        }
        if let Some(level) = filter.level {
            query = query.filter(course::Column::Level.eq(i32::from(level)));
        }
        if let Some(digital) = filter.digital {
            query = query.filter(course::Column::IsDigital.eq(digital));
        }
        query = date_range(query, filter.from, filter.to);
        if filter.open_now {
            query = query
                .filter(course::Column::State.eq("approved"))
                .filter(course::Column::RegistrationOpensAt.lte(now))
                .filter(course::Column::RegistrationClosesAt.gt(now));
        }
        if filter.with_places {
            query = query.filter(
                Expr::col(course::Column::EnrolledCount).lt(Expr::col(course::Column::Capacity)),
            );
        }
        self.page(sorted(query, sort), page).await
    }

    /// A unit's courses in every state (本單位研習課程瀏覽), newest first.
    pub async fn unit_courses(
        &self,
        unit_code: &str,
        state: Option<&str>,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<CoursePage, StorageError> {
        let mut query = course::Entity::find().filter(course::Column::UnitCode.eq(unit_code));
        if let Some(state) = state {
            query = query.filter(course::Column::State.eq(state));
        }
        if let Some(text) = text {
            query = query.filter(self.keyword_condition(text).await?);
        }
        self.page(sorted(query, CourseSort::Newest), page).await
    }

    /// The submitted courses `reviewer` reviews, oldest submission first (or, with `decided`,
    /// the ones it decided, newest decision first).
    pub async fn review_queue(
        &self,
        reviewer: &str,
        filter: &ReviewFilter,
        page: PageRequest,
    ) -> Result<CoursePage, StorageError> {
        let mut query = course::Entity::find().filter(course::Column::ReviewerCode.eq(reviewer));
        query = if filter.decided {
            query
                .filter(course::Column::State.ne("submitted"))
                .filter(course::Column::DecidedAt.is_not_null())
        } else {
            query.filter(course::Column::State.eq("submitted"))
        };
        if let Some(stage) = filter.stage {
            query = query.filter(course::Column::Stage.eq(stage.code()));
        }
        if let Some(unit) = &filter.unit_code {
            query = query.filter(course::Column::UnitCode.eq(unit.as_str()));
        }
        if filter.flagged_only {
            query = query.filter(course::Column::Flagged.eq(true));
        }
        query = date_range(query, filter.from, filter.to);
        let query = if filter.decided {
            query
                .order_by_desc(course::Column::DecidedAt)
                .order_by_desc(course::Column::Id)
        } else {
            query
                .order_by_asc(course::Column::SubmittedAt)
                .order_by_asc(course::Column::Id)
        };
        self.page(query, page).await
    }
}
