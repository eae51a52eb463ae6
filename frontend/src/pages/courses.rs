//! 研習課程查詢: public course search by keyword, county, stage, category, level, tag, mode,
//! dates, open registration and places left.
//!
//! The filters live in the URL (`/courses?q=閱讀&tag=3&open=true`), so a search can be linked
//! (tags on a course page link here) and the back button steps through searches.

use serde::{Deserialize, Serialize};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::courses::{self, CourseQuery};
use crate::api::{self, TagStatus};
use crate::components::course_row::CourseRow;
use crate::components::pagination::{Pagination, page_count};
use crate::components::status::{ErrorBox, Loading};
use crate::hooks::{Fetch, use_fetch, use_title};
use crate::routes::Route;

pub const STAGES: [(&str, &str); 4] = [
    ("kindergarten", "幼兒園"),
    ("elementary", "國民小學"),
    ("junior_high", "國民中學"),
    ("senior_high", "高級中等學校"),
];

pub const CATEGORIES: [(&str, &str); 6] = [
    ("1", "課程、教學及評量"),
    ("2", "班級經營與輔導"),
    ("3", "專業發展與責任"),
    ("4", "新興教育政策"),
    ("5", "學校行政與領導"),
    ("6", "實用知能與生活素養"),
];

const LEVELS: [(&str, &str); 4] = [
    ("1", "第一階基礎"),
    ("2", "第二階進階"),
    ("3", "第三階領導"),
    ("4", "第四階研發"),
];

const SORTS: [(&str, &str); 5] = [
    ("-start_date", "開課日期（新到舊）"),
    ("start_date", "開課日期（舊到新）"),
    ("registration_closes_at", "報名即將截止"),
    ("newest", "最新登錄"),
    ("-hours", "時數（多到少）"),
];

/// The search as the URL carries it; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_places: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
}

impl SearchParams {
    fn query(&self) -> CourseQuery {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        CourseQuery {
            q: text(&self.q),
            county: text(&self.county),
            tag: text(&self.tag),
            category: text(&self.category),
            stage: text(&self.stage),
            level: text(&self.level),
            mode: text(&self.mode),
            from: text(&self.from),
            to: text(&self.to),
            open: self.open.as_deref() == Some("true"),
            has_places: self.has_places.as_deref() == Some("true"),
            sort: text(&self.sort),
            page: self.page.unwrap_or(1),
        }
    }
}

fn non_blank(value: String) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

fn options(list: &[(&'static str, &'static str)], any: &'static str) -> Html {
    html! {
        <>
            <option value="">{ any }</option>
            { for list.iter().map(|(v, l)| html! { <option value={*v}>{ *l }</option> }) }
        </>
    }
}

/// The filters' inputs, read back on submit.
#[derive(Default, Clone, PartialEq)]
struct Inputs {
    q: NodeRef,
    county: NodeRef,
    stage: NodeRef,
    category: NodeRef,
    level: NodeRef,
    tag: NodeRef,
    mode: NodeRef,
    from: NodeRef,
    to: NodeRef,
    open: NodeRef,
    has_places: NodeRef,
    sort: NodeRef,
}

impl Inputs {
    fn read(&self) -> SearchParams {
        let text = |node: &NodeRef| {
            node.cast::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
                .and_then(non_blank)
        };
        let checked = |node: &NodeRef| {
            node.cast::<HtmlInputElement>()
                .is_some_and(|i| i.checked())
                .then(|| "true".to_owned())
        };
        SearchParams {
            q: text(&self.q),
            county: text(&self.county),
            stage: text(&self.stage),
            category: text(&self.category),
            level: text(&self.level),
            tag: text(&self.tag),
            mode: text(&self.mode),
            from: text(&self.from),
            to: text(&self.to),
            open: checked(&self.open),
            has_places: checked(&self.has_places),
            sort: text(&self.sort),
            page: None,
        }
    }

    /// Shows `params` in the inputs (on arrival, after back/forward, once options loaded).
    fn show(&self, params: &SearchParams) {
        let set = |node: &NodeRef, value: &Option<String>| {
            let value = value.as_deref().unwrap_or("");
            if let Some(input) = node.cast::<HtmlInputElement>() {
                input.set_value(value);
            } else if let Some(select) = node.cast::<HtmlSelectElement>() {
                select.set_value(value);
            }
        };
        set(&self.q, &params.q);
        set(&self.county, &params.county);
        set(&self.stage, &params.stage);
        set(&self.category, &params.category);
        set(&self.level, &params.level);
        set(&self.tag, &params.tag);
        set(&self.mode, &params.mode);
        set(&self.from, &params.from);
        set(&self.to, &params.to);
        set(
            &self.sort,
            &Some(params.sort.clone().unwrap_or_else(|| SORTS[0].0.to_owned())),
        );
        for (node, value) in [
            (&self.open, &params.open),
            (&self.has_places, &params.has_places),
        ] {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                input.set_checked(value.as_deref() == Some("true"));
            }
        }
    }
}

#[component]
pub fn CoursesPage() -> Html {
    use_title("研習課程查詢");
    let navigator = use_navigator();
    let params = use_location()
        .and_then(|l| l.query::<SearchParams>().ok())
        .unwrap_or_default();
    let counties = use_fetch((), |()| api::counties());
    let tags = use_fetch((), |()| api::tags(TagStatus::Active));
    let results = use_fetch(params.clone(), |p| courses::search(p.query()));
    // Open the extra filters when the search uses one of them.
    let advanced = params.county.is_some()
        || params.stage.is_some()
        || params.category.is_some()
        || params.level.is_some()
        || params.tag.is_some()
        || params.mode.is_some()
        || params.from.is_some()
        || params.to.is_some();
    let inputs = use_memo((), |()| Inputs::default());
    let results_ref = use_node_ref();
    {
        let inputs = inputs.clone();
        let loaded = matches!((&*counties, &*tags), (Fetch::Ready(_), Fetch::Ready(_)));
        use_effect_with((params.clone(), loaded), move |(params, _)| {
            inputs.show(params)
        });
    }
    let onsubmit = {
        let (navigator, inputs, current) = (navigator.clone(), inputs.clone(), params.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let next = inputs.read();
            if next != current
                && let Some(navigator) = &navigator
            {
                let _ = navigator.push_with_query(&Route::Courses, &next);
            }
        })
    };
    let on_page = {
        let (params, results_ref) = (params.clone(), results_ref.clone());
        Callback::from(move |page: u64| {
            let next = SearchParams {
                page: Some(page).filter(|p| *p > 1),
                ..params.clone()
            };
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::Courses, &next);
            }
            if let Some(results) = results_ref.cast::<Element>() {
                results.scroll_into_view();
            }
        })
    };
    html! {
        <>
            <h1>{ "研習課程查詢" }</h1>
            <form class="search-form course-search" role="search" aria-label="研習課程查詢條件" {onsubmit}>
                <div class="field field-wide">
                    <label for="search-q">{ "關鍵字" }</label>
                    <input id="search-q" type="search" ref={inputs.q.clone()}
                        placeholder="課程名稱、大綱或開課單位，例如：閱讀 素養" autocomplete="off" />
                </div>
                <details class="more-filters" id="search-more" open={advanced}>
                    <summary>{ "更多查詢條件" }</summary>
                    <div class="filter-grid">
                        <div class="field">
                            <label for="search-county">{ "縣市" }</label>
                            <select id="search-county" ref={inputs.county.clone()}>
                                <option value="">{ "全部縣市" }</option>
                                if let Fetch::Ready(list) = &*counties {
                                    { for list.items.iter().map(|c| html! {
                                        <option key={c.code.clone()} value={c.code.clone()}>{ &c.name }</option>
                                    }) }
                                }
                            </select>
                        </div>
                        <div class="field">
                            <label for="search-stage">{ "教育階段" }</label>
                            <select id="search-stage" ref={inputs.stage.clone()}>{ options(&STAGES, "全部階段") }</select>
                        </div>
                        <div class="field">
                            <label for="search-category">{ "進修範疇" }</label>
                            <select id="search-category" ref={inputs.category.clone()}>{ options(&CATEGORIES, "全部範疇") }</select>
                        </div>
                        <div class="field">
                            <label for="search-level">{ "進修階層" }</label>
                            <select id="search-level" ref={inputs.level.clone()}>{ options(&LEVELS, "全部階層") }</select>
                        </div>
                        <div class="field">
                            <label for="search-tag">{ "屬性標籤" }</label>
                            <select id="search-tag" ref={inputs.tag.clone()}>
                                <option value="">{ "不限" }</option>
                                if let Fetch::Ready(list) = &*tags {
                                    { for list.items.iter().map(|t| html! {
                                        <option key={t.id} value={t.id.to_string()}>{ &t.name }</option>
                                    }) }
                                }
                            </select>
                        </div>
                        <div class="field">
                            <label for="search-mode">{ "上課方式" }</label>
                            <select id="search-mode" ref={inputs.mode.clone()}>
                                { options(&[("digital", "數位課程"), ("in_person", "實體課程")], "不限") }
                            </select>
                        </div>
                        <div class="field">
                            <label for="search-from">{ "上課日期起" }</label>
                            <input id="search-from" type="date" ref={inputs.from.clone()} />
                        </div>
                        <div class="field">
                            <label for="search-to">{ "上課日期迄" }</label>
                            <input id="search-to" type="date" ref={inputs.to.clone()} />
                        </div>
                        <div class="field">
                            <label for="search-sort">{ "排序" }</label>
                            <select id="search-sort" ref={inputs.sort.clone()}>
                                { for SORTS.iter().map(|(v, l)| html! { <option value={*v}>{ *l }</option> }) }
                            </select>
                        </div>
                    </div>
                </details>
                <div class="field check">
                    <input id="search-open" type="checkbox" ref={inputs.open.clone()} />
                    <label for="search-open">{ "只顯示報名中" }</label>
                </div>
                <div class="field check">
                    <input id="search-places" type="checkbox" ref={inputs.has_places.clone()} />
                    <label for="search-places">{ "只顯示尚有名額" }</label>
                </div>
                <button id="search-submit" type="submit" class="primary">{ "查詢" }</button>
            </form>
            <section class="results" aria-labelledby="course-results-title" ref={results_ref}>
                <h2 id="course-results-title">{ "查詢結果" }</h2>
                <div class="live" aria-live="polite">
                    { match &*results {
                        Fetch::Loading => html! { <Loading /> },
                        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                        Fetch::Ready(page) => html! {
                            <p class="summary">
                                <span id="courses-total">{ format!("共 {} 門課程", page.total) }</span>
                                if page.total > 0 {
                                    { format!("，第 {} / {} 頁", page.page, page_count(page.total, page.per_page)) }
                                } else {
                                    <span class="empty">{ "：查無符合的課程，請放寬條件再試。" }</span>
                                }
                            </p>
                        },
                    } }
                </div>
                if let Fetch::Ready(page) = &*results {
                    <ul class="course-list" id="course-results">
                        { for page.items.iter().map(|c| html! { <CourseRow key={c.code} course={c.clone()} /> }) }
                    </ul>
                    <Pagination page={page.page} per_page={page.per_page} total={page.total} onchange={on_page} />
                }
            </section>
        </>
    }
}
