//! 資訊傳報上傳 (national centre, county bureaus): a file in the exchange format (the Excel
//! template, XML or JSON) sent for a partner system: first checked without writing (a dry
//! run and its report), then written once every row passed.

use inservice_wire::{BatchReportDto, PartnerDto, ProblemCode, RowProblemDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::exchange::{self, BatchFile, TEMPLATE_URL, batch_type, column_label, row_place};
use crate::components::exchange_nav::ExchangeNav;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::files;
use crate::format::local_time;
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::session::use_auth;

/// The server reads a workbook of at most 40 MB.
const MAX_XLSX_BYTES: f64 = 40.0 * 1024.0 * 1024.0;
/// What the page reads into memory at most; larger batches go through the API.
const MAX_TEXT_BYTES: f64 = 100.0 * 1024.0 * 1024.0;

#[component]
pub fn ExchangeUploadPage() -> Html {
    use_title("資訊傳報上傳");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.works_exchange() {
        return html! {
            <Forbidden>{ "資訊傳報上傳限全國推廣中心管理者與縣市政府教育局（處）人員使用。" }</Forbidden>
        };
    }
    html! {
        <section aria-labelledby="upload-title">
            <h1 id="upload-title">{ "資訊傳報上傳" }</h1>
            <ExchangeNav />
            <Explanation />
            <Upload />
        </section>
    }
}

#[component]
fn Explanation() -> Html {
    html! {
        <section class="panel" aria-labelledby="format-title">
            <h2 id="format-title">{ "檔案格式" }</h2>
            <ul>
                <li>{ "一列一筆研習紀錄：學員、取得時數與課程資料；同一課程的每一列課程欄位須相同。" }</li>
                <li>{ "第一列為欄名（範本的中文欄名或英文鍵），可用 Excel（.xlsx）、XML 或 JSON。" }</li>
                <li>{ "每筆紀錄帶合作系統自己的課程代碼與紀錄代碼：同一份檔案重送不會重複採計，修正後重送會更新該筆。" }</li>
                <li>{ "先「檢查（不寫入）」看報告；全部列都通過後才能「確認寫入」。任何一列有誤，整批都不會寫入。" }</li>
            </ul>
            <p>
                <a id="template-link" href={TEMPLATE_URL} download="exchange-template-v1.xlsx">
                    { "下載 Excel 範本" }
                </a>
                <span class="meta">{ "（含欄位說明工作表）" }</span>
            </p>
        </section>
    }
}

/// What the user is told after an attempt.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// A dry run's report, with the file it checked (sent again to write it).
    Checked(BatchFile, BatchReportDto),
    Committed(BatchReportDto),
    Failed(ApiError),
    /// Caught before sending: no partner, no file, a wrong type, too big.
    Refused(&'static str),
}

#[component]
fn Upload() -> Html {
    let auth = use_auth();
    let partners = {
        let auth = auth.clone();
        use_fetch((), move |()| async move {
            exchange::partners(&auth.client).await
        })
    };
    let chosen = use_state(String::new);
    let file_ref = use_node_ref();
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Outcome>);

    let list: Vec<PartnerDto> = match &*partners {
        Fetch::Ready(list) => list.items.clone(),
        _ => Vec::new(),
    };
    // With one partner there is nothing to choose.
    let partner = match (chosen.as_str(), list.as_slice()) {
        ("", [only]) => only.code.clone(),
        (code, _) => code.to_owned(),
    };
    let needs_confirmation = list
        .iter()
        .any(|p| p.code == partner && p.needs_confirmation);

    // A new choice of partner or file discards the report of the old one.
    let on_partner = {
        let (chosen, outcome) = (chosen.clone(), outcome.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            chosen.set(select.value());
            outcome.set(None);
        })
    };
    let on_file = {
        let outcome = outcome.clone();
        Callback::from(move |_: Event| outcome.set(None))
    };
    let on_check = {
        let (auth, file_ref, busy, outcome) = (
            auth.clone(),
            file_ref.clone(),
            busy.clone(),
            outcome.clone(),
        );
        let partner = partner.clone();
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            if partner.is_empty() {
                return outcome.set(Some(Outcome::Refused("請先選擇合作系統。")));
            }
            let file = file_ref
                .cast::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|list| list.get(0));
            let Some(file) = file else {
                return outcome.set(Some(Outcome::Refused("請先選擇要上傳的檔案。")));
            };
            let Some(content_type) = batch_type(&file.name()) else {
                return outcome.set(Some(Outcome::Refused(
                    "請選擇 Excel（.xlsx）、XML（.xml）或 JSON（.json）檔。",
                )));
            };
            let xlsx = content_type == files::XLSX;
            if xlsx && file.size() > MAX_XLSX_BYTES {
                return outcome.set(Some(Outcome::Refused(
                    "Excel 檔不可超過 40 MB，請分批上傳。",
                )));
            }
            if file.size() > MAX_TEXT_BYTES {
                return outcome.set(Some(Outcome::Refused(
                    "網頁上傳以 100 MB 為限；更大的批次請由合作系統以 API 傳送。",
                )));
            }
            busy.set(true);
            outcome.set(None);
            let (auth, busy, outcome, partner) =
                (auth.clone(), busy.clone(), outcome.clone(), partner.clone());
            spawn_local(async move {
                let result = match files::read(&file).await {
                    Ok(bytes) => {
                        let batch = BatchFile {
                            partner,
                            name: file.name(),
                            content_type,
                            bytes,
                        };
                        exchange::send_batch(&auth.client, &batch, true)
                            .await
                            .map(|report| Outcome::Checked(batch, report))
                    }
                    Err(e) => Err(ApiError::Network(e)),
                };
                busy.set(false);
                outcome.set(Some(result.unwrap_or_else(Outcome::Failed)));
            });
        })
    };
    let on_commit = {
        let (auth, busy, outcome) = (auth.clone(), busy.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Outcome::Checked(batch, _)) = (*outcome).clone() else {
                return;
            };
            if *busy {
                return;
            }
            busy.set(true);
            let (auth, busy, outcome) = (auth.clone(), busy.clone(), outcome.clone());
            spawn_local(async move {
                let result = exchange::send_batch(&auth.client, &batch, false).await;
                busy.set(false);
                outcome.set(Some(match result {
                    Ok(report) => Outcome::Committed(report),
                    Err(e) => Outcome::Failed(e),
                }));
            });
        })
    };

    let busy = *busy;
    html! {
        <section class="panel" aria-labelledby="batch-title">
            <h2 id="batch-title">{ "上傳批次" }</h2>
            { match &*partners {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(_) if list.is_empty() => html! {
                    <p id="batch-no-partner">{ "目前沒有可代為上傳的合作系統；請全國推廣中心先登錄貴縣市的系統。" }</p>
                },
                Fetch::Ready(_) => html! {
                    <form class="import-form batch-form" novalidate=true aria-labelledby="batch-title"
                        onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                        <div class="field">
                            <label for="batch-partner">{ "合作系統" }</label>
                            <select id="batch-partner" onchange={on_partner}>
                                <option value="" selected={partner.is_empty()}>{ "請選擇" }</option>
                                { for list.iter().map(|p| html! {
                                    <option key={p.code.clone()} value={p.code.clone()}
                                        selected={p.code == partner}>
                                        { format!("{}（{}）{}", p.name, p.code, if p.enabled { "" } else { "（停用）" }) }
                                    </option>
                                }) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="batch-file">{ "檔案（.xlsx、.xml 或 .json）" }</label>
                            <input id="batch-file" name="file" type="file" accept=".xlsx,.xml,.json"
                                ref={file_ref} onchange={on_file} />
                        </div>
                        <button id="batch-check" type="button" class="primary" onclick={on_check} disabled={busy}>
                            { if busy { "處理中…" } else { "檢查（不寫入）" } }
                        </button>
                    </form>
                },
            } }
            <div class="live" aria-live="polite">
                { match &*outcome {
                    None => html! {},
                    Some(Outcome::Checked(_, report)) => html! {
                        <>
                            { report_view(report) }
                            if report.refused == 0 {
                                <div class="form-actions">
                                    <button id="batch-commit" type="button" class="primary"
                                        onclick={on_commit} disabled={busy}>
                                        { if busy { "寫入中…" } else { "確認寫入" } }
                                    </button>
                                    <span class="meta">{ "全部列都通過檢查；確認後才會寫入。" }</span>
                                </div>
                            } else {
                                <p class="warning" id="batch-fix">
                                    { format!("有 {} 列未通過檢查，請修正檔案後重新檢查；全部通過才能寫入。", report.refused) }
                                </p>
                            }
                        </>
                    },
                    Some(Outcome::Committed(report)) => html! {
                        <>
                            { report_view(report) }
                            if needs_confirmation && report.created + report.updated > 0 {
                                <p class="meta" id="batch-awaiting">
                                    { "此合作系統的紀錄須待縣市於「縣市資料月確認」確認該月份後，才列入教師的研習時數。" }
                                </p>
                            }
                        </>
                    },
                    Some(Outcome::Refused(text)) => html! {
                        <div id="batch-error" class="error" role="alert">
                            <p class="error-title">{ *text }</p>
                        </div>
                    },
                    Some(Outcome::Failed(error)) => failure_view(error),
                } }
            </div>
        </section>
    }
}

fn status_text(report: &BatchReportDto) -> &'static str {
    match report.status.as_str() {
        "dry_run" => "試算（未寫入）",
        "committed" => "已寫入",
        "failed" => "失敗（未寫入任何資料）",
        _ => "不明",
    }
}

fn report_view(report: &BatchReportDto) -> Html {
    let counts = [
        ("rows", "列數", report.rows),
        ("created", "新增", report.created),
        ("updated", "更新", report.updated),
        ("unchanged", "未變更", report.unchanged),
        ("unmatched", "待比對教師", report.unmatched),
        ("refused", "拒收", report.refused),
        ("duplicates", "疑似重複", report.duplicates),
    ];
    html! {
        <div id="batch-report" class={if report.refused == 0 { "notice" } else { "warning" }}
            data-status={report.status.clone()}>
            <p>
                <strong id="batch-status">{ status_text(report) }</strong>
                { format!("　批次 {}　{}　{}", report.id,
                    report.file_name.clone().unwrap_or_default(), local_time(&report.started_at)) }
            </p>
            <ul class="import-counts batch-counts">
                { for counts.iter().map(|(key, label, n)| html! {
                    <li id={format!("batch-count-{key}")} data-count={n.to_string()}>
                        <strong>{ format!("{label} {n}") }</strong>
                    </li>
                }) }
            </ul>
            if report.unmatched > 0 {
                <p class="meta">{ "待比對教師：本平臺尚無此身分證號的教師，紀錄先保留，教師註冊後自動歸入。" }</p>
            }
            if report.duplicates > 0 {
                <p class="meta">{ "疑似重複：與其他來源的同一課程紀錄相同，經全國推廣中心判定前只計一次。" }</p>
            }
            if !report.problems.is_empty() {
                { problems_view(&report.problems) }
                if report.problems_truncated {
                    <p class="meta">{ "問題太多，只列出前 1,000 項。" }</p>
                }
            }
        </div>
    }
}

fn problems_view(problems: &[RowProblemDto]) -> Html {
    html! {
        <table class="data-table problem-table" id="batch-problems">
            <caption>{ "未通過檢查的列" }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "列" }</th>
                    <th scope="col">{ "紀錄代碼" }</th>
                    <th scope="col">{ "欄位" }</th>
                    <th scope="col">{ "說明" }</th>
                </tr>
            </thead>
            <tbody>
                { for problems.iter().map(|p| html! {
                    <tr class="problem-row" data-row={p.row.to_string()} data-field={p.field.clone()}
                        data-code={p.code.clone()}>
                        <td data-label="列">{ if p.row == 0 { "—".to_owned() } else { p.row.to_string() } }</td>
                        <td data-label="紀錄代碼">{ p.partner_record_id.clone().unwrap_or_default() }</td>
                        <td data-label="欄位">{ column_label(&p.field) }</td>
                        <td data-label="說明">{ &p.message }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// A file the server could not read (400), a batch it refused (422 `batch_refused`, with the
/// refused rows), or any other failure; nothing was written.
fn failure_view(error: &ApiError) -> Html {
    // A refused batch's detail already says that nothing was written.
    let headline = match error {
        ApiError::Problem { problem, .. } if problem.code == ProblemCode::BatchRefused => {
            problem.detail.clone()
        }
        ApiError::Problem { problem, .. } if !problem.detail.is_empty() => {
            format!("沒有寫入任何資料：{}", problem.detail)
        }
        other => format!("沒有寫入任何資料：{other}"),
    };
    let fields = error.field_errors();
    html! {
        <div id="batch-error" class="error" role="alert">
            <p class="error-title">{ headline }</p>
            if !fields.is_empty() {
                <ul class="error-fields">
                    { for fields.iter().map(|f| html! {
                        <li data-field={f.field.clone()}>
                            <span class="import-place">{ row_place(&f.field) }</span>{ "：" }{ &f.message }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
