//! The form of a partner system (合作系統): registering a new one, or changing one (its code
//! stays). One form on the page: 編輯 on a partner's row loads it here.

use inservice_wire::{PartnerDto, PartnerInput};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::exchange::{self, ITEMS, KINDS};
use crate::components::form::{Choices, ErrorSummary, FormValues, Input, Select, field_error};
use crate::session::use_auth;

/// Calls a minute a new partner may make.
const DEFAULT_RATE: u32 = 600;

/// Server field → the input its message links to.
const FIELDS: &[(&str, &str)] = &[
    ("code", "partner-code"),
    ("name", "partner-name"),
    ("kind", "partner-kind"),
    ("county_code", "partner-county"),
    ("unit_code", "partner-unit"),
    ("items", "partner-item-sends_records"),
    ("needs_confirmation", "partner-needs-confirmation"),
    ("allow_list", "partner-allow-list"),
    ("rate_per_minute", "partner-rate"),
    ("contact_name", "partner-contact-name"),
    ("contact_email", "partner-contact-email"),
    ("contact_phone", "partner-contact-phone"),
];

fn item_field(code: &str) -> String {
    format!("item-{code}")
}

/// The form as the API takes it. A rate that is no number goes as 0, which the server refuses
/// with its own message.
fn read(form: &FormValues) -> PartnerInput {
    PartnerInput {
        code: form.text("code"),
        name: form.text("name"),
        kind: form.text("kind"),
        county_code: form.optional("county_code"),
        unit_code: form.optional("unit_code"),
        items: ITEMS
            .iter()
            .filter(|(code, _)| form.checked(&item_field(code)))
            .map(|(code, _)| (*code).to_owned())
            .collect(),
        needs_confirmation: form.checked("needs_confirmation"),
        allow_list: form.raw("allow_list"),
        rate_per_minute: form.text("rate_per_minute").parse().unwrap_or(0),
        contact_name: form.text("contact_name"),
        contact_email: form.text("contact_email"),
        contact_phone: form.text("contact_phone"),
        enabled: form.checked("enabled"),
    }
}

#[derive(Properties, PartialEq)]
pub struct PartnerFormProps {
    /// The partner being changed; `None` registers a new one.
    #[prop_or_default]
    pub partner: Option<PartnerDto>,
    /// The counties as `(code, name)`.
    pub counties: Choices,
    /// After a save: the message for the page, which reloads the list.
    pub on_saved: Callback<String>,
    /// 取消 of a change: back to registering.
    pub on_cancel: Callback<()>,
}

#[component]
pub fn PartnerForm(props: &PartnerFormProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let editing = props.partner.clone();
    let onsubmit = {
        let (error, busy, on_saved) = (error.clone(), busy.clone(), props.on_saved.clone());
        let id = editing.as_ref().map(|p| p.id);
        Callback::from(move |e: SubmitEvent| {
            let input = read(&FormValues::from_submit(&e));
            if *busy {
                return;
            }
            error.set(None);
            busy.set(true);
            let (auth, error, busy, on_saved) =
                (auth.clone(), error.clone(), busy.clone(), on_saved.clone());
            spawn_local(async move {
                let result = match id {
                    Some(id) => exchange::update_partner(&auth.client, id, &input).await,
                    None => exchange::create_partner(&auth.client, &input).await,
                };
                busy.set(false);
                match result {
                    Ok(p) if id.is_some() => {
                        on_saved.emit(format!("已更新〔{}〕（{}）。", p.name, p.code))
                    }
                    Ok(p) => on_saved.emit(format!(
                        "已登錄合作系統〔{}〕（{}），請為它核發金鑰。",
                        p.name, p.code
                    )),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let err = |field: &str| field_error(&error, field);
    let p = editing.as_ref();
    let text = |f: fn(&PartnerDto) -> Option<String>| p.and_then(f).map(AttrValue::from);
    let title = match p {
        Some(p) => format!("修改合作系統〔{}〕", p.name),
        None => "登錄合作系統".to_owned(),
    };
    let items_error = err("items");
    let allow_error = err("allow_list");
    let rate = p.map_or(DEFAULT_RATE, |p| p.rate_per_minute).to_string();
    let needs_confirmation = p.is_some_and(|p| p.needs_confirmation);
    let needs_error = err("needs_confirmation");
    let enabled = p.is_none_or(|p| p.enabled);
    html! {
        <section class="panel" aria-labelledby="partner-form-title">
            <h2 id="partner-form-title">{ title }</h2>
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={FIELDS} />
            }
            <form id="partner-form" class="account-form" novalidate=true
                aria-labelledby="partner-form-title" {onsubmit}>
                <fieldset>
                    <legend>{ "系統資料" }</legend>
                    if let Some(p) = p {
                        <div class="field">
                            <label for="partner-code">{ "代碼" }</label>
                            <input id="partner-code" name="code" value={p.code.clone()} readonly=true
                                aria-describedby="partner-code-hint" />
                            <p class="hint" id="partner-code-hint">{ "代碼登錄後不能更改。" }</p>
                        </div>
                    } else {
                        <Input id="partner-code" name="code" label="代碼" required=true autocomplete="off"
                            error={err("code")}
                            hint={html! { "2–32 個小寫英文字母、數字或 -，例如 taipei-sys；即其研習紀錄的來源，登錄後不能更改。" }} />
                    }
                    <Input id="partner-name" name="name" label="名稱" required=true autocomplete="off"
                        value={text(|p| Some(p.name.clone()))} error={err("name")}
                        hint={html! { "例如 臺北市教師研習系統" }} />
                    <Select id="partner-kind" name="kind" label="種類" options={&KINDS[..]}
                        required=true selected={Some(text(|p| Some(p.kind.clone()))
                            .unwrap_or(AttrValue::Static("county_system")))}
                        error={err("kind")} />
                    <Select id="partner-county" name="county_code" label="所代表的縣市"
                        options={props.counties.clone()} placeholder="不指定"
                        selected={text(|p| p.county_code.clone())} error={err("county_code")} />
                    <Input id="partner-unit" name="unit_code" label="所代表的單位代碼" autocomplete="off"
                        value={text(|p| p.unit_code.clone())} error={err("unit_code")}
                        hint={html! { "選填；由單位營運的合作平臺才需要。" }} />
                </fieldset>
                <fieldset class={classes!("check-group", items_error.is_some().then_some("invalid"))}
                    aria-describedby={items_error.is_some().then_some("partner-items-error")}>
                    <legend>{ "合作項目" }<span class="required">{ "（至少一項）" }</span></legend>
                    { for ITEMS.iter().map(|(code, label)| {
                        let id = format!("partner-item-{code}");
                        let checked = p.is_some_and(|p| p.items.iter().any(|i| i == code));
                        html! {
                            <div class="field check" key={*code}>
                                <input id={id.clone()} name={item_field(code)} type="checkbox" value="yes" {checked} />
                                <label for={id}>{ *label }</label>
                            </div>
                        }
                    }) }
                    if let Some(message) = items_error {
                        <p class="field-error" id="partner-items-error">{ message }</p>
                    }
                </fieldset>
                <fieldset>
                    <legend>{ "連線與採計" }</legend>
                    <div class={classes!("field", "check", needs_error.is_some().then_some("invalid"))}>
                        <input id="partner-needs-confirmation" name="needs_confirmation" type="checkbox"
                            value="yes" checked={needs_confirmation}
                            aria-describedby={needs_error.is_some().then_some("partner-needs-confirmation-error")} />
                        <label for="partner-needs-confirmation">
                            { "其研習紀錄須經所屬縣市每月確認後才列入時數（後端縣市）" }
                        </label>
                        if let Some(message) = needs_error {
                            <p class="field-error" id="partner-needs-confirmation-error">{ message }</p>
                        }
                    </div>
                    <div class={classes!("field", allow_error.is_some().then_some("invalid"))}>
                        <label for="partner-allow-list">
                            { "允許呼叫的位址" }<span class="required">{ "（必填）" }</span>
                        </label>
                        <textarea id="partner-allow-list" name="allow_list" rows="3"
                            defaultvalue={p.map(|p| p.allow_list.join("\n")).unwrap_or_default()}
                            aria-invalid={allow_error.is_some().then_some("true")}
                            aria-describedby={if allow_error.is_some() { "partner-allow-list-hint partner-allow-list-error" } else { "partner-allow-list-hint" }} />
                        <p class="hint" id="partner-allow-list-hint">
                            { "IPv4 或 IPv6 位址或網段（例如 203.0.113.0/24），每行一個或以逗號分隔；其他位址的呼叫一律拒絕。" }
                        </p>
                        if let Some(message) = allow_error {
                            <p class="field-error" id="partner-allow-list-error">{ message }</p>
                        }
                    </div>
                    <Input id="partner-rate" name="rate_per_minute" label="每分鐘呼叫次數上限" kind="number"
                        required=true value={AttrValue::from(rate)} error={err("rate_per_minute")}
                        hint={html! { "1 到 6000；超過時回應 429。" }} />
                    <div class="field check">
                        <input id="partner-enabled" name="enabled" type="checkbox" value="yes" checked={enabled} />
                        <label for="partner-enabled">{ "啟用（停用後其呼叫一律拒絕）" }</label>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ "聯絡窗口" }</legend>
                    <Input id="partner-contact-name" name="contact_name" label="聯絡人" required=true
                        autocomplete="off" value={text(|p| Some(p.contact_name.clone()))}
                        error={err("contact_name")} />
                    <Input id="partner-contact-email" name="contact_email" label="電子郵件" kind="email"
                        required=true autocomplete="off" value={text(|p| Some(p.contact_email.clone()))}
                        error={err("contact_email")}
                        hint={html! { "每年的聯絡資料確認通知寄到這裡。" }} />
                    <Input id="partner-contact-phone" name="contact_phone" label="電話" kind="tel"
                        required=true autocomplete="off" value={text(|p| Some(p.contact_phone.clone()))}
                        error={err("contact_phone")} />
                </fieldset>
                <div class="form-actions">
                    <button id="partner-save" type="submit" class="primary" disabled={*busy}>
                        { match (*busy, p.is_some()) {
                            (true, _) => "儲存中…",
                            (false, true) => "儲存變更",
                            (false, false) => "登錄合作系統",
                        } }
                    </button>
                    if p.is_some() {
                        <button id="partner-cancel" type="button" onclick={on_cancel}>{ "取消修改" }</button>
                    }
                </div>
            </form>
        </section>
    }
}
