//! More of the profile page: a teacher's request to join a serving unit, and the copy of one's
//! personal data.

use inservice_wire::{MeDto, ProfileUpdate};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts;
use crate::api::units;
use crate::components::form::{ErrorSummary, FormValues, Input, Notice, field_error};
use crate::files;
use crate::hooks::{Fetch, use_fetch};
use crate::session::use_auth;

const FIELDS: &[(&str, &str)] = &[("requested_unit_code", "request-unit")];

#[derive(Properties, PartialEq)]
pub struct UnitRequestProps {
    pub me: MeDto,
}

/// 申請服務單位: the teacher names a unit; its managers accept or decline. While the request
/// waits it can be withdrawn.
#[component]
pub fn UnitRequestForm(props: &UnitRequestProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let message = use_state(|| None::<&'static str>);
    let busy = use_state(|| false);
    let pending = props.me.requested_unit_code.clone();
    // The requested unit's name, for a friendlier note than its code.
    let requested = use_fetch(pending.clone(), |code| async move {
        match code {
            Some(code) => units::unit(&code).await.map(|u| Some(u.name)),
            None => Ok(None),
        }
    });

    let send = {
        let (error, message, busy) = (error.clone(), message.clone(), busy.clone());
        Callback::from(move |code: String| {
            if *busy {
                return;
            }
            error.set(None);
            message.set(None);
            busy.set(true);
            let auth = auth.clone();
            let (error, message, busy) = (error.clone(), message.clone(), busy.clone());
            spawn_local(async move {
                let withdraw = code.is_empty();
                let changes = ProfileUpdate {
                    email: None,
                    phone: None,
                    job_title: None,
                    subjects: None,
                    requested_unit_code: Some(code),
                    current_password: None,
                };
                match accounts::update_me(&auth.client, &changes).await {
                    Ok(me) => {
                        auth.update_account(me);
                        message.set(Some(if withdraw {
                            "已撤回申請。"
                        } else {
                            "已送出申請，待該單位接受後即成為您的服務單位。"
                        }));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let onsubmit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            send.emit(form.text("requested_unit_code"));
        })
    };
    let withdraw = Callback::from(move |_: MouseEvent| send.emit(String::new()));

    let name = match &*requested {
        Fetch::Ready(Some(name)) => format!("{name}（{}）", pending.clone().unwrap_or_default()),
        _ => pending.clone().unwrap_or_default(),
    };
    html! {
        <section class="panel" aria-labelledby="request-title">
            <h2 id="request-title">{ "申請服務單位" }</h2>
            if let Some(text) = *message {
                <Notice id="request-message">{ text }</Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={FIELDS} />
            }
            if pending.is_some() {
                <p id="request-pending">
                    { "已申請加入 " }<strong>{ name }</strong>{ "，等待該單位審核。" }
                </p>
                <button id="request-withdraw" type="button" disabled={*busy} onclick={withdraw}>
                    { "撤回" }
                </button>
            } else {
                <p class="meta">{
                    if props.me.has_serving_unit {
                        "調校時可申請加入新的服務學校，經新單位接受後生效。"
                    } else {
                        "輸入服務學校的單位代碼送出申請，經該單位接受後即可使用報名研習等功能。"
                    }
                }</p>
                <form class="account-form" novalidate=true aria-labelledby="request-title" {onsubmit}>
                    <Input id="request-unit" name="requested_unit_code" label="服務單位代碼"
                        required=true autocomplete="off" error={field_error(&error, "requested_unit_code")}
                        hint={html! {
                            <>
                                { "可在" }
                                <a href="/units" target="_blank" rel="noopener">{ "單位查詢（另開新分頁）" }</a>
                                { "找到代碼，例如 demo-jh-taipei。" }
                            </>
                        }} />
                    <button id="request-submit" type="submit" class="primary" disabled={*busy}>
                        { "送出申請" }
                    </button>
                </form>
            }
        </section>
    }
}

/// 下載我的個人資料: everything stored about the account, as a JSON file. The copy holds the
/// full identity number, so the password is asked again.
#[component]
pub fn ExportMe() -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let password = form.raw("current_password");
            error.set(None);
            busy.set(true);
            let (auth, error, busy) = (auth.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                let outcome = accounts::export_me(&auth.client, password.clone()).await;
                match outcome {
                    Ok(bytes) => {
                        if let Err(e) =
                            files::save(&bytes, files::JSON, "inservice-personal-data.json")
                        {
                            error.set(Some(ApiError::Decode(e)));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">{ "個人資料副本" }</h2>
            <p class="meta">{ "依個人資料保護法，您可以下載本網站保存的您的個人資料（JSON 格式，含完整身分證號）。" }</p>
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={EXPORT_FIELDS} />
            }
            <form class="account-form" novalidate=true aria-labelledby="export-title" {onsubmit}>
                <Input id="export-password" name="current_password" label="目前的密碼" kind="password"
                    required=true autocomplete="current-password"
                    error={field_error(&error, "current_password")} />
                <button id="export-me" type="submit" disabled={*busy}>
                    { if *busy { "準備中…" } else { "下載我的個人資料" } }
                </button>
            </form>
        </section>
    }
}

const EXPORT_FIELDS: &[(&str, &str)] = &[("current_password", "export-password")];
