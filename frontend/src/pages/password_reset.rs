//! 忘記密碼 (ask for a reset link), 重設密碼 (set a new password with the link's token), and
//! 確認電子郵件 (the link that makes a new e-mail address the account's).

use serde::Deserialize;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::accounts;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, FormValues, Input, Notice, field_error};
use crate::hooks::use_title;
use crate::routes::Route;

#[component]
pub fn ForgotPasswordPage() -> Html {
    use_title("忘記密碼");
    let error = use_state(|| None::<ApiError>);
    let sent = use_state(|| false);
    let busy = use_state(|| false);
    let onsubmit = {
        let (error, sent, busy) = (error.clone(), sent.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let login = form.text("login");
            error.set(None);
            busy.set(true);
            let (error, sent, busy) = (error.clone(), sent.clone(), busy.clone());
            spawn_local(async move {
                match accounts::request_password_reset(&login).await {
                    Ok(()) => sent.set(true),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="account-page" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{ "忘記密碼" }</h1>
            <p class="lead">{ "請輸入帳號名稱或註冊時的電子郵件，我們會寄出重設密碼的連結（30 分鐘內有效）。" }</p>
            if *sent {
                <Notice id="forgot-sent">{ "若帳號存在，重設連結已寄出，請至電子郵件信箱收信。" }</Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} />
            }
            <form class="account-form" novalidate=true aria-labelledby="forgot-title" {onsubmit}>
                <Input id="forgot-login" name="login" label="帳號或電子郵件" required=true
                    autocomplete="username" />
                <button id="forgot-submit" type="submit" class="primary" disabled={*busy}>
                    { "寄出重設連結" }
                </button>
            </form>
            <p><AppLink to={Route::Login} id="forgot-back">{ "回到登入" }</AppLink></p>
        </section>
    }
}

const RESET_FIELDS: &[(&str, &str)] = &[("new_password", "reset-password")];

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: Option<String>,
}

#[component]
pub fn ResetPasswordPage() -> Html {
    use_title("重設密碼");
    let token = use_location()
        .and_then(|l| l.query::<TokenQuery>().ok())
        .and_then(|q| q.token)
        .unwrap_or_default();
    let error = use_state(|| None::<ApiError>);
    let done = use_state(|| false);
    let busy = use_state(|| false);
    let onsubmit = {
        let (error, done, busy) = (error.clone(), done.clone(), busy.clone());
        let token = token.clone();
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let password = form.raw("new_password");
            error.set(None);
            busy.set(true);
            let (error, done, busy, token) =
                (error.clone(), done.clone(), busy.clone(), token.clone());
            spawn_local(async move {
                match accounts::confirm_password_reset(&token, &password).await {
                    Ok(()) => done.set(true),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="account-page" aria-labelledby="reset-title">
            <h1 id="reset-title">{ "重設密碼" }</h1>
            if *done {
                <Notice id="reset-done">
                    { "密碼已重設，所有裝置都已登出。請" }
                    <AppLink to={Route::Login} id="reset-login">{ "以新密碼登入" }</AppLink>
                    { "。" }
                </Notice>
            } else if token.is_empty() {
                <div class="error" role="alert">
                    <p class="error-title">{ "這個網址缺少重設權杖，請使用電子郵件中的完整連結。" }</p>
                </div>
                <p><AppLink to={Route::ForgotPassword} id="reset-again">{ "重新申請重設連結" }</AppLink></p>
            } else {
                if let Some(e) = &*error {
                    <ErrorSummary error={e.clone()} fields={RESET_FIELDS} />
                    <p><AppLink to={Route::ForgotPassword} id="reset-again">{ "重新申請重設連結" }</AppLink></p>
                }
                <form class="account-form" novalidate=true aria-labelledby="reset-title" {onsubmit}>
                    <Input id="reset-password" name="new_password" label="新密碼" kind="password"
                        required=true autocomplete="new-password"
                        error={field_error(&error, "new_password")}
                        hint={html! { "至少 10 個字元，須包含英文字母與數字，且不可包含帳號名稱。" }} />
                    <button id="reset-submit" type="submit" class="primary" disabled={*busy}>
                        { "設定新密碼" }
                    </button>
                </form>
            }
        </section>
    }
}

/// 確認電子郵件: opened from the link sent to a new address; confirms it with one request.
#[component]
pub fn ConfirmEmailPage() -> Html {
    use_title("確認電子郵件");
    let token = use_location()
        .and_then(|l| l.query::<TokenQuery>().ok())
        .and_then(|q| q.token)
        .unwrap_or_default();
    let outcome = use_state(|| None::<Result<(), ApiError>>);
    {
        let (outcome, token) = (outcome.clone(), token.clone());
        use_effect_with((), move |_| {
            if !token.is_empty() {
                spawn_local(async move {
                    outcome.set(Some(accounts::confirm_email(&token).await));
                });
            }
        });
    }
    html! {
        <section class="account-page" aria-labelledby="confirm-email-title">
            <h1 id="confirm-email-title">{ "確認電子郵件" }</h1>
            if token.is_empty() {
                <div class="error" role="alert">
                    <p class="error-title">{ "這個網址缺少確認權杖，請使用電子郵件中的完整連結。" }</p>
                </div>
            } else {
                { confirmation(&outcome) }
            }
        </section>
    }
}

fn confirmation(outcome: &Option<Result<(), ApiError>>) -> Html {
    match outcome {
        None => html! { <p role="status">{ "確認中…" }</p> },
        Some(Ok(())) => html! {
            <Notice id="confirm-email-done">
                { "新的電子郵件已生效。" }
                <AppLink to={Route::Profile} id="confirm-email-profile">{ "回到個人資料" }</AppLink>
            </Notice>
        },
        Some(Err(e)) => html! { <ErrorSummary error={e.clone()} /> },
    }
}
