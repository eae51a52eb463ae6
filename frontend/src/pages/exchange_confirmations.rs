//! 縣市資料月確認 (county bureaus; the national centre for any county): the records a back-end
//! county's systems sent count only once the county confirms their month, by the 5th of the
//! next month. Each month shows its light, deadline and waiting records.

use inservice_wire::CountyMonthDto;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api;
use crate::api::accounts::MeExt;
use crate::api::exchange::{self, light_label};
use crate::components::exchange_nav::ExchangeNav;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{iso, local_time};
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::session::use_auth;

#[component]
pub fn ExchangeConfirmationsPage() -> Html {
    use_title("縣市資料月確認");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let admin = session.account.is_national_admin();
    if !admin && !session.account.is_county_bureau() {
        return html! {
            <Forbidden>{ "縣市資料月確認限縣市政府教育局（處）人員與全國推廣中心管理者使用。" }</Forbidden>
        };
    }
    html! {
        <section aria-labelledby="months-title">
            <h1 id="months-title">{ "縣市資料月確認" }</h1>
            <ExchangeNav />
            <p class="lead">
                { "後端縣市系統傳來的研習紀錄，須由縣市每月確認後才列入教師的研習時數：上個月的紀錄請於本月 5 日前確認（期限內為黃燈，逾期為紅燈，已確認為綠燈）。" }
            </p>
            if admin {
                <AdminMonths />
            } else {
                <Months county="" />
            }
        </section>
    }
}

/// The national centre picks the county.
#[component]
fn AdminMonths() -> Html {
    let counties = use_fetch((), |()| api::counties());
    let county = use_state(String::new);
    let onchange = {
        let county = county.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            county.set(select.value());
        })
    };
    html! {
        <>
            { match &*counties {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) => html! {
                    <div class="field">
                        <label for="confirm-county">{ "縣市" }</label>
                        <select id="confirm-county" {onchange}>
                            <option value="" selected={county.is_empty()}>{ "請選擇縣市" }</option>
                            { for list.items.iter().map(|c| html! {
                                <option key={c.code.clone()} value={c.code.clone()}
                                    selected={*county == c.code}>{ format!("{}（{}）", c.name, c.code) }</option>
                            }) }
                        </select>
                    </div>
                },
            } }
            if !county.is_empty() {
                <Months key={(*county).clone()} county={(*county).clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MonthsProps {
    /// The county (the national centre); empty for the bureau's own.
    county: AttrValue,
}

fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[component]
fn Months(props: &MonthsProps) -> Html {
    let auth = use_auth();
    let ActionOutcome {
        version,
        message: outcome,
        done,
    } = use_action_outcome();
    let busy = use_state(|| false);
    let county = props.county.to_string();
    let months = {
        let auth = auth.clone();
        use_fetch((county.clone(), version), move |(county, _)| async move {
            exchange::months(&auth.client, &county).await
        })
    };
    let confirm = |m: &CountyMonthDto| {
        let (auth, done, busy) = (auth.clone(), done.clone(), busy.clone());
        let (month, pending, county) = (m.month.clone(), m.pending, county.clone());
        Callback::from(move |_: MouseEvent| {
            let question =
                format!("確認 {month}？確認後，本月 {pending} 筆紀錄即列入時數，且不能撤回。");
            if *busy || !confirmed(&question) {
                return;
            }
            busy.set(true);
            let (auth, done, busy, month, county) = (
                auth.clone(),
                done.clone(),
                busy.clone(),
                month.clone(),
                county.clone(),
            );
            spawn_local(async move {
                let result = exchange::confirm_month(&auth.client, &month, &county).await;
                busy.set(false);
                done.emit(result.map(|m| {
                    format!(
                        "已確認 {}，{} 筆紀錄列入時數。",
                        m.month, m.confirmed_records
                    )
                }));
            });
        })
    };
    let busy = *busy;
    html! {
        <>
            <div class="live" aria-live="polite">
                { match &outcome {
                    Some(Ok(message)) => html! { <Notice id="confirm-notice">{ message.clone() }</Notice> },
                    Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                    None => html! {},
                } }
            </div>
            { match &*months {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) if list.items.is_empty() => html! {
                    <p id="months-empty">{ "沒有需要確認的月份。" }</p>
                },
                Fetch::Ready(list) => html! {
                    <table class="data-table month-table" id="month-table">
                        <caption class="visually-hidden">{ "各月份確認狀況，新的在前" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "月份" }</th>
                                <th scope="col">{ "燈號" }</th>
                                <th scope="col">{ "確認期限" }</th>
                                <th scope="col">{ "待確認紀錄" }</th>
                                <th scope="col">{ "確認時間" }</th>
                                <th scope="col">{ "操作" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for list.items.iter().map(|m| month_row(m, confirm(m), busy)) }
                        </tbody>
                    </table>
                },
            } }
        </>
    }
}

fn month_row(m: &CountyMonthDto, on_confirm: Callback<MouseEvent>, busy: bool) -> Html {
    html! {
        <tr class="month-row" key={m.month.clone()} data-month={m.month.clone()} data-light={m.light.clone()}>
            <td data-label="月份">{ &m.month }</td>
            <td data-label="燈號">
                <div><span class={classes!("light", format!("light-{}", m.light))}>{ light_label(&m.light) }</span></div>
            </td>
            <td data-label="確認期限">{ m.deadline.to_string() }</td>
            <td data-label="待確認紀錄" class="month-pending">{ format!("{} 筆", m.pending) }</td>
            <td data-label="確認時間">
                if let Some(at) = &m.confirmed_at {
                    <span>
                        <time datetime={iso(at)}>{ local_time(at) }</time>
                        { format!("（{} 筆列入時數）", m.confirmed_records) }
                    </span>
                } else {
                    { "尚未確認" }
                }
            </td>
            <td data-label="操作">
                if m.confirmed_at.is_none() {
                    <button type="button" class="primary" id={format!("confirm-{}", m.month)}
                        onclick={on_confirm} disabled={busy}>{ format!("確認 {}", m.month) }</button>
                }
            </td>
        </tr>
    }
}
