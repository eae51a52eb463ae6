//! 課程意見回饋問卷: attendees answer the nine questions once after the course; organisers
//! enter paper questionnaires as counts and read the summary (學員回饋問卷調查表統計).

use actix_web::{HttpResponse, get, post, put, web};
use chrono::Utc;
use inservice_domain::FieldErrors;
use inservice_domain::account::TeacherAction;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::codes::{CLASS_TYPES, label};
use inservice_domain::feedback::{PaperCounts, QUESTIONS, check_answers, summarize};
use inservice_domain::roster::Mark;
use inservice_persistence::courses::Course;
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::visible_course;
use crate::routes::enrollments::organiser::managed_course;
use crate::routes::records::attendance::{hours, record_error, roster_course};
use crate::routes::xlsx::{cells, header_row, styles, xlsx_response};

/// 26-1: the questionnaire is answered online.
const ONLINE: &str = "26-1";

/// Whether the teacher may answer now, and whether they did.
async fn standing(state: &AppState, course: &Course, account_id: i32) -> AppResult<(bool, bool)> {
    let answered = state
        .db
        .has_answered_feedback(course.id, account_id)
        .await?;
    let ended = course
        .form
        .sessions
        .last()
        .is_some_and(|s| Utc::now() >= s.end());
    let cancelled = course.state == inservice_domain::course::CourseState::Cancelled;
    let attended = state
        .db
        .attendance_sheet(course.id)
        .await
        .map_err(|e| record_error(course.id, e))?
        .iter()
        .any(|line| line.account_id == account_id && line.mark == Mark::Attended);
    let may = ended && !cancelled && attended && course.form.feedback == ONLINE;
    Ok((may && !answered, answered))
}

fn form(can_answer: bool, answered: bool) -> FeedbackFormDto {
    FeedbackFormDto {
        questions: QUESTIONS.iter().map(|q| (*q).to_owned()).collect(),
        answered,
        can_answer,
    }
}

/// The questionnaire for the signed-in teacher: the questions, whether they answered, and
/// whether they may (an attendee of an ended course with the online questionnaire).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The questionnaire.", body = FeedbackFormDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a teacher account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/feedback")]
pub async fn questionnaire(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<FeedbackFormDto>> {
    actor.authorize(
        Action::Teacher(TeacherAction::AnswerQuestionnaire),
        &Target::Nothing,
    )?;
    let (course, _) = visible_course(&state, Some(&actor), *code).await?;
    let (can_answer, answered) = standing(&state, &course, actor.account_id).await?;
    Ok(web::Json(form(can_answer, answered)))
}

/// Answers the questionnaire: nine scores from 1 to 5, once per teacher. Answers are kept
/// without the teacher's name in every summary.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = FeedbackAnswerDto,
    responses(
        (status = 201, description = "Answered.", body = FeedbackFormDto),
        (status = 400, description = "Not nine scores from 1 to 5 (`errors` names `answers[i]`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`not_an_attendee`: not a teacher who attended this course.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_answered`, `course_not_finished` or `no_online_questionnaire`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/feedback")]
pub async fn answer(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<FeedbackAnswerDto>,
) -> AppResult<HttpResponse> {
    actor.authorize(
        Action::Teacher(TeacherAction::AnswerQuestionnaire),
        &Target::Nothing,
    )?;
    let (course, _) = visible_course(&state, Some(&actor), *code).await?;
    let answers = check_answers(&body.answers).map_err(|question| {
        FieldErrors::single(
            format!("answers[{}]", question - 1),
            "out_of_range",
            format!("請為第 {question} 題選擇 1 到 5 分（共 9 題）"),
        )
    })?;
    let (can_answer, answered) = standing(&state, &course, actor.account_id).await?;
    if !can_answer {
        let conflict = |code, detail: &str| AppError::Conflict {
            code,
            detail: detail.to_owned(),
        };
        return Err(if answered {
            conflict(
                ProblemCode::AlreadyAnswered,
                "您已填答過這門課程的問卷，每人限填一次。",
            )
        } else if course.form.feedback != ONLINE {
            conflict(
                ProblemCode::NoOnlineQuestionnaire,
                "這門課程以紙本問卷回饋，不開放線上填答。",
            )
        } else if course
            .form
            .sessions
            .last()
            .is_some_and(|s| Utc::now() < s.end())
        {
            conflict(
                ProblemCode::CourseNotFinished,
                "課程結束後才能填寫回饋問卷。",
            )
        } else {
            AppError::Forbidden {
                code: ProblemCode::NotAnAttendee,
                detail: "只有出席這門課程的教師可以填寫回饋問卷。".into(),
            }
        });
    }
    state
        .db
        .answer_feedback(course.id, actor.account_id, &answers, Utc::now())
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(HttpResponse::Created().json(form(false, true)))
}

fn paper_dto(paper: Option<&PaperCounts>) -> PaperCountsDto {
    PaperCountsDto {
        counts: paper
            .map(|p| p.iter().map(|q| q.to_vec()).collect())
            .unwrap_or_else(|| vec![vec![0; 5]; QUESTIONS.len()]),
    }
}

async fn summary_of(state: &AppState, course: &Course) -> AppResult<FeedbackSummaryDto> {
    let online = state.db.feedback_answers(course.id).await?;
    let paper = state.db.paper_feedback(course.id).await?;
    let summary = summarize(&online, paper.as_ref());
    let two_places = |x: f64| (x * 100.0).round() / 100.0;
    let form = &course.form;
    Ok(FeedbackSummaryDto {
        course_code: course.id,
        course_name: form.name.clone(),
        unit_name: course.unit.name.clone(),
        class_type: CodeLabel {
            code: form.class_type.code().to_owned(),
            label: label(CLASS_TYPES, form.class_type.code())
                .unwrap_or_default()
                .to_owned(),
        },
        hours: hours(form.half_hours),
        start_date: form.start_date(),
        end_date: form.end_date(),
        questions: summary
            .questions
            .iter()
            .map(|q| QuestionSummaryDto {
                number: q.number,
                question: q.question.to_owned(),
                total: q.total,
                count: q.count,
                average: two_places(q.average),
            })
            .collect(),
        total: summary.total,
        average: two_places(summary.average),
        respondents: summary.respondents,
        paper: paper_dto(paper.as_ref()),
    })
}

/// The course's questionnaire summary, as the seed's report: per question the total, the
/// number of sheets and the average; the grand total and the overall average.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The summary.", body = FeedbackSummaryDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither an organiser nor the reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/feedback/summary")]
pub async fn feedback_summary(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<FeedbackSummaryDto>> {
    let (course, _) = roster_course(&state, &actor, *code).await?;
    Ok(web::Json(summary_of(&state, &course).await?))
}

fn summary_workbook(s: &FeedbackSummaryDto) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let st = styles();
    let sheet = book.add_worksheet();
    sheet.set_name("回饋問卷統計")?;
    sheet.write_string_with_format(0, 0, "學員回饋問卷調查表統計", &st.title)?;
    sheet.write_string_with_format(
        1,
        0,
        format!(
            "課程代碼：{}　課程名稱：{}　開課單位：{}",
            s.course_code, s.course_name, s.unit_name
        ),
        &st.text,
    )?;
    sheet.write_string_with_format(
        2,
        0,
        format!(
            "課程類型：{}　時數：{}　研習日期：{} ~ {}",
            s.class_type.label, s.hours, s.start_date, s.end_date
        ),
        &st.text,
    )?;
    let headers = ["題號", "題目", "合計(分)", "填表人數(人)", "平均(分)"].map(String::from);
    header_row(sheet, &st, 4, &headers)?;
    for (i, q) in s.questions.iter().enumerate() {
        let row = 5 + i as u32;
        cells(sheet, &st, row, &[q.number.to_string(), q.question.clone()])?;
        sheet.write_number_with_format(row, 2, f64::from(q.total), &st.cell)?;
        sheet.write_number_with_format(row, 3, f64::from(q.count), &st.cell)?;
        sheet.write_number_with_format(row, 4, q.average, &st.cell)?;
    }
    let row = 5 + s.questions.len() as u32;
    cells(sheet, &st, row, &["".into(), "總計(分)".into()])?;
    sheet.write_number_with_format(row, 2, f64::from(s.total), &st.cell)?;
    cells(sheet, &st, row + 1, &["".into(), "總平均(分)".into()])?;
    sheet.write_number_with_format(row + 1, 4, s.average, &st.cell)?;
    sheet.autofit();
    book.save_to_buffer()
}

/// The summary as a workbook.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The workbook.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither an organiser nor the reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/feedback/summary.xlsx")]
pub async fn summary_xlsx(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (course, _) = roster_course(&state, &actor, *code).await?;
    let summary = summary_of(&state, &course).await?;
    let file = format!("course-{}-feedback.xlsx", course.id);
    xlsx_response(&file, move || summary_workbook(&summary)).await
}

/// Enters the paper questionnaires as counts: for each of the nine questions, how many sheets
/// gave 1, 2, 3, 4 and 5. Replaces what was entered before.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = PaperCountsDto,
    responses(
        (status = 200, description = "The summary with the paper counts.", body = FeedbackSummaryDto),
        (status = 400, description = "Not nine rows of five counts, or a count above 10,000.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/courses/{code}/feedback/paper")]
pub async fn paper_counts(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<PaperCountsDto>,
) -> AppResult<web::Json<FeedbackSummaryDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    let mut counts: PaperCounts = [[0; 5]; 9];
    if body.counts.len() != QUESTIONS.len() {
        return Err(FieldErrors::single(
            "counts",
            "wrong_length",
            "請為 9 個題目各填 5 個分數的份數",
        )
        .into());
    }
    let mut errors = Vec::new();
    for (q, row) in body.counts.iter().enumerate() {
        if row.len() != 5 || row.iter().any(|n| *n > 10_000) {
            errors.push(inservice_domain::FieldError::new(
                format!("counts[{q}]"),
                "out_of_range",
                format!("第 {} 題需要 5 個 0 到 10000 的份數", q + 1),
            ));
            continue;
        }
        counts[q].copy_from_slice(row);
    }
    if !errors.is_empty() {
        return Err(FieldErrors(errors).into());
    }
    state
        .db
        .set_paper_feedback(course.id, &counts, actor.account_id, Utc::now())
        .await?;
    Ok(web::Json(summary_of(&state, &course).await?))
}
