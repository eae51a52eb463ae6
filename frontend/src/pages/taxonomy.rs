//! 研習課程分類: the categories, subcategories and items of one education stage.
//!
//! The stage lives in the URL (`?stage=junior_high`), so a view can be linked to and the
//! back button returns to the previous stage.

use inservice_wire::{TaxonomyCategoryDto, TaxonomyDto, TaxonomySubcategoryDto};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::reference::{LevelsPanel, TagsPanel};
use crate::components::status::{ErrorBox, Loading};
use crate::hooks::{Fetch, use_fetch, use_title};
use crate::routes::Route;

/// The stage codes of the API with their names, in school order.
const STAGES: [(&str, &str); 4] = [
    ("kindergarten", "幼兒園"),
    ("elementary", "國民小學"),
    ("junior_high", "國民中學"),
    ("senior_high", "高級中等學校"),
];
const DEFAULT_STAGE: &str = "elementary";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct StageQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stage: Option<String>,
}

#[component]
pub fn TaxonomyPage() -> Html {
    use_title("研習課程分類");
    let navigator = use_navigator();
    // An unreadable query falls back to the default stage rather than to an error.
    let stage = use_location()
        .and_then(|l| l.query::<StageQuery>().ok())
        .and_then(|q| q.stage)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_STAGE.to_owned());
    let taxonomy = use_fetch(
        stage.clone(),
        |stage| async move { api::taxonomy(&stage).await },
    );

    let pick = |code: &'static str| {
        let navigator = navigator.clone();
        let current = stage.clone();
        Callback::from(move |_: MouseEvent| {
            if code == current {
                return; // no duplicate history entry for the stage already shown
            }
            if let Some(navigator) = &navigator {
                let query = StageQuery {
                    stage: Some(code.to_owned()),
                };
                let _ = navigator.push_with_query(&Route::Taxonomy, &query);
            }
        })
    };

    // Data of the previous stage is never shown under the new stage's button.
    let shown = match &*taxonomy {
        Fetch::Ready(t) if t.stage != stage => &Fetch::Loading,
        other => other,
    };

    html! {
        <>
            <h1>{ "研習課程分類" }</h1>
            <p class="lead">
                { "教師專業發展研習課程依教育階段分為範疇、子類與課程細項。請選擇教育階段：" }
            </p>
            <div class="stage-picker" role="group" aria-label="教育階段">
                { for STAGES.iter().map(|&(code, label)| html! {
                    <button
                        type="button"
                        key={code}
                        data-stage={code}
                        aria-pressed={(code == stage).to_string()}
                        onclick={pick(code)}
                    >
                        { label }
                    </button>
                }) }
            </div>
            <div class="live" aria-live="polite">
                { match shown {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(t) => html! {
                        <p class="summary">
                            <strong class="stage-label">{ &t.stage_label }</strong>
                            { "：" }
                            <span id="taxonomy-count">
                                { format!("共 {} 個課程細項", t.item_count) }
                            </span>
                        </p>
                    },
                } }
            </div>
            if let Fetch::Ready(t) = shown {
                { taxonomy_view(t) }
            }
            <LevelsPanel />
            <TagsPanel />
        </>
    }
}

fn taxonomy_view(taxonomy: &TaxonomyDto) -> Html {
    html! {
        <>
            <nav class="toc" aria-label="範疇目錄">
                <ul>
                    { for taxonomy.categories.iter().map(|c| html! {
                        <li key={c.code.clone()}>
                            <a href={format!("#category-{}", c.code)}>
                                { format!("{} {}", c.code, c.name) }
                            </a>
                        </li>
                    }) }
                </ul>
            </nav>
            { for taxonomy.categories.iter().map(category_view) }
        </>
    }
}

fn category_view(category: &TaxonomyCategoryDto) -> Html {
    let id = format!("category-{}", category.code);
    html! {
        <section class="category" key={category.code.clone()} aria-labelledby={id.clone()}>
            <h2 {id}>
                <span class="code">{ &category.code }</span>{ " " }{ &category.name }
            </h2>
            if category.subcategories.is_empty() {
                <p class="note">{ "本範疇課程內涵不分階，課程細項不明列" }</p>
            } else {
                { for category.subcategories.iter().map(subcategory_view) }
            }
        </section>
    }
}

fn subcategory_view(sub: &TaxonomySubcategoryDto) -> Html {
    html! {
        <div class="subcategory" key={sub.code.clone()}>
            <h3><span class="code">{ &sub.code }</span>{ " " }{ &sub.name }</h3>
            if sub.items.is_empty() {
                <p class="note">{ "（本子類未列細項）" }</p>
            } else {
                <ul class="items">
                    { for sub.items.iter().map(|item| html! {
                        <li class="taxonomy-item" key={item.code.clone()}>
                            <span class="code">{ &item.code }</span>{ " " }{ &item.name }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
