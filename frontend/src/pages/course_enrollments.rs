//! 報名名單 (organiser): a course's enrollments with counts, acceptance and refusal, moving a
//! waiting teacher up by hand, the four roster workbooks, postponement, the lottery, and who
//! was told what.

use inservice_wire::{CourseSessionDto, ParticipantDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::courses;
use crate::api::courses::CourseExt;
use crate::api::enrollments;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::status::{ErrorBox, Loading};
use crate::files;
use crate::format::local_time;
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::routes::Route;
use crate::session::use_auth;

const FILTERS: [(&str, &str); 7] = [
    ("", "全部"),
    ("enrolled", "報名成功"),
    ("pending", "待審核"),
    ("waiting", "候補"),
    ("applied", "待抽籤"),
    ("withdrawn", "已取消報名"),
    ("declined", "未錄取"),
];

const EXPORTS: [(&str, &str); 4] = [
    ("sign_in", "簽到表"),
    ("blank_sign_in", "空白簽到表"),
    ("registrations", "線上報名資訊"),
    ("participants", "參加人員名單"),
];

#[derive(Properties, PartialEq)]
pub struct CourseEnrollmentsProps {
    pub code: i32,
}

#[component]
pub fn CourseEnrollmentsPage(props: &CourseEnrollmentsProps) -> Html {
    use_title("報名名單");
    let auth = use_auth();
    let signed_in = use_require_login().is_some();
    let filter = use_state(String::new);
    let ActionOutcome {
        version,
        message,
        done,
    } = use_action_outcome();
    let code = props.code;
    let course = {
        let auth = auth.clone();
        use_fetch(
            (code, signed_in, version),
            move |(code, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                courses::course(&auth.client, code).await
            },
        )
    };
    let list = {
        let auth = auth.clone();
        use_fetch(
            (code, (*filter).clone(), signed_in, version),
            move |(code, filter, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                enrollments::participants(&auth.client, code, &filter, 1).await
            },
        )
    };
    let export = |kind: &'static str, label: &'static str| {
        let (auth, done) = (auth.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                match enrollments::export(&auth.client, code, kind).await {
                    Ok(bytes) => {
                        let name = format!("course-{code}-{kind}.xlsx");
                        let saved = files::save(&bytes, files::XLSX, &name);
                        if let Err(e) = saved {
                            done.emit(Err(ApiError::Network(e)));
                        }
                    }
                    Err(e) => done.emit(Err(e)),
                }
                let _ = label;
            });
        })
    };
    let accept_all = {
        let (auth, done) = (auth.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = enrollments::accept_all(&auth.client, code).await;
                done.emit(result.map(|()| "已錄取所有待審核的報名。".to_owned()));
            });
        })
    };
    let on_draw = {
        let (auth, done) = (auth.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = enrollments::draw(&auth.client, code).await;
                done.emit(result.map(|r| {
                    format!(
                        "抽籤完成（種子 {}）：錄取 {} 人，候補 {} 人。",
                        r.seed, r.placed, r.waiting
                    )
                }));
            });
        })
    };
    let Fetch::Ready(course) = &*course else {
        return match &*course {
            Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
            _ => html! { <Loading /> },
        };
    };
    html! {
        <section aria-labelledby="enrollments-title">
            <h1 id="enrollments-title">{ "報名名單" }</h1>
            <p class="lead">
                <AppLink to={Route::Course { code }}>{ &course.name }</AppLink>
                { format!("　課程代碼 {code}") }
            </p>
            { match &message {
                Some(Ok(message)) => html! { <Notice id="enrollments-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            <section class="panel" aria-labelledby="exports-title">
                <h2 id="exports-title">{ "下載（Excel）" }</h2>
                <div class="form-actions">
                    { for EXPORTS.iter().map(|(kind, label)| html! {
                        <button type="button" id={format!("export-{kind}")} onclick={export(kind, label)}>
                            { *label }
                        </button>
                    }) }
                </div>
            </section>
            if course.can("draw") {
                <section class="panel">
                    <h2>{ "公開抽籤" }</h2>
                    <p>{ "報名已截止。抽籤依參加對象優先、其餘隨機排序，種子與結果會記錄在課程歷程中。" }</p>
                    <button type="button" class="primary" id="course-draw" onclick={on_draw}>{ "立即抽籤" }</button>
                </section>
            }
            if course.can("postpone") {
                <PostponeForm {code} done={done.clone()} />
            }
            <nav class="status-tabs" aria-label="報名狀態">
                { for FILTERS.iter().map(|(value, label)| {
                    let filter_state = filter.clone();
                    let value = *value;
                    html! {
                        <button type="button" aria-pressed={(*filter == value).to_string()}
                            id={format!("enrollments-tab-{}", if value.is_empty() { "all" } else { value })}
                            onclick={Callback::from(move |_| filter_state.set(value.to_owned()))}>
                            { *label }
                        </button>
                    }
                }) }
            </nav>
            { match &*list {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(page) => html! {
                    <>
                        <p class="summary" id="enrollments-counts">
                            { format!(
                                "名額 {}，已錄取 {}（報名成功 {}、待審核 {}），候補 {}，待抽籤 {}，取消 {}，未錄取 {}",
                                page.capacity, page.taken, page.counts.enrolled, page.counts.pending,
                                page.counts.waiting, page.counts.applied, page.counts.withdrawn,
                                page.counts.declined
                            ) }
                        </p>
                        if page.counts.pending > 0 {
                            <button type="button" class="primary" id="accept-all" onclick={accept_all.clone()}>
                                { "全部錄取" }
                            </button>
                        }
                        <ul class="approval-list" id="enrollment-list">
                            { for page.items.iter().map(|p| html! {
                                <ParticipantRow key={p.id} {code} participant={p.clone()} done={done.clone()} />
                            }) }
                        </ul>
                    </>
                },
            } }
            <Notifications {code} {version} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    code: i32,
    participant: ParticipantDto,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn ParticipantRow(props: &RowProps) -> Html {
    let auth = use_auth();
    let reason_ref = use_node_ref();
    let p = &props.participant;
    let act = |action: &'static str, message: &'static str| {
        let (auth, done, reason_ref) = (auth.clone(), props.done.clone(), reason_ref.clone());
        let (code, id) = (props.code, p.id);
        Callback::from(move |_: MouseEvent| {
            let reason = reason_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result =
                    enrollments::decide(&auth.client, code, id, action, reason.clone()).await;
                done.emit(result.map(|()| message.to_owned()));
            });
        })
    };
    let decidable = matches!(p.status.as_str(), "pending" | "waiting" | "applied");
    html! {
        <li class="approval-row" data-enrollment={p.id.to_string()}>
            <p class="approval-name">
                { &p.real_name }{ " " }<span class="badge badge-state">{ &p.status_label }</span>
                if let Some(position) = p.position {
                    { format!("（候補第 {position} 位）") }
                }
            </p>
            <p class="meta">
                { format!(
                    "報名編號 {}｜{}｜{}｜{}｜{}｜報名時間 {}",
                    p.id,
                    p.unit_name.clone().unwrap_or_default(),
                    p.job_title.clone().unwrap_or_default(),
                    p.email,
                    p.phone.clone().unwrap_or_default(),
                    local_time(&p.created_at)
                ) }
            </p>
            if let Some(reason) = &p.reason {
                <p class="meta">{ format!("說明：{reason}") }</p>
            }
            if decidable {
                <div class="row-actions">
                    if p.status == "pending" {
                        <button type="button" class="primary" onclick={act("accept", "已錄取。")}>{ "錄取" }</button>
                    }
                    <input aria-label={format!("{} 的理由", p.real_name)} placeholder="理由（不錄取或遞補時必填）"
                        ref={reason_ref.clone()} />
                    if p.status == "waiting" {
                        <button type="button" onclick={act("promote", "已遞補。")}>{ "遞補" }</button>
                    }
                    <button type="button" class="danger" onclick={act("decline", "已通知不錄取。")}>{ "不錄取" }</button>
                </div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct PostponeProps {
    code: i32,
    done: Callback<Result<String, ApiError>>,
}

/// 課程延期: new sessions (one day, a start and an end) and the reason teachers read.
#[component]
fn PostponeForm(props: &PostponeProps) -> Html {
    let auth = use_auth();
    let (date, starts, ends, reason) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let onsubmit = {
        let (auth, done, code) = (auth.clone(), props.done.clone(), props.code);
        let refs = (date.clone(), starts.clone(), ends.clone(), reason.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let session = CourseSessionDto {
                date: value(&refs.0),
                starts_at: value(&refs.1),
                ends_at: value(&refs.2),
            };
            let reason = value(&refs.3);
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = enrollments::postpone(
                    &auth.client,
                    code,
                    reason.clone(),
                    vec![session.clone()],
                )
                .await;
                done.emit(result.map(|()| "已改期，並通知所有報名與候補的教師。".to_owned()));
            });
        })
    };
    html! {
        <details class="panel">
            <summary>{ "課程延期（改為單一場次）" }</summary>
            <form class="account-form" novalidate=true {onsubmit}>
                <div class="field"><label for="postpone-date">{ "新日期" }</label><input id="postpone-date" type="date" ref={date} /></div>
                <div class="field"><label for="postpone-starts">{ "開始" }</label><input id="postpone-starts" type="time" value="09:00" ref={starts} /></div>
                <div class="field"><label for="postpone-ends">{ "結束" }</label><input id="postpone-ends" type="time" value="12:00" ref={ends} /></div>
                <div class="field"><label for="postpone-reason">{ "改期原因" }</label><input id="postpone-reason" ref={reason} /></div>
                <button type="submit" class="primary" id="postpone-submit">{ "改期並通知教師" }</button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct NotificationProps {
    code: i32,
    version: u32,
}

/// Who was told what, and when.
#[component]
fn Notifications(props: &NotificationProps) -> Html {
    let auth = use_auth();
    let list = use_fetch((props.code, props.version), move |(code, _)| async move {
        enrollments::notifications(&auth.client, code).await
    });
    html! {
        <details class="panel" id="notifications">
            <summary>{ "通知紀錄" }</summary>
            { match &*list {
                Fetch::Ready(list) if list.items.is_empty() => html! { <p class="empty">{ "尚無通知。" }</p> },
                Fetch::Ready(list) => html! {
                    <ul class="history-list" id="notification-list">
                        { for list.items.iter().map(|n| html! {
                            <li class="history-row">
                                { format!(
                                    "{}　{}　{}（{}）　{}",
                                    local_time(&n.created_at),
                                    n.real_name.clone().unwrap_or_else(|| n.to.clone()),
                                    notice_label(&n.kind),
                                    delivery_label(&n.status),
                                    n.sent_at.as_ref().map(local_time).map(|t| format!("寄出 {t}")).unwrap_or_default()
                                ) }
                            </li>
                        }) }
                    </ul>
                },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Loading => html! { <Loading /> },
            } }
        </details>
    }
}

fn notice_label(kind: &str) -> &str {
    match kind {
        "enrolled" => "報名成功通知",
        "pending" => "待審核通知",
        "waiting" => "候補通知",
        "applied" => "抽籤登記通知",
        "promoted" => "遞補通知",
        "accepted" => "錄取通知",
        "declined" => "未錄取通知",
        "drawn_in" => "抽籤錄取通知",
        "drawn_waiting" => "抽籤候補通知",
        "withdrawn" => "取消報名通知",
        "cancelled" => "課程取消通知",
        "postponed" => "課程延期通知",
        other => other,
    }
}

fn delivery_label(status: &str) -> &str {
    match status {
        "queued" => "待寄送",
        "retry" => "重試中",
        "sent" => "已寄出",
        "failed" => "寄送失敗",
        other => other,
    }
}
