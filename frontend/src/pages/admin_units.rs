//! 單位管理 (national centre): search units, change one in its row, create one, import the
//! MOE school directory.

use inservice_wire::UnitDto;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::units::{self, UnitFilter};
use crate::api::{self, ApiError};
use crate::components::admin_unit_row::AdminUnitRow;
use crate::components::app_link::AppLink;
use crate::components::form::{Choices, ErrorSummary, FormValues, Notice};
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::components::unit_fields::{UnitFields, read_unit};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::pages::admin_import::ImportSection;
use crate::routes::Route;
use crate::session::use_auth;

const PER_PAGE: u32 = 20;

const CREATE_FIELDS: &[(&str, &str)] = &[
    ("code", "unit-code"),
    ("name", "unit-name"),
    ("kind", "unit-kind"),
    ("county_code", "unit-county"),
    ("ownership", "unit-ownership"),
    ("address", "unit-address"),
    ("phone", "unit-phone"),
    ("email", "unit-email"),
];

#[component]
pub fn AdminUnitsPage() -> Html {
    use_title("單位管理");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    html! {
        <section class="admin-units" aria-labelledby="admin-units-title">
            <h1 id="admin-units-title">{ "單位管理" }</h1>
            if session.account.is_national_admin() {
                <ul class="account-links">
                    <li><AppLink to={Route::AdminAudit} id="admin-audit-link">{ "稽核紀錄" }</AppLink></li>
                    <li><AppLink to={Route::AdminMailbox} id="admin-mailbox-link">{ "開發信箱" }</AppLink></li>
                </ul>
                <AdminUnits />
            } else {
                <Forbidden>{ "這項功能限全國推廣中心管理者使用。" }</Forbidden>
            }
        </section>
    }
}

#[component]
fn AdminUnits() -> Html {
    let filter = use_state(UnitFilter::default);
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<String>);
    let counties = use_fetch((), |()| api::counties());
    let list = use_fetch(((*filter).clone(), *version), |(filter, _)| async move {
        let filter = UnitFilter {
            per_page: Some(PER_PAGE),
            ..filter
        };
        units::search(&filter).await
    });
    let choices: Choices = match &*counties {
        Fetch::Ready(list) => list
            .items
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        _ => std::iter::empty::<(String, String)>().collect(),
    };
    let name_ref = use_node_ref();
    let county_ref = use_node_ref();
    let county = filter.county.clone().unwrap_or_default();

    let onsubmit = {
        let (filter, name_ref, county_ref) = (filter.clone(), name_ref.clone(), county_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
            filter.set(UnitFilter {
                name: text(name_ref.cast::<HtmlInputElement>().map(|i| i.value())),
                county: text(county_ref.cast::<HtmlSelectElement>().map(|s| s.value())),
                ..UnitFilter::default()
            });
        })
    };
    let on_page = {
        let filter = filter.clone();
        Callback::from(move |page: u64| {
            filter.set(UnitFilter {
                page: u32::try_from(page).ok(),
                ..(*filter).clone()
            });
        })
    };
    let on_changed = {
        let (outcome, version) = (outcome.clone(), version.clone());
        Callback::from(move |message: String| {
            outcome.set(Some(message));
            version.set(*version + 1);
        })
    };

    html! {
        <>
            <section aria-labelledby="unit-search-title">
                <h2 id="unit-search-title">{ "查詢單位" }</h2>
                <form class="search-form" role="search" aria-label="單位查詢條件" {onsubmit}>
                    <div class="field">
                        <label for="admin-units-county">{ "縣市" }</label>
                        // Each option says whether it is chosen: options added after the first
                        // render would otherwise take the selection.
                        <select id="admin-units-county" ref={county_ref}>
                            <option value="" selected={county.is_empty()}>{ "全部縣市" }</option>
                            { for choices.0.iter().map(|(code, name)| html! {
                                <option key={code.to_string()} value={code.clone()}
                                    selected={code.as_str() == county}>{ name.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="admin-units-name">{ "單位名稱" }</label>
                        <input id="admin-units-name" type="search" autocomplete="off" ref={name_ref} />
                    </div>
                    <button id="admin-units-search" type="submit" class="primary">{ "查詢" }</button>
                </form>
                if let Fetch::Failed(error) = &*counties {
                    <ErrorBox error={error.clone()} />
                }
                if let Some(message) = &*outcome {
                    <Notice id="admin-units-message">{ message }</Notice>
                }
                <div class="live" aria-live="polite">
                    { match &*list {
                        Fetch::Loading => html! { <Loading /> },
                        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                        Fetch::Ready(page) => html! {
                            <p class="summary" id="admin-units-total">{ format!("共 {} 個單位", page.total) }</p>
                        },
                    } }
                </div>
                if let Fetch::Ready(page) = &*list {
                    <ul class="unit-list">
                        { for page.items.iter().map(|unit| html! {
                            <AdminUnitRow key={unit.code.clone()} unit={unit.clone()}
                                counties={choices.clone()} on_changed={on_changed.clone()} />
                        }) }
                    </ul>
                    <Pagination page={page.page} per_page={page.per_page} total={page.total}
                        onchange={on_page} />
                }
            </section>
            <CreateUnit counties={choices} on_changed={on_changed.clone()} />
            <ImportSection on_done={on_changed} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CreateUnitProps {
    counties: Choices,
    on_changed: Callback<String>,
}

/// 新增單位.
#[component]
fn CreateUnit(props: &CreateUnitProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let created = use_state(|| None::<UnitDto>);
    let busy = use_state(|| false);
    let form_ref = use_node_ref();
    let onsubmit = {
        let (error, created, busy, form_ref) = (
            error.clone(),
            created.clone(),
            busy.clone(),
            form_ref.clone(),
        );
        let on_changed = props.on_changed.clone();
        Callback::from(move |e: SubmitEvent| {
            let input = read_unit(&FormValues::from_submit(&e));
            if *busy {
                return;
            }
            error.set(None);
            created.set(None);
            busy.set(true);
            let (auth, on_changed) = (auth.clone(), on_changed.clone());
            let (error, created, busy, form_ref) = (
                error.clone(),
                created.clone(),
                busy.clone(),
                form_ref.clone(),
            );
            spawn_local(async move {
                match units::create(&auth.client, &input).await {
                    Ok(unit) => {
                        if let Some(form) = form_ref.cast::<HtmlFormElement>() {
                            form.reset();
                        }
                        on_changed.emit(format!("已新增單位 {}（{}）。", unit.name, unit.code));
                        created.set(Some(unit));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="unit-create-title">
            <h2 id="unit-create-title">{ "新增單位" }</h2>
            if let Some(unit) = &*created {
                <Notice id="unit-created">{ format!("已新增單位 {}（{}）", unit.name, unit.code) }</Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={CREATE_FIELDS} />
            }
            <form class="account-form" novalidate=true aria-labelledby="unit-create-title"
                ref={form_ref} {onsubmit}>
                <UnitFields prefix="unit" counties={props.counties.clone()} error={(*error).clone()} />
                <button id="unit-create" type="submit" class="primary" disabled={*busy}>
                    { if *busy { "新增中…" } else { "新增單位" } }
                </button>
            </form>
        </section>
    }
}
