//! 本單位研習課程: the signed-in account's unit's courses in every state, and the way to
//! register a new one.

use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::courses;
use crate::components::app_link::AppLink;
use crate::components::course_row::CourseRow;
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

const STATES: [(&str, &str); 8] = [
    ("", "全部"),
    ("draft", "草稿"),
    ("submitted", "審核中"),
    ("returned", "退回修改"),
    ("approved", "已核准"),
    ("rejected", "不予核准"),
    ("cancelled", "已取消"),
    ("closed", "已結案"),
];

#[component]
pub fn UnitCoursesPage() -> Html {
    use_title("本單位研習課程");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let me = &session.account;
    let Some(unit) = me.unit.clone().filter(|_| me.is_business()) else {
        return html! { <Forbidden>{ "本單位研習課程限業務帳號使用。" }</Forbidden> };
    };
    html! {
        <section aria-labelledby="unit-courses-title">
            <h1 id="unit-courses-title">{ "本單位研習課程" }</h1>
            <p class="lead">{ &unit.name }</p>
            <p>
                <AppLink to={Route::NewCourse} id="new-course" classes={classes!("button-link", "primary")}>
                    { "＋ 登錄新課程" }
                </AppLink>
            </p>
            <UnitCourseList code={unit.code.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    code: AttrValue,
}

#[component]
fn UnitCourseList(props: &ListProps) -> Html {
    let auth = use_auth();
    let state = use_state(String::new);
    let page = use_state(|| 1_u64);
    let list = use_fetch(
        (props.code.to_string(), (*state).clone(), *page),
        move |(code, state, page)| async move {
            courses::unit_courses(&auth.client, &code, &state, page).await
        },
    );
    let pick = |value: &'static str| {
        let (state, page) = (state.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            state.set(value.to_owned());
            page.set(1);
        })
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: u64| page.set(p))
    };
    html! {
        <>
            <nav class="status-tabs" aria-label="課程狀態">
                { for STATES.iter().map(|(value, label)| html! {
                    <button type="button" id={format!("unit-courses-tab-{}", if value.is_empty() { "all" } else { value })}
                        aria-pressed={(*state == *value).to_string()} onclick={pick(value)}>{ *label }</button>
                }) }
            </nav>
            <div aria-live="polite">
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(page) if page.items.is_empty() => html! {
                        <p class="empty" id="unit-courses-empty">{ "沒有這個狀態的課程。" }</p>
                    },
                    Fetch::Ready(page) => html! {
                        <p class="summary">{ format!("共 {} 門課程", page.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(page) = &*list {
                <ul class="course-list" id="unit-course-list">
                    { for page.items.iter().map(|c| html! {
                        <CourseRow key={c.code} course={c.clone()} show_state=true show_flags=true />
                    }) }
                </ul>
                <Pagination page={page.page} per_page={page.per_page} total={page.total} onchange={on_page} />
            }
        </>
    }
}
