//! 研習課程資料確認: the courses waiting for the signed-in reviewer's unit (or those it decided),
//! filtered by stage and by reviewer flags; and the unit's automatic-approval switches, which
//! only its chief may change.

use inservice_wire::AutoApprovalDto;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::courses::{self, QueueQuery};
use crate::components::course_row::CourseRow;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::pages::courses::STAGES;
use crate::session::use_auth;

#[component]
pub fn ReviewQueuePage() -> Html {
    use_title("課程審核");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let me = &session.account;
    let Some(unit) = me.unit.clone().filter(|_| me.is_reviewer()) else {
        return html! { <Forbidden>{ "課程審核限區管中心、全國推廣中心等審核單位的業務帳號使用。" }</Forbidden> };
    };
    html! {
        <section aria-labelledby="queue-title">
            <h1 id="queue-title">{ "課程審核" }</h1>
            <p class="lead">{ &unit.name }</p>
            <AutoApprovalPanel code={unit.code.clone()} chief={me.account_type.as_deref() == Some("chief")} />
            <Queue />
        </section>
    }
}

#[component]
fn Queue() -> Html {
    let auth = use_auth();
    let query = use_state(QueueQuery::default);
    let list = use_fetch((*query).clone(), move |q| async move {
        courses::queue(&auth.client, &q).await
    });
    let set = |change: fn(&mut QueueQuery, String)| {
        let query = query.clone();
        Callback::from(move |e: Event| {
            let target: web_sys::HtmlInputElement = e.target_unchecked_into();
            let value = if target.type_() == "checkbox" {
                target.checked().to_string()
            } else {
                target.value()
            };
            let mut next = (*query).clone();
            change(&mut next, value);
            next.page = 1;
            query.set(next);
        })
    };
    let on_page = {
        let query = query.clone();
        Callback::from(move |p: u64| {
            query.set(QueueQuery {
                page: p,
                ..(*query).clone()
            })
        })
    };
    html! {
        <section class="panel" aria-labelledby="queue-list-title">
            <h2 id="queue-list-title">{ if query.decided { "已審核的課程" } else { "待審核的課程" } }</h2>
            <div class="queue-filters">
                <div class="field">
                    <label for="queue-status">{ "狀態" }</label>
                    <select id="queue-status" onchange={set(|q, v| q.decided = v == "decided")}>
                        <option value="waiting" selected={!query.decided}>{ "待審核" }</option>
                        <option value="decided" selected={query.decided}>{ "已審核" }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="queue-stage">{ "教育階段" }</label>
                    <select id="queue-stage" onchange={set(|q, v| q.stage = v)}>
                        <option value="">{ "全部階段" }</option>
                        { for STAGES.iter().map(|(v, l)| html! {
                            <option value={*v} selected={query.stage == *v}>{ *l }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="queue-unit">{ "開課單位代碼" }</label>
                    <input id="queue-unit" type="search" value={query.unit.clone()}
                        onchange={set(|q, v| q.unit = v)} />
                </div>
                <div class="field">
                    <label for="queue-from">{ "上課日期起" }</label>
                    <input id="queue-from" type="date" value={query.from.clone()}
                        onchange={set(|q, v| q.from = v)} />
                </div>
                <div class="field">
                    <label for="queue-to">{ "上課日期迄" }</label>
                    <input id="queue-to" type="date" value={query.to.clone()}
                        onchange={set(|q, v| q.to = v)} />
                </div>
                <div class="field check">
                    <input id="queue-flagged" type="checkbox" checked={query.flagged}
                        onchange={set(|q, v| q.flagged = v == "true")} />
                    <label for="queue-flagged">{ "只看有審核提醒的課程" }</label>
                </div>
            </div>
            <div aria-live="polite">
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(page) if page.items.is_empty() => html! {
                        <p class="empty" id="queue-empty">{ "目前沒有課程。" }</p>
                    },
                    Fetch::Ready(page) => html! {
                        <p class="summary" id="queue-total">{ format!("共 {} 門課程", page.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(page) = &*list {
                <ul class="course-list" id="queue-list">
                    { for page.items.iter().map(|c| html! {
                        <CourseRow key={c.code} course={c.clone()} show_state=true show_flags=true />
                    }) }
                </ul>
                <Pagination page={page.page} per_page={page.per_page} total={page.total} onchange={on_page} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AutoProps {
    code: AttrValue,
    chief: bool,
}

/// 自動審核: shown to the unit's accounts, switched by its chief.
#[component]
fn AutoApprovalPanel(props: &AutoProps) -> Html {
    let auth = use_auth();
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let setting = {
        let auth = auth.clone();
        use_fetch(
            (props.code.to_string(), *version),
            move |(code, _)| async move { courses::auto_approval(&auth.client, &code).await },
        )
    };
    let Fetch::Ready(current) = &*setting else {
        return html! {};
    };
    let toggle = |courses_switch: bool| {
        let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
        let (code, current) = (props.code.to_string(), current.clone());
        Callback::from(move |_: MouseEvent| {
            let next = if courses_switch {
                AutoApprovalDto {
                    courses: !current.courses,
                    rosters: current.rosters,
                }
            } else {
                AutoApprovalDto {
                    courses: current.courses,
                    rosters: !current.rosters,
                }
            };
            let (auth, version, outcome, code) =
                (auth.clone(), version.clone(), outcome.clone(), code.clone());
            spawn_local(async move {
                let result = courses::set_auto_approval(&auth.client, &code, &next).await;
                outcome.set(Some(result.map(|_| "自動審核設定已更新。".to_owned())));
                version.set(*version + 1);
            });
        })
    };
    let state = |on: bool| if on { "開啟" } else { "關閉" };
    html! {
        <section class="panel" aria-labelledby="auto-title">
            <h2 id="auto-title">{ "自動審核設定" }</h2>
            <p class="hint">
                { "開啟後，轄下學校、幼兒園與研習中心以非學分班登錄且填有依據文號的課程，送審即自動核准。" }
            </p>
            <dl class="profile-data">
                <div class="profile-row">
                    <dt>{ "課程自動審核" }</dt>
                    <dd id="auto-courses">{ state(current.courses) }</dd>
                </div>
                <div class="profile-row">
                    <dt>{ "名單自動確認" }</dt>
                    <dd id="auto-rosters">{ state(current.rosters) }</dd>
                </div>
            </dl>
            if props.chief {
                <div class="form-actions">
                    <button type="button" id="auto-courses-toggle" onclick={toggle(true)}>
                        { if current.courses { "關閉課程自動審核" } else { "開啟課程自動審核" } }
                    </button>
                    <button type="button" id="auto-rosters-toggle" onclick={toggle(false)}>
                        { if current.rosters { "關閉名單自動確認" } else { "開啟名單自動確認" } }
                    </button>
                </div>
            } else {
                <p class="hint">{ "只有總負責人可以變更自動審核設定。" }</p>
            }
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice>{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}
