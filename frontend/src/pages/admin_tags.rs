//! 屬性標籤管理 (national centre): add a tag with its definition, revise a definition, retire a
//! tag. Tags are never deleted: the courses that carry them keep them.

use inservice_wire::{NewTag, TagDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::courses;
use crate::api::{self, ApiError, TagStatus};
use crate::components::form::{ErrorSummary, Notice, field_error};
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::dates;
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::session::use_auth;

#[component]
pub fn AdminTagsPage() -> Html {
    use_title("屬性標籤管理");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.is_national_admin() {
        return html! { <Forbidden>{ "屬性標籤管理限全國推廣中心管理者使用。" }</Forbidden> };
    }
    html! { <TagAdmin /> }
}

#[component]
fn TagAdmin() -> Html {
    let auth = use_auth();
    let ActionOutcome {
        version,
        message: outcome,
        done,
    } = use_action_outcome();
    let tags = use_fetch(version, |_| api::tags(TagStatus::All));
    let name_ref = use_node_ref();
    let definition_ref = use_node_ref();
    let on_add = {
        let (auth, done) = (auth.clone(), done.clone());
        let (name_ref, definition_ref) = (name_ref.clone(), definition_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = name_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let definition = definition_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let (auth, done, name_ref) = (auth.clone(), done.clone(), name_ref.clone());
            spawn_local(async move {
                let result = courses::create_tag(&auth.client, &NewTag { name, definition }).await;
                if result.is_ok()
                    && let Some(input) = name_ref.cast::<HtmlInputElement>()
                {
                    input.set_value("");
                }
                done.emit(result.map(|tag| format!("已新增屬性標籤〔{}〕。", tag.name)));
            });
        })
    };
    let error = match &outcome {
        Some(Err(e)) => Some(e.clone()),
        _ => None,
    };
    html! {
        <section aria-labelledby="tags-title">
            <h1 id="tags-title">{ "屬性標籤管理" }</h1>
            <form class="account-form panel" novalidate=true onsubmit={on_add}>
                <fieldset>
                    <legend>{ "新增屬性標籤" }</legend>
                    <div class="field">
                        <label for="tag-name">{ "標籤名稱" }<span class="required">{ "（必填）" }</span></label>
                        <input id="tag-name" ref={name_ref} />
                        if let Some(message) = field_error(&error, "name") {
                            <p class="field-error">{ message }</p>
                        }
                    </div>
                    <div class="field">
                        <label for="tag-definition">{ "定義" }<span class="required">{ "（必填）" }</span></label>
                        <textarea id="tag-definition" rows="3" ref={definition_ref} />
                        if let Some(message) = field_error(&error, "definition") {
                            <p class="field-error">{ message }</p>
                        }
                    </div>
                </fieldset>
                <button type="submit" class="primary" id="tag-add">{ "新增" }</button>
            </form>
            { match &outcome {
                Some(Ok(message)) => html! { <Notice id="tag-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            { match &*tags {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(list) => html! {
                    <ul class="approval-list" id="tag-list">
                        { for list.items.iter().map(|tag| html! {
                            <TagRow key={tag.id} tag={tag.clone()} done={done.clone()} />
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TagRowProps {
    tag: TagDto,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn TagRow(props: &TagRowProps) -> Html {
    let auth = use_auth();
    let editing = use_state(|| false);
    let definition_ref = use_node_ref();
    let tag = &props.tag;
    let retired = tag.status == "retired";
    let on_retire = {
        let (auth, done, id, name) = (auth.clone(), props.done.clone(), tag.id, tag.name.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, done, name) = (auth.clone(), done.clone(), name.clone());
            spawn_local(async move {
                let result = courses::retire_tag(&auth.client, id).await;
                done.emit(result.map(|_| format!("〔{name}〕已停用；已加註的課程保留此標籤。")));
            });
        })
    };
    let on_save = {
        let (auth, done, id, editing) = (auth.clone(), props.done.clone(), tag.id, editing.clone());
        let definition_ref = definition_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let definition = definition_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let (auth, done, editing) = (auth.clone(), done.clone(), editing.clone());
            spawn_local(async move {
                let result = courses::define_tag(&auth.client, id, definition.clone()).await;
                if result.is_ok() {
                    editing.set(false);
                }
                done.emit(result.map(|tag| format!("已更新〔{}〕的定義。", tag.name)));
            });
        })
    };
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    html! {
        <li class="approval-row tag-row" data-tag={tag.id.to_string()}>
            <p class="approval-name">
                { format!("〔{}〕", tag.name) }
                if retired {
                    { " " }<span class="badge badge-muted">{ format!("已停用 {}", tag.retired_on.map(|d| d.to_string()).unwrap_or_default()) }</span>
                }
            </p>
            <p class="meta">{ tag.definition.clone().unwrap_or_else(|| "（尚無定義）".into()) }</p>
            if !tag.definition_updated_on.is_empty() {
                <p class="meta">{ format!("定義修訂：{}", dates(&tag.definition_updated_on, "、")) }</p>
            }
            if *editing {
                <div class="field">
                    <label for={format!("tag-{}-definition", tag.id)}>{ "新的定義" }</label>
                    <textarea id={format!("tag-{}-definition", tag.id)} rows="3" ref={definition_ref}
                        defaultvalue={tag.definition.clone().unwrap_or_default()} />
                </div>
            }
            if !retired {
                <div class="row-actions">
                    if *editing {
                        <button type="button" class="primary" onclick={on_save}>{ "儲存定義" }</button>
                        <button type="button" onclick={toggle}>{ "取消" }</button>
                    } else {
                        <button type="button" onclick={toggle}>{ "修改定義" }</button>
                        <button type="button" class="danger" onclick={on_retire}>{ "停用" }</button>
                    }
                </div>
            }
        </li>
    }
}
