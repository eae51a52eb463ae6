//! 名單確認 and 修改已結案課程內容申請 for reviewers: the rosters waiting for the signed-in
//! reviewer's unit, the amendment requests waiting for its decision (before and after side by
//! side), and a course's own requests for its organisers.

use inservice_wire::{AmendmentDto, AmendmentLineDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::records;
use crate::components::app_link::AppLink;
use crate::components::course_row::CourseRow;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::local_time;
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::routes::Route;
use crate::session::use_auth;

fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "待審核",
        "approved" => "已同意",
        "rejected" => "不同意",
        _ => "",
    }
}

fn mark_label(mark: &str) -> &'static str {
    match mark {
        "attended" => "出席",
        "leave" => "請假",
        "absent" => "缺席",
        _ => "",
    }
}

fn changes(before: &[AmendmentLineDto], after: &[AmendmentLineDto]) -> Html {
    html! {
        <table class="plain-table amendment-lines">
            <thead>
                <tr><th>{ "教師" }</th><th>{ "原登錄" }</th><th>{ "修改為" }</th></tr>
            </thead>
            <tbody>
                { for after.iter().map(|a| {
                    let b = before.iter().find(|b| b.account_id == a.account_id);
                    html! {
                        <tr>
                            <td>{ &a.real_name }</td>
                            <td>{ b.map(|b| format!("{} {} 小時", mark_label(&b.mark), b.hours)).unwrap_or_default() }</td>
                            <td>{ format!("{} {} 小時", mark_label(&a.mark), a.hours) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct CourseAmendmentsProps {
    pub code: i32,
    pub version: u32,
}

/// A course's amendment requests, newest first.
#[component]
pub fn CourseAmendments(props: &CourseAmendmentsProps) -> Html {
    let auth = use_auth();
    let list = use_fetch((props.code, props.version), move |(code, _)| async move {
        records::course_amendments(&auth.client, code).await
    });
    let Fetch::Ready(list) = &*list else {
        return html! {};
    };
    if list.items.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel" aria-labelledby="amendments-title">
            <h2 id="amendments-title">{ "修改申請紀錄" }</h2>
            <ul class="approval-list" id="course-amendments">
                { for list.items.iter().map(|a| html! {
                    <li class="approval-row" data-amendment={a.id.to_string()}>
                        <p>
                            <span class="badge badge-state">{ status_label(&a.status) }</span>
                            { format!(" {}　{}", local_time(&a.requested_at), a.reason) }
                        </p>
                        { changes(&a.before, &a.after) }
                        if let Some(reason) = &a.decision_reason {
                            <p class="meta">{ format!("審核意見：{reason}") }</p>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}

/// `/review/rosters`: what waits for the reviewer after the courses.
#[component]
pub fn RosterReviewPage() -> Html {
    use_title("名單確認");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.is_reviewer() {
        return html! { <Forbidden>{ "名單確認限審核單位的業務帳號使用。" }</Forbidden> };
    }
    let unit = session
        .account
        .unit
        .clone()
        .map(|u| u.name)
        .unwrap_or_default();
    html! {
        <section aria-labelledby="rosters-title">
            <h1 id="rosters-title">{ "名單確認" }</h1>
            <p class="lead">{ unit }</p>
            <RosterQueue />
            <PendingAmendments />
        </section>
    }
}

#[component]
fn RosterQueue() -> Html {
    let auth = use_auth();
    let queue = use_fetch((), move |()| async move {
        records::roster_queue(&auth.client, 1).await
    });
    html! {
        <section class="panel" aria-labelledby="roster-queue-title">
            <h2 id="roster-queue-title">{ "待確認名單" }</h2>
            { match &*queue {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(page) if page.items.is_empty() => html! { <p id="roster-queue-empty">{ "目前沒有待確認的名單。" }</p> },
                Fetch::Ready(page) => html! {
                    <>
                        <p class="summary">{ format!("共 {} 門課程", page.total) }</p>
                        <ul class="course-list" id="roster-queue">
                            { for page.items.iter().map(|c| html! {
                                <>
                                    <CourseRow key={c.code} course={c.clone()} show_state=true />
                                    <p class="row-action">
                                        <AppLink to={Route::Attendance { code: c.code }} id={format!("roster-open-{}", c.code)}>
                                            { "檢視出席名單並確認" }
                                        </AppLink>
                                    </p>
                                </>
                            }) }
                        </ul>
                    </>
                },
            } }
        </section>
    }
}

#[component]
fn PendingAmendments() -> Html {
    let auth = use_auth();
    let ActionOutcome {
        version,
        message,
        done,
    } = use_action_outcome();
    let list = use_fetch(version, move |_| async move {
        records::pending_amendments(&auth.client).await
    });
    html! {
        <section class="panel" aria-labelledby="pending-amendments-title">
            <h2 id="pending-amendments-title">{ "修改已結案課程內容申請" }</h2>
            { match &message {
                Some(Ok(message)) => html! { <Notice id="amendment-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            { match &*list {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) if list.items.is_empty() => html! { <p>{ "目前沒有待審核的修改申請。" }</p> },
                Fetch::Ready(list) => html! {
                    <ul class="approval-list" id="pending-amendments">
                        { for list.items.iter().map(|a| html! {
                            <AmendmentRow key={a.id} amendment={a.clone()} done={done.clone()} />
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    amendment: AmendmentDto,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn AmendmentRow(props: &RowProps) -> Html {
    let auth = use_auth();
    let reason = use_node_ref();
    let a = &props.amendment;
    let decide = |approve: bool| {
        let (auth, done, reason, id) = (auth.clone(), props.done.clone(), reason.clone(), a.id);
        Callback::from(move |_: MouseEvent| {
            let text = reason
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result =
                    records::decide_amendment(&auth.client, id, approve, text.clone()).await;
                done.emit(result.map(|_| {
                    if approve {
                        "已同意修改，教師的研習紀錄已更新。".to_owned()
                    } else {
                        "已不同意這件修改申請。".to_owned()
                    }
                }));
            });
        })
    };
    let (approve, reject) = (decide(true), decide(false));
    html! {
        <li class="approval-row" data-amendment={a.id.to_string()}>
            <p class="approval-name">
                <AppLink to={Route::Attendance { code: a.course_code }}>{ format!("課程代碼 {}", a.course_code) }</AppLink>
                { format!("　{}", local_time(&a.requested_at)) }
            </p>
            <p>{ format!("理由：{}", a.reason) }</p>
            { changes(&a.before, &a.after) }
            <div class="field">
                <label for={format!("amendment-reason-{}", a.id)}>{ "審核意見（不同意時必填）" }</label>
                <input id={format!("amendment-reason-{}", a.id)} ref={reason.clone()} />
            </div>
            <div class="form-actions">
                <button type="button" class="primary" id={format!("amendment-approve-{}", a.id)} onclick={approve}>{ "同意" }</button>
                <button type="button" id={format!("amendment-reject-{}", a.id)} onclick={reject}>{ "不同意" }</button>
            </div>
        </li>
    }
}
