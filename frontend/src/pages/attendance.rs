//! 出席與時數 (after the course): the organiser marks each teacher (出席、請假、缺席, minutes
//! missed per session), adds walk-ins, uploads the signed sign-in sheet and submits the
//! roster; the reviewer confirms or returns it; a closed course changes only through an
//! amendment request. The hours each teacher earns are the server's, by Art. 10.

use inservice_wire::{
    AttendanceEntryDto, AttendanceLineDto, AttendanceSheetDto, CourseDto, CourseSessionDto,
    MissedDto,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::courses;
use crate::api::courses::CourseExt;
use crate::api::records;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, FormValues, Notice};
use crate::components::status::{ErrorBox, Loading};
use crate::files;
use crate::format::local_time;
use crate::hooks::{
    ActionOutcome, Fetch, use_action_outcome, use_fetch, use_require_login, use_title,
};
use crate::pages::amendments::CourseAmendments;
use crate::routes::Route;
use crate::session::use_auth;

const MARKS: [(&str, &str); 3] = [("attended", "出席"), ("leave", "請假"), ("absent", "缺席")];

#[derive(Properties, PartialEq)]
pub struct AttendanceProps {
    pub code: i32,
}

type Outcome = Option<Result<String, ApiError>>;

#[component]
pub fn AttendancePage(props: &AttendanceProps) -> Html {
    use_title("出席與研習時數");
    let auth = use_auth();
    let signed_in = use_require_login().is_some();
    let ActionOutcome {
        version,
        message,
        done,
    } = use_action_outcome();
    let code = props.code;
    let course = {
        let auth = auth.clone();
        use_fetch(
            (code, signed_in, version),
            move |(code, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                courses::course(&auth.client, code).await
            },
        )
    };
    let sheet = {
        let auth = auth.clone();
        use_fetch(
            (code, signed_in, version),
            move |(code, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                records::sheet(&auth.client, code).await
            },
        )
    };
    let (Fetch::Ready(course), Fetch::Ready(sheet)) = (&*course, &*sheet) else {
        return match (&*course, &*sheet) {
            (Fetch::Failed(error), _) | (_, Fetch::Failed(error)) => {
                html! { <ErrorBox error={error.clone()} /> }
            }
            _ => html! { <Loading /> },
        };
    };
    let manager = course.can("manage_enrollments") || course.can("amend");
    html! {
        <section aria-labelledby="attendance-title">
            <h1 id="attendance-title">{ "出席與研習時數" }</h1>
            <p class="lead">
                <AppLink to={Route::Course { code }}>{ &course.name }</AppLink>
                { format!("　課程代碼 {code}") }
            </p>
            { outcome_view(&message) }
            <RosterStatus course={course.clone()} sheet={sheet.clone()} />
            if sheet.editable && manager {
                <SheetForm sheet={sheet.clone()} {code} amend={false} done={done.clone()} />
                <WalkIn {code} done={done.clone()} />
                <SignInUpload {code} done={done.clone()} />
                <SubmitRoster {code} total={sheet.total_hours} count={sheet.lines.len()} done={done.clone()} />
            } else if course.can("amend") {
                <SheetForm sheet={sheet.clone()} {code} amend={true} done={done.clone()} />
            } else {
                <SheetView sheet={sheet.clone()} />
            }
            if course.can("confirm_roster") {
                <ReviewRoster {code} done={done.clone()} />
            }
            if course.state == "closed" || course.can("amend") {
                <CourseAmendments {code} {version} />
            }
        </section>
    }
}

fn outcome_view(outcome: &Outcome) -> Html {
    match outcome {
        Some(Ok(message)) => html! { <Notice id="attendance-notice">{ message.clone() }</Notice> },
        Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct StatusProps {
    course: CourseDto,
    sheet: AttendanceSheetDto,
}

#[component]
fn RosterStatus(props: &StatusProps) -> Html {
    let r = &props.sheet.roster;
    let attended = props.sheet.lines.iter().filter(|l| l.hours > 0.0).count();
    html! {
        <section class="panel" aria-labelledby="roster-title">
            <h2 id="roster-title">{ "名單狀態" }</h2>
            <dl class="profile-data">
                <div class="profile-row">
                    <dt>{ "課程狀態" }</dt>
                    <dd id="roster-state">{ &props.course.state_label }</dd>
                </div>
                <div class="profile-row">
                    <dt>{ "登錄期限" }</dt>
                    <dd>{ format!("{}（課程結束後一週內）", r.due_date) }</dd>
                </div>
                if let Some(at) = &r.submitted_at {
                    <div class="profile-row">
                        <dt>{ "送出時間" }</dt>
                        <dd>
                            { local_time(at) }
                            if r.late {
                                { " " }<span class="badge badge-warning" id="roster-late">{ "逾期登錄" }</span>
                            }
                        </dd>
                    </div>
                }
                if let Some(reason) = &r.reason {
                    <div class="profile-row">
                        <dt>{ "退回理由" }</dt>
                        <dd id="roster-reason">{ reason }</dd>
                    </div>
                }
                if let Some(at) = &r.closed_at {
                    <div class="profile-row">
                        <dt>{ "結案時間" }</dt>
                        <dd id="roster-closed">{ local_time(at) }</dd>
                    </div>
                }
                <div class="profile-row">
                    <dt>{ "時數" }</dt>
                    <dd id="roster-total">
                        { format!("{} 人取得時數，合計 {} 小時（共 {} 人）",
                            attended, props.sheet.total_hours, props.sheet.lines.len()) }
                    </dd>
                </div>
            </dl>
            if !r.flags.is_empty() {
                <div class="warning" role="note">
                    <p>{ "以下教師的研習時數超過每日 6 小時或每週 35 小時原則（第 10 點），需專案核准：" }</p>
                    <ul id="roster-flags">
                        { for r.flags.iter().map(|f| html! { <li>{ format!("{}：{}", f.teacher, f.message) }</li> }) }
                    </ul>
                </div>
            }
        </section>
    }
}

fn minutes(values: &FormValues, name: &str) -> u32 {
    values.text(name).parse().unwrap_or(0)
}

/// The lines as the form holds them.
fn entries_of(values: &FormValues, sheet: &AttendanceSheetDto) -> Vec<AttendanceEntryDto> {
    sheet
        .lines
        .iter()
        .map(|line| {
            let id = line.account_id;
            let mark = values.text(&format!("mark-{id}"));
            let sessions: Vec<MissedDto> = (0..sheet.sessions.len())
                .map(|i| MissedDto {
                    unexcused_minutes: minutes(values, &format!("unexcused-{id}-{i}")),
                    leave_minutes: minutes(values, &format!("leave-{id}-{i}")),
                })
                .collect();
            let sessions =
                if mark == "attended" && sessions.iter().any(|m| *m != MissedDto::default()) {
                    sessions
                } else {
                    Vec::new()
                };
            AttendanceEntryDto {
                account_id: id,
                mark,
                sessions,
            }
        })
        .collect()
}

fn unchanged(entry: &AttendanceEntryDto, line: &AttendanceLineDto) -> bool {
    let stored: Vec<MissedDto> = if line.sessions.iter().all(|m| *m == MissedDto::default()) {
        Vec::new()
    } else {
        line.sessions.clone()
    };
    entry.mark == line.mark && entry.sessions == stored
}

#[derive(Properties, PartialEq)]
struct SheetFormProps {
    sheet: AttendanceSheetDto,
    code: i32,
    /// A closed course: the form files an amendment request instead of saving.
    amend: bool,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn SheetForm(props: &SheetFormProps) -> Html {
    let auth = use_auth();
    let onsubmit = {
        let (auth, done, sheet, code, amend) = (
            auth.clone(),
            props.done.clone(),
            props.sheet.clone(),
            props.code,
            props.amend,
        );
        Callback::from(move |e: SubmitEvent| {
            let values = FormValues::from_submit(&e);
            let mut entries = entries_of(&values, &sheet);
            let (auth, done) = (auth.clone(), done.clone());
            if amend {
                entries.retain(|entry| {
                    sheet
                        .lines
                        .iter()
                        .find(|l| l.account_id == entry.account_id)
                        .is_none_or(|line| !unchanged(entry, line))
                });
                let reason = values.text("amend-reason");
                spawn_local(async move {
                    let result =
                        records::request_amendment(&auth.client, code, reason, entries).await;
                    done.emit(result.map(|_| "已送出修改申請，待區管中心審核後生效。".to_owned()));
                });
            } else {
                spawn_local(async move {
                    let result = records::save(&auth.client, code, entries.clone()).await;
                    done.emit(
                        result.map(|s| format!("已儲存出席紀錄，合計 {} 小時。", s.total_hours)),
                    );
                });
            }
        })
    };
    let sessions = &props.sheet.sessions;
    html! {
        <form class="panel" id="attendance-form" novalidate=true {onsubmit} aria-labelledby="sheet-title">
            <h2 id="sheet-title">{ if props.amend { "修改已結案課程內容申請" } else { "登錄出席" } }</h2>
            <p class="hint">
                { "未登錄者視為全程出席。遲到、早退及未請假離開的時間合計超過課程三分之一者不核給時數；\
                   請假時間不計入時數；不足 50 分鐘的部分不計（第 10 點）。" }
            </p>
            <ul class="attendance-list">
                { for props.sheet.lines.iter().enumerate().map(|(index, line)| html! {
                    <LineFields key={line.account_id} {index} line={line.clone()} sessions={sessions.clone()} />
                }) }
            </ul>
            if props.amend {
                <div class="field">
                    <label for="amend-reason">{ "修改理由（區管中心審核時閱讀）" }</label>
                    <textarea id="amend-reason" name="amend-reason" rows="3" maxlength="1000" />
                </div>
            }
            <div class="form-actions">
                <button type="submit" class="primary" id="attendance-save">
                    { if props.amend { "送出修改申請" } else { "儲存出席紀錄" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct LineProps {
    index: usize,
    line: AttendanceLineDto,
    sessions: Vec<CourseSessionDto>,
}

#[component]
fn LineFields(props: &LineProps) -> Html {
    let line = &props.line;
    let id = line.account_id;
    let missed = |i: usize| line.sessions.get(i).cloned().unwrap_or_default();
    html! {
        <li class="attendance-row" data-account={id.to_string()}>
            <div class="attendance-who">
                <span class="attendance-name">{ format!("{}. {}", props.index + 1, line.real_name) }</span>
                if line.walk_in {
                    { " " }<span class="badge">{ "現場參加" }</span>
                }
                <span class="meta">
                    { [line.unit_name.clone(), line.job_title.clone()].into_iter().flatten().collect::<Vec<_>>().join("　") }
                </span>
            </div>
            <label class="visually-hidden" for={format!("mark-{id}")}>{ format!("{} 的出席狀態", line.real_name) }</label>
            <select id={format!("mark-{id}")} name={format!("mark-{id}")} class="attendance-mark">
                { for MARKS.iter().map(|(value, label)| html! {
                    <option value={*value} selected={line.mark == *value}>{ *label }</option>
                }) }
            </select>
            <span class="badge badge-hours" data-hours={line.hours.to_string()}>{ format!("{} 小時", line.hours) }</span>
            <details open={line.sessions.iter().any(|m| *m != MissedDto::default())}>
                <summary>{ "遲到、早退或請假時間" }</summary>
                { for props.sessions.iter().enumerate().map(|(i, s)| html! {
                    <fieldset class="session-minutes">
                        <legend>{ format!("第 {} 場 {} {}–{}", i + 1, s.date, s.starts_at, s.ends_at) }</legend>
                        <label>
                            { "遲到早退（分）" }
                            <input type="number" min="0" inputmode="numeric" name={format!("unexcused-{id}-{i}")}
                                id={format!("unexcused-{id}-{i}")} value={missed(i).unexcused_minutes.to_string()} />
                        </label>
                        <label>
                            { "請假（分）" }
                            <input type="number" min="0" inputmode="numeric" name={format!("leave-{id}-{i}")}
                                id={format!("leave-{id}-{i}")} value={missed(i).leave_minutes.to_string()} />
                        </label>
                    </fieldset>
                }) }
            </details>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct SheetViewProps {
    sheet: AttendanceSheetDto,
}

/// The sheet read-only (the reviewer's view, or after submission).
#[component]
fn SheetView(props: &SheetViewProps) -> Html {
    html! {
        <section class="panel" aria-labelledby="sheet-title">
            <h2 id="sheet-title">{ "出席名單" }</h2>
            <table class="data-table" id="attendance-table">
                <thead>
                    <tr><th>{ "姓名" }</th><th>{ "服務單位" }</th><th>{ "出席" }</th><th>{ "時數" }</th></tr>
                </thead>
                <tbody>
                    { for props.sheet.lines.iter().map(|l| html! {
                        <tr data-account={l.account_id.to_string()}>
                            <td data-label="姓名">{ &l.real_name }{ if l.walk_in { "（現場）" } else { "" } }</td>
                            <td data-label="服務單位">{ l.unit_name.clone().unwrap_or_default() }</td>
                            <td data-label="出席">{ &l.mark_label }</td>
                            <td data-label="時數" data-hours={l.hours.to_string()}>{ l.hours }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ActionProps {
    code: i32,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn WalkIn(props: &ActionProps) -> Html {
    let auth = use_auth();
    let input = use_node_ref();
    let onsubmit = {
        let (auth, done, input, code) =
            (auth.clone(), props.done.clone(), input.clone(), props.code);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let login = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = records::walk_in(&auth.client, code, login.clone()).await;
                done.emit(result.map(|_| "已加入現場參加者。".to_owned()));
            });
        })
    };
    html! {
        <form class="panel" id="walk-in-form" novalidate=true {onsubmit}>
            <h2>{ "新增現場參加者" }</h2>
            <div class="field">
                <label for="walk-in-login">{ "帳號、電子郵件、身分證號或教師個人專用識別號碼" }</label>
                <input id="walk-in-login" name="login" ref={input} autocomplete="off" />
            </div>
            <button type="submit" id="walk-in-add">{ "加入" }</button>
        </form>
    }
}

#[component]
fn SignInUpload(props: &ActionProps) -> Html {
    let auth = use_auth();
    let input = use_node_ref();
    let onclick = {
        let (auth, done, input, code) =
            (auth.clone(), props.done.clone(), input.clone(), props.code);
        Callback::from(move |_: MouseEvent| {
            let Some(file) = input
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                done.emit(Err(ApiError::Network("請先選擇簽到表檔案".into())));
                return;
            };
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let data = match files::read(&file).await {
                    Ok(data) => data,
                    Err(e) => return done.emit(Err(ApiError::Network(e))),
                };
                let result = records::upload_sign_in(&auth.client, code, data.clone()).await;
                done.emit(
                    result.map(|s| format!("已依簽到表登錄出席，合計 {} 小時。", s.total_hours)),
                );
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="sign-in-title">
            <h2 id="sign-in-title">{ "上傳簽到表" }</h2>
            <p class="hint">
                { "下載「報名名單」頁的簽到表，在各場次簽名欄有簽名者視為該場出席；備註欄註明「請假」者以請假登錄。" }
            </p>
            <input type="file" id="sign-in-file" ref={input}
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            <button type="button" id="sign-in-upload" {onclick}>{ "上傳並登錄" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SubmitProps {
    code: i32,
    total: f64,
    count: usize,
    done: Callback<Result<String, ApiError>>,
}

#[component]
fn SubmitRoster(props: &SubmitProps) -> Html {
    let auth = use_auth();
    let onclick = {
        let (auth, done, code) = (auth.clone(), props.done.clone(), props.code);
        Callback::from(move |_: MouseEvent| {
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = records::submit(&auth.client, code).await;
                done.emit(result.map(|r| {
                    if r.confirmed {
                        "名單已送出並自動確認，研習時數已寫入教師紀錄，課程已結案。".to_owned()
                    } else {
                        "名單已送出，待審核單位確認。".to_owned()
                    }
                }));
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="submit-title">
            <h2 id="submit-title">{ "送出名單" }</h2>
            <p>{ format!("{} 人，合計 {} 小時。送出後由審核單位確認，確認後時數寫入教師的研習紀錄並結案。", props.count, props.total) }</p>
            <button type="button" class="primary" id="roster-submit" {onclick}>{ "送出名單" }</button>
        </section>
    }
}

#[component]
fn ReviewRoster(props: &ActionProps) -> Html {
    let auth = use_auth();
    let reason = use_node_ref();
    let confirm =
        {
            let (auth, done, code) = (auth.clone(), props.done.clone(), props.code);
            Callback::from(move |_: MouseEvent| {
                let (auth, done) = (auth.clone(), done.clone());
                spawn_local(async move {
                    let result = records::confirm(&auth.client, code).await;
                    done.emit(result.map(|r| {
                        format!("名單已確認：寫入 {} 筆研習紀錄，課程已結案。", r.records)
                    }));
                });
            })
        };
    let send_back = {
        let (auth, done, code, reason) =
            (auth.clone(), props.done.clone(), props.code, reason.clone());
        Callback::from(move |_: MouseEvent| {
            let text = reason
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let (auth, done) = (auth.clone(), done.clone());
            spawn_local(async move {
                let result = records::send_back(&auth.client, code, text.clone()).await;
                done.emit(result.map(|_| "已退回名單，開課單位修正後會再送出。".to_owned()));
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{ "名單確認" }</h2>
            <button type="button" class="primary" id="roster-confirm" onclick={confirm}>{ "確認名單並結案" }</button>
            <div class="field">
                <label for="roster-return-reason">{ "退回理由" }</label>
                <textarea id="roster-return-reason" rows="2" ref={reason} />
            </div>
            <button type="button" id="roster-return" onclick={send_back}>{ "退回修正" }</button>
        </section>
    }
}
