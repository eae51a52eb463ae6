//! 燈號: the signed-in unit's courses still to close (ended without a roster, waiting for
//! confirmation, returned), green to red by lateness; for a regional centre also its units.

use inservice_wire::{DashboardDto, LightCounts};
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::records;
use crate::components::app_link::AppLink;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

fn light_label(light: &str) -> &'static str {
    match light {
        "green" => "綠燈",
        "yellow" => "黃燈",
        "red" => "紅燈",
        _ => "",
    }
}

fn counts_view(id: &str, counts: &LightCounts) -> Html {
    html! {
        <p class="lights" id={id.to_owned()}>
            <span class="light light-red" data-count={counts.red.to_string()}>{ format!("紅燈 {}", counts.red) }</span>
            <span class="light light-yellow" data-count={counts.yellow.to_string()}>{ format!("黃燈 {}", counts.yellow) }</span>
            <span class="light light-green" data-count={counts.green.to_string()}>{ format!("綠燈 {}", counts.green) }</span>
        </p>
    }
}

fn courses_view(board: &DashboardDto, with_unit: bool) -> Html {
    if board.courses.is_empty() {
        return html! { <p>{ "沒有待處理的課程。" }</p> };
    }
    html! {
        <ul class="pending-list">
            { for board.courses.iter().map(|c| html! {
                <li class={classes!("pending-row", format!("light-{}", c.light))} data-code={c.course_code.to_string()} data-light={c.light.clone()}>
                    <span class={classes!("light", format!("light-{}", c.light))}>{ light_label(&c.light) }</span>
                    <AppLink to={Route::Attendance { code: c.course_code }}>{ &c.name }</AppLink>
                    <span class="meta">
                        { format!("{}　結束於 {}　自 {} 起", c.pending_label, c.end_date, c.since) }
                        if with_unit {
                            { format!("　{}", c.unit_name) }
                        }
                    </span>
                </li>
            }) }
        </ul>
    }
}

#[component]
pub fn DashboardPage() -> Html {
    use_title("燈號管理");
    let auth = use_auth();
    let session = use_require_login();
    let unit = session
        .as_ref()
        .and_then(|s| s.account.unit.clone())
        .filter(|_| session.as_ref().is_some_and(|s| s.account.is_business()))
        .map(|u| u.code);
    let reviewer = session.as_ref().is_some_and(|s| s.account.is_reviewer());
    let own = {
        let auth = auth.clone();
        use_fetch(unit.clone(), move |unit| async move {
            match unit {
                Some(unit) => records::unit_dashboard(&auth.client, &unit).await.map(Some),
                None => futures::future::pending().await,
            }
        })
    };
    let region = use_fetch(reviewer, move |reviewer| async move {
        if !reviewer {
            return Ok::<_, ApiError>(None);
        }
        records::region_dashboard(&auth.client).await.map(Some)
    });
    let Some(session) = session else {
        return html! { <Loading /> };
    };
    if !session.account.is_business() {
        return html! { <Forbidden>{ "燈號管理限業務帳號使用。" }</Forbidden> };
    }
    html! {
        <section aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">{ "燈號管理" }</h1>
            <p class="lead">
                { "課程結束一週內請登錄研習時數並送出名單（綠燈）；逾期一週內為黃燈，超過為紅燈。名單送出後三天內待確認為綠燈。" }
            </p>
            <section class="panel" aria-labelledby="unit-lights-title">
                <h2 id="unit-lights-title">{ "本單位課程" }</h2>
                { match &*own {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(ApiError::Problem { status: 403, .. }) => html! { <p>{ "您的帳號沒有本單位研習課程瀏覽權限。" }</p> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(None) => html! {},
                    Fetch::Ready(Some(board)) => html! {
                        <>
                            { counts_view("unit-lights", &board.counts) }
                            { courses_view(board, false) }
                        </>
                    },
                } }
            </section>
            if let Fetch::Ready(Some(board)) = &*region {
                <section class="panel" aria-labelledby="region-lights-title">
                    <h2 id="region-lights-title">{ "轄下單位" }</h2>
                    { counts_view("region-lights", &board.counts) }
                    <table class="plain-table" id="region-units">
                        <thead><tr><th>{ "單位" }</th><th>{ "紅燈" }</th><th>{ "黃燈" }</th><th>{ "綠燈" }</th></tr></thead>
                        <tbody>
                            { for board.units.iter().map(|u| html! {
                                <tr data-unit={u.unit_code.clone()}>
                                    <td>{ &u.unit_name }</td>
                                    <td>{ u.counts.red }</td>
                                    <td>{ u.counts.yellow }</td>
                                    <td>{ u.counts.green }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    { courses_view(board, true) }
                </section>
            }
        </section>
    }
}
