//! 合作系統管理 (national centre): the partner systems of the exchange (資訊傳報) with their
//! cooperation items, contacts and API keys; registering and changing one; issuing a key (its
//! secret shown once) and revoking one; and the calls refused at the door.

use inservice_wire::{DenialDto, IssuedKeyDto, PartnerDto};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::api;
use crate::api::accounts::MeExt;
use crate::api::exchange::{self, denial_label};
use crate::components::exchange_nav::ExchangeNav;
use crate::components::form::{Choices, ErrorSummary, Notice};
use crate::components::partner_form::PartnerForm;
use crate::components::partner_row::PartnerRow;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{iso, local_time};
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::session::use_auth;

#[component]
pub fn AdminPartnersPage() -> Html {
    use_title("合作系統管理");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.is_national_admin() {
        return html! { <Forbidden>{ "合作系統管理限全國推廣中心管理者使用。" }</Forbidden> };
    }
    html! {
        <section aria-labelledby="partners-title">
            <h1 id="partners-title">{ "合作系統管理" }</h1>
            <ExchangeNav />
            <p class="lead">
                { "登錄與本平臺交換研習紀錄的縣市系統與合作平臺。合作系統以金鑰呼叫 API，且只接受允許清單內的位址；金鑰只在核發時顯示一次。" }
            </p>
            <Partners />
            <Denials />
        </section>
    }
}

/// Focuses the element `id` (after it rendered), so keyboard and screen-reader users land there.
fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

#[component]
fn Partners() -> Html {
    let auth = use_auth();
    let ActionOutcome {
        version,
        message: outcome,
        done,
    } = use_action_outcome();
    let list = {
        let auth = auth.clone();
        use_fetch(version, move |_| async move {
            exchange::partners(&auth.client).await
        })
    };
    let counties = use_fetch((), |()| api::counties());
    let editing = use_state(|| None::<PartnerDto>);
    // The form starts afresh after each save.
    let saves = use_state(|| 0_u32);
    let issued = use_state(|| None::<(String, IssuedKeyDto)>);
    let choices: Choices = match &*counties {
        Fetch::Ready(list) => list
            .items
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        _ => std::iter::empty::<(String, String)>().collect(),
    };
    let county_name = |code: &Option<String>| -> Option<AttrValue> {
        let code = code.as_deref()?;
        choices
            .0
            .iter()
            .find(|(c, _)| c.as_str() == code)
            .map(|(_, name)| name.clone())
    };

    let editing_id = editing.as_ref().map(|p| p.id);
    use_effect_with(editing_id, |id| {
        if id.is_some() {
            focus("partner-name");
        }
    });
    let issued_for = issued.as_ref().map(|(_, k)| k.key.id);
    use_effect_with(issued_for, |id| {
        if id.is_some() {
            focus("issued-key-secret");
        }
    });

    let on_saved = {
        let (done, editing, saves) = (done.clone(), editing.clone(), saves.clone());
        Callback::from(move |message: String| {
            editing.set(None);
            saves.set(*saves + 1);
            done.emit(Ok(message));
        })
    };
    let on_cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let on_edit = {
        let editing = editing.clone();
        Callback::from(move |p: PartnerDto| editing.set(Some(p)))
    };
    let on_issued = {
        let issued = issued.clone();
        Callback::from(move |key: (String, IssuedKeyDto)| issued.set(Some(key)))
    };
    let dismiss = {
        let issued = issued.clone();
        Callback::from(move |_: MouseEvent| issued.set(None))
    };
    let form_key = format!(
        "{}-{}",
        editing
            .as_ref()
            .map_or_else(|| "new".to_owned(), |p| p.id.to_string()),
        *saves
    );

    html! {
        <>
            <div class="live" aria-live="polite">
                { match &outcome {
                    Some(Ok(message)) => html! { <Notice id="partner-notice">{ message.clone() }</Notice> },
                    Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                    None => html! {},
                } }
            </div>
            if let Some((code, key)) = &*issued {
                <div class="secret-box" id="issued-key-secret" role="status" tabindex="-1"
                    aria-labelledby="issued-key-title">
                    <p id="issued-key-title"><strong>{ format!("{code} 的新金鑰〔{}〕", key.key.label) }</strong></p>
                    <p class="secret-warning">{ "此金鑰只顯示這一次，請立即複製保存" }</p>
                    <code class="secret" id="issued-key-value">{ &key.secret }</code>
                    <p class="hint">
                        { "合作系統呼叫時以 Authorization: Bearer <金鑰> 或 X-Api-Key 標頭送出。本平臺只保存雜湊，遺失時請撤銷後重新核發。" }
                    </p>
                    <button type="button" id="issued-key-dismiss" onclick={dismiss}>{ "我已保存，關閉" }</button>
                </div>
            }
            <section aria-labelledby="partner-list-title">
                <h2 id="partner-list-title">{ "已登錄的合作系統" }</h2>
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) if list.items.is_empty() => html! {
                        <p id="partners-empty">{ "尚未登錄任何合作系統。" }</p>
                    },
                    Fetch::Ready(list) => html! {
                        <table class="data-table partner-table" id="partner-table">
                            <caption class="visually-hidden">{ "合作系統，依代碼排列" }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "代碼" }</th>
                                    <th scope="col">{ "名稱" }</th>
                                    <th scope="col">{ "種類" }</th>
                                    <th scope="col">{ "縣市" }</th>
                                    <th scope="col">{ "合作項目" }</th>
                                    <th scope="col">{ "聯絡窗口" }</th>
                                    <th scope="col">{ "啟用" }</th>
                                    <th scope="col">{ "金鑰" }</th>
                                    <th scope="col">{ "操作" }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for list.items.iter().map(|p| html! {
                                    <PartnerRow key={p.id} partner={p.clone()}
                                        county_name={county_name(&p.county_code)}
                                        on_edit={on_edit.clone()} done={done.clone()}
                                        on_issued={on_issued.clone()} />
                                }) }
                            </tbody>
                        </table>
                    },
                } }
            </section>
            if let Fetch::Failed(error) = &*counties {
                <ErrorBox error={error.clone()} />
            }
            <PartnerForm key={form_key} partner={(*editing).clone()} counties={choices.clone()}
                {on_saved} {on_cancel} />
        </>
    }
}

/// 最近被拒絕的呼叫: a key unknown or revoked, an address outside the allow-list, a disabled
/// partner, over the rate.
#[component]
fn Denials() -> Html {
    let auth = use_auth();
    let reload = use_state(|| 0_u32);
    let list = use_fetch(*reload, move |_| async move {
        exchange::denials(&auth.client).await
    });
    let onclick = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    html! {
        <section class="panel" aria-labelledby="denials-title">
            <h2 id="denials-title">{ "最近被拒絕的呼叫" }</h2>
            <p class="meta">{ "在進入資訊傳報之前就被拒絕的呼叫，新的在前，最多 200 筆。" }</p>
            <button type="button" id="denials-reload" {onclick}>{ "重新整理" }</button>
            <div aria-live="polite">
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) if list.items.is_empty() => html! {
                        <p id="denials-empty">{ "沒有被拒絕的呼叫。" }</p>
                    },
                    Fetch::Ready(list) => html! {
                        <table class="data-table" id="denial-table">
                            <caption class="visually-hidden">{ "被拒絕的呼叫，新的在前" }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "時間" }</th>
                                    <th scope="col">{ "合作系統" }</th>
                                    <th scope="col">{ "來源位址" }</th>
                                    <th scope="col">{ "路徑" }</th>
                                    <th scope="col">{ "原因" }</th>
                                </tr>
                            </thead>
                            <tbody>{ for list.items.iter().map(denial_row) }</tbody>
                        </table>
                    },
                } }
            </div>
        </section>
    }
}

fn denial_row(d: &DenialDto) -> Html {
    html! {
        <tr class="denial-row" data-reason={d.reason.clone()}>
            <td data-label="時間"><time datetime={iso(&d.at)}>{ local_time(&d.at) }</time></td>
            <td data-label="合作系統">{ d.partner_code.clone().unwrap_or_else(|| "（不明）".into()) }</td>
            <td data-label="來源位址"><span class="code">{ &d.ip }</span></td>
            <td data-label="路徑">{ &d.path }</td>
            <td data-label="原因">{ denial_label(&d.reason) }</td>
        </tr>
    }
}
