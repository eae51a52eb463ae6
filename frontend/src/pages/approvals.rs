//! 帳號審核: the business accounts the logged-in approver decides about, by status.

use inservice_wire::BusinessAccountDto;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::business::{self, Decision, account_type_label};
use crate::components::approval_row::ApprovalRow;
use crate::components::form::{ErrorSummary, Notice};
use crate::components::status::{ErrorBox, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::session::use_auth;

const TABS: [(&str, &str); 3] = [
    ("pending", "待審核"),
    ("active", "使用中"),
    ("disabled", "已停用"),
];

/// What the approver is told after a decision went through.
fn done_message(account: &BusinessAccountDto, decision: &Decision) -> String {
    let who = format!("{}（{}）", account.real_name, account.account_name);
    match decision {
        Decision::Approve => format!("已核准 {who} 的帳號，對方現在可以登入。"),
        Decision::Reject(_) => format!("已退回 {who} 的申請。"),
        Decision::Retype(t) => format!("已將 {who} 的帳號類型改為{}。", account_type_label(t)),
        Decision::Disable(_) => format!("已停用 {who} 的帳號。"),
        Decision::Enable => format!("已重新啟用 {who} 的帳號。"),
        Decision::Delete => format!("已刪除 {who} 的帳號。"),
    }
}

#[component]
pub fn ApprovalsPage() -> Html {
    use_title("帳號審核");
    let auth = use_auth();
    let session = use_require_login();
    let status = use_state(|| "pending");
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let busy = use_state(|| false);
    let business = session.as_ref().is_some_and(|s| s.account.is_business());

    let list = {
        let auth = auth.clone();
        use_fetch(
            (*status, *version, business),
            move |(status, _, business)| async move {
                if !business {
                    // Not asked: teachers (and visitors) have no approval queue.
                    return Err(ApiError::Network("no business account".into()));
                }
                business::business_accounts(&auth.client, status).await
            },
        )
    };

    let on_decide = {
        let (outcome, busy, version) = (outcome.clone(), busy.clone(), version.clone());
        Callback::from(move |(account, decision): (BusinessAccountDto, Decision)| {
            busy.set(true);
            outcome.set(None);
            let (auth, outcome, busy, version) =
                (auth.clone(), outcome.clone(), busy.clone(), version.clone());
            spawn_local(async move {
                let id = account.id;
                let result = business::decide(&auth.client, id, &decision).await;
                outcome.set(Some(result.map(|_| done_message(&account, &decision))));
                busy.set(false);
                // Refresh in any case: a 409 means someone else changed the account meanwhile.
                version.set(*version + 1);
            });
        })
    };

    let pick = |code: &'static str| {
        let (status, outcome) = (status.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            if *status != code {
                outcome.set(None);
                status.set(code);
            }
        })
    };

    let Some(session) = session else {
        return html! { <Loading /> };
    };
    html! {
        <section class="approvals" aria-labelledby="approvals-title">
            <h1 id="approvals-title">{ "帳號審核" }</h1>
            if !session.account.is_business() {
                <div class="error" role="alert" id="approvals-forbidden">
                    <p class="error-title">{ "這項功能需要業務帳號。" }</p>
                </div>
            } else {
                <p class="lead">{ "以下是由您審核或管理的業務帳號。" }</p>
                <div class="stage-picker status-tabs" role="group" aria-label="帳號狀態">
                    { for TABS.iter().map(|&(code, label)| html! {
                        <button type="button" key={code} data-status={code}
                            aria-pressed={(code == *status).to_string()} onclick={pick(code)}>
                            { label }
                        </button>
                    }) }
                </div>
                { match &*outcome {
                    Some(Ok(message)) => html! { <Notice id="approvals-message">{ message }</Notice> },
                    Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                    None => html! {},
                } }
                <div class="live" aria-live="polite">
                    { match &*list {
                        Fetch::Loading => html! { <Loading /> },
                        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                        Fetch::Ready(list) => html! {
                            <>
                                <p class="summary" id="approvals-total">{ format!("共 {} 筆", list.total) }</p>
                                if list.items.is_empty() {
                                    <p class="empty">{ "目前沒有帳號" }</p>
                                }
                            </>
                        },
                    } }
                </div>
                if let Fetch::Ready(list) = &*list {
                    <ul class="approval-list">
                        { for list.items.iter().map(|account| html! {
                            <ApprovalRow key={account.id} account={account.clone()}
                                on_decide={on_decide.clone()} busy={*busy} />
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
