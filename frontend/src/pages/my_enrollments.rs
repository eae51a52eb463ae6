//! 我的研習: the teacher's enrollments — upcoming, waiting, past, cancelled (with the reason) —
//! withdrawal, and the private calendar feed.

use inservice_wire::EnrollmentDto;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::enrollments;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Loading};
use crate::format::{date_range, hours_text};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

const GROUPS: [(&str, &str); 4] = [
    ("upcoming", "即將參加"),
    ("waiting", "候補與抽籤"),
    ("past", "已參加"),
    ("cancelled", "已取消"),
];

#[component]
pub fn MyEnrollmentsPage() -> Html {
    use_title("我的研習");
    let auth = use_auth();
    let signed_in = use_require_login().is_some();
    let group = use_state(|| "upcoming".to_owned());
    let page = use_state(|| 1_u64);
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let list = {
        let auth = auth.clone();
        use_fetch(
            ((*group).clone(), *page, signed_in, *version),
            move |(group, page, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                enrollments::mine(&auth.client, &group, page).await
            },
        )
    };
    let on_withdraw = {
        let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
        Callback::from(move |id: i32| {
            let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
            spawn_local(async move {
                let result = enrollments::withdraw(&auth.client, id).await;
                if result.is_ok() {
                    version.set(*version + 1);
                }
                outcome.set(Some(
                    result.map(|e| format!("已取消報名「{}」。", e.course.name)),
                ));
            });
        })
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: u64| page.set(p))
    };
    html! {
        <section aria-labelledby="my-title">
            <h1 id="my-title">{ "我的研習" }</h1>
            <nav class="status-tabs" aria-label="報名分類">
                { for GROUPS.iter().map(|(value, label)| {
                    let (group_state, page) = (group.clone(), page.clone());
                    let value = *value;
                    html! {
                        <button type="button" id={format!("my-tab-{value}")}
                            aria-pressed={(*group == value).to_string()}
                            onclick={Callback::from(move |_| { group_state.set(value.to_owned()); page.set(1); })}>
                            { *label }
                        </button>
                    }
                }) }
            </nav>
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="my-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            { match &*list {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(p) if p.items.is_empty() => html! {
                    <p class="empty" id="my-empty">
                        { "沒有這類的報名。" }
                        <AppLink to={Route::Courses}>{ "查詢研習課程" }</AppLink>
                    </p>
                },
                Fetch::Ready(p) => html! {
                    <>
                        <ul class="course-list" id="my-enrollments">
                            { for p.items.iter().map(|e| html! {
                                <EnrollmentRow key={e.id} enrollment={e.clone()} withdraw={on_withdraw.clone()} past={*group == "past"} />
                            }) }
                        </ul>
                        <Pagination page={p.page} per_page={p.per_page} total={p.total} onchange={on_page.clone()} />
                    </>
                },
            } }
            <CalendarFeed />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    enrollment: EnrollmentDto,
    withdraw: Callback<i32>,
    /// The course is over: the questionnaire may be waiting.
    past: bool,
}

#[component]
fn EnrollmentRow(props: &RowProps) -> Html {
    let e = &props.enrollment;
    let c = &e.course;
    let withdraw = {
        let (cb, id) = (props.withdraw.clone(), e.id);
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    html! {
        <li class="course-row" data-code={c.code.to_string()}>
            <h3 class="course-name">
                <AppLink to={Route::Course { code: c.code }} classes={classes!("course-link")}>{ &c.name }</AppLink>
            </h3>
            <p class="course-badges">
                <span class="badge badge-state">{ &e.status_label }</span>
                if let Some(position) = e.position {
                    { format!("　候補第 {position} 位") }
                }
            </p>
            <dl class="unit-meta">
                <div><dt>{ "日期" }</dt><dd>{ date_range(&c.start_date, &c.end_date) }</dd></div>
                <div><dt>{ "時數" }</dt><dd>{ hours_text(c.hours) }</dd></div>
                <div><dt>{ "開課單位" }</dt><dd>{ &c.unit.name }</dd></div>
                <div><dt>{ "地點" }</dt><dd>{ &c.venue }</dd></div>
            </dl>
            if let Some(reason) = &e.reason {
                <p class="warning">{ format!("原因：{reason}") }</p>
            }
            <div class="row-actions">
                <a href={e.google_calendar_url.clone()} target="_blank" rel="noopener noreferrer">{ "加入 Google 日曆" }</a>
                <a href={e.ics_url.clone()} download={format!("course-{}.ics", c.code)}>{ ".ics" }</a>
                if e.can_withdraw {
                    <button type="button" class="danger small" onclick={withdraw}>{ "取消報名" }</button>
                }
                if props.past && e.status == "enrolled" {
                    <AppLink to={Route::Feedback { code: c.code }}>{ "課程意見回饋問卷" }</AppLink>
                }
            </div>
        </li>
    }
}

/// The private calendar feed: its address is shown once, when it is made; making a new one
/// stops the old one.
#[component]
fn CalendarFeed() -> Html {
    let auth = use_auth();
    let version = use_state(|| 0_u32);
    let fresh = use_state(|| None::<String>);
    let error = use_state(|| None::<ApiError>);
    let state = {
        let auth = auth.clone();
        use_fetch(*version, move |_| async move {
            enrollments::feed(&auth.client).await
        })
    };
    let make = {
        let (auth, version, fresh, error) =
            (auth.clone(), version.clone(), fresh.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, version, fresh, error) =
                (auth.clone(), version.clone(), fresh.clone(), error.clone());
            spawn_local(async move {
                match enrollments::make_feed(&auth.client).await {
                    Ok(feed) => {
                        fresh.set(feed.url);
                        version.set(*version + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let revoke = {
        let (auth, version, fresh, error) =
            (auth.clone(), version.clone(), fresh.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, version, fresh, error) =
                (auth.clone(), version.clone(), fresh.clone(), error.clone());
            spawn_local(async move {
                match enrollments::revoke_feed(&auth.client).await {
                    Ok(()) => {
                        fresh.set(None);
                        version.set(*version + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let active = matches!(&*state, Fetch::Ready(feed) if feed.active);
    html! {
        <section class="panel" aria-labelledby="feed-title">
            <h2 id="feed-title">{ "行事曆訂閱" }</h2>
            <p>{ "把這個私人網址加入 Google 日曆或手機行事曆（「以網址新增」），報名的研習會自動出現，取消的研習會標示為已取消。" }</p>
            if let Some(url) = &*fresh {
                <div class="notice" role="status">
                    <p>{ "您的私人行事曆網址（只顯示這一次，請妥善保存）：" }</p>
                    <p><code id="feed-url">{ url }</code></p>
                </div>
            } else if active {
                <p id="feed-active">{ "已建立私人行事曆網址。忘記網址時可產生新網址，舊網址會立即失效。" }</p>
            }
            <div class="form-actions">
                <button type="button" id="feed-make" onclick={make}>
                    { if active { "產生新網址" } else { "建立私人行事曆網址" } }
                </button>
                if active {
                    <button type="button" class="danger" id="feed-revoke" onclick={revoke}>{ "停用網址" }</button>
                }
            </div>
            if let Some(error) = &*error {
                <ErrorBox error={error.clone()} />
            }
        </section>
    }
}
