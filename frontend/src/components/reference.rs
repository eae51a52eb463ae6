//! Reference panels shown beside the taxonomy: the four course levels and the attribute tags.

use inservice_wire::{LevelDto, TagDto};
use yew::prelude::*;

use crate::api::{self, TagStatus};
use crate::components::status::{ErrorBox, Loading};
use crate::format;
use crate::hooks::{Fetch, use_fetch};

/// 課程分階: what each of the four levels means, folded away until asked for.
#[component]
pub fn LevelsPanel() -> Html {
    let levels = use_fetch((), |()| api::levels());
    html! {
        <details class="reference" id="levels">
            <summary>{ "課程分階說明" }</summary>
            <div aria-live="polite">
                { match &*levels {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) => html! {
                        <ol class="levels">{ for list.items.iter().map(level_view) }</ol>
                    },
                } }
            </div>
        </details>
    }
}

fn level_view(level: &LevelDto) -> Html {
    html! {
        <li class="level" key={level.code}>
            <p class="level-name">
                <strong>{ &level.name }</strong>{ format!("（{}）", level.verbs) }
            </p>
            <p>{ &level.definition }</p>
            <dl>
                <dt>{ "動詞定義" }</dt><dd>{ &level.verb_definitions }</dd>
                <dt>{ "建議參加對象" }</dt><dd>{ &level.suggested_participants }</dd>
                <dt>{ "課程示例" }</dt>
                <dd>
                    <span class="code">{ &level.example_course_code }</span>
                    { " " }{ &level.example_course_name }
                </dd>
            </dl>
        </li>
    }
}

/// 屬性標籤: the tags courses can carry, active ones by default.
#[component]
pub fn TagsPanel() -> Html {
    let status = use_state(|| TagStatus::Active);
    let tags = use_fetch(*status, api::tags);
    let onchange = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            status.set(match select.value().as_str() {
                "retired" => TagStatus::Retired,
                "all" => TagStatus::All,
                _ => TagStatus::Active,
            });
        })
    };
    html! {
        <details class="reference" id="tags">
            <summary>{ "研習屬性標籤" }</summary>
            <div class="field">
                <label for="tags-status">{ "顯示" }</label>
                <select id="tags-status" {onchange}>
                    <option value="active" selected={*status == TagStatus::Active}>
                        { "使用中" }
                    </option>
                    <option value="retired" selected={*status == TagStatus::Retired}>
                        { "已停用" }
                    </option>
                    <option value="all" selected={*status == TagStatus::All}>{ "全部" }</option>
                </select>
            </div>
            <div aria-live="polite">
                { match &*tags {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) if list.items.is_empty() => html! {
                        <p>{ "沒有符合的標籤" }</p>
                    },
                    Fetch::Ready(list) => html! {
                        <>
                            <p>{ format!("共 {} 個標籤", list.total) }</p>
                            <ul class="tags">{ for list.items.iter().map(tag_view) }</ul>
                        </>
                    },
                } }
            </div>
        </details>
    }
}

fn tag_view(tag: &TagDto) -> Html {
    let mut dates = Vec::new();
    if let Some(added) = &tag.added_on {
        dates.push(format!("新增於 {added}"));
    }
    if !tag.definition_updated_on.is_empty() {
        dates.push(format!(
            "定義修訂 {}",
            format::dates(&tag.definition_updated_on, "、")
        ));
    }
    if let Some(retired) = &tag.retired_on {
        dates.push(format!("停用於 {retired}"));
    }
    html! {
        <li class="tag" key={tag.id}>
            <p class="tag-name">
                <strong>{ &tag.name }</strong>
                if tag.status == "retired" {
                    { " " }<span class="badge badge-muted">{ "已停用" }</span>
                }
            </p>
            if let Some(definition) = &tag.definition {
                <p>{ definition }</p>
            }
            if !dates.is_empty() {
                <p class="meta">{ dates.join("；") }</p>
            }
            <p class="meta">{ format!("出處：{}", tag.source) }</p>
        </li>
    }
}
