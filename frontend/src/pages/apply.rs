//! 業務帳號申請: school and agency staff apply; the unit's approver decides before login works.

use inservice_wire::{BusinessAccountDto, BusinessApplication};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::business::{self, ACCOUNT_TYPES};
use crate::components::app_link::AppLink;
use crate::components::form::{
    Checkbox, ErrorSummary, FormValues, Input, Notice, Select, field_error,
};
use crate::hooks::use_title;
use crate::routes::Route;

const FIELDS: &[(&str, &str)] = &[
    ("account_name", "apply-account-name"),
    ("password", "apply-password"),
    ("real_name", "apply-real-name"),
    ("national_id", "apply-national-id"),
    ("email", "apply-email"),
    ("phone", "apply-phone"),
    ("unit_code", "apply-unit"),
    ("account_type", "apply-type"),
    ("accept_agreement", "apply-accept-agreement"),
    ("accept_privacy", "apply-accept-privacy"),
];

fn read(form: &FormValues) -> BusinessApplication {
    BusinessApplication {
        account_name: form.text("account_name"),
        password: form.raw("password"),
        real_name: form.text("real_name"),
        national_id: form.text("national_id").to_uppercase(),
        email: form.text("email"),
        phone: form.text("phone"),
        unit_code: form.text("unit_code"),
        account_type: form.text("account_type"),
        accept_agreement: form.checked("accept_agreement"),
        accept_privacy: form.checked("accept_privacy"),
    }
}

#[component]
pub fn ApplyPage() -> Html {
    use_title("業務帳號申請");
    let error = use_state(|| None::<ApiError>);
    let applied = use_state(|| None::<BusinessAccountDto>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (error, applied, busy) = (error.clone(), applied.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let application = read(&form);
            error.set(None);
            busy.set(true);
            let (error, applied, busy) = (error.clone(), applied.clone(), busy.clone());
            spawn_local(async move {
                match business::apply_business(&application).await {
                    Ok(account) => applied.set(Some(account)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let err = |field: &str| field_error(&error, field);
    html! {
        <section class="account-page" aria-labelledby="apply-title">
            <h1 id="apply-title">{ "業務帳號申請" }</h1>
            if let Some(account) = &*applied {
                <Notice id="apply-done">
                    <p><strong>{ "申請已送出，待審核通過後即可登入" }</strong></p>
                    <p>
                        { format!("帳號 {}（{}", account.account_name,
                            account.account_type_label.clone().unwrap_or_default()) }
                        { account.unit.as_ref().map(|u| format!("，{}", u.name)).unwrap_or_default() }
                        { "）將由單位的審核者核准。" }
                    </p>
                    <p><AppLink to={Route::Login} id="apply-login">{ "前往登入頁" }</AppLink></p>
                </Notice>
            } else {
                <p class="lead">
                    { "業務帳號供學校、教育局（處）與研習單位承辦人辦理研習及審核帳號。" }
                    { "總負責人由上級機關審核，連絡人與作業人員由本單位總負責人審核。" }
                    { "教師個人請" }<AppLink to={Route::Signup} id="apply-signup">{ "註冊教師帳號" }</AppLink>{ "。" }
                </p>
                if let Some(e) = &*error {
                    <ErrorSummary error={e.clone()} fields={FIELDS} />
                }
                <form class="account-form" novalidate=true aria-labelledby="apply-title" {onsubmit}>
                    <fieldset>
                        <legend>{ "帳號" }</legend>
                        <Input id="apply-account-name" name="account_name" label="帳號名稱"
                            required=true autocomplete="username" error={err("account_name")}
                            hint={html! { "4 到 30 個英文字母、數字或 . _ -，須以英文字母開頭；設定後不能更改。" }} />
                        <Input id="apply-password" name="password" label="密碼" kind="password"
                            required=true autocomplete="new-password" error={err("password")}
                            hint={html! { "至少 10 個字元，須包含英文字母與數字，且不可包含帳號名稱。" }} />
                    </fieldset>
                    <fieldset>
                        <legend>{ "申請人" }</legend>
                        <Input id="apply-real-name" name="real_name" label="真實姓名"
                            required=true autocomplete="name" error={err("real_name")} />
                        <Input id="apply-national-id" name="national_id" label="身分證統一編號"
                            required=true autocomplete="off" error={err("national_id")}
                            hint={html! { "每個身分證號只能申請一個業務帳號。" }} />
                        <Input id="apply-email" name="email" label="電子郵件" kind="email"
                            required=true autocomplete="email" error={err("email")} />
                        <Input id="apply-phone" name="phone" label="公務電話" kind="tel"
                            required=true autocomplete="tel" error={err("phone")}
                            hint={html! { "例如 02-12345678#123" }} />
                    </fieldset>
                    <fieldset>
                        <legend>{ "申請單位與類型" }</legend>
                        <Input id="apply-unit" name="unit_code" label="單位代碼" required=true
                            autocomplete="off" error={err("unit_code")} hint={html! {
                                <>
                                    { "可在" }
                                    <a href="/units" target="_blank" rel="noopener">
                                        { "單位查詢（另開新分頁）" }
                                    </a>
                                    { "找到代碼，例如 demo-jh-taipei。" }
                                </>
                            }} />
                        <Select id="apply-type" name="account_type" label="帳號類型"
                            options={&ACCOUNT_TYPES[..]} placeholder="請選擇" required=true
                            error={err("account_type")} />
                        <p class="hint">
                            { "大學、社教機構與法人僅能申請作業人員。" }
                        </p>
                    </fieldset>
                    <fieldset>
                        <legend>{ "同意事項" }</legend>
                        <Checkbox id="apply-accept-agreement" name="accept_agreement"
                            error={err("accept_agreement")}>
                            { "我已閱讀並同意帳號使用約定" }
                        </Checkbox>
                        <Checkbox id="apply-accept-privacy" name="accept_privacy"
                            error={err("accept_privacy")}>
                            { "我同意本網站依個人資料保護法蒐集、處理及利用我的個人資料" }
                        </Checkbox>
                    </fieldset>
                    <button id="apply-submit" type="submit" class="primary" disabled={*busy}>
                        { if *busy { "送出中…" } else { "送出申請" } }
                    </button>
                </form>
            }
        </section>
    }
}
