//! The profile page's forms: contact data and teaching, password, logging out everywhere.

use inservice_wire::{MeDto, ProfileUpdate};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::accounts::{self, parse_subjects};
use crate::components::form::{ErrorSummary, FormValues, Input, field_error};
use crate::components::job_title::JobTitleSelect;
use crate::pages::login::LoginQuery;
use crate::routes::Route;
use crate::session::{Auth, use_auth};

const PROFILE_FIELDS: &[(&str, &str)] = &[
    ("email", "profile-email"),
    ("current_password", "profile-current-password"),
    ("phone", "profile-phone"),
    ("job_title", "profile-job-title"),
    ("subjects", "profile-subjects"),
];

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("current_password", "password-current"),
    ("new_password", "password-new"),
];

/// After the server ended every session: go to the login page with a note, then forget ours.
/// (In this order, so the profile page does not first redirect without the note.)
fn ended(auth: &Auth, navigator: &Option<Navigator>, notice: &str) {
    if let Some(navigator) = navigator {
        let query = LoginQuery {
            notice: Some(notice.to_owned()),
        };
        let _ = navigator.push_with_query(&Route::Login, &query);
    }
    auth.clear();
}

#[derive(Properties, PartialEq)]
pub struct ProfileFormProps {
    pub me: MeDto,
}

/// 修改個人資料: e-mail and phone; for teachers also job title and subjects.
#[component]
pub fn ProfileForm(props: &ProfileFormProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    let busy = use_state(|| false);
    let teacher = !props.me.is_business();

    let onsubmit = {
        let (error, saved, busy) = (error.clone(), saved.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let password = form.raw("current_password");
            let changes = ProfileUpdate {
                email: Some(form.text("email")),
                current_password: (!password.is_empty()).then_some(password),
                phone: Some(form.text("phone")),
                job_title: teacher.then(|| form.text("job_title")),
                subjects: teacher.then(|| parse_subjects(&form.text("subjects"))),
                // Every field is named, so a new one of the wire type is decided on here.
                requested_unit_code: None,
            };
            error.set(None);
            saved.set(false);
            busy.set(true);
            let (auth, error, saved, busy) =
                (auth.clone(), error.clone(), saved.clone(), busy.clone());
            spawn_local(async move {
                let outcome = accounts::update_me(&auth.client, &changes).await;
                match outcome {
                    Ok(me) => {
                        auth.update_account(me);
                        saved.set(true);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let me = &props.me;
    let err = |field: &str| field_error(&error, field);
    html! {
        <section class="panel" aria-labelledby="profile-edit-title">
            <h2 id="profile-edit-title">{ "修改個人資料" }</h2>
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={PROFILE_FIELDS} />
            }
            <form class="account-form" novalidate=true aria-labelledby="profile-edit-title" {onsubmit}>
                <Input id="profile-email" name="email" label="電子郵件" kind="email" required=true
                    autocomplete="email" value={me.email.clone()} error={err("email")} />
                <Input id="profile-current-password" name="current_password"
                    label="目前的密碼（變更電子郵件時需要）" kind="password"
                    autocomplete="current-password" error={err("current_password")}
                    hint={html! { "新的電子郵件要從新信箱中的連結確認後才生效，原信箱也會收到通知。" }} />
                if let Some(pending) = &me.pending_email {
                    <p id="profile-pending-email" class="meta" role="status">
                        { format!("確認信已寄到 {pending}，請開啟信中的連結完成變更。") }
                    </p>
                }
                <Input id="profile-phone" name="phone" label="聯絡電話" kind="tel"
                    autocomplete="tel" value={me.phone.clone().unwrap_or_default()}
                    error={err("phone")} hint={html! { "例如 02-12345678#123" }} />
                if teacher {
                    <JobTitleSelect id="profile-job-title" required=true error={err("job_title")}
                        selected={me.job_title.as_ref().map(|j| AttrValue::from(j.code.clone()))} />
                    <Input id="profile-subjects" name="subjects" label="任教科目"
                        autocomplete="off" value={me.subjects.join("、")} error={err("subjects")}
                        hint={html! { "多個科目請以逗號或頓號分隔" }} />
                }
                <div class="form-actions">
                    <button id="profile-save" type="submit" class="primary" disabled={*busy}>
                        { if *busy { "儲存中…" } else { "儲存" } }
                    </button>
                    <p id="profile-saved" class="saved" role="status">
                        { if *saved { "已儲存" } else { "" } }
                    </p>
                </div>
            </form>
        </section>
    }
}

/// 變更密碼: on success the server ends every session, this one too.
#[component]
pub fn PasswordForm() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let (current, new) = (form.raw("current_password"), form.raw("new_password"));
            error.set(None);
            busy.set(true);
            let (auth, navigator, error, busy) =
                (auth.clone(), navigator.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                let outcome =
                    accounts::change_password(&auth.client, current.clone(), new.clone()).await;
                match outcome {
                    Ok(()) => ended(&auth, &navigator, "password_changed"),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let err = |field: &str| field_error(&error, field);
    html! {
        <section class="panel" aria-labelledby="password-title">
            <h2 id="password-title">{ "變更密碼" }</h2>
            <p class="meta">{ "變更後所有裝置都會登出，需以新密碼重新登入。" }</p>
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={PASSWORD_FIELDS} />
            }
            <form class="account-form" novalidate=true aria-labelledby="password-title" {onsubmit}>
                <Input id="password-current" name="current_password" label="目前的密碼"
                    kind="password" required=true autocomplete="current-password"
                    error={err("current_password")} />
                <Input id="password-new" name="new_password" label="新密碼" kind="password"
                    required=true autocomplete="new-password" error={err("new_password")}
                    hint={html! { "至少 10 個字元，須包含英文字母與數字，且不可包含帳號名稱。" }} />
                <button id="password-submit" type="submit" class="primary" disabled={*busy}>
                    { "變更密碼" }
                </button>
            </form>
        </section>
    }
}

/// 登出所有裝置: ends every session of the account, on every device.
#[component]
pub fn LogoutEverywhere() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let error = use_state(|| None::<ApiError>);
    let onclick = {
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let (auth, navigator, error) = (auth.clone(), navigator.clone(), error.clone());
            spawn_local(async move {
                match accounts::log_out_everywhere(&auth.client).await {
                    Ok(()) => ended(&auth, &navigator, "logged_out_all"),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{ "登入裝置" }</h2>
            <p class="meta">{ "若曾在公用電腦登入或懷疑帳號遭他人使用，可登出所有裝置。" }</p>
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} />
            }
            <button id="logout-all" type="button" {onclick}>{ "登出所有裝置" }</button>
        </section>
    }
}
