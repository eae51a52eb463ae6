//! One business account in the approval list, with the decisions its status allows.
//!
//! Rejecting and disabling ask for a reason, deleting asks for confirmation, both in a small
//! step inside the row; the page carries out the decision and reports the outcome.

use inservice_wire::BusinessAccountDto;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::business::{ACCOUNT_TYPES, Decision};
use crate::format::browser_date;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Buttons,
    Reject,
    Disable,
    Delete,
}

#[derive(Properties, PartialEq)]
pub struct ApprovalRowProps {
    pub account: BusinessAccountDto,
    pub on_decide: Callback<(BusinessAccountDto, Decision)>,
    /// A decision is under way: every button waits.
    #[prop_or_default]
    pub busy: bool,
}

#[component]
pub fn ApprovalRow(props: &ApprovalRowProps) -> Html {
    let step = use_state(|| Step::Buttons);
    let missing_reason = use_state(|| false);
    let reason_ref = use_node_ref();
    let account = &props.account;
    let id = account.id;
    {
        // Opening a reason step puts the cursor in its input.
        let reason_ref = reason_ref.clone();
        use_effect_with(*step, move |_| {
            if let Some(input) = reason_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }

    let decide = |decision: Decision| {
        let on_decide = props.on_decide.clone();
        let account = account.clone();
        let step = step.clone();
        Callback::from(move |_: MouseEvent| {
            step.set(Step::Buttons);
            on_decide.emit((account.clone(), decision.clone()));
        })
    };
    let go = |next: Step| {
        let (step, missing_reason) = (step.clone(), missing_reason.clone());
        Callback::from(move |_: MouseEvent| {
            missing_reason.set(false);
            step.set(next);
        })
    };
    let confirm_reason = {
        let (on_decide, account) = (props.on_decide.clone(), account.clone());
        let (step, missing_reason, reason_ref) =
            (step.clone(), missing_reason.clone(), reason_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let reason = reason_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_owned())
                .unwrap_or_default();
            if reason.is_empty() {
                missing_reason.set(true);
                if let Some(input) = reason_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
                return;
            }
            let decision = if *step == Step::Disable {
                Decision::Disable(reason)
            } else {
                Decision::Reject(reason)
            };
            step.set(Step::Buttons);
            on_decide.emit((account.clone(), decision));
        })
    };
    let retype = {
        let (on_decide, account) = (props.on_decide.clone(), account.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if account.account_type.as_deref() != Some(select.value().as_str()) {
                on_decide.emit((account.clone(), Decision::Retype(select.value())));
            }
        })
    };

    let busy = props.busy;
    let current_type = account.account_type.clone().unwrap_or_default();
    let reason_step = |kind: &'static str, label: &'static str, confirm: &'static str| {
        let input_id = format!("{kind}-reason-{id}");
        let error_id = format!("{input_id}-error");
        html! {
            <div class="inline-step">
                <label for={input_id.clone()}>{ label }</label>
                <input id={input_id} class={format!("{kind}-reason")} type="text" maxlength="500"
                    ref={reason_ref.clone()} aria-invalid={missing_reason.then_some("true")}
                    aria-describedby={missing_reason.then(|| error_id.clone())} />
                if *missing_reason {
                    <p class="field-error" id={error_id}>{ "請填寫理由" }</p>
                }
                <div class="row-actions">
                    <button type="button" class={classes!(format!("{kind}-confirm"), "danger")}
                        disabled={busy} onclick={confirm_reason.clone()}>{ confirm }</button>
                    <button type="button" class="cancel" onclick={go(Step::Buttons)}>{ "取消" }</button>
                </div>
            </div>
        }
    };

    html! {
        <li class="approval-row" data-account={account.account_name.clone()}
            data-status={account.status.clone()}>
            <h3 class="approval-name">
                { &account.real_name }{ " " }
                <span class="code">{ &account.account_name }</span>{ " " }
                <span class="badge">{ account.account_type_label.clone().unwrap_or_default() }</span>
            </h3>
            <dl class="unit-meta">
                <div><dt>{ "身分證" }</dt><dd>{ &account.identity_masked }</dd></div>
                <div><dt>{ "單位" }</dt><dd>{
                    account.unit.as_ref().map(|u| u.name.clone()).unwrap_or_default()
                }</dd></div>
                <div><dt>{ "電子郵件" }</dt><dd>{ &account.email }</dd></div>
                <div><dt>{ "電話" }</dt><dd>{ account.phone.clone().unwrap_or_default() }</dd></div>
                <div><dt>{ "申請日期" }</dt><dd>{ browser_date(&account.created_at) }</dd></div>
                if let Some(reason) = &account.status_reason {
                    <div><dt>{ "理由" }</dt><dd>{ reason }</dd></div>
                }
            </dl>
            { match *step {
                Step::Buttons => html! {
                    <div class="row-actions">
                        if account.status == "pending" {
                            <button type="button" class="approve primary" disabled={busy}
                                onclick={decide(Decision::Approve)}>{ "核准" }</button>
                            <button type="button" class="reject" disabled={busy}
                                onclick={go(Step::Reject)}>{ "退回" }</button>
                        }
                        if account.status == "active" {
                            <label class="retype-label" for={format!("retype-{id}")}>{ "帳號類型" }</label>
                            <select id={format!("retype-{id}")} class="retype" disabled={busy}
                                onchange={retype}>
                                { for ACCOUNT_TYPES.iter().map(|&(code, label)| html! {
                                    <option value={code} selected={code == current_type}>{ label }</option>
                                }) }
                            </select>
                            <button type="button" class="disable" disabled={busy}
                                onclick={go(Step::Disable)}>{ "停用" }</button>
                        }
                        if account.status == "disabled" {
                            <button type="button" class="enable" disabled={busy}
                                onclick={decide(Decision::Enable)}>{ "啟用" }</button>
                        }
                        <button type="button" class="delete" disabled={busy}
                            onclick={go(Step::Delete)}>{ "刪除" }</button>
                    </div>
                },
                Step::Reject => reason_step("reject", "退回理由", "確定退回"),
                Step::Disable => reason_step("disable", "停用理由", "確定停用"),
                Step::Delete => html! {
                    <div class="inline-step" role="group" aria-label="確認刪除">
                        <p>{ format!("確定要刪除 {}（{}）的帳號嗎？刪除後無法復原。",
                            account.real_name, account.account_name) }</p>
                        <div class="row-actions">
                            <button type="button" class="delete-confirm danger" disabled={busy}
                                onclick={decide(Decision::Delete)}>{ "確定刪除" }</button>
                            <button type="button" class="cancel" onclick={go(Step::Buttons)}>{ "取消" }</button>
                        </div>
                    </div>
                },
            } }
        </li>
    }
}
