//! 稽核紀錄 (national centre): who changed what, newest first, filtered by actor, action and
//! target.

use inservice_wire::AuditEntryDto;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::admin::{self, AuditFilter};
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{iso, taipei_time};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::session::use_auth;

const PER_PAGE: u64 = 50;

#[component]
pub fn AuditPage() -> Html {
    use_title("稽核紀錄");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    html! {
        <section class="audit" aria-labelledby="audit-title">
            <h1 id="audit-title">{ "稽核紀錄" }</h1>
            if session.account.is_national_admin() {
                <AuditLog />
            } else {
                <Forbidden>{ "這項功能限全國推廣中心管理者使用。" }</Forbidden>
            }
        </section>
    }
}

#[component]
fn AuditLog() -> Html {
    let auth = use_auth();
    let filter = use_state(|| AuditFilter {
        page: 1,
        ..AuditFilter::default()
    });
    let log = use_fetch((*filter).clone(), move |filter| async move {
        admin::audit_log(&auth.client, &filter, PER_PAGE).await
    });
    let refs = [use_node_ref(), use_node_ref(), use_node_ref()];
    // The server takes only a number for the actor; say so here rather than fail the search.
    let bad_actor = use_state(|| false);

    let onsubmit = {
        let (filter, refs, bad_actor) = (filter.clone(), refs.clone(), bad_actor.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let [actor, action, target] = refs.each_ref().map(|r| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value().trim().to_owned())
                    .unwrap_or_default()
            });
            let numeric = actor.chars().all(|c| c.is_ascii_digit()) && actor.len() <= 9;
            bad_actor.set(!numeric);
            if !numeric {
                return;
            }
            filter.set(AuditFilter {
                actor,
                action,
                target,
                page: 1,
            });
        })
    };
    let on_page = {
        let filter = filter.clone();
        Callback::from(move |page: u64| {
            filter.set(AuditFilter {
                page,
                ..(*filter).clone()
            });
        })
    };
    let [actor_ref, action_ref, target_ref] = refs;

    html! {
        <>
            <form class="search-form audit-filter" role="search" aria-label="稽核紀錄篩選" {onsubmit}>
                <div class={classes!("field", bad_actor.then_some("invalid"))}>
                    <label for="audit-actor">{ "操作者帳號編號" }</label>
                    <input id="audit-actor" type="text" inputmode="numeric" autocomplete="off"
                        aria-invalid={bad_actor.then_some("true")}
                        aria-describedby={bad_actor.then_some("audit-actor-error")} ref={actor_ref} />
                    if *bad_actor {
                        <p class="field-error" id="audit-actor-error">{ "請輸入數字帳號編號" }</p>
                    }
                </div>
                <div class="field">
                    <label for="audit-action">{ "動作" }</label>
                    <input id="audit-action" type="text" autocomplete="off"
                        placeholder="例如 business_account.approve" ref={action_ref} />
                </div>
                <div class="field">
                    <label for="audit-target">{ "對象編號" }</label>
                    <input id="audit-target" type="text" autocomplete="off" ref={target_ref} />
                </div>
                <button id="audit-search" type="submit" class="primary">{ "查詢" }</button>
            </form>
            <div class="live" aria-live="polite">
                { match &*log {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(page) => html! {
                        <p class="summary" id="audit-total">{ format!("共 {} 筆", page.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(page) = &*log {
                if !page.items.is_empty() {
                    <table class="data-table audit-table">
                        <caption class="visually-hidden">{ "稽核紀錄，新的在前" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "時間" }</th>
                                <th scope="col">{ "操作者" }</th>
                                <th scope="col">{ "動作" }</th>
                                <th scope="col">{ "對象" }</th>
                                <th scope="col">{ "摘要" }</th>
                                <th scope="col">{ "IP" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for page.items.iter().map(row) }</tbody>
                    </table>
                }
                <Pagination page={page.page} per_page={page.per_page} total={page.total}
                    onchange={on_page} />
            }
        </>
    }
}

fn row(entry: &AuditEntryDto) -> Html {
    let actor = match entry.actor_account_id {
        Some(id) => format!("{}（#{id}）", entry.actor_role),
        None => entry.actor_role.clone(),
    };
    let target = match &entry.target_id {
        Some(id) => format!("{} #{id}", entry.target_kind),
        None => entry.target_kind.clone(),
    };
    html! {
        <tr class="audit-row" key={entry.id} data-action={entry.action.clone()}>
            <td data-label="時間"><time datetime={iso(&entry.at)}>{ taipei_time(&entry.at) }</time></td>
            <td data-label="操作者">{ actor }</td>
            <td data-label="動作"><span class="code">{ &entry.action }</span></td>
            <td data-label="對象">{ target }</td>
            <td data-label="摘要">{ &entry.summary }</td>
            <td data-label="IP">{ entry.ip.clone().unwrap_or_default() }</td>
        </tr>
    }
}
