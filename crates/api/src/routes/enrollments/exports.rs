//! The organiser's four roster workbooks (2014 exports, now .xlsx): the sign-in sheet, a blank
//! sign-in sheet for walk-ins, the online registration information, and the participant list.

use actix_web::{HttpResponse, get, web};
use inservice_domain::FieldErrors;
use inservice_domain::enrollment::EnrollmentStatus;
use inservice_persistence::courses::Course;
use inservice_persistence::enrollments::Participant;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::ExportQuery;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppResult, Problem};
use crate::routes::courses::views::taipei_time;
use crate::routes::enrollments::organiser::managed_course;
use crate::routes::xlsx::{Styles, cells, header_row, styles, xlsx_response};

/// Which workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SignIn,
    BlankSignIn,
    Registrations,
    Participants,
}

impl Kind {
    fn parse(text: Option<&str>) -> Result<Kind, FieldErrors> {
        Ok(match text.map(str::trim).unwrap_or("") {
            "sign_in" => Kind::SignIn,
            "blank_sign_in" => Kind::BlankSignIn,
            "registrations" => Kind::Registrations,
            "participants" => Kind::Participants,
            _ => {
                return Err(FieldErrors::single(
                    "kind",
                    "invalid_choice",
                    "kind 必須是 sign_in、blank_sign_in、registrations 或 participants",
                ));
            }
        })
    }

    fn title(self) -> &'static str {
        match self {
            Kind::SignIn => "研習簽到表",
            Kind::BlankSignIn => "研習簽到表（空白）",
            Kind::Registrations => "線上報名資訊",
            Kind::Participants => "參加人員名單",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Kind::SignIn => "sign-in",
            Kind::BlankSignIn => "blank-sign-in",
            Kind::Registrations => "registrations",
            Kind::Participants => "participants",
        }
    }
}

/// Rows 0–2: what the sheet is, and which course. Returns the header row's index.
fn heading(
    sheet: &mut Worksheet,
    s: &Styles,
    kind: Kind,
    course: &Course,
) -> Result<u32, XlsxError> {
    let form = &course.form;
    sheet.write_string_with_format(0, 0, kind.title(), &s.title)?;
    sheet.write_string_with_format(
        1,
        0,
        format!("課程代碼：{}　課程名稱：{}", course.id, form.name),
        &s.text,
    )?;
    sheet.write_string_with_format(
        2,
        0,
        format!(
            "開課單位：{}　上課日期：{}　地點：{}",
            course.unit.name,
            inservice_domain::notice::CourseFacts::when_of(&form.sessions),
            form.venue
        ),
        &s.text,
    )?;
    Ok(4)
}

/// A signature column per session, labelled with its date and time.
fn session_columns(course: &Course) -> Vec<String> {
    course
        .form
        .sessions
        .iter()
        .map(|x| {
            format!(
                "{} {}–{} 簽名",
                x.date,
                x.starts_at.format("%H:%M"),
                x.ends_at.format("%H:%M")
            )
        })
        .collect()
}

fn workbook(kind: Kind, course: &Course, people: &[Participant]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let s = styles();
    let sheet = book.add_worksheet();
    sheet.set_name(kind.title().replace(['（', '）'], " ").trim())?;
    let start = heading(sheet, &s, kind, course)?;
    let table = Table {
        sheet: &mut *sheet,
        s: &s,
        start,
    };
    match kind {
        Kind::SignIn => sign_in_rows(table, course, people)?,
        Kind::BlankSignIn => blank_sign_in_rows(table, course)?,
        Kind::Registrations => registration_rows(table, people)?,
        Kind::Participants => participant_rows(table, people)?,
    }
    sheet.autofit();
    // Printed on paper and signed: landscape, one page wide, the header repeated.
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(start, start)?;
    book.save_to_buffer()
}

/// Where a workbook's table goes: its sheet, styles and header row.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    s: &'a Styles,
    start: u32,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The enrolled teachers with a blank signature cell per session; read back by the domain's
/// `sign_in_sheet::sign_in_entries` (報名編號, the 簽名 columns, 備註).
fn sign_in_rows(t: Table, course: &Course, people: &[Participant]) -> Result<(), XlsxError> {
    let signatures = session_columns(course);
    let blanks = vec![String::new(); signatures.len() + 1];
    let mut headers: Vec<String> = ["報名編號", "序號", "姓名", "服務單位", "職稱"]
        .map(String::from)
        .to_vec();
    headers.extend(signatures.iter().cloned());
    headers.push("備註".into());
    header_row(t.sheet, t.s, t.start, &headers)?;
    for (i, p) in people.iter().enumerate() {
        let mut row = vec![
            p.enrollment.id.to_string(),
            (i + 1).to_string(),
            p.teacher.real_name.clone(),
            text(&p.teacher.unit_name),
            text(&p.teacher.job_title_label),
        ];
        row.extend(blanks.iter().cloned());
        cells(t.sheet, t.s, t.start + 1 + i as u32, &row)?;
    }
    Ok(())
}

/// Numbered empty rows for walk-ins to write themselves in.
fn blank_sign_in_rows(t: Table, course: &Course) -> Result<(), XlsxError> {
    let mut headers: Vec<String> = ["序號", "姓名", "服務單位", "職稱", "帳號或身分證末四碼"]
        .map(String::from)
        .to_vec();
    headers.extend(session_columns(course));
    headers.push("備註".into());
    header_row(t.sheet, t.s, t.start, &headers)?;
    let rows = course.form.capacity().clamp(20, 200);
    for i in 0..rows {
        let mut row = vec![(i + 1).to_string(); 1];
        row.extend(vec![String::new(); headers.len() - 1]);
        cells(t.sheet, t.s, t.start + 1 + i, &row)?;
    }
    Ok(())
}

fn registration_rows(t: Table, people: &[Participant]) -> Result<(), XlsxError> {
    let headers = [
        "報名編號",
        "報名時間",
        "狀態",
        "候補順位",
        "姓名",
        "帳號",
        "身分證號",
        "教師個人專用識別號碼",
        "服務單位",
        "職稱",
        "電子郵件",
        "電話",
        "提醒",
        "理由",
    ]
    .map(String::from);
    header_row(t.sheet, t.s, t.start, &headers)?;
    for (i, p) in people.iter().enumerate() {
        let e = &p.enrollment;
        let row = [
            e.id.to_string(),
            taipei_time(e.created_at)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            e.status.label().to_owned(),
            e.position.map(|n| n.to_string()).unwrap_or_default(),
            p.teacher.real_name.clone(),
            p.teacher.account_name.clone(),
            p.teacher.identity_masked.clone(),
            text(&p.teacher.personal_number),
            text(&p.teacher.unit_name),
            text(&p.teacher.job_title_label),
            p.teacher.email.clone(),
            text(&p.teacher.phone),
            e.warnings
                .iter()
                .map(|w| w.message.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            text(&e.reason),
        ];
        cells(t.sheet, t.s, t.start + 1 + i as u32, &row)?;
    }
    Ok(())
}

fn participant_rows(t: Table, people: &[Participant]) -> Result<(), XlsxError> {
    let headers = [
        "序號",
        "姓名",
        "服務單位",
        "職稱",
        "電子郵件",
        "電話",
        "教師個人專用識別號碼",
    ]
    .map(String::from);
    header_row(t.sheet, t.s, t.start, &headers)?;
    for (i, p) in people.iter().enumerate() {
        let row = [
            (i + 1).to_string(),
            p.teacher.real_name.clone(),
            text(&p.teacher.unit_name),
            text(&p.teacher.job_title_label),
            p.teacher.email.clone(),
            text(&p.teacher.phone),
            text(&p.teacher.personal_number),
        ];
        cells(t.sheet, t.s, t.start + 1 + i as u32, &row)?;
    }
    Ok(())
}

/// Downloads one of the course's four roster workbooks (.xlsx).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), ExportQuery),
    responses(
        (status = 200, description = "The workbook.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "Bad `kind`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/enrollments.xlsx")]
pub async fn export(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
    query: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let course = managed_course(&state, &actor, *code).await?;
    let kind = Kind::parse(query.kind.as_deref())?;
    let statuses: &[EnrollmentStatus] = match kind {
        Kind::Registrations => &[],
        _ => &[EnrollmentStatus::Enrolled],
    };
    let people = state
        .db
        .course_enrollments(course.id, statuses, None)
        .await?
        .items;
    let file = format!("course-{}-{}.xlsx", course.id, kind.file());
    xlsx_response(&file, move || workbook(kind, &course, &people)).await
}
