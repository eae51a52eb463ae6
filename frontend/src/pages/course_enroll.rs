//! 線上報名 on a course page: the teacher's status (with the waiting-list position and any
//! warnings), enroll, join the waiting list, withdraw, and once in, the QR code and the
//! calendar links. The organiser's way to the enrollments and to cancelling the course.

use inservice_wire::CourseDto;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::api::courses::CourseExt;
use crate::api::courses::MyEnrollmentExt;
use crate::api::{ApiError, enrollments};
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, Notice};
use crate::routes::Route;
use crate::session::use_auth;

#[derive(Properties, PartialEq)]
pub struct EnrollPanelProps {
    pub course: CourseDto,
    pub reload: Callback<()>,
}

/// What a teacher (or a visitor) can do about taking part.
#[component]
pub fn EnrollPanel(props: &EnrollPanelProps) -> Html {
    let auth = use_auth();
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let c = &props.course;
    let mine = c.my_enrollment.clone().filter(|m| m.status != "withdrawn");
    let full = c.places_left == 0 && c.allocation.code == "first_come";
    let act = |join: Option<bool>| {
        let (auth, busy, error, reload) = (
            auth.clone(),
            busy.clone(),
            error.clone(),
            props.reload.clone(),
        );
        let (code, id) = (c.code, c.my_enrollment.as_ref().map(|m| m.id));
        Callback::from(move |_: MouseEvent| {
            let (auth, busy, error, reload) =
                (auth.clone(), busy.clone(), error.clone(), reload.clone());
            busy.set(true);
            spawn_local(async move {
                let result = match (join, id) {
                    (Some(wait), _) => enrollments::enroll(&auth.client, code, wait)
                        .await
                        .map(|_| ()),
                    (None, Some(id)) => enrollments::withdraw(&auth.client, id).await.map(|_| ()),
                    (None, None) => Ok(()),
                };
                busy.set(false);
                match result {
                    Ok(()) => {
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let signed_in = auth.session.is_some();
    let open = c.registration_status == "open";
    html! {
        <section class="panel enroll-panel" aria-labelledby="enroll-title">
            <h2 id="enroll-title">{ "線上報名" }</h2>
            if c.state == "cancelled" {
                <p class="warning" id="course-cancelled-reason">
                    { format!("本課程已取消：{}", c.cancel_reason.clone().unwrap_or_default()) }
                </p>
            }
            <p class="meta">
                { format!("錄取方式：{}", c.allocation.label) }
                if c.review_enrollments {
                    { "；報名須經開課單位審核" }
                }
            </p>
            if let Some(m) = &mine {
                <div class="notice" id="my-enrollment" role="status">
                    <p>
                        { "您的報名狀態：" }<strong id="my-enrollment-status">{ &m.status_label }</strong>
                        if let Some(position) = m.position {
                            { format!("（候補第 {position} 位）") }
                        }
                    </p>
                    if let Some(reason) = &m.reason {
                        <p>{ format!("說明：{reason}") }</p>
                    }
                    if !m.warnings.is_empty() {
                        <ul class="flag-list">
                            { for m.warnings.iter().map(|w| html! { <li class="flag">{ &w.message }</li> }) }
                        </ul>
                    }
                </div>
                if m.is_active() {
                    <CalendarLinks course={c.clone()} />
                }
            } else if !signed_in && open {
                <p><AppLink to={Route::Login} id="enroll-login">{ "登入後即可報名" }</AppLink></p>
            }
            <div class="form-actions">
                if c.can("enroll") && !full {
                    <button type="button" class="primary" id="course-enroll" disabled={*busy}
                        onclick={act(Some(false))}>
                        { if c.allocation.code == "lottery" { "登記抽籤" } else { "我要報名" } }
                    </button>
                }
                if c.can("enroll") && full {
                    <button type="button" class="primary" id="course-join-waiting" disabled={*busy}
                        onclick={act(Some(true))}>{ "名額已滿，加入候補" }</button>
                }
                if c.can("withdraw") {
                    <button type="button" class="danger" id="course-withdraw" disabled={*busy}
                        onclick={act(None)}>{ "取消報名" }</button>
                }
            </div>
            if let Some(error) = &*error {
                <ErrorSummary error={error.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    course: CourseDto,
}

/// The QR code of the course page and the ways to put the course in a calendar.
#[component]
fn CalendarLinks(props: &LinksProps) -> Html {
    let c = &props.course;
    html! {
        <div class="calendar-links">
            <img id="course-qr" class="qr" src={c.qr_url.clone()} width="160" height="160"
                alt={format!("課程「{}」頁面的 QR Code", c.name)} />
            <ul class="account-links">
                <li>
                    <a id="course-google-calendar" href={c.google_calendar_url.clone()}
                        target="_blank" rel="noopener noreferrer">{ "加入 Google 日曆" }</a>
                </li>
                <li>
                    <a id="course-ics" href={c.ics_url.clone()}
                        download={format!("course-{}.ics", c.code)}>{ "下載行事曆檔（.ics）" }</a>
                </li>
            </ul>
        </div>
    }
}

/// The organiser's ways to the enrollments, and to cancelling the course with a reason.
#[component]
pub fn OrganiserEnrollments(props: &EnrollPanelProps) -> Html {
    let auth = use_auth();
    let reason_ref = use_node_ref();
    let asking = use_state(|| false);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let c = &props.course;
    if !c.can("manage_enrollments") && !c.can("cancel") {
        return html! {};
    }
    let toggle = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(!*asking))
    };
    let on_cancel = {
        let (auth, outcome, reload, asking) = (
            auth.clone(),
            outcome.clone(),
            props.reload.clone(),
            asking.clone(),
        );
        let (reason_ref, code) = (reason_ref.clone(), c.code);
        Callback::from(move |_: MouseEvent| {
            let reason = reason_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let (auth, outcome, reload, asking) = (
                auth.clone(),
                outcome.clone(),
                reload.clone(),
                asking.clone(),
            );
            spawn_local(async move {
                let result = enrollments::cancel(&auth.client, code, reason.clone()).await;
                if result.is_ok() {
                    asking.set(false);
                    reload.emit(());
                }
                outcome.set(Some(
                    result.map(|()| "課程已取消，已通知所有報名與候補的教師。".to_owned()),
                ));
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="organiser-enrollments-title">
            <h2 id="organiser-enrollments-title">{ "報名管理" }</h2>
            <p>{ format!("名額 {}，已錄取 {}，尚餘 {}。", c.capacity, c.enrolled, c.places_left) }</p>
            <div class="form-actions">
                if c.can("manage_enrollments") {
                    <AppLink to={Route::CourseEnrollments { code: c.code }} id="course-enrollments-link"
                        classes={classes!("button-link")}>{ "報名名單與簽到表" }</AppLink>
                }
                if c.can("cancel") {
                    <button type="button" class="danger" id="course-cancel" onclick={toggle}>
                        { "取消課程" }
                    </button>
                }
            </div>
            if *asking {
                <div class="inline-step">
                    <div class="field">
                        <label for="cancel-reason">{ "取消原因（將寄給所有報名與候補的教師）" }</label>
                        <textarea id="cancel-reason" rows="3" ref={reason_ref.clone()} />
                    </div>
                    <button type="button" class="danger" id="cancel-confirm" onclick={on_cancel}>
                        { "確定取消並通知教師" }
                    </button>
                </div>
            }
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="cancel-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}
