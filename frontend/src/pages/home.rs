//! 首頁: what the platform is, where to go, and whether the server is well.

use inservice_wire::Health;
use yew::prelude::*;

use crate::api;
use crate::components::app_link::AppLink;
use crate::hooks::{Fetch, use_fetch, use_title};
use crate::routes::Route;
use crate::session::use_auth;

#[component]
pub fn Home() -> Html {
    use_title("");
    let health = use_fetch((), |()| api::health());
    let auth = use_auth();
    // A signed-in teacher's home page carries their personal identifier number (2024 rule).
    let welcome = auth.account().map(|me| {
        html! {
            <section class="card welcome" aria-labelledby="welcome-title">
                <h2 id="welcome-title">{ format!("{} 您好", me.real_name) }</h2>
                if let Some(number) = &me.personal_number {
                    <p>
                        { "教師個人專用識別號碼：" }
                        <strong id="home-personal-number">{ number.clone() }</strong>
                    </p>
                }
                if me.kind == "teacher" && !me.has_serving_unit {
                    <p class="notice">{ "您目前沒有服務單位（無服務學校），只能查看研習紀錄；請在個人資料申請服務單位。" }</p>
                }
                <p><AppLink to={Route::Profile}>{ "前往個人資料" }</AppLink></p>
            </section>
        }
    });
    html! {
        <>
            { for welcome }
            <section class="intro" aria-labelledby="home-title">
                <h1 id="home-title">{ "全國教師在職進修資訊網" }</h1>
                <p>
                    { "全國教師在職進修資訊網是各級學校教師查詢、報名與登錄在職進修研習的全國平台。" }
                    { "研習課程依「教師專業發展研習課程分類」歸類，辦理研習的單位亦可在此查詢。" }
                </p>
            </section>
            <ul class="cards" aria-label="功能">
                <li class="card">
                    <h2>
                        <AppLink to={Route::Taxonomy} id="card-taxonomy">{ "研習課程分類" }</AppLink>
                    </h2>
                    <p>{ "依教育階段瀏覽研習課程的範疇、子類與課程細項。" }</p>
                </li>
                <li class="card">
                    <h2>
                        <AppLink to={Route::Units} id="card-units">{ "單位查詢" }</AppLink>
                    </h2>
                    <p>{ "依縣市與名稱查詢教育局（處）、研習中心與各級學校等單位。" }</p>
                </li>
            </ul>
            <p id="health-status" class="health" aria-live="polite">
                { health_text(&health) }
            </p>
        </>
    }
}

fn health_text(health: &Fetch<Health>) -> String {
    match health {
        Fetch::Loading => "系統狀態：檢查中…".to_owned(),
        Fetch::Ready(h) => {
            let state = if h.status == "ok" {
                "正常"
            } else {
                "暫停服務"
            };
            format!(
                "系統狀態：{state}（資料庫 {}）・版本 {}",
                h.database.engine, h.version
            )
        }
        Fetch::Failed(e) => format!("系統狀態：無法取得（{e}）"),
    }
}
