//! 疑似重複紀錄 (national centre): a partner's record that looks like a course another source
//! already reported for the same teacher (same dates and hours, a similar name) counts once
//! until decided: the same course (counted once, as now) or different courses (both count).

use inservice_wire::DuplicateDto;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::exchange;
use crate::components::exchange_nav::ExchangeNav;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{date_range, hours_text};
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::session::use_auth;

#[component]
pub fn AdminDuplicatesPage() -> Html {
    use_title("疑似重複紀錄");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.is_national_admin() {
        return html! { <Forbidden>{ "疑似重複紀錄限全國推廣中心管理者判定。" }</Forbidden> };
    }
    html! {
        <section aria-labelledby="duplicates-title">
            <h1 id="duplicates-title">{ "疑似重複紀錄" }</h1>
            <ExchangeNav />
            <p class="lead">
                { "同一位教師、相同日期與時數、課程名稱相近的紀錄來自不同來源時，先只計一次。請判定是否為同一課程：同一課程只計一次；不同課程則兩筆都列入時數。" }
            </p>
            <Duplicates />
        </section>
    }
}

fn source_label(source: &str) -> String {
    if source == "online" {
        "本平臺".to_owned()
    } else {
        source.to_owned()
    }
}

#[component]
fn Duplicates() -> Html {
    let auth = use_auth();
    let ActionOutcome {
        version,
        message: outcome,
        done,
    } = use_action_outcome();
    let list = {
        let auth = auth.clone();
        use_fetch(version, move |_| async move {
            exchange::duplicates(&auth.client).await
        })
    };
    html! {
        <>
            <div class="live" aria-live="polite">
                { match &outcome {
                    Some(Ok(message)) => html! { <Notice id="duplicate-notice">{ message.clone() }</Notice> },
                    Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                    None => html! {},
                } }
            </div>
            { match &*list {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) if list.items.is_empty() => html! {
                    <p id="duplicates-empty">{ "沒有待判定的疑似重複紀錄。" }</p>
                },
                Fetch::Ready(list) => html! {
                    <table class="data-table duplicate-table" id="duplicate-table">
                        <caption class="visually-hidden">{ "待判定的疑似重複紀錄，舊的在前" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "教師" }</th>
                                <th scope="col">{ "疑似重複的紀錄" }</th>
                                <th scope="col">{ "已採計的紀錄" }</th>
                                <th scope="col">{ "日期與時數" }</th>
                                <th scope="col">{ "判定" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for list.items.iter().map(|d| html! {
                                <DuplicateRow key={d.record_id} duplicate={d.clone()} done={done.clone()} />
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DuplicateRowProps {
    duplicate: DuplicateDto,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn DuplicateRow(props: &DuplicateRowProps) -> Html {
    let auth = use_auth();
    let busy = use_state(|| false);
    let d = &props.duplicate;
    let decide = |same: bool| {
        let (auth, done, busy) = (auth.clone(), props.done.clone(), busy.clone());
        let (id, name) = (d.record_id, d.course_name.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (auth, done, busy, name) = (auth.clone(), done.clone(), busy.clone(), name.clone());
            spawn_local(async move {
                let result = exchange::decide_duplicate(&auth.client, id, same).await;
                busy.set(false);
                done.emit(result.map(|()| {
                    if same {
                        format!("已判定〔{name}〕為同一課程，只計一次。")
                    } else {
                        format!("已判定〔{name}〕為不同課程，兩筆都列入時數。")
                    }
                }));
            });
        })
    };
    let busy = *busy;
    html! {
        <tr class="duplicate-row" data-id={d.record_id.to_string()}>
            <td data-label="教師">{ &d.teacher }</td>
            <td data-label="疑似重複">
                <div>
                    { &d.course_name }<br />
                    <span class="meta">{ format!("來源：{}　紀錄 #{}", source_label(&d.source), d.record_id) }</span>
                </div>
            </td>
            <td data-label="已採計">
                <div>
                    { &d.other_course_name }<br />
                    <span class="meta">{ format!("來源：{}　紀錄 #{}", source_label(&d.other_source), d.other_record_id) }</span>
                </div>
            </td>
            <td data-label="日期時數">
                <div>{ date_range(&d.start_date, &d.end_date) }<br />{ hours_text(d.hours) }</div>
            </td>
            <td data-label="判定">
                <div class="row-actions">
                    <button type="button" id={format!("same-{}", d.record_id)} onclick={decide(true)}
                        disabled={busy}>{ "同一課程（只計一次）" }</button>
                    <button type="button" id={format!("distinct-{}", d.record_id)} class="primary"
                        onclick={decide(false)} disabled={busy}>{ "不同課程（都計入）" }</button>
                </div>
            </td>
        </tr>
    }
}
