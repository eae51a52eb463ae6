//! One partner system in 合作系統管理: what it is, its contact's yearly re-confirmation as a
//! light, and its API keys with 核發金鑰 and 撤銷. The row calls the API itself and tells the
//! page the outcome; a new key's secret goes to the page, which shows it once.

use inservice_wire::{IssuedKeyDto, PartnerDto, PartnerKeyDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::exchange::{self, item_label, light_label};
use crate::format::local_time;
use crate::session::use_auth;

#[derive(Properties, PartialEq)]
pub struct PartnerRowProps {
    pub partner: PartnerDto,
    /// The county's name, when the partner speaks for one.
    #[prop_or_default]
    pub county_name: Option<AttrValue>,
    /// 編輯: load the partner into the page's form.
    pub on_edit: Callback<PartnerDto>,
    /// An action's outcome; a success reloads the list.
    pub done: Callback<Result<String, ApiError>>,
    /// A key was issued: the partner's code and the key with its secret.
    pub on_issued: Callback<(String, IssuedKeyDto)>,
}

/// 綠燈/黃燈/紅燈 with what it means.
fn contact_text(p: &PartnerDto) -> String {
    match (
        p.contact_light.as_str(),
        p.contact_confirmed_on,
        p.contact_due_on,
    ) {
        (_, None, _) => "尚未確認聯絡資料".to_owned(),
        ("red", Some(_), Some(due)) => format!("已逾期（應於 {due} 前確認）"),
        ("yellow", Some(_), Some(due)) => format!("即將到期，請於 {due} 前確認"),
        (_, Some(on), Some(due)) => format!("{on} 已確認，{due} 前有效"),
        (_, Some(on), None) => format!("{on} 已確認"),
    }
}

/// Asks the browser to confirm; `false` when it cannot ask.
fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[component]
pub fn PartnerRow(props: &PartnerRowProps) -> Html {
    let auth = use_auth();
    let busy = use_state(|| false);
    let label_ref = use_node_ref();
    let p = &props.partner;
    let code = p.code.clone();

    let on_edit = {
        let (on_edit, partner) = (props.on_edit.clone(), p.clone());
        Callback::from(move |_: MouseEvent| on_edit.emit(partner.clone()))
    };
    let on_contacts = {
        let (auth, done, busy, id) = (auth.clone(), props.done.clone(), busy.clone(), p.id);
        Callback::from(move |_: MouseEvent| {
            let (auth, done, busy) = (auth.clone(), done.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                let result = exchange::confirm_contacts(&auth.client, id).await;
                busy.set(false);
                done.emit(result.map(|p| {
                    let due = p.contact_due_on.map(|d| d.to_string()).unwrap_or_default();
                    format!(
                        "已記錄〔{}〕的聯絡資料於今日確認，下次請於 {due} 前確認。",
                        p.name
                    )
                }));
            });
        })
    };
    let on_issue = {
        let (auth, done, busy, id) = (auth.clone(), props.done.clone(), busy.clone(), p.id);
        let (on_issued, code, label_ref) =
            (props.on_issued.clone(), code.clone(), label_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let label = label_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (auth, done, busy, on_issued, code, label_ref) = (
                auth.clone(),
                done.clone(),
                busy.clone(),
                on_issued.clone(),
                code.clone(),
                label_ref.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let result = exchange::issue_key(&auth.client, id, label).await;
                busy.set(false);
                match result {
                    Ok(issued) => {
                        if let Some(input) = label_ref.cast::<HtmlInputElement>() {
                            input.set_value("");
                        }
                        let message = format!(
                            "已為 {code} 核發金鑰〔{}〕（{}…）。",
                            issued.key.label, issued.key.prefix
                        );
                        on_issued.emit((code, issued));
                        done.emit(Ok(message));
                    }
                    Err(e) => done.emit(Err(e)),
                }
            });
        })
    };
    let revoke = |key: &PartnerKeyDto| {
        let (auth, done, busy, id) = (auth.clone(), props.done.clone(), busy.clone(), p.id);
        let (key_id, label, prefix) = (key.id, key.label.clone(), key.prefix.clone());
        Callback::from(move |_: MouseEvent| {
            let question = format!(
                "撤銷金鑰〔{label}〕（{prefix}…）？撤銷後，使用此金鑰的呼叫都會被拒絕，且無法復原。"
            );
            if !confirmed(&question) {
                return;
            }
            let (auth, done, busy, label) =
                (auth.clone(), done.clone(), busy.clone(), label.clone());
            busy.set(true);
            spawn_local(async move {
                let result = exchange::revoke_key(&auth.client, id, key_id).await;
                busy.set(false);
                done.emit(
                    result
                        .map(|_| format!("已撤銷金鑰〔{label}〕；使用它的呼叫從現在起會被拒絕。")),
                );
            });
        })
    };

    let county = match (&props.county_name, &p.county_code) {
        (Some(name), Some(code)) => format!("{name}（{code}）"),
        (None, Some(code)) => code.clone(),
        (_, None) => "—".to_owned(),
    };
    let items: Vec<&str> = p.items.iter().map(|i| item_label(i)).collect();
    let label_id = format!("key-label-{code}");
    let busy = *busy;
    html! {
        <tr class="partner-row" data-code={code.clone()} data-enabled={p.enabled.to_string()}>
            <td data-label="代碼"><span class="code">{ &p.code }</span></td>
            <td data-label="名稱">{ &p.name }</td>
            <td data-label="種類">{ &p.kind_label }</td>
            <td data-label="縣市">{ county }</td>
            <td data-label="合作項目">
                <div>
                    { items.join("、") }
                    if p.needs_confirmation {
                        <br /><span class="badge badge-warning">{ "須縣市月確認" }</span>
                    }
                </div>
            </td>
            <td data-label="聯絡窗口" class="partner-contact">
                <div>
                    <span class={classes!("light", format!("light-{}", p.contact_light))}
                        data-light={p.contact_light.clone()}>{ light_label(&p.contact_light) }</span>
                    { " " }{ contact_text(p) }
                    <br /><span class="meta">{ format!("{}　{}　{}", p.contact_name, p.contact_email, p.contact_phone) }</span>
                </div>
            </td>
            <td data-label="啟用">
                if p.enabled {
                    { "啟用" }
                } else {
                    <div><span class="badge badge-muted">{ "停用" }</span></div>
                }
            </td>
            <td data-label="金鑰" class="partner-keys">
                <div>
                    if p.keys.is_empty() {
                        <p class="meta">{ "尚無金鑰" }</p>
                    } else {
                        <ul class="key-list">
                            { for p.keys.iter().map(|k| key_view(k, revoke(k), busy)) }
                        </ul>
                    }
                    <div class="key-issue">
                        <label for={label_id.clone()}>{ "新金鑰用途" }</label>
                        <input id={label_id} ref={label_ref} autocomplete="off" placeholder="例如 正式機 2026" />
                        <button type="button" id={format!("issue-key-{code}")} onclick={on_issue} disabled={busy}>
                            { "核發金鑰" }
                        </button>
                    </div>
                </div>
            </td>
            <td data-label="操作">
                <div class="row-actions">
                    <button type="button" id={format!("edit-partner-{code}")} onclick={on_edit}>{ "編輯" }</button>
                    <button type="button" id={format!("confirm-contacts-{code}")} onclick={on_contacts}
                        disabled={busy}>{ "聯絡資料已確認" }</button>
                </div>
            </td>
        </tr>
    }
}

fn key_view(key: &PartnerKeyDto, on_revoke: Callback<MouseEvent>, busy: bool) -> Html {
    let used = match (&key.last_used_at, &key.last_used_ip) {
        (Some(at), Some(ip)) => format!("最後使用 {}（{ip}）", local_time(at)),
        (Some(at), None) => format!("最後使用 {}", local_time(at)),
        (None, _) => "尚未使用".to_owned(),
    };
    html! {
        <li class="key-row" key={key.id} data-key-id={key.id.to_string()}
            data-revoked={key.revoked_at.is_some().to_string()}>
            <span class="code">{ format!("{}…", key.prefix) }</span>{ " " }{ &key.label }
            <br />
            <span class="meta">{ format!("核發 {}；{used}", local_time(&key.created_at)) }</span>
            { " " }
            if let Some(at) = &key.revoked_at {
                <span class="badge badge-muted">{ format!("已撤銷 {}", local_time(at)) }</span>
            } else {
                <button type="button" class="small danger" id={format!("revoke-key-{}", key.id)}
                    onclick={on_revoke} disabled={busy}
                    aria-label={format!("撤銷金鑰 {}（{}…）", key.label, key.prefix)}>{ "撤銷" }</button>
            }
        </li>
    }
}
