//! The pages of the partner exchange (資訊傳報) link to each other: upload, monthly
//! confirmation and log for the national centre and the county bureaus; the partner registry
//! and the suspected duplicates for the national centre only.

use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::components::app_link::AppLink;
use crate::routes::Route;
use crate::session::use_auth;

#[component]
pub fn ExchangeNav() -> Html {
    let auth = use_auth();
    let Some(account) = auth.account() else {
        return html! {};
    };
    let admin = account.is_national_admin();
    html! {
        <nav class="exchange-nav" aria-label="資訊傳報">
            <ul class="account-links">
                <li><AppLink to={Route::ExchangeUpload} id="exchange-nav-upload">{ "資訊傳報上傳" }</AppLink></li>
                <li><AppLink to={Route::ExchangeConfirmations} id="exchange-nav-confirmations">{ "縣市資料月確認" }</AppLink></li>
                <li><AppLink to={Route::ExchangeLog} id="exchange-nav-log">{ "傳報紀錄" }</AppLink></li>
                if admin {
                    <li><AppLink to={Route::AdminPartners} id="exchange-nav-partners">{ "合作系統管理" }</AppLink></li>
                    <li><AppLink to={Route::AdminDuplicates} id="exchange-nav-duplicates">{ "疑似重複紀錄" }</AppLink></li>
                }
            </ul>
        </nav>
    }
}
