//! The review side of a course page: the organiser's state, flags, history and actions (edit,
//! submit, copy, delete), the reviewer's decision, and the attachments.

use inservice_wire::{AttachmentDto, CourseDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::courses;
use crate::api::courses::CourseExt;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, Notice};
use crate::files;
use crate::format::local_time;
use crate::routes::Route;
use crate::session::use_auth;

#[derive(Properties, PartialEq)]
pub struct CoursePanelProps {
    pub course: CourseDto,
    /// Asks the page to fetch the course again after a change.
    pub reload: Callback<()>,
}

fn event_label(event: &str) -> &str {
    match event {
        "created" => "建立草稿",
        "edited" => "修改",
        "submitted" => "送審",
        "auto_approved" => "自動核准",
        "approved" => "核准",
        "returned" => "退回修改",
        "rejected" => "不予核准",
        "attachment_added" => "新增附件",
        "attachment_removed" => "刪除附件",
        other => other,
    }
}

/// The organiser's (and reviewer's) view of the review: state, reviewer, reason, flags,
/// history, and the organiser's actions.
#[component]
pub fn OrganiserPanel(props: &CoursePanelProps) -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let c = &props.course;
    let Some(review) = &c.review else {
        return html! {};
    };
    let act = |action: &'static str, done: &'static str| {
        let (auth, busy, outcome, reload) = (
            auth.clone(),
            busy.clone(),
            outcome.clone(),
            props.reload.clone(),
        );
        let (navigator, code) = (navigator.clone(), c.code);
        Callback::from(move |_: MouseEvent| {
            let (auth, busy, outcome, reload) =
                (auth.clone(), busy.clone(), outcome.clone(), reload.clone());
            let navigator = navigator.clone();
            busy.set(true);
            spawn_local(async move {
                let result = courses::act(&auth.client, code, action, None).await;
                busy.set(false);
                match result {
                    Ok(course) if action == "copy" => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::CourseEdit { code: course.code });
                        }
                    }
                    Ok(_) => {
                        outcome.set(Some(Ok(done.to_owned())));
                        reload.emit(());
                    }
                    Err(error) => outcome.set(Some(Err(error))),
                }
            });
        })
    };
    let on_delete = {
        let (auth, busy, outcome, code) = (auth.clone(), busy.clone(), outcome.clone(), c.code);
        let navigator = navigator.clone();
        Callback::from(move |_: MouseEvent| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("確定刪除這份草稿？").ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let (auth, busy, outcome, navigator) = (
                auth.clone(),
                busy.clone(),
                outcome.clone(),
                navigator.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let result = courses::remove(&auth.client, code).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::UnitCourses);
                        }
                    }
                    Err(error) => outcome.set(Some(Err(error))),
                }
            });
        })
    };
    html! {
        <section class="panel review-panel" aria-labelledby="review-title">
            <h2 id="review-title">{ "審核狀態" }</h2>
            <dl class="profile-data">
                <div class="profile-row">
                    <dt>{ "目前狀態" }</dt>
                    <dd id="review-state">
                        { &c.state_label }
                        if review.auto_approved {
                            { " " }<span class="badge">{ "自動審核" }</span>
                        }
                    </dd>
                </div>
                <div class="profile-row"><dt>{ "審核單位" }</dt><dd>{ &review.reviewer_name }</dd></div>
                if let Some(at) = &review.submitted_at {
                    <div class="profile-row"><dt>{ "送審時間" }</dt><dd>{ local_time(at) }</dd></div>
                }
                if let Some(reason) = &review.decision_reason {
                    <div class="profile-row">
                        <dt>{ "審核意見" }</dt><dd id="review-reason-text">{ reason }</dd>
                    </div>
                }
            </dl>
            if !review.flags.is_empty() {
                <div class="warning" id="review-flags">
                    <p>{ "審核提醒（不會自動退件）：" }</p>
                    <ul>{ for review.flags.iter().map(|f| html! { <li>{ &f.message }</li> }) }</ul>
                </div>
            }
            <div class="form-actions">
                if c.can("edit") {
                    <AppLink to={Route::CourseEdit { code: c.code }} id="course-edit" classes={classes!("button-link")}>
                        { "修改課程" }
                    </AppLink>
                }
                if c.can("submit") {
                    <button type="button" class="primary" id="course-submit" disabled={*busy}
                        onclick={act("submit", "已送審。")}>{ "送出審核" }</button>
                }
                if c.can("copy") {
                    <button type="button" id="course-copy" disabled={*busy}
                        onclick={act("copy", "")}>{ "複製為新場次" }</button>
                }
                if c.can("delete") {
                    <button type="button" class="danger" id="course-delete" disabled={*busy}
                        onclick={on_delete}>{ "刪除草稿" }</button>
                }
            </div>
            if c.state == "approved" && c.can("edit") {
                <p class="hint">{ "已核准的課程修改後須重新送審（管理規定第 11 條）。" }</p>
            }
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="course-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            <details class="history">
                <summary>{ format!("審核歷程（{} 筆）", review.history.len()) }</summary>
                <ol class="history-list" id="review-history">
                    { for review.history.iter().map(|e| html! {
                        <li class="history-row">
                            <span class="history-head">
                                <time>{ local_time(&e.at) }</time>{ " " }
                                <strong>{ event_label(&e.event) }</strong>
                                if let Some(name) = &e.actor_name {
                                    { format!("　{name}") }
                                }
                            </span>
                            if let Some(reason) = &e.reason {
                                <span class="history-diff">{ reason }</span>
                            }
                        </li>
                    }) }
                </ol>
            </details>
        </section>
    }
}

/// Approve, return or reject, with a reason the organiser reads.
#[component]
pub fn ReviewerPanel(props: &CoursePanelProps) -> Html {
    let auth = use_auth();
    let reason_ref = use_node_ref();
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let decide = |action: &'static str, done: &'static str| {
        let (auth, busy, outcome, reload) = (
            auth.clone(),
            busy.clone(),
            outcome.clone(),
            props.reload.clone(),
        );
        let (reason_ref, code) = (reason_ref.clone(), props.course.code);
        Callback::from(move |_: MouseEvent| {
            let reason = reason_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value().trim().to_owned())
                .filter(|r| !r.is_empty());
            let (auth, busy, outcome, reload) =
                (auth.clone(), busy.clone(), outcome.clone(), reload.clone());
            busy.set(true);
            spawn_local(async move {
                let result = courses::act(&auth.client, code, action, reason.clone()).await;
                busy.set(false);
                outcome.set(Some(result.map(|_| done.to_owned())));
                reload.emit(());
            });
        })
    };
    html! {
        <section class="panel decision-panel" aria-labelledby="decision-title">
            <h2 id="decision-title">{ "審核決定" }</h2>
            <div class="field">
                <label for="review-reason">{ "審核意見（退回或不予核准時必填）" }</label>
                <textarea id="review-reason" rows="3" ref={reason_ref.clone()} />
            </div>
            <div class="form-actions">
                <button type="button" class="primary" id="review-approve" disabled={*busy}
                    onclick={decide("approve", "已核准並公告。")}>{ "核准" }</button>
                <button type="button" id="review-return" disabled={*busy}
                    onclick={decide("return", "已退回開課單位修改。")}>{ "退回修改" }</button>
                <button type="button" class="danger" id="review-reject" disabled={*busy}
                    onclick={decide("reject", "已不予核准。")}>{ "不予核准" }</button>
            </div>
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="decision-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}

fn size_text(bytes: u32) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", f64::from(bytes) / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// 研習附件: download for everyone who sees the course; upload and delete for its managers.
#[component]
pub fn Attachments(props: &CoursePanelProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let file_ref = use_node_ref();
    let c = &props.course;
    let manage = c.can("edit");
    if c.attachments.is_empty() && !manage {
        return html! {};
    }
    let download = |attachment: &AttachmentDto| {
        let (auth, error) = (auth.clone(), error.clone());
        let attachment = attachment.clone();
        Callback::from(move |_: MouseEvent| {
            let (auth, error, attachment) = (auth.clone(), error.clone(), attachment.clone());
            spawn_local(async move {
                let url = attachment.url.clone();
                let result = courses::download(&auth.client, &url).await;
                match result {
                    Ok(bytes) => {
                        let _ =
                            files::save(&bytes, &attachment.content_type, &attachment.file_name);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let remove = |attachment: &AttachmentDto| {
        let (auth, error, busy, reload) = (
            auth.clone(),
            error.clone(),
            busy.clone(),
            props.reload.clone(),
        );
        let (code, id) = (c.code, attachment.id);
        Callback::from(move |_: MouseEvent| {
            let (auth, error, busy, reload) =
                (auth.clone(), error.clone(), busy.clone(), reload.clone());
            busy.set(true);
            spawn_local(async move {
                let result = courses::remove_attachment(&auth.client, code, id).await;
                busy.set(false);
                match result {
                    Ok(()) => reload.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_upload = {
        let (auth, error, busy, reload) = (
            auth.clone(),
            error.clone(),
            busy.clone(),
            props.reload.clone(),
        );
        let (file_ref, code) = (file_ref.clone(), c.code);
        Callback::from(move |_: Event| {
            let Some(file) = file_ref
                .cast::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            let (auth, error, busy, reload) =
                (auth.clone(), error.clone(), busy.clone(), reload.clone());
            let file_ref = file_ref.clone();
            busy.set(true);
            spawn_local(async move {
                let name = file.name();
                let result = match files::read(&file).await {
                    Ok(bytes) => {
                        courses::upload(&auth.client, code, name.clone(), bytes.clone()).await
                    }
                    Err(e) => Err(ApiError::Network(e)),
                };
                busy.set(false);
                if let Some(input) = file_ref.cast::<HtmlInputElement>() {
                    input.set_value("");
                }
                match result {
                    Ok(_) => {
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="attachments-title">
            <h2 id="attachments-title">{ "研習附件" }</h2>
            if c.attachments.is_empty() {
                <p class="empty">{ "尚無附件。" }</p>
            }
            <ul class="attachment-list" id="attachment-list">
                { for c.attachments.iter().map(|a| html! {
                    <li class="attachment" key={a.id}>
                        <button type="button" class="link-button" onclick={download(a)}>
                            { &a.file_name }
                        </button>
                        <span class="meta">{ format!("　{}", size_text(a.size)) }</span>
                        if manage {
                            { " " }
                            <button type="button" class="danger small" disabled={*busy}
                                onclick={remove(a)}>{ "刪除" }</button>
                        }
                    </li>
                }) }
            </ul>
            if manage {
                <div class="field">
                    <label for="attachment-file">{ "上傳附件" }</label>
                    <input id="attachment-file" type="file" ref={file_ref} disabled={*busy}
                        accept=".pdf,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls,.png,.jpg,.jpeg"
                        onchange={on_upload} />
                    <p class="hint">{ "PDF、Office、ODF 文件或圖片，每個 10 MB 以內，最多 5 個。已核准的課程變更附件須重新送審。" }</p>
                </div>
            }
            if let Some(error) = &*error {
                <ErrorSummary error={error.clone()} />
            }
        </section>
    }
}
