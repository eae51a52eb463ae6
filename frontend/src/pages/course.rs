//! A course's page: every public field of the form; a teacher's favourite button; and for the
//! organiser and the reviewer, the review side (see `course_manage`).

use inservice_wire::{CodeLabel, CourseDto};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::courses;
use crate::api::courses::CourseExt;
use crate::components::app_link::AppLink;
use crate::components::course_row::status_class;
use crate::components::status::{ErrorBox, Loading};
use crate::format::{date_range, hours_text, local_time};
use crate::hooks::{Fetch, use_fetch, use_title};
use crate::pages::course_enroll::{EnrollPanel, OrganiserEnrollments};
use crate::pages::course_manage::{Attachments, OrganiserPanel, ReviewerPanel};
use crate::pages::courses::SearchParams;
use crate::routes::Route;
use crate::session::use_auth;

#[derive(Properties, PartialEq)]
pub struct CoursePageProps {
    pub code: i32,
}

#[component]
pub fn CoursePage(props: &CoursePageProps) -> Html {
    use_title("研習課程");
    let auth = use_auth();
    // Bumped after every change so the page shows the course as stored.
    let version = use_state(|| 0_u32);
    let signed_in = auth.session.is_some();
    let course = {
        let auth = auth.clone();
        use_fetch(
            // Fetched again on login and logout: the organiser and the reviewer see more.
            (props.code, signed_in, auth.restored, *version),
            move |(code, _, restored, _)| async move {
                if !restored {
                    // Wait for the session: a draft is visible to its organiser only.
                    return futures::future::pending().await;
                }
                courses::course(&auth.client, code).await
            },
        )
    };
    let reload = {
        let version = version.clone();
        Callback::from(move |()| version.set(*version + 1))
    };
    match &*course {
        Fetch::Loading => html! { <Loading /> },
        Fetch::Failed(ApiError::Problem { status: 404, .. }) => html! {
            <section class="error" role="alert" id="course-missing">
                <p class="error-title">{ "找不到這門課程，或課程尚未公開。" }</p>
                <p><AppLink to={Route::Courses}>{ "回研習課程查詢" }</AppLink></p>
            </section>
        },
        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
        Fetch::Ready(course) => html! { <CourseView course={course.clone()} {reload} /> },
    }
}

/// The states in which a course is published (enrollment shows for them).
const PUBLIC: [&str; 7] = [
    "approved",
    "running",
    "ended",
    "roster_submitted",
    "roster_confirmed",
    "closed",
    "cancelled",
];

#[derive(Properties, PartialEq)]
struct CourseViewProps {
    course: CourseDto,
    reload: Callback<()>,
}

fn labels(list: &[CodeLabel]) -> String {
    list.iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn with_other(list: &[CodeLabel], other: &Option<String>) -> String {
    let mut text = labels(list);
    if let Some(other) = other {
        text.push_str(&format!("（{other}）"));
    }
    text
}

fn row(label: &'static str, value: Html) -> Html {
    html! {
        <div class="profile-row"><dt>{ label }</dt><dd>{ value }</dd></div>
    }
}

fn text_row(label: &'static str, value: String) -> Html {
    row(label, html! { value })
}

#[component]
fn CourseView(props: &CourseViewProps) -> Html {
    let c = &props.course;
    let county = c.unit.county_name.clone().unwrap_or_default();
    let amount = |v: Option<u32>| v.map(|v| format!("新臺幣 {v} 元"));
    html! {
        <article class="course-page" aria-labelledby="course-title">
            <p class="course-badges">
                <span class="badge badge-state" id="course-state">{ &c.state_label }</span>{ " " }
                <span class={status_class(&c.registration_status)} id="course-registration">
                    { &c.registration_status_label }
                </span>
                if c.is_digital {
                    { " " }<span class="badge">{ "數位課程" }</span>
                }
            </p>
            <h1 id="course-title">{ &c.name }</h1>
            <p class="lead">
                { "課程代碼 " }<span class="code" id="course-code">{ c.code }</span>
                { format!("　{county} {}", c.unit.name) }
            </p>
            if c.can("favourite") {
                <FavouriteButton code={c.code} on={c.favourite.unwrap_or(false)} />
            }
            if PUBLIC.contains(&c.state.as_str()) {
                <EnrollPanel course={c.clone()} reload={props.reload.clone()} />
            }
            if c.review.is_some() {
                <OrganiserPanel course={c.clone()} reload={props.reload.clone()} />
                <OrganiserEnrollments course={c.clone()} reload={props.reload.clone()} />
            }
            if c.can("review") {
                <ReviewerPanel course={c.clone()} reload={props.reload.clone()} />
            }
            <AfterCourse course={c.clone()} />
            <section class="panel" aria-labelledby="course-when">
                <h2 id="course-when">{ "上課時間與地點" }</h2>
                <dl class="profile-data">
                    { text_row("日期", date_range(&c.start_date, &c.end_date)) }
                    { row("場次", html! {
                        <ul class="sessions">
                            { for c.sessions.iter().map(|s| html! {
                                <li>{ format!("{} {}–{}", s.date, s.starts_at, s.ends_at) }</li>
                            }) }
                        </ul>
                    }) }
                    { text_row("地點", c.venue.clone()) }
                    if let Some(note) = &c.schedule_note {
                        { text_row("課程表及注意事項", note.clone()) }
                    }
                    { text_row("研習時數", match c.credits {
                        Some(credits) => format!("{credits} 學分（{}）", hours_text(c.hours)),
                        None => hours_text(c.hours),
                    }) }
                    { text_row("實施方式", with_other(&c.modes, &c.mode_other)) }
                    if c.is_digital {
                        { text_row("遠距教學軟體", with_other(&c.remote_software, &c.remote_software_other)) }
                    }
                    { text_row("課程時段", labels(&c.time_slots)) }
                </dl>
            </section>
            <section class="panel" aria-labelledby="course-registration-title">
                <h2 id="course-registration-title">{ "報名資訊" }</h2>
                <dl class="profile-data">
                    { text_row("報名期間", format!(
                        "{} ～ {}",
                        local_time(&c.registration_opens_at),
                        local_time(&c.registration_closes_at)
                    )) }
                    { text_row("名額", format!(
                        "{} 班 × 每班 {} 人，共 {} 人，尚餘 {} 人",
                        c.classes, c.places_per_class, c.capacity, c.places_left
                    )) }
                    { text_row("參加對象教育階段", labels(&c.target_stages)) }
                    { text_row("參加對象職稱", with_other(&c.target_titles, &c.target_title_other)) }
                    { text_row("學員繳費", match amount(c.fee_amount) {
                        Some(amount) => format!("{}（{amount}）", c.fee_kind.label),
                        None => c.fee_kind.label.clone(),
                    }) }
                </dl>
            </section>
            <section class="panel" aria-labelledby="course-content">
                <h2 id="course-content">{ "課程內容" }</h2>
                <dl class="profile-data">
                    { text_row("班別類別", c.class_type.label.clone()) }
                    { text_row("辦理性質", match &c.document_number {
                        Some(number) => format!("{}，依據文號 {number}", c.nature.label),
                        None => c.nature.label.clone(),
                    }) }
                    { row("屬性標籤", html! {
                        if c.tags.is_empty() {
                            { "無" }
                        } else {
                            <span class="tag-links">
                                { for c.tags.iter().map(|t| html! {
                                    <Link<Route, SearchParams>
                                        to={Route::Courses}
                                        query={Some(SearchParams { tag: Some(t.id.to_string()), ..SearchParams::default() })}
                                        classes={classes!("badge", "badge-tag")}
                                    >
                                        { format!("〔{}〕", t.name) }
                                    </Link<Route, SearchParams>>
                                }) }
                            </span>
                        }
                    }) }
                    { text_row("教育階段-領域-科目", c.subject_area.label.clone()) }
                    { text_row("進修範疇", c.category.label.clone()) }
                    if !c.items.is_empty() {
                        { text_row("課程細項", c.items.iter()
                            .map(|i| format!("{} {}", i.code, i.label))
                            .collect::<Vec<_>>()
                            .join("、")) }
                    }
                    { text_row("進修階層", c.level.label.clone()) }
                    { text_row("師資", format!("{}（{}）", c.instructor_name, c.instructor_kind.label)) }
                    { row("課程大綱", html! { <p class="outline">{ &c.outline }</p> }) }
                </dl>
            </section>
            <Attachments course={c.clone()} reload={props.reload.clone()} />
            <section class="panel" aria-labelledby="course-other">
                <h2 id="course-other">{ "經費與聯絡" }</h2>
                <dl class="profile-data">
                    { text_row("經費來源", labels(&c.funding_sources)) }
                    if let Some(amount) = amount(c.subsidy_amount) {
                        { text_row("補助金額", amount) }
                    }
                    { text_row("課程意見回饋問卷", c.feedback.label.clone()) }
                    { row("承辦人", html! {
                        <ul class="contacts">
                            { for c.contacts.iter().map(|p| html! {
                                <li>
                                    { format!("{}　", p.name) }
                                    <a href={format!("tel:{}", p.phone)}>{ &p.phone }</a>{ "　" }
                                    <a href={format!("mailto:{}", p.email)}>{ &p.email }</a>
                                </li>
                            }) }
                        </ul>
                    }) }
                </dl>
            </section>
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct FavouriteProps {
    code: i32,
    on: bool,
}

/// 收藏 / 取消收藏, for teachers with a serving unit.
#[component]
fn FavouriteButton(props: &FavouriteProps) -> Html {
    let auth = use_auth();
    let on = use_state(|| props.on);
    let error = use_state(|| None::<ApiError>);
    let onclick = {
        let (on, error, code) = (on.clone(), error.clone(), props.code);
        Callback::from(move |_: MouseEvent| {
            let (auth, on, error) = (auth.clone(), on.clone(), error.clone());
            let wanted = !*on;
            spawn_local(async move {
                match courses::set_favourite(&auth.client, code, wanted).await {
                    Ok(()) => {
                        on.set(wanted);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <div class="favourite">
            <button type="button" id="course-favourite" aria-pressed={on.to_string()} {onclick}>
                { if *on { "★ 已收藏" } else { "☆ 收藏追蹤" } }
            </button>
            if let Some(error) = &*error {
                <ErrorBox error={error.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AfterCourseProps {
    course: CourseDto,
}

/// After the course: attendance and the roster, the questionnaire and its summary.
#[component]
fn AfterCourse(props: &AfterCourseProps) -> Html {
    let c = &props.course;
    let code = c.code;
    let links: Vec<(Route, &str, &str)> = [
        (
            "attendance",
            Route::Attendance { code },
            "after-attendance",
            if c.can("confirm_roster") {
                "出席名單確認"
            } else {
                "出席與研習時數"
            },
        ),
        (
            "feedback",
            Route::Feedback { code },
            "after-feedback",
            "填寫課程意見回饋問卷",
        ),
        (
            "feedback_summary",
            Route::FeedbackSummary { code },
            "after-feedback-summary",
            "回饋問卷統計",
        ),
    ]
    .into_iter()
    .filter(|(action, ..)| c.can(action))
    .map(|(_, route, id, label)| (route, id, label))
    .collect();
    if links.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel" aria-labelledby="after-course-title">
            <h2 id="after-course-title">{ "課程結束後" }</h2>
            <ul class="link-list">
                { for links.into_iter().map(|(route, id, label)| html! {
                    <li><AppLink to={route} {id}>{ label }</AppLink></li>
                }) }
            </ul>
        </section>
    }
}
