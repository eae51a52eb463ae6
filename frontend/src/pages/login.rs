//! 登入: account name or e-mail and password; the refresh token goes into an HttpOnly cookie.

use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::accounts;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, FormValues, Input, Notice};
use crate::hooks::use_title;
use crate::routes::Route;
use crate::session::use_auth;

/// Why the user was sent here (`/login?notice=…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "password_changed" => Some("密碼已變更，所有裝置都已登出，請以新密碼重新登入。"),
        "logged_out_all" => Some("已登出所有裝置，請重新登入。"),
        "login_required" => Some("請先登入。"),
        _ => None,
    }
}

#[component]
pub fn LoginPage() -> Html {
    use_title("登入");
    let auth = use_auth();
    let navigator = use_navigator();
    let notice = use_location()
        .and_then(|l| l.query::<LoginQuery>().ok())
        .and_then(|q| q.notice)
        .and_then(|n| notice_text(&n));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let error = error.clone();
        let busy = busy.clone();
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let (login, password) = (form.text("login"), form.raw("password"));
            error.set(None);
            busy.set(true);
            let (auth, navigator, error, busy) =
                (auth.clone(), navigator.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                match accounts::log_in(&login, &password).await {
                    Ok(tokens) => {
                        auth.start(tokens);
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Profile);
                        }
                    }
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };

    html! {
        <section class="account-page" aria-labelledby="login-title">
            <h1 id="login-title">{ "登入" }</h1>
            if let Some(text) = notice {
                <Notice id="login-notice">{ text }</Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} />
            }
            <form class="account-form" novalidate=true aria-labelledby="login-title" {onsubmit}>
                <Input
                    id="login-name"
                    name="login"
                    label="帳號或電子郵件"
                    required=true
                    autocomplete="username"
                />
                <Input
                    id="login-password"
                    name="password"
                    label="密碼"
                    kind="password"
                    required=true
                    autocomplete="current-password"
                />
                <button id="login-submit" type="submit" class="primary" disabled={*busy}>
                    { if *busy { "登入中…" } else { "登入" } }
                </button>
            </form>
            <ul class="account-links">
                <li><AppLink to={Route::ForgotPassword} id="login-forgot">{ "忘記密碼" }</AppLink></li>
                <li>
                    <AppLink to={Route::Signup} id="login-signup">{ "還沒有帳號？註冊教師帳號" }</AppLink>
                </li>
                <li><AppLink to={Route::Apply} id="login-apply">{ "申請業務帳號" }</AppLink></li>
            </ul>
        </section>
    }
}
