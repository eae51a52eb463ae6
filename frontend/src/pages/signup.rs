//! 教師帳號註冊: the sign-up form; on success the teacher is logged in and sees the profile.

use inservice_wire::{MeDto, TeacherSignUp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::{self, parse_subjects};
use crate::components::app_link::AppLink;
use crate::components::form::{
    Checkbox, ErrorSummary, FormValues, Input, Notice, Select, field_error,
};
use crate::components::job_title::JobTitleSelect;
use crate::hooks::use_title;
use crate::pages::profile::ProfileQuery;
use crate::routes::Route;
use crate::session::use_auth;

/// Server field → input id, for the error summary's links.
const FIELDS: &[(&str, &str)] = &[
    ("account_name", "signup-account-name"),
    ("password", "signup-password"),
    ("real_name", "signup-real-name"),
    ("national_id", "signup-national-id"),
    ("birth_date", "signup-birth-date"),
    ("gender", "signup-gender"),
    ("email", "signup-email"),
    ("phone", "signup-phone"),
    ("unit_code", "signup-unit"),
    ("job_title", "signup-job-title"),
    ("subjects", "signup-subjects"),
    ("accept_agreement", "signup-accept-agreement"),
    ("accept_privacy", "signup-accept-privacy"),
];

const GENDERS: &[(&str, &str)] = &[("female", "女"), ("male", "男")];

/// A date the server parses but always rejects as implausible. It stands in for an empty date
/// (which would not even parse), so one submit still reports every other field as well.
const NO_DATE: &str = "0001-01-01";

fn read(form: &FormValues) -> TeacherSignUp {
    TeacherSignUp {
        account_name: form.text("account_name"),
        password: form.raw("password"),
        real_name: form.text("real_name"),
        national_id: form.text("national_id").to_uppercase(),
        birth_date: form
            .optional("birth_date")
            .unwrap_or_else(|| NO_DATE.to_owned()),
        gender: form.text("gender"),
        email: form.text("email"),
        phone: form.optional("phone"),
        unit_code: form.optional("unit_code"),
        job_title: form.text("job_title"),
        subjects: parse_subjects(&form.text("subjects")),
        accept_agreement: form.checked("accept_agreement"),
        accept_privacy: form.checked("accept_privacy"),
    }
}

/// Says "fill in" or "choose" rather than "implausible" or "must be a code" about what was left
/// empty.
fn explain_empty(error: ApiError, signup: &TeacherSignUp) -> ApiError {
    let ApiError::Problem {
        status,
        mut problem,
    } = error
    else {
        return error;
    };
    let empty = [
        ("birth_date", signup.birth_date == NO_DATE, "請填寫出生日期"),
        ("gender", signup.gender.is_empty(), "請選擇性別"),
        ("job_title", signup.job_title.is_empty(), "請選擇職稱"),
    ];
    for e in &mut problem.errors {
        if let Some((_, _, message)) = empty.iter().find(|(f, empty, _)| *empty && e.field == *f) {
            e.code = "required".into();
            e.message = (*message).into();
        }
    }
    ApiError::Problem { status, problem }
}

#[component]
pub fn SignupPage() -> Html {
    use_title("教師帳號註冊");
    let auth = use_auth();
    let navigator = use_navigator();
    let error = use_state(|| None::<ApiError>);
    let created = use_state(|| None::<MeDto>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (error, created, busy) = (error.clone(), created.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            let form = FormValues::from_submit(&e);
            if *busy {
                return;
            }
            error.set(None);
            let signup = read(&form);
            busy.set(true);
            let (auth, navigator) = (auth.clone(), navigator.clone());
            let (error, created, busy) = (error.clone(), created.clone(), busy.clone());
            spawn_local(async move {
                let me = match accounts::sign_up(&signup).await {
                    Ok(me) => me,
                    Err(e) => {
                        error.set(Some(explain_empty(e, &signup)));
                        return busy.set(false);
                    }
                };
                created.set(Some(me));
                match accounts::log_in(&signup.account_name, &signup.password).await {
                    Ok(tokens) => {
                        auth.start(tokens);
                        if let Some(navigator) = &navigator {
                            let query = ProfileQuery {
                                welcome: Some("1".into()),
                            };
                            let _ = navigator.push_with_query(&Route::Profile, &query);
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let err = |field: &str| field_error(&error, field);
    html! {
        <section class="account-page" aria-labelledby="signup-title">
            <h1 id="signup-title">{ "教師帳號註冊" }</h1>
            if let Some(me) = &*created {
                <Notice id="signup-done">
                    <p><strong>{ "註冊成功" }</strong></p>
                    <p>
                        { "您的教師個人專用識別號碼：" }
                        <span class="code">{ me.personal_number.clone().unwrap_or_default() }</span>
                    </p>
                    <p>
                        { "正在為您登入…若沒有自動進入，請" }
                        <AppLink to={Route::Login} id="signup-done-login">{ "前往登入" }</AppLink>
                        { "。" }
                    </p>
                </Notice>
            }
            if let Some(e) = &*error {
                <ErrorSummary error={e.clone()} fields={FIELDS} />
            }
            if created.is_none() {
                <p class="lead">
                    { "已有帳號？" }<AppLink to={Route::Login} id="signup-login">{ "登入" }</AppLink>
                    { "。學校或機關承辦人請" }
                    <AppLink to={Route::Apply} id="signup-apply">{ "申請業務帳號" }</AppLink>{ "。" }
                </p>
                <form class="account-form" novalidate=true aria-labelledby="signup-title" {onsubmit}>
                    <fieldset>
                        <legend>{ "帳號" }</legend>
                        <Input id="signup-account-name" name="account_name" label="帳號名稱"
                            required=true autocomplete="username" error={err("account_name")}
                            hint={html! { "4 到 30 個英文字母、數字或 . _ -，須以英文字母開頭；設定後不能更改。" }} />
                        <Input id="signup-password" name="password" label="密碼" kind="password"
                            required=true autocomplete="new-password" error={err("password")}
                            hint={html! { "至少 10 個字元，須包含英文字母與數字，且不可包含帳號名稱。" }} />
                    </fieldset>
                    <fieldset>
                        <legend>{ "個人資料" }</legend>
                        <Input id="signup-real-name" name="real_name" label="真實姓名"
                            required=true autocomplete="name" error={err("real_name")} />
                        <Input id="signup-national-id" name="national_id" label="身分證統一編號"
                            required=true autocomplete="off" error={err("national_id")}
                            hint={html! { "身分證統一編號或居留證統一證號，僅用於確認身分，不會公開。" }} />
                        <Input id="signup-birth-date" name="birth_date" label="出生日期" kind="date"
                            required=true autocomplete="bday" error={err("birth_date")} />
                        <Select id="signup-gender" name="gender" label="性別" options={GENDERS}
                            placeholder="請選擇" required=true error={err("gender")} />
                        <Input id="signup-email" name="email" label="電子郵件" kind="email"
                            required=true autocomplete="email" error={err("email")}
                            hint={html! { "用於通知與重設密碼。" }} />
                        <Input id="signup-phone" name="phone" label="聯絡電話" kind="tel"
                            autocomplete="tel" error={err("phone")}
                            hint={html! { "例如 02-12345678#123" }} />
                    </fieldset>
                    <fieldset>
                        <legend>{ "服務與任教" }</legend>
                        <Input id="signup-unit" name="unit_code" label="服務學校單位代碼"
                            autocomplete="off" error={err("unit_code")} hint={unit_hint()} />
                        <JobTitleSelect id="signup-job-title" placeholder="請選擇" required=true
                            error={err("job_title")} />
                        <Input id="signup-subjects" name="subjects" label="任教科目"
                            autocomplete="off" error={err("subjects")}
                            hint={html! { "多個科目請以逗號或頓號分隔，例如：國語文、數學" }} />
                    </fieldset>
                    <fieldset>
                        <legend>{ "同意事項" }</legend>
                        <Checkbox id="signup-accept-agreement" name="accept_agreement"
                            error={err("accept_agreement")}>
                            { "我已閱讀並同意帳號使用約定" }
                        </Checkbox>
                        <Checkbox id="signup-accept-privacy" name="accept_privacy"
                            error={err("accept_privacy")}>
                            { "我同意本網站依個人資料保護法蒐集、處理及利用我的個人資料" }
                        </Checkbox>
                    </fieldset>
                    <button id="signup-submit" type="submit" class="primary" disabled={*busy}>
                        { if *busy { "送出中…" } else { "註冊" } }
                    </button>
                </form>
            }
        </section>
    }
}

/// Where to find a unit code; a new tab keeps what is typed here.
fn unit_hint() -> Html {
    html! {
        <>
            { "可在" }
            <a href="/units" target="_blank" rel="noopener">{ "單位查詢（另開新分頁）" }</a>
            { "找到代碼，例如 demo-jh-taipei。送出後由該校確認，確認前帳號只能查看研習紀錄；沒有服務學校請留空。" }
        </>
    }
}
