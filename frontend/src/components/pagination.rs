//! Previous/next page buttons with "第 X / Y 頁".

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PaginationProps {
    /// The current page, counting from 1.
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    /// Called with the page to show.
    pub onchange: Callback<u64>,
}

/// Number of pages needed for `total` items, at least 1 so "第 1 / 1 頁" reads well.
pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

#[component]
pub fn Pagination(props: &PaginationProps) -> Html {
    let pages = page_count(props.total, props.per_page);
    if pages <= 1 && props.page <= 1 {
        return html! {};
    }
    let go = |target: u64| {
        let onchange = props.onchange.clone();
        Callback::from(move |_: MouseEvent| onchange.emit(target))
    };
    let has_prev = props.page > 1;
    let has_next = props.page < pages;
    html! {
        <nav class="pagination" aria-label="分頁">
            <button
                type="button"
                id="page-prev"
                disabled={!has_prev}
                onclick={go(props.page.saturating_sub(1).clamp(1, pages))}
            >
                { "‹ 上一頁" }
            </button>
            <span class="page-position">{ format!("第 {} / {} 頁", props.page, pages) }</span>
            <button
                type="button"
                id="page-next"
                disabled={!has_next}
                onclick={go(props.page + 1)}
            >
                { "下一頁 ›" }
            </button>
        </nav>
    }
}
