//! 單位查詢: search units by county and name, 20 to a page.
//!
//! The filter lives in the URL (`?county=63000&name=教育&page=2`): the form writes it, the
//! results read it, so searches can be linked and the back button steps through them.

use inservice_wire::{CountyDto, UnitDto, UnitPage};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::units::UnitFilter;
use crate::api::{self, units};
use crate::components::pagination::{Pagination, page_count};
use crate::components::status::{ErrorBox, Loading};
use crate::hooks::{Fetch, use_fetch, use_title};
use crate::routes::Route;

const PER_PAGE: u32 = 20;

/// Blank text in a query or form means "no filter".
fn non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[component]
pub fn UnitsPage() -> Html {
    use_title("單位查詢");
    let navigator = use_navigator();
    let query = use_location()
        .and_then(|l| l.query::<UnitFilter>().ok())
        .map(|q| UnitFilter {
            county: non_blank(q.county),
            name: non_blank(q.name),
            per_page: None,
            ..q
        })
        .unwrap_or_default();

    let counties = use_fetch((), |()| api::counties());
    let units = use_fetch(query.clone(), |filter| async move {
        let filter = UnitFilter {
            per_page: Some(PER_PAGE),
            ..filter
        };
        units::search(&filter).await
    });

    let county_ref = use_node_ref();
    let name_ref = use_node_ref();
    let results_ref = use_node_ref();

    // The form shows the URL's filter: on arrival and after back/forward. The county is
    // set again once its options exist (a select cannot take a value it has no option for),
    // without touching a name being typed meanwhile.
    {
        let name_ref = name_ref.clone();
        use_effect_with(query.clone(), move |query| {
            if let Some(input) = name_ref.cast::<HtmlInputElement>() {
                input.set_value(query.name.as_deref().unwrap_or(""));
            }
        });
    }
    {
        let county_ref = county_ref.clone();
        let loaded = matches!(*counties, Fetch::Ready(_));
        use_effect_with((query.clone(), loaded), move |(query, _)| {
            if let Some(select) = county_ref.cast::<HtmlSelectElement>() {
                select.set_value(query.county.as_deref().unwrap_or(""));
            }
        });
    }

    let onsubmit = {
        let navigator = navigator.clone();
        let query = query.clone();
        let county_ref = county_ref.clone();
        let name_ref = name_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let county = county_ref.cast::<HtmlSelectElement>().map(|s| s.value());
            let name = name_ref.cast::<HtmlInputElement>().map(|i| i.value());
            let next = UnitFilter {
                county: non_blank(county),
                name: non_blank(name),
                ..UnitFilter::default()
            };
            if next != query
                && let Some(navigator) = &navigator
            {
                let _ = navigator.push_with_query(&Route::Units, &next);
            }
        })
    };

    let on_page = {
        let query = query.clone();
        let results_ref = results_ref.clone();
        Callback::from(move |page: u64| {
            let next = UnitFilter {
                page: u32::try_from(page).ok().filter(|&p| p > 1),
                ..query.clone()
            };
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::Units, &next);
            }
            // Paging is pressed below the list: bring the new page's top into view.
            if let Some(results) = results_ref.cast::<Element>() {
                results.scroll_into_view();
            }
        })
    };

    html! {
        <>
            <h1>{ "單位查詢" }</h1>
            <form class="search-form" role="search" aria-label="單位查詢條件" {onsubmit}>
                <div class="field">
                    <label for="units-county">{ "縣市" }</label>
                    <select id="units-county" name="county" ref={county_ref}>
                        <option value="">{ "全部縣市" }</option>
                        if let Fetch::Ready(list) = &*counties {
                            { for list.items.iter().map(county_option) }
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="units-name">{ "單位名稱" }</label>
                    <input
                        id="units-name"
                        name="name"
                        type="search"
                        placeholder="例如：教育、國民中學"
                        autocomplete="off"
                        ref={name_ref}
                    />
                </div>
                <button id="units-submit" type="submit" class="primary">{ "查詢" }</button>
            </form>
            if let Fetch::Failed(error) = &*counties {
                <ErrorBox error={error.clone()} />
            }
            <section class="results" aria-labelledby="results-title" ref={results_ref}>
                <h2 id="results-title">{ "查詢結果" }</h2>
                <div class="live" aria-live="polite">
                    { match &*units {
                        Fetch::Loading => html! { <Loading /> },
                        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                        Fetch::Ready(page) => summary(page),
                    } }
                </div>
                if let Fetch::Ready(page) = &*units {
                    if !page.items.is_empty() {
                        <ul class="unit-list">{ for page.items.iter().map(unit_row) }</ul>
                    }
                    <Pagination
                        page={page.page}
                        per_page={page.per_page}
                        total={page.total}
                        onchange={on_page}
                    />
                }
            </section>
        </>
    }
}

fn county_option(county: &CountyDto) -> Html {
    html! {
        <option key={county.code.clone()} value={county.code.clone()}>{ &county.name }</option>
    }
}

fn summary(page: &UnitPage) -> Html {
    let pages = page_count(page.total, page.per_page);
    html! {
        <>
            <p class="summary">
                <span id="units-total">{ format!("共 {} 筆", page.total) }</span>
                if page.total > 0 {
                    { format!("，第 {} / {} 頁", page.page, pages) }
                }
            </p>
            if page.items.is_empty() {
                <p class="empty">{ "查無符合的單位" }</p>
            }
        </>
    }
}

fn unit_row(unit: &UnitDto) -> Html {
    let county = unit
        .county
        .as_ref()
        .map_or("全國", |c| c.name.as_str())
        .to_owned();
    html! {
        <li class="unit-row" key={unit.code.clone()}>
            <h3 class="unit-name">
                { &unit.name }
                if unit.is_regional_centre {
                    { " " }<span class="badge">{ "區管中心" }</span>
                }
            </h3>
            <dl class="unit-meta">
                <div><dt>{ "類別" }</dt><dd>{ &unit.kind_label }</dd></div>
                <div><dt>{ "縣市" }</dt><dd>{ county }</dd></div>
                <div><dt>{ "代碼" }</dt><dd class="code">{ &unit.code }</dd></div>
            </dl>
        </li>
    }
}
