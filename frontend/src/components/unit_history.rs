//! 異動紀錄: every change to a unit, oldest first, each field's value before → after.

use inservice_wire::UnitHistoryDto;
use serde_json::{Map, Value};
use yew::prelude::*;

use crate::api::units::{self, UNIT_KINDS, ownership_label};
use crate::components::status::{ErrorBox, Loading};
use crate::format::{iso, taipei_time};
use crate::hooks::{Fetch, use_fetch};
use crate::session::use_auth;

fn change_label(change: &str) -> &str {
    match change {
        "create" => "新增單位",
        "update" => "修改資料",
        "contact" => "修改通訊資料",
        "close" => "裁撤",
        "merge" => "合併",
        "reviewer" => "變更審核單位",
        "import_add" => "名錄匯入：新增",
        "import_change" => "名錄匯入：異動",
        "import_close" => "名錄匯入：裁撤",
        other => other,
    }
}

/// The fields of a unit's stored facts in reading order, with their labels.
const FIELDS: [(&str, &str); 11] = [
    ("name", "名稱"),
    ("kind", "類別"),
    ("county_code", "縣市代碼"),
    ("ownership", "公私立"),
    ("address", "地址"),
    ("phone", "電話"),
    ("email", "電子郵件"),
    ("status", "狀態"),
    ("successor_code", "併入單位"),
    ("reviewer_code", "審核單位"),
    ("reason", "理由"),
];

/// Where a field comes in [`FIELDS`]; unknown fields last.
fn position(field: &str) -> usize {
    FIELDS
        .iter()
        .position(|(f, _)| *f == field)
        .unwrap_or(FIELDS.len())
}

fn field_label(field: &str) -> &str {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(field, |(_, label)| label)
}

/// A stored value as the reader knows it: labels for codes, 「（無）」 for nothing.
fn shown(field: &str, value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => return "（無）".to_owned(),
        Some(Value::String(s)) if s.is_empty() => return "（無）".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match (field, text.as_str()) {
        ("kind", code) => UNIT_KINDS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(text.clone(), |(_, l)| (*l).to_owned()),
        ("ownership", code) => ownership_label(code).to_owned(),
        ("status", "open") => "開放".to_owned(),
        ("status", "closed") => "已裁撤".to_owned(),
        _ => text,
    }
}

fn object(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The fields that differ between `before` and `after`; the raw texts when they are no JSON.
fn differences(change: &UnitHistoryDto) -> Html {
    let (Some(before), Some(after)) = (object(&change.before), object(&change.after)) else {
        return html! {
            <p class="history-diff">{ format!("{} → {}", change.before, change.after) }</p>
        };
    };
    let mut fields: Vec<&String> = after.keys().chain(before.keys()).collect();
    fields.sort_by_key(|f| (position(f), f.as_str()));
    fields.dedup();
    // A field missing on one side and empty on the other did not change.
    let rows: Vec<Html> = fields
        .into_iter()
        .map(|f| (f, shown(f, before.get(f)), shown(f, after.get(f))))
        .filter(|(_, old, new)| old != new)
        .map(|(f, old, new)| {
            html! {
                <li>
                    <span class="history-field">{ field_label(f).to_owned() }</span>{ "：" }
                    { old }{ " → " }{ new }
                </li>
            }
        })
        .collect();
    if rows.is_empty() {
        return html! { <p class="history-diff meta">{ "沒有欄位變更" }</p> };
    }
    html! { <ul class="history-diff">{ for rows }</ul> }
}

#[derive(Properties, PartialEq)]
pub struct UnitHistoryProps {
    pub code: String,
}

#[component]
pub fn UnitHistory(props: &UnitHistoryProps) -> Html {
    let auth = use_auth();
    let history = use_fetch(props.code.clone(), move |code| async move {
        units::history(&auth.client, &code).await
    });
    html! {
        <div class="unit-history-list" aria-live="polite">
            <h4>{ "異動紀錄" }</h4>
            { match &*history {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) if list.items.is_empty() => html! {
                    <p class="empty">{ "沒有異動紀錄" }</p>
                },
                Fetch::Ready(list) => html! {
                    <ol class="history-list">
                        { for list.items.iter().map(|change| html! {
                            <li class="history-row" data-change={change.change.clone()}>
                                <p class="history-head">
                                    <strong>{ change_label(&change.change).to_owned() }</strong>{ " " }
                                    <time datetime={iso(&change.at)}>{ taipei_time(&change.at) }</time>
                                    if let Some(actor) = change.actor_account_id {
                                        <span class="meta">{ format!("（帳號 #{actor}）") }</span>
                                    }
                                </p>
                                { differences(change) }
                            </li>
                        }) }
                    </ol>
                },
            } }
        </div>
    }
}
