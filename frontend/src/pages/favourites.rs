//! 我的收藏: the courses a teacher follows (收藏追蹤).

use yew::prelude::*;

use crate::api::courses;
use crate::components::app_link::AppLink;
use crate::components::course_row::CourseRow;
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

#[component]
pub fn FavouritesPage() -> Html {
    use_title("我的收藏");
    let auth = use_auth();
    let page = use_state(|| 1_u64);
    let signed_in = use_require_login().is_some();
    let list = use_fetch((*page, signed_in), move |(page, signed_in)| async move {
        if !signed_in {
            return futures::future::pending().await;
        }
        courses::favourites(&auth.client, page).await
    });
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: u64| page.set(p))
    };
    html! {
        <section aria-labelledby="favourites-title">
            <h1 id="favourites-title">{ "我的收藏" }</h1>
            <div aria-live="polite">
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(p) if p.items.is_empty() => html! {
                        <p class="empty" id="favourites-empty">
                            { "還沒有收藏的課程。到 " }
                            <AppLink to={Route::Courses}>{ "研習課程查詢" }</AppLink>
                            { " 找課程，在課程頁面按「收藏追蹤」。" }
                        </p>
                    },
                    Fetch::Ready(p) => html! { <p class="summary">{ format!("共 {} 門課程", p.total) }</p> },
                } }
            </div>
            if let Fetch::Ready(p) = &*list {
                <ul class="course-list" id="favourite-list">
                    { for p.items.iter().map(|c| html! { <CourseRow key={c.code} course={c.clone()} /> }) }
                </ul>
                <Pagination page={p.page} per_page={p.per_page} total={p.total} onchange={on_page} />
            }
        </section>
    }
}
