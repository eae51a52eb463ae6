//! 個人資料: the logged-in account's data, its editable part, password and sessions.

use inservice_wire::MeDto;
use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::accounts;
use crate::api::accounts::MeExt;
use crate::api::business::account_type_label;
use crate::components::form::Notice;
use crate::components::status::Loading;
use crate::hooks::{use_require_login, use_title};
use crate::pages::profile_forms::{LogoutEverywhere, PasswordForm, ProfileForm};
use crate::pages::profile_unit::{ExportMe, UnitRequestForm};
use crate::routes::Route;
use crate::session::use_auth;

/// `/profile?welcome=1` right after sign-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome: Option<String>,
}

#[component]
pub fn ProfilePage() -> Html {
    use_title("個人資料");
    let auth = use_auth();
    let session = use_require_login();
    let navigator = use_navigator();
    let welcome_query = use_location()
        .and_then(|l| l.query::<ProfileQuery>().ok())
        .is_some_and(|q| q.welcome.is_some());
    // The welcome shows once: kept here, dropped from the URL so a reload does not repeat it.
    let welcome = *use_state(|| welcome_query);
    use_effect_with(welcome_query, move |&in_url| {
        if in_url && let Some(navigator) = navigator {
            navigator.replace(&Route::Profile);
        }
    });

    // The login's copy of the account may be old; fetch it afresh once per account.
    {
        let id = session.as_ref().map(|s| s.account.id);
        use_effect_with(id, move |id| {
            if id.is_some() {
                spawn_local(async move {
                    if let Ok(me) = accounts::me(&auth.client).await {
                        auth.update_account(me);
                    }
                });
            }
        });
    }

    let Some(session) = session else {
        return html! { <Loading /> };
    };
    let me = &session.account;
    html! {
        <section class="account-page profile" aria-labelledby="profile-title">
            <h1 id="profile-title">{ "個人資料" }</h1>
            if welcome {
                <Notice id="profile-welcome">
                    <strong>{ "註冊成功！" }</strong>{ "歡迎使用全國教師在職進修資訊網。" }
                </Notice>
            }
            { details(me) }
            <ProfileForm me={me.clone()} />
            if !me.is_business() {
                <UnitRequestForm me={me.clone()} />
            }
            <PasswordForm />
            <ExportMe />
            <LogoutEverywhere />
        </section>
    }
}

fn row(label: &str, id: &'static str, value: Html) -> Html {
    html! {
        <div class="profile-row">
            <dt>{ label }</dt>
            <dd {id}>{ value }</dd>
        </div>
    }
}

fn details(me: &MeDto) -> Html {
    let text = |value: &str| html! { value.to_owned() };
    let unit = me.unit.as_ref().map_or_else(
        || html! { <span class="muted">{ "無服務學校" }</span> },
        |u| html! { <>{ &u.name }{ " " }<span class="code">{ format!("（{}）", u.code) }</span></> },
    );
    let subjects = if me.subjects.is_empty() {
        "（未填寫）".to_owned()
    } else {
        me.subjects.join("、")
    };
    html! {
        <>
            if !me.is_business() && !me.has_serving_unit {
                <p class="warning" id="profile-no-unit">
                    { "您的帳號沒有服務學校，只能查看研習紀錄；報名研習等其他功能需要有服務學校。" }
                </p>
            }
            <dl class="profile-data">
                { row("帳號", "profile-account-name-value", text(&me.account_name)) }
                { row("姓名", "profile-real-name-value", text(&me.real_name)) }
                { row("身分證統一編號", "profile-identity-value", text(&me.identity_masked)) }
                if let Some(number) = &me.personal_number {
                    { row("教師個人專用識別號碼", "profile-personal-number", text(number)) }
                }
                if me.is_business() {
                    { row("帳號類型", "profile-account-type-value", text(me.account_type_label
                        .as_deref()
                        .unwrap_or_else(|| account_type_label(me.account_type.as_deref().unwrap_or(""))))) }
                }
                { row(if me.is_business() { "單位" } else { "服務學校" }, "profile-unit-value", unit) }
                if !me.is_business() {
                    { row("職稱", "profile-job-title-value",
                        text(me.job_title.as_ref().map_or("（未填寫）", |j| j.label.as_str()))) }
                    { row("任教科目", "profile-subjects-value", text(&subjects)) }
                }
                { row("電子郵件", "profile-email-value", text(&me.email)) }
                { row("聯絡電話", "profile-phone-value",
                    text(me.phone.as_deref().unwrap_or("（未填寫）"))) }
            </dl>
        </>
    }
}
