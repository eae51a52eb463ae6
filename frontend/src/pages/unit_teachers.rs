//! 本單位教師帳號管理: the signed-in manager's unit — its teachers (search, Excel, 調出), the
//! teachers asking to join, and 教師資料登錄.

use inservice_wire::UnitTeacherDto;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::unit_teachers;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::components::teacher_row::TeacherRow;
use crate::files;
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::pages::unit_teacher_entry::{TeacherEntryForm, TeacherRequests};
use crate::routes::Route;
use crate::session::use_auth;

const PER_PAGE: u64 = 20;

#[component]
pub fn UnitTeachersPage() -> Html {
    use_title("本單位教師帳號管理");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let me = &session.account;
    let unit = me.unit.clone().filter(|_| me.is_unit_manager());
    html! {
        <section class="unit-teachers" aria-labelledby="teachers-title">
            <h1 id="teachers-title">{ "本單位教師帳號管理" }</h1>
            if let Some(unit) = unit {
                <p class="lead">
                    <span id="teachers-unit">{ &unit.name }</span>{ " " }
                    <span class="code">{ format!("（{}）", unit.code) }</span>
                </p>
                <ul class="account-links">
                    <li>
                        <AppLink to={Route::UnitContact} id="teachers-contact-link">
                            { "本單位通訊資料" }
                        </AppLink>
                    </li>
                </ul>
                <UnitTeachers code={unit.code.clone()} />
            } else {
                <Forbidden>{ "這項功能限單位的總負責人與連絡人使用。" }</Forbidden>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UnitTeachersProps {
    code: AttrValue,
}

#[component]
fn UnitTeachers(props: &UnitTeachersProps) -> Html {
    let auth = use_auth();
    let query = use_state(String::new);
    let page = use_state(|| 1_u64);
    // Bumped after every change, so the lists are fetched afresh.
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let busy = use_state(|| false);
    let exporting = use_state(|| false);
    let q_ref = use_node_ref();
    let code = props.code.to_string();

    let list = {
        let auth = auth.clone();
        use_fetch(
            (code.clone(), (*query).clone(), *page, *version),
            move |(code, q, page, _)| async move {
                unit_teachers::teachers(&auth.client, &code, &q, page, PER_PAGE).await
            },
        )
    };
    let refresh = {
        let version = version.clone();
        Callback::from(move |()| version.set(*version + 1))
    };

    let onsubmit = {
        let (query, page, q_ref) = (query.clone(), page.clone(), q_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = q_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_owned())
                .unwrap_or_default();
            query.set(q);
            page.set(1);
        })
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: u64| page.set(p))
    };

    let on_transfer = {
        let (auth, code, refresh) = (auth.clone(), code.clone(), refresh.clone());
        let (outcome, busy) = (outcome.clone(), busy.clone());
        Callback::from(move |teacher: UnitTeacherDto| {
            busy.set(true);
            outcome.set(None);
            let (auth, code, refresh) = (auth.clone(), code.clone(), refresh.clone());
            let (outcome, busy) = (outcome.clone(), busy.clone());
            spawn_local(async move {
                let result = unit_teachers::transfer_out(&auth.client, &code, teacher.id).await;
                outcome.set(Some(result.map(|_| {
                    format!(
                        "已將 {}（{}）調出本單位。",
                        teacher.real_name, teacher.account_name
                    )
                })));
                busy.set(false);
                refresh.emit(());
            });
        })
    };

    let on_export = {
        let (auth, code) = (auth.clone(), code.clone());
        let (outcome, exporting) = (outcome.clone(), exporting.clone());
        Callback::from(move |_: MouseEvent| {
            exporting.set(true);
            outcome.set(None);
            let (auth, code) = (auth.clone(), code.clone());
            let (outcome, exporting) = (outcome.clone(), exporting.clone());
            spawn_local(async move {
                let result = unit_teachers::export(&auth.client, &code).await;
                match result {
                    Ok(bytes) => {
                        let name = format!("teachers-{code}.xlsx");
                        if let Err(e) = files::save(&bytes, files::XLSX, &name) {
                            outcome.set(Some(Err(ApiError::Decode(e))));
                        }
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
                exporting.set(false);
            });
        })
    };

    html! {
        <>
            <TeacherRequests code={props.code.clone()} version={*version}
                on_change={refresh.clone()} />
            <section class="teacher-list-section" aria-labelledby="teacher-list-title">
                <h2 id="teacher-list-title">{ "本單位教師" }</h2>
                <form class="search-form search-one" role="search" aria-label="搜尋本單位教師"
                    {onsubmit}>
                    <div class="field">
                        <label for="teachers-q">{ "姓名、帳號或識別號碼" }</label>
                        <input id="teachers-q" name="q" type="search" autocomplete="off"
                            ref={q_ref} />
                    </div>
                    <button id="teachers-search" type="submit" class="primary">{ "查詢" }</button>
                </form>
                <div class="row-actions">
                    <button id="teachers-export" type="button" disabled={*exporting}
                        onclick={on_export}>
                        { if *exporting { "下載中…" } else { "下載 Excel" } }
                    </button>
                </div>
                { match &*outcome {
                    Some(Ok(message)) => html! { <Notice id="teachers-message">{ message }</Notice> },
                    Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                    None => html! {},
                } }
                <div class="live" aria-live="polite">
                    { match &*list {
                        Fetch::Loading => html! { <Loading /> },
                        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                        Fetch::Ready(list) => html! {
                            <>
                                <p class="summary" id="teachers-total">{ format!("共 {} 位教師", list.total) }</p>
                                if list.items.is_empty() {
                                    <p class="empty">{
                                        if query.is_empty() { "本單位目前沒有教師帳號" } else { "查無符合的教師" }
                                    }</p>
                                }
                            </>
                        },
                    } }
                </div>
                if let Fetch::Ready(list) = &*list {
                    <ul class="approval-list teacher-list">
                        { for list.items.iter().map(|teacher| html! {
                            <TeacherRow key={teacher.id} teacher={teacher.clone()}
                                on_transfer={on_transfer.clone()} busy={*busy} />
                        }) }
                    </ul>
                    <Pagination page={list.page} per_page={list.per_page} total={list.total}
                        onchange={on_page} />
                }
            </section>
            <TeacherEntryForm code={props.code.clone()} on_done={refresh} />
        </>
    }
}
