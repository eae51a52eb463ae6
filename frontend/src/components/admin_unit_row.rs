//! One unit in 單位管理, with its actions opened in a step inside the row: 編輯, 裁撤/合併,
//! 變更審核單位 and 異動紀錄. The row calls the API itself and tells the page what changed.

use inservice_wire::{ReviewerTransfer, UnitClosing, UnitDto, UnitInput};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::units::UnitExt;
use crate::api::units::{self, ownership_label};
use crate::components::form::{Choices, ErrorSummary, FormValues, Input, field_error};
use crate::components::unit_fields::{UnitFields, read_unit};
use crate::components::unit_history::UnitHistory;
use crate::session::use_auth;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Buttons,
    Edit,
    Close,
    Reviewer,
    History,
}

/// What the row asks the server to do.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Edit(UnitInput),
    Close(UnitClosing),
    Reviewer(ReviewerTransfer),
}

#[derive(Properties, PartialEq)]
pub struct AdminUnitRowProps {
    pub unit: UnitDto,
    pub counties: Choices,
    /// After a change went through: the message for the page, which refreshes the list.
    pub on_changed: Callback<String>,
}

#[component]
pub fn AdminUnitRow(props: &AdminUnitRowProps) -> Html {
    let auth = use_auth();
    let step = use_state(|| Step::Buttons);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let unit = &props.unit;
    let code = unit.code.clone();

    let go = |next: Step| {
        let (step, error) = (step.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            step.set(next);
        })
    };
    let run = {
        let (step, error, busy) = (step.clone(), error.clone(), busy.clone());
        let (code, name, on_changed) = (code.clone(), unit.name.clone(), props.on_changed.clone());
        Callback::from(move |change: Change| {
            error.set(None);
            busy.set(true);
            let (auth, code, name, on_changed) =
                (auth.clone(), code.clone(), name.clone(), on_changed.clone());
            let (step, error, busy) = (step.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                let client = &auth.client;
                let result = match &change {
                    Change::Edit(input) => units::update(client, &code, input).await,
                    Change::Close(closing) => units::close(client, &code, closing).await,
                    Change::Reviewer(transfer) => {
                        units::set_reviewer(client, &code, transfer).await
                    }
                };
                busy.set(false);
                match result {
                    Ok(after) => {
                        step.set(Step::Buttons);
                        on_changed.emit(changed_message(&name, &after, &change));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let submit = |read: fn(&FormValues) -> Change| {
        let run = run.clone();
        Callback::from(move |e: SubmitEvent| run.emit(read(&FormValues::from_submit(&e))))
    };

    let busy = *busy;
    // A successor or reviewer the server refuses comes back as the field `reference`.
    let err = |field: &str| field_error(&error, field);
    let reference = |field: &str| err(field).or_else(|| err("reference"));
    let cancel = html! {
        <button type="button" class="cancel" onclick={go(Step::Buttons)}>{ "取消" }</button>
    };
    let errors = error
        .as_ref()
        .map(|e| html! { <ErrorSummary error={e.clone()} /> });
    html! {
        <li class="unit-row admin-unit-row" data-code={code.clone()} data-status={unit.status.clone()}>
            <h3 class="unit-name">
                { &unit.name }
                if unit.is_closed() {
                    { " " }<span class="badge badge-muted">{ "已裁撤" }</span>
                }
                if unit.is_regional_centre {
                    { " " }<span class="badge">{ "區管中心" }</span>
                }
            </h3>
            { meta(unit) }
            { match *step {
                Step::Buttons => html! {
                    <div class="row-actions">
                        <button type="button" class="unit-edit" onclick={go(Step::Edit)}>{ "編輯" }</button>
                        if !unit.is_closed() {
                            <button type="button" class="unit-close" onclick={go(Step::Close)}>{ "裁撤/合併" }</button>
                            <button type="button" class="unit-reviewer" onclick={go(Step::Reviewer)}>{ "變更審核單位" }</button>
                        }
                        <button type="button" class="unit-history" onclick={go(Step::History)}>{ "異動紀錄" }</button>
                    </div>
                },
                Step::Edit => html! {
                    <form class="inline-step account-form" novalidate=true aria-label={format!("編輯 {}", unit.name)}
                        onsubmit={submit(|f| Change::Edit(read_unit(f).unit))}>
                        { errors }
                        <UnitFields prefix={format!("edit-{code}")} unit={unit.clone()}
                            counties={props.counties.clone()} error={(*error).clone()} />
                        <div class="row-actions">
                            <button type="submit" class="unit-save primary" disabled={busy}>{ "儲存" }</button>
                            { cancel }
                        </div>
                    </form>
                },
                Step::Close => html! {
                    <form class="inline-step" novalidate=true aria-label="裁撤或合併"
                        onsubmit={submit(|f| Change::Close(UnitClosing {
                            reason: f.text("reason"),
                            successor_code: f.optional("successor_code"),
                        }))}>
                        { errors }
                        <Input id={format!("close-reason-{code}")} name="reason" label="裁撤或合併理由"
                            required=true autocomplete="off" error={err("reason")} />
                        <Input id={format!("close-successor-{code}")} name="successor_code"
                            label="併入單位代碼" autocomplete="off" error={reference("successor_code")}
                            hint={html! { "合併時填寫：本單位的教師與帳號會移到該單位。單純裁撤請留空。" }} />
                        <div class="row-actions">
                            <button type="submit" class="close-confirm danger" disabled={busy}>{ "確定裁撤/合併" }</button>
                            { cancel }
                        </div>
                    </form>
                },
                Step::Reviewer => html! {
                    <form class="inline-step" novalidate=true aria-label="變更審核單位"
                        onsubmit={submit(|f| Change::Reviewer(ReviewerTransfer {
                            reviewer_code: f.text("reviewer_code"),
                        }))}>
                        { errors }
                        <Input id={format!("reviewer-code-{code}")} name="reviewer_code"
                            label="新的審核單位代碼" required=true autocomplete="off"
                            value={unit.reviewer_code.clone()} error={reference("reviewer_code")}
                            hint={html! { "須為區域推廣中心或全國推廣中心。" }} />
                        <div class="row-actions">
                            <button type="submit" class="reviewer-confirm primary" disabled={busy}>{ "確定變更" }</button>
                            { cancel }
                        </div>
                    </form>
                },
                Step::History => html! {
                    <div class="inline-step">
                        <UnitHistory code={code.clone()} />
                        <div class="row-actions">
                            <button type="button" class="cancel" onclick={go(Step::Buttons)}>{ "關閉" }</button>
                        </div>
                    </div>
                },
            } }
        </li>
    }
}

fn meta(unit: &UnitDto) -> Html {
    let county = unit.county.as_ref().map_or("全國", |c| c.name.as_str());
    let item = |label: &str, value: &str| {
        html! { <div><dt>{ label.to_owned() }</dt><dd>{ value.to_owned() }</dd></div> }
    };
    html! {
        <dl class="unit-meta">
            <div><dt>{ "代碼" }</dt><dd class="code">{ &unit.code }</dd></div>
            { item("類別", &unit.kind_label) }
            { item("縣市", county) }
            { item("公私立", ownership_label(&unit.ownership)) }
            { item("審核單位", &unit.reviewer_code) }
            if let Some(address) = &unit.address { { item("地址", address) } }
            if let Some(phone) = &unit.phone { { item("電話", phone) } }
            if let Some(email) = &unit.email { { item("電子郵件", email) } }
            if let Some(successor) = &unit.successor_code { { item("併入", successor) } }
            if let Some(closed) = &unit.closed_on { { item("裁撤日期", &closed.to_string()) } }
        </dl>
    }
}

fn changed_message(name: &str, after: &UnitDto, change: &Change) -> String {
    match change {
        Change::Edit(_) => format!("已更新 {}（{}）的資料。", after.name, after.code),
        Change::Close(UnitClosing {
            successor_code: Some(successor),
            ..
        }) => {
            format!("已將 {name}（{}）併入 {successor}。", after.code)
        }
        Change::Close(_) => format!("已裁撤 {name}（{}）。", after.code),
        Change::Reviewer(transfer) => {
            let reviewer = &transfer.reviewer_code;
            format!("已將 {name}（{}）的審核單位改為 {reviewer}。", after.code)
        }
    }
}
