//! 匯入學校名錄: the MOE school directory as a CSV or Excel file, applied all or nothing.

use inservice_wire::{ImportReportDto, ProblemFieldError};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::units;
use crate::files;
use crate::session::use_auth;

/// The server takes at most this much.
const MAX_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// What the user is told after an attempt.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(ImportReportDto),
    Failed(ApiError),
    /// Caught before sending: no file, a wrong type, too big.
    Refused(&'static str),
}

/// 「row 3: county」 → 「第 3 列 county」.
fn place(field: &str) -> String {
    match field.strip_prefix("row ").and_then(|r| r.split_once(": ")) {
        Some((row, column)) => format!("第 {row} 列 {column}"),
        None if field == "file" => "檔案".to_owned(),
        None => field.to_owned(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    /// After a successful import: the message for the page, which refreshes the list.
    pub on_done: Callback<String>,
}

#[component]
pub fn ImportSection(props: &ImportProps) -> Html {
    let auth = use_auth();
    let file_ref = use_node_ref();
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Outcome>);

    let onsubmit = {
        let (file_ref, busy, outcome) = (file_ref.clone(), busy.clone(), outcome.clone());
        let on_done = props.on_done.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let file = file_ref
                .cast::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|list| list.get(0));
            let Some(file) = file else {
                return outcome.set(Some(Outcome::Refused("請先選擇要匯入的檔案。")));
            };
            let Some(content_type) = units::import_type(&file.name()) else {
                return outcome.set(Some(Outcome::Refused(
                    "請選擇 CSV（.csv）或 Excel（.xlsx）檔。",
                )));
            };
            if file.size() > MAX_BYTES {
                return outcome.set(Some(Outcome::Refused("檔案不可超過 10 MB。")));
            }
            busy.set(true);
            outcome.set(None);
            let (auth, on_done) = (auth.clone(), on_done.clone());
            let (busy, outcome) = (busy.clone(), outcome.clone());
            spawn_local(async move {
                let result = match files::read(&file).await {
                    Ok(bytes) => units::import(&auth.client, content_type, bytes.clone()).await,
                    Err(e) => Err(ApiError::Network(e)),
                };
                busy.set(false);
                match result {
                    Ok(report) => {
                        on_done.emit(format!(
                            "名錄匯入完成：新增 {}、異動 {}、裁撤 {}。",
                            report.added.len(),
                            report.changed.len(),
                            report.closed.len()
                        ));
                        outcome.set(Some(Outcome::Done(report)));
                    }
                    Err(e) => outcome.set(Some(Outcome::Failed(e))),
                }
            });
        })
    };

    html! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">{ "匯入學校名錄" }</h2>
            <p class="meta">
                { "上傳教育部學校名錄（CSV 或 Excel .xlsx，10 MB 以內），欄位為 code、name、county、kind，" }
                { "可另加 ownership、address、phone、status（也可用 學校代碼、學校名稱、縣市、類別 等中文欄名）。" }
                { "新代碼會新增、有變動的會更新、標示裁併的會裁撤；任何一列有誤則整份不匯入。" }
            </p>
            <form class="import-form" novalidate=true aria-labelledby="import-title" {onsubmit}>
                <div class="field">
                    <label for="import-file">{ "名錄檔案" }</label>
                    <input id="import-file" name="file" type="file" accept=".csv,.xlsx"
                        ref={file_ref} />
                </div>
                <button id="import-submit" type="submit" class="primary" disabled={*busy}>
                    { if *busy { "匯入中…" } else { "匯入" } }
                </button>
            </form>
            { match &*outcome {
                None => html! {},
                Some(Outcome::Done(report)) => report_view(report),
                Some(Outcome::Refused(text)) => html! {
                    <div id="import-report" class="error" role="alert">
                        <p class="error-title">{ *text }</p>
                    </div>
                },
                Some(Outcome::Failed(error)) => failure_view(error),
            } }
        </section>
    }
}

fn codes_line(label: &str, codes: &[String]) -> Html {
    html! {
        <li>
            <strong>{ format!("{label} {}", codes.len()) }</strong>
            if !codes.is_empty() {
                { "：" }<span class="code">{ codes.join("、") }</span>
            }
        </li>
    }
}

fn report_view(report: &ImportReportDto) -> Html {
    html! {
        <div id="import-report" class="notice" role="status">
            <p><strong>{ "匯入完成" }</strong></p>
            <ul class="import-counts">
                { codes_line("新增", &report.added) }
                { codes_line("異動", &report.changed) }
                { codes_line("裁撤", &report.closed) }
                <li><strong>{ format!("未變更 {}", report.unchanged) }</strong></li>
            </ul>
        </div>
    }
}

fn failure_view(error: &ApiError) -> Html {
    let headline = match error {
        ApiError::Problem { problem, .. } if !problem.detail.is_empty() => problem.detail.clone(),
        other => other.to_string(),
    };
    let rows: &[ProblemFieldError] = error.field_errors();
    html! {
        <div id="import-report" class="error" role="alert">
            <p class="error-title">{ "沒有匯入任何資料：" }{ headline }</p>
            if !rows.is_empty() {
                <ul class="error-fields import-errors">
                    { for rows.iter().map(|f| html! {
                        <li data-field={f.field.clone()}>
                            <span class="import-place">{ place(&f.field) }</span>{ "：" }{ &f.message }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
