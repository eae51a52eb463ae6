//! One teacher of the unit, as its managers see them: a list row, with 調出 (transfer out)
//! behind a confirm step, or accept/decline buttons for a teacher asking to join.

use inservice_wire::UnitTeacherDto;
use yew::prelude::*;

use crate::format::taipei_time;

/// The teacher's data as a definition list.
pub fn teacher_meta(teacher: &UnitTeacherDto) -> Html {
    let or_blank = |value: Option<&str>| value.unwrap_or("（未填寫）").to_owned();
    let subjects = (!teacher.subjects.is_empty()).then(|| teacher.subjects.join("、"));
    let last_login = teacher
        .last_login_at
        .as_ref()
        .map_or_else(|| "從未登入".to_owned(), taipei_time);
    html! {
        <dl class="unit-meta teacher-meta">
            <div><dt>{ "身分證" }</dt><dd>{ &teacher.identity_masked }</dd></div>
            <div><dt>{ "識別號碼" }</dt><dd class="code">{
                or_blank(teacher.personal_number.as_deref())
            }</dd></div>
            <div><dt>{ "職稱" }</dt><dd>{
                or_blank(teacher.job_title.as_ref().map(|j| j.label.as_str()))
            }</dd></div>
            <div><dt>{ "任教科目" }</dt><dd>{ or_blank(subjects.as_deref()) }</dd></div>
            <div><dt>{ "電子郵件" }</dt><dd>{ &teacher.email }</dd></div>
            <div><dt>{ "最後登入" }</dt><dd>{ last_login }</dd></div>
        </dl>
    }
}

fn heading(teacher: &UnitTeacherDto) -> Html {
    html! {
        <h3 class="approval-name">
            { &teacher.real_name }{ " " }<span class="code">{ &teacher.account_name }</span>
        </h3>
    }
}

#[derive(Properties, PartialEq)]
pub struct TeacherRowProps {
    pub teacher: UnitTeacherDto,
    pub on_transfer: Callback<UnitTeacherDto>,
    /// An action is under way: the buttons wait.
    #[prop_or_default]
    pub busy: bool,
}

/// A teacher of the unit, with 調出 after a confirm step.
#[component]
pub fn TeacherRow(props: &TeacherRowProps) -> Html {
    let confirming = use_state(|| false);
    let teacher = &props.teacher;
    let set = |value: bool| {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(value))
    };
    let confirm = {
        let (on_transfer, teacher) = (props.on_transfer.clone(), teacher.clone());
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_transfer.emit(teacher.clone());
        })
    };
    html! {
        <li class="teacher-row" data-account={teacher.account_name.clone()}>
            { heading(teacher) }
            { teacher_meta(teacher) }
            if *confirming {
                <div class="inline-step" role="group" aria-label="確認調出">
                    <p>{ format!("確定要將 {}（{}）調出本單位嗎？", teacher.real_name, teacher.account_name) }</p>
                    <p class="meta">{ "調出後教師保留帳號與研習紀錄，成為無服務學校，待新單位登錄或接受申請。" }</p>
                    <div class="row-actions">
                        <button type="button" class="transfer-confirm danger" disabled={props.busy}
                            onclick={confirm}>{ "確定調出" }</button>
                        <button type="button" class="cancel" onclick={set(false)}>{ "取消" }</button>
                    </div>
                </div>
            } else {
                <div class="row-actions">
                    <button type="button" class="transfer-out" disabled={props.busy}
                        onclick={set(true)}>{ "調出" }</button>
                </div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct RequestRowProps {
    pub teacher: UnitTeacherDto,
    /// `(teacher, accept)`.
    pub on_decide: Callback<(UnitTeacherDto, bool)>,
    #[prop_or_default]
    pub busy: bool,
}

/// A teacher asking to join the unit.
#[component]
pub fn RequestRow(props: &RequestRowProps) -> Html {
    let teacher = &props.teacher;
    let decide = |accept: bool| {
        let (on_decide, teacher) = (props.on_decide.clone(), teacher.clone());
        Callback::from(move |_: MouseEvent| on_decide.emit((teacher.clone(), accept)))
    };
    html! {
        <li class="request-row" data-account={teacher.account_name.clone()}>
            { heading(teacher) }
            { teacher_meta(teacher) }
            <div class="row-actions">
                <button type="button" class="request-accept primary" disabled={props.busy}
                    onclick={decide(true)}>{ "接受" }</button>
                <button type="button" class="request-decline" disabled={props.busy}
                    onclick={decide(false)}>{ "婉拒" }</button>
            </div>
        </li>
    }
}
