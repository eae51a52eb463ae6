//! 本單位通訊資料: the manager's unit as the public sees it, and its address, phone and e-mail.

use inservice_wire::{UnitContactInput, UnitDto};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::units::{self, ownership_label};
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, FormValues, Input, field_error};
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

const FIELDS: &[(&str, &str)] = &[
    ("address", "contact-address"),
    ("phone", "contact-phone"),
    ("email", "contact-email"),
];

#[component]
pub fn UnitContactPage() -> Html {
    use_title("本單位通訊資料");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let me = &session.account;
    let unit = me.unit.clone().filter(|_| me.is_unit_manager());
    html! {
        <section class="account-page unit-contact" aria-labelledby="contact-title">
            <h1 id="contact-title">{ "本單位通訊資料" }</h1>
            if let Some(unit) = unit {
                <ContactForm code={unit.code.clone()} />
                <p>
                    <AppLink to={Route::UnitTeachers} id="contact-teachers-link">
                        { "回本單位教師帳號管理" }
                    </AppLink>
                </p>
            } else {
                <Forbidden>{ "這項功能限單位的總負責人與連絡人使用。" }</Forbidden>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ContactFormProps {
    code: AttrValue,
}

#[component]
fn ContactForm(props: &ContactFormProps) -> Html {
    let auth = use_auth();
    let fetched = use_fetch(props.code.to_string(), |code| async move {
        units::unit(&code).await
    });
    // The answer of the last save, newer than what was fetched.
    let saved = use_state(|| None::<UnitDto>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (saved, error, busy) = (saved.clone(), error.clone(), busy.clone());
        let code = props.code.to_string();
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let contact = UnitContactInput {
                address: form.optional("address"),
                phone: form.optional("phone"),
                email: form.optional("email"),
            };
            error.set(None);
            saved.set(None);
            busy.set(true);
            let (auth, code) = (auth.clone(), code.clone());
            let (saved, error, busy) = (saved.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                let result = units::update_contact(&auth.client, &code, &contact).await;
                match result {
                    Ok(unit) => saved.set(Some(unit)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let unit = match (&*saved, &*fetched) {
        (Some(unit), _) | (None, Fetch::Ready(unit)) => unit.clone(),
        (None, Fetch::Loading) => return html! { <Loading /> },
        (None, Fetch::Failed(error)) => return html! { <ErrorBox error={error.clone()} /> },
    };
    let err = |field: &str| field_error(&error, field);
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    html! {
        <>
            <dl class="profile-data" id="contact-unit">
                <div class="profile-row"><dt>{ "單位名稱" }</dt><dd>{ &unit.name }</dd></div>
                <div class="profile-row"><dt>{ "單位代碼" }</dt><dd class="code">{ &unit.code }</dd></div>
                <div class="profile-row"><dt>{ "類別" }</dt><dd>{ &unit.kind_label }</dd></div>
                <div class="profile-row"><dt>{ "縣市" }</dt><dd>{
                    unit.county.as_ref().map_or("全國", |c| c.name.as_str()).to_owned()
                }</dd></div>
                <div class="profile-row"><dt>{ "公私立" }</dt><dd>{ ownership_label(&unit.ownership).to_owned() }</dd></div>
            </dl>
            <section class="panel" aria-labelledby="contact-edit-title">
                <h2 id="contact-edit-title">{ "修改通訊資料" }</h2>
                <p class="meta">{ "名稱、類別與縣市由全國推廣中心維護；如有錯誤請與中心聯繫。" }</p>
                if let Some(e) = &*error {
                    <ErrorSummary error={e.clone()} fields={FIELDS} />
                }
                <form class="account-form" novalidate=true aria-labelledby="contact-edit-title" {onsubmit}>
                    <Input id="contact-address" name="address" label="地址" autocomplete="street-address"
                        value={text(&unit.address)} error={err("address")} />
                    <Input id="contact-phone" name="phone" label="電話" kind="tel" autocomplete="tel"
                        value={text(&unit.phone)} error={err("phone")}
                        hint={html! { "例如 02-12345678#123" }} />
                    <Input id="contact-email" name="email" label="電子郵件" kind="email"
                        autocomplete="email" value={text(&unit.email)} error={err("email")} />
                    <div class="form-actions">
                        <button id="contact-save" type="submit" class="primary" disabled={*busy}>
                            { if *busy { "儲存中…" } else { "儲存" } }
                        </button>
                        <p id="contact-saved" class="saved" role="status">
                            { if saved.is_some() { "已儲存" } else { "" } }
                        </p>
                    </div>
                </form>
            </section>
        </>
    }
}
