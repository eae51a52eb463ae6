//! Parts of 本單位教師帳號管理: 教師資料登錄 (entering a teacher by identity number) and the
//! teachers asking to join the unit.

use inservice_wire::{TeacherEntry, UnitTeacherDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlFormElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::unit_teachers::{self, Entered};
use crate::components::form::{ErrorSummary, FormValues, Input, Notice, field_error};
use crate::components::job_title::JobTitleSelect;
use crate::components::status::{ErrorBox, Loading};
use crate::components::teacher_row::RequestRow;
use crate::hooks::{Fetch, use_fetch};
use crate::session::use_auth;

const ENTRY_FIELDS: &[(&str, &str)] = &[
    ("national_id", "entry-national-id"),
    ("real_name", "entry-real-name"),
    ("email", "entry-email"),
    ("job_title", "entry-job-title"),
];

/// Says 「請選擇職稱」 rather than "must be a code" when none was chosen.
fn explain_empty_title(error: ApiError, entry: &TeacherEntry) -> ApiError {
    match error {
        ApiError::Problem {
            status,
            mut problem,
        } if entry.job_title.is_empty() => {
            for e in problem.errors.iter_mut().filter(|e| e.field == "job_title") {
                e.message = "請選擇職稱".into();
            }
            ApiError::Problem { status, problem }
        }
        other => other,
    }
}

#[derive(Properties, PartialEq)]
pub struct EntryProps {
    pub code: AttrValue,
    /// After a teacher was entered: refresh the list.
    pub on_done: Callback<()>,
}

/// 教師資料登錄: a teacher without a unit joins this one; a person without an account gets one.
#[component]
pub fn TeacherEntryForm(props: &EntryProps) -> Html {
    let auth = use_auth();
    let error = use_state(|| None::<ApiError>);
    let done = use_state(|| None::<Entered>);
    let busy = use_state(|| false);
    let form_ref = use_node_ref();

    let onsubmit = {
        let (error, done, busy, form_ref) =
            (error.clone(), done.clone(), busy.clone(), form_ref.clone());
        let (code, on_done) = (props.code.to_string(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            let entry = TeacherEntry {
                national_id: form.text("national_id").to_uppercase(),
                real_name: form.text("real_name"),
                email: form.text("email"),
                job_title: form.text("job_title"),
            };
            error.set(None);
            done.set(None);
            busy.set(true);
            let (auth, code, on_done) = (auth.clone(), code.clone(), on_done.clone());
            let (error, done, busy, form_ref) =
                (error.clone(), done.clone(), busy.clone(), form_ref.clone());
            spawn_local(async move {
                let result = unit_teachers::enter(&auth.client, &code, &entry).await;
                match result {
                    Ok(entered) => {
                        if let Some(form) = form_ref.cast::<HtmlFormElement>() {
                            form.reset();
                        }
                        done.set(Some(entered));
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(explain_empty_title(e, &entry))),
                }
                busy.set(false);
            });
        })
    };

    let err = |field: &str| field_error(&error, field);
    html! {
        <section class="panel" aria-labelledby="entry-title">
            <h2 id="entry-title">{ "教師資料登錄" }</h2>
            <p class="meta">
                { "以身分證統一編號登錄教師：已有帳號且無服務學校的教師直接加入本單位；" }
                { "尚無帳號者會建立新帳號，並寄出設定密碼的連結。" }
            </p>
            if let Some(entered) = &*done {
                <Notice id="entry-message">{ entered_message(entered) }</Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={ENTRY_FIELDS} />
            }
            <form class="account-form" novalidate=true aria-labelledby="entry-title"
                ref={form_ref} {onsubmit}>
                <Input id="entry-national-id" name="national_id" label="身分證統一編號"
                    required=true autocomplete="off" error={err("national_id")} />
                <Input id="entry-real-name" name="real_name" label="真實姓名" required=true
                    autocomplete="off" error={err("real_name")} />
                <Input id="entry-email" name="email" label="電子郵件" kind="email" required=true
                    autocomplete="off" error={err("email")}
                    hint={html! { "新帳號設定密碼的連結會寄到這個信箱。" }} />
                <JobTitleSelect id="entry-job-title" placeholder="請選擇" required=true
                    error={err("job_title")} />
                <button id="entry-submit" type="submit" class="primary" disabled={*busy}>
                    { if *busy { "登錄中…" } else { "登錄教師" } }
                </button>
            </form>
        </section>
    }
}

fn entered_message(entered: &Entered) -> Html {
    let (headline, teacher) = match entered {
        Entered::Created(t) => ("已建立教師帳號，設定密碼的連結已寄給教師", t),
        Entered::Joined(t) => ("教師已加入本單位", t),
    };
    html! {
        <>
            <p><strong>{ headline }</strong></p>
            <p>{ format!("{}（帳號 {}）", teacher.real_name, teacher.account_name) }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct RequestsProps {
    pub code: AttrValue,
    /// The page's change counter: the requests are fetched afresh when it moves.
    pub version: u32,
    /// After a request was decided: refresh the lists.
    pub on_change: Callback<()>,
}

/// 申請加入本單位: teachers who asked to join, to accept or decline.
#[component]
pub fn TeacherRequests(props: &RequestsProps) -> Html {
    let auth = use_auth();
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let busy = use_state(|| false);
    let list = {
        let auth = auth.clone();
        use_fetch(
            (props.code.to_string(), props.version),
            move |(code, _)| async move { unit_teachers::requests(&auth.client, &code).await },
        )
    };
    let on_decide = {
        let (outcome, busy) = (outcome.clone(), busy.clone());
        let (code, on_change) = (props.code.to_string(), props.on_change.clone());
        Callback::from(move |(teacher, accept): (UnitTeacherDto, bool)| {
            busy.set(true);
            outcome.set(None);
            let (auth, code, on_change) = (auth.clone(), code.clone(), on_change.clone());
            let (outcome, busy) = (outcome.clone(), busy.clone());
            spawn_local(async move {
                let result =
                    unit_teachers::decide_request(&auth.client, &code, teacher.id, accept).await;
                let who = format!("{}（{}）", teacher.real_name, teacher.account_name);
                outcome.set(Some(result.map(|_| {
                    if accept {
                        format!("已接受 {who} 加入本單位。")
                    } else {
                        format!("已婉拒 {who} 的申請。")
                    }
                })));
                busy.set(false);
                on_change.emit(());
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="requests-title">
            <h2 id="requests-title">{ "申請加入本單位" }</h2>
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="requests-message">{ message }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            <div class="live" aria-live="polite">
                { match &*list {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) if list.items.is_empty() => html! {
                        <p class="empty" id="requests-empty">{ "目前沒有待處理的申請" }</p>
                    },
                    Fetch::Ready(list) => html! {
                        <p class="summary">{ format!("{} 位教師申請加入", list.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(list) = &*list {
                <ul class="approval-list request-list">
                    { for list.items.iter().map(|teacher| html! {
                        <RequestRow key={teacher.id} teacher={teacher.clone()}
                            on_decide={on_decide.clone()} busy={*busy} />
                    }) }
                </ul>
            }
        </section>
    }
}
