//! 課程意見回饋問卷: the attendee's nine questions (1–5, once), and the organiser's summary
//! (學員回饋問卷調查表統計) with its workbook and the paper questionnaires' counts.

use inservice_wire::FeedbackSummaryDto;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::courses;
use crate::api::records;
use crate::components::app_link::AppLink;
use crate::components::form::{ErrorSummary, FormValues, Notice};
use crate::components::status::{ErrorBox, Loading};
use crate::files;
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::routes::Route;
use crate::session::use_auth;

const SCORES: [(u8, &str); 5] = [
    (5, "5 非常滿意"),
    (4, "4 滿意"),
    (3, "3 普通"),
    (2, "2 不滿意"),
    (1, "1 非常不滿意"),
];

#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    pub code: i32,
}

#[component]
pub fn FeedbackPage(props: &FeedbackProps) -> Html {
    use_title("課程意見回饋問卷");
    let auth = use_auth();
    let signed_in = use_require_login().is_some();
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let code = props.code;
    let form = {
        let auth = auth.clone();
        use_fetch(
            (code, signed_in, *version),
            move |(code, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                records::feedback_form(&auth.client, code).await
            },
        )
    };
    let course = use_fetch(code, {
        let client = auth.client.clone();
        move |code| async move { courses::course(&client, code).await }
    });
    let onsubmit = {
        let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            let values = FormValues::from_submit(&e);
            let answers: Vec<u8> = (1..=9)
                .map(|q| values.text(&format!("q{q}")).parse().unwrap_or(0))
                .collect();
            let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
            spawn_local(async move {
                let result = records::answer_feedback(&auth.client, code, answers.clone()).await;
                if result.is_ok() {
                    version.set(*version + 1);
                }
                outcome.set(Some(result.map(|_| "感謝您的回饋！".to_owned())));
            });
        })
    };
    let name = match &*course {
        Fetch::Ready(c) => c.name.clone(),
        _ => String::new(),
    };
    html! {
        <section aria-labelledby="feedback-title">
            <h1 id="feedback-title">{ "課程意見回饋問卷" }</h1>
            <p class="lead"><AppLink to={Route::Course { code }}>{ name }</AppLink></p>
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="feedback-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            { match &*form {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(f) if f.answered => html! { <p id="feedback-answered">{ "您已填答這門課程的問卷。" }</p> },
                Fetch::Ready(f) if !f.can_answer => html! {
                    <p id="feedback-closed">{ "問卷於課程結束後開放出席的教師線上填答。" }</p>
                },
                Fetch::Ready(f) => html! {
                    <form id="feedback-form" novalidate=true {onsubmit}>
                        { for f.questions.iter().enumerate().map(|(i, question)| html! {
                            <fieldset class="question" id={format!("question-{}", i + 1)}>
                                <legend>{ format!("{}. {}", i + 1, question) }</legend>
                                <div class="scores">
                                    { for SCORES.iter().map(|(score, label)| html! {
                                        <label class="score">
                                            <input type="radio" name={format!("q{}", i + 1)} value={score.to_string()}
                                                id={format!("q{}-{}", i + 1, score)} />
                                            { *label }
                                        </label>
                                    }) }
                                </div>
                            </fieldset>
                        }) }
                        <button type="submit" class="primary" id="feedback-submit">{ "送出問卷" }</button>
                    </form>
                },
            } }
        </section>
    }
}

#[component]
pub fn FeedbackSummaryPage(props: &FeedbackProps) -> Html {
    use_title("回饋問卷統計");
    let auth = use_auth();
    let signed_in = use_require_login().is_some();
    let version = use_state(|| 0_u32);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let code = props.code;
    let summary = {
        let auth = auth.clone();
        use_fetch(
            (code, signed_in, *version),
            move |(code, signed_in, _)| async move {
                if !signed_in {
                    return futures::future::pending().await;
                }
                records::feedback_summary(&auth.client, code).await
            },
        )
    };
    let download = {
        let (auth, outcome) = (auth.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let (auth, outcome) = (auth.clone(), outcome.clone());
            spawn_local(async move {
                match records::feedback_workbook(&auth.client, code).await {
                    Ok(bytes) => {
                        let name = format!("course-{code}-feedback.xlsx");
                        if let Err(e) = files::save(&bytes, files::XLSX, &name) {
                            outcome.set(Some(Err(ApiError::Network(e))));
                        }
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let on_paper = {
        let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            let values = FormValues::from_submit(&e);
            let counts: Vec<Vec<u32>> = (1..=9)
                .map(|q| {
                    (1..=5)
                        .map(|s| values.text(&format!("paper-{q}-{s}")).parse().unwrap_or(0))
                        .collect()
                })
                .collect();
            let (auth, version, outcome) = (auth.clone(), version.clone(), outcome.clone());
            spawn_local(async move {
                let result = records::set_paper(&auth.client, code, counts.clone()).await;
                if result.is_ok() {
                    version.set(*version + 1);
                }
                outcome.set(Some(result.map(|_| "已更新紙本問卷份數。".to_owned())));
            });
        })
    };
    let Fetch::Ready(s) = &*summary else {
        return match &*summary {
            Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
            _ => html! { <Loading /> },
        };
    };
    html! {
        <section aria-labelledby="summary-title">
            <h1 id="summary-title">{ "學員回饋問卷調查表統計" }</h1>
            <p class="lead">
                <AppLink to={Route::Course { code }}>{ &s.course_name }</AppLink>
                { format!("　{}　{} 小時　{} ～ {}", s.unit_name, s.hours, s.start_date, s.end_date) }
            </p>
            { match &*outcome {
                Some(Ok(message)) => html! { <Notice id="summary-notice">{ message.clone() }</Notice> },
                Some(Err(error)) => html! { <ErrorSummary error={error.clone()} /> },
                None => html! {},
            } }
            { summary_table(s) }
            <div class="form-actions">
                <button type="button" id="summary-download" onclick={download}>{ "下載 Excel" }</button>
            </div>
            <form class="panel" id="paper-form" novalidate=true onsubmit={on_paper}>
                <h2>{ "紙本問卷份數" }</h2>
                <p class="hint">{ "請依題目填入各分數的份數（5 分為非常滿意）。" }</p>
                <table class="plain-table paper-table">
                    <thead>
                        <tr><th>{ "題號" }</th>{ for (1..=5).rev().map(|s| html! { <th>{ format!("{s} 分") }</th> }) }</tr>
                    </thead>
                    <tbody>
                        { for (1..=9).map(|q| html! {
                            <tr>
                                <th scope="row">{ q }</th>
                                { for (1..=5).rev().map(|score| {
                                    let value = s.paper.counts.get(q - 1).and_then(|row| row.get(score - 1)).copied().unwrap_or(0);
                                    html! {
                                        <td>
                                            <input type="number" min="0" inputmode="numeric" class="count"
                                                name={format!("paper-{q}-{score}")} id={format!("paper-{q}-{score}")}
                                                aria-label={format!("第 {q} 題 {score} 分份數")}
                                                value={value.to_string()} />
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <button type="submit" id="paper-save">{ "儲存紙本份數" }</button>
            </form>
        </section>
    }
}

fn summary_table(s: &FeedbackSummaryDto) -> Html {
    html! {
        <table class="plain-table" id="feedback-summary">
            <thead>
                <tr><th>{ "題號" }</th><th>{ "題目" }</th><th>{ "合計(分)" }</th><th>{ "填表人數(人)" }</th><th>{ "平均(分)" }</th></tr>
            </thead>
            <tbody>
                { for s.questions.iter().map(|q| html! {
                    <tr data-question={q.number.to_string()}>
                        <td>{ q.number }</td>
                        <td>{ &q.question }</td>
                        <td>{ q.total }</td>
                        <td class="count">{ q.count }</td>
                        <td class="average">{ format!("{:.2}", q.average) }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th colspan="2">{ "總計(分)" }</th><td id="summary-total">{ s.total }</td><td></td><td></td></tr>
                <tr><th colspan="2">{ "總平均(分)" }</th><td></td><td id="summary-respondents">{ s.respondents }</td>
                    <td id="summary-average">{ format!("{:.2}", s.average) }</td></tr>
            </tfoot>
        </table>
    }
}
