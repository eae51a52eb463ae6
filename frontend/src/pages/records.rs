//! 我的研習紀錄: every confirmed record with yearly totals and totals by category and tag (no
//! personal data on the page), the official record as a workbook, and a printable transcript
//! with a verification code; and the public page that verifies such a code.

use inservice_wire::{RecordDto, RecordsDto, TotalDto, TranscriptDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::exchange::standing_label;
use crate::api::records;
use crate::components::app_link::AppLink;
use crate::components::form::ErrorSummary;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::files;
use crate::format::{date_range, local_time};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

fn totals(id: &str, title: &str, items: &[TotalDto]) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <section class="totals" aria-label={title.to_owned()}>
            <h3>{ title }</h3>
            <table class="plain-table" id={id.to_owned()}>
                <thead><tr><th>{ "項目" }</th><th>{ "時數" }</th><th>{ "筆數" }</th></tr></thead>
                <tbody>
                    { for items.iter().map(|t| html! {
                        <tr data-key={t.key.clone()}>
                            <td>{ &t.label }</td><td>{ t.hours }</td><td>{ t.records }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn source_label(source: &str) -> String {
    if source == "online" {
        "本平臺".to_owned()
    } else {
        source.to_owned()
    }
}

/// Our course code, or the sending partner's own course id for a record a partner sent.
fn course_id(record: &RecordDto) -> String {
    match (record.course_code, &record.partner_course_id) {
        (Some(code), _) => code.to_string(),
        (None, Some(id)) => id.clone(),
        (None, None) => "—".to_owned(),
    }
}

/// The records with their totals, as the page, the print-out and the verification page show
/// them.
fn records_view(records: &RecordsDto) -> Html {
    let waiting = records
        .items
        .iter()
        .filter(|r| standing_label(&r.standing).is_some())
        .count();
    html! {
        <>
            <p class="summary" id="records-total">
                if waiting == 0 {
                    { format!("共 {} 筆，合計 {} 小時", records.items.len(), records.total_hours) }
                } else {
                    { format!("共 {} 筆（其中 {waiting} 筆暫不計入），合計 {} 小時", records.items.len(), records.total_hours) }
                }
            </p>
            <div class="totals-grid">
                { totals("totals-year", "年度時數", &records.by_year) }
                { totals("totals-category", "進修範疇", &records.by_category) }
                { totals("totals-tag", "屬性標籤", &records.by_tag) }
            </div>
            <table class="data-table records-table" id="records-table">
                <thead>
                    <tr>
                        <th>{ "課程代碼" }</th><th>{ "課程名稱" }</th><th>{ "開課單位" }</th>
                        <th>{ "日期" }</th><th>{ "時數" }</th><th>{ "進修範疇" }</th>
                        <th>{ "屬性標籤" }</th><th>{ "來源" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for records.items.iter().map(|r| html! {
                        <tr data-code={course_id(r)} data-standing={r.standing.clone()}>
                            <td data-label="課程代碼">{ course_id(r) }</td>
                            <td data-label="課程名稱">
                                <span>
                                    { &r.course_name }
                                    if let Some(badge) = standing_label(&r.standing) {
                                        { " " }<span class="badge badge-warning record-standing">{ badge }</span>
                                    }
                                </span>
                            </td>
                            <td data-label="開課單位">{ &r.unit_name }</td>
                            <td data-label="日期">{ date_range(&r.start_date, &r.end_date) }</td>
                            <td data-label="時數" class="record-hours">{ r.hours }</td>
                            <td data-label="進修範疇">{ &r.category_label }</td>
                            <td data-label="屬性標籤">{ r.tags.join("、") }</td>
                            <td data-label="來源">{ source_label(&r.source) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

#[component]
pub fn RecordsPage() -> Html {
    use_title("我的研習紀錄");
    let auth = use_auth();
    let navigator = use_navigator();
    let session = use_require_login();
    let outcome = use_state(|| None::<ApiError>);
    let teacher = session
        .as_ref()
        .is_some_and(|s| s.account.kind == "teacher");
    let list = {
        let auth = auth.clone();
        use_fetch(teacher, move |teacher| async move {
            if !teacher {
                return futures::future::pending().await;
            }
            records::my_records(&auth.client).await
        })
    };
    let Some(session) = session else {
        return html! { <Loading /> };
    };
    if session.account.kind != "teacher" {
        return html! { <Forbidden>{ "研習紀錄限教師帳號查閱。" }</Forbidden> };
    }
    let download = {
        let (auth, outcome) = (auth.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, outcome) = (auth.clone(), outcome.clone());
            spawn_local(async move {
                match records::records_workbook(&auth.client).await {
                    Ok(bytes) => {
                        if let Err(e) = files::save(&bytes, files::XLSX, "training-records.xlsx") {
                            outcome.set(Some(ApiError::Network(e)));
                        }
                    }
                    Err(e) => outcome.set(Some(e)),
                }
            });
        })
    };
    let transcript = {
        let (auth, outcome) = (auth.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, outcome, navigator) = (auth.clone(), outcome.clone(), navigator.clone());
            spawn_local(async move {
                match records::issue_transcript(&auth.client).await {
                    Ok(t) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Transcript { code: t.code });
                        }
                    }
                    Err(e) => outcome.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section aria-labelledby="records-title">
            <h1 id="records-title">{ "我的研習紀錄" }</h1>
            <p class="lead">{ "經審核單位確認的研習時數，以及合作系統傳來的紀錄。標示「待縣市確認」或「重複」的紀錄暫不列入合計時數。頁面不顯示個人資料；正式紀錄請下載 Excel 或列印時數證明。" }</p>
            if let Some(error) = &*outcome {
                <ErrorSummary error={error.clone()} />
            }
            <div class="form-actions">
                <button type="button" id="records-download" onclick={download}>{ "下載 Excel" }</button>
                <button type="button" class="primary" id="records-transcript" onclick={transcript}>
                    { "列印研習時數證明" }
                </button>
            </div>
            { match &*list {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(records) if records.items.is_empty() => html! {
                    <p id="records-empty">{ "尚無已確認的研習紀錄。研習結束、開課單位送出名單並經確認後，時數會出現在這裡。" }</p>
                },
                Fetch::Ready(records) => records_view(records),
            } }
        </section>
    }
}

fn transcript_view(t: &TranscriptDto, holder: Option<String>) -> Html {
    html! {
        <article class="transcript" id="transcript">
            <h1 id="transcript-title">{ "教師在職進修研習時數證明" }</h1>
            <dl class="profile-data">
                <div class="profile-row"><dt>{ "姓名" }</dt><dd id="transcript-holder">{ holder.unwrap_or_else(|| t.holder_name.clone()) }</dd></div>
                if let Some(number) = &t.personal_number {
                    <div class="profile-row"><dt>{ "教師個人專用識別號碼" }</dt><dd>{ number }</dd></div>
                }
                <div class="profile-row"><dt>{ "核發時間" }</dt><dd>{ local_time(&t.issued_at) }</dd></div>
                <div class="profile-row"><dt>{ "驗證碼" }</dt><dd class="code" id="transcript-code">{ &t.code }</dd></div>
                <div class="profile-row"><dt>{ "驗證網址" }</dt><dd id="transcript-url">{ &t.verify_url }</dd></div>
                <div class="profile-row"><dt>{ "內容雜湊（SHA-256）" }</dt><dd class="code hash">{ &t.sha256 }</dd></div>
            </dl>
            <figure class="transcript-qr">
                <img id="transcript-qr" class="qr" src={format!("/api/v1/transcripts/{}/qr.svg", t.code)}
                     width="120" height="120" alt="驗證網址的 QR code" />
                <figcaption>{ "以手機掃描即可驗證本證明" }</figcaption>
            </figure>
            { records_view(&t.records) }
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub code: AttrValue,
}

/// The printable transcript the teacher just issued.
#[component]
pub fn TranscriptPage(props: &CodeProps) -> Html {
    use_title("研習時數證明");
    let session = use_require_login();
    let transcript = use_fetch(props.code.to_string(), |code| async move {
        records::transcript(&code).await
    });
    let print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    match &*transcript {
        Fetch::Loading => html! { <Loading /> },
        Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
        Fetch::Ready(t) => html! {
            <section>
                <div class="form-actions no-print">
                    <button type="button" class="primary" id="transcript-print" onclick={print}>{ "列印" }</button>
                    <AppLink to={Route::MyRecords}>{ "回研習紀錄" }</AppLink>
                </div>
                { transcript_view(t, session.map(|s| s.account.real_name.clone())) }
                <p class="hint">{ "任何人可在驗證網址輸入驗證碼，查看本證明核發時的內容。" }</p>
            </section>
        },
    }
}

/// Public: checks a verification code and shows what the transcript said.
#[component]
pub fn VerifyPage(props: &CodeProps) -> Html {
    use_title("研習時數證明驗證");
    let navigator = use_navigator();
    let input = use_node_ref();
    let code = props.code.to_string();
    let transcript = use_fetch(code.clone(), |code| async move {
        if code.is_empty() {
            return futures::future::pending().await;
        }
        records::transcript(&code).await
    });
    let onsubmit = {
        let input = input.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_owned())
                .unwrap_or_default();
            if let (Some(navigator), false) = (navigator.clone(), typed.is_empty()) {
                navigator.push(&Route::Verify { code: typed });
            }
        })
    };
    html! {
        <section aria-labelledby="verify-title">
            <h1 id="verify-title" class="no-print">{ "研習時數證明驗證" }</h1>
            <form class="panel no-print" id="verify-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="verify-code">{ "驗證碼（證明上的 16 碼，可不含連字號）" }</label>
                    <input id="verify-code" ref={input} value={code.clone()} autocomplete="off" />
                </div>
                <button type="submit" class="primary" id="verify-submit">{ "驗證" }</button>
            </form>
            if !code.is_empty() {
                { match &*transcript {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(t) => html! {
                        <>
                            if t.intact {
                                <p class="notice" role="status" id="verify-result">
                                    { "驗證結果：有效。以下為本證明核發時的內容。" }
                                </p>
                            } else {
                                <p class="error" role="alert" id="verify-result">
                                    { "驗證結果：內容與核發時不符，請洽全國教師在職進修資訊網。" }
                                </p>
                            }
                            { transcript_view(t, None) }
                        </>
                    },
                } }
            }
        </section>
    }
}
