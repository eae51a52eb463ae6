//! 開發信箱 (national centre, development mode only): the e-mails the system queued, newest
//! first, so reset and sign-up links can be followed without a mail server.

use inservice_wire::MailDto;
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::accounts::MeExt;
use crate::api::admin;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{iso, taipei_time};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::session::use_auth;
use crate::text::linkify;

#[component]
pub fn MailboxPage() -> Html {
    use_title("開發信箱");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    html! {
        <section class="mailbox" aria-labelledby="mailbox-title">
            <h1 id="mailbox-title">{ "開發信箱" }</h1>
            if session.account.is_national_admin() {
                <Mailbox />
            } else {
                <Forbidden>{ "這項功能限全國推廣中心管理者使用。" }</Forbidden>
            }
        </section>
    }
}

#[component]
fn Mailbox() -> Html {
    let auth = use_auth();
    let version = use_state(|| 0_u32);
    let mail = use_fetch(*version, move |_| async move {
        admin::mailbox(&auth.client).await
    });
    let onclick = {
        let version = version.clone();
        Callback::from(move |_: MouseEvent| version.set(*version + 1))
    };
    html! {
        <>
            <p class="lead">{ "開發模式下，系統寄出的電子郵件都留在這裡，不會真的寄出。" }</p>
            <div class="row-actions">
                <button id="mailbox-refresh" type="button" {onclick}>{ "重新整理" }</button>
            </div>
            <div class="live" aria-live="polite">
                { match &*mail {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(ApiError::Problem { status: 404, .. }) => html! {
                        <p class="warning" id="mailbox-unavailable">{ "正式環境不提供開發信箱" }</p>
                    },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(list) => html! {
                        <p class="summary" id="mailbox-total">{ format!("共 {} 封", list.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(list) = &*mail {
                <ul class="mail-list">{ for list.items.iter().map(mail_row) }</ul>
            }
        </>
    }
}

fn mail_row(mail: &MailDto) -> Html {
    html! {
        <li class="mail-row" key={mail.id} data-to={mail.to.clone()}>
            <h2 class="mail-subject">{ &mail.subject }</h2>
            <dl class="unit-meta">
                <div><dt>{ "收件人" }</dt><dd class="mail-to">{ &mail.to }</dd></div>
                <div><dt>{ "時間" }</dt><dd>
                    <time datetime={iso(&mail.created_at)}>{ taipei_time(&mail.created_at) }</time>
                </dd></div>
                <div><dt>{ "狀態" }</dt><dd>{ &mail.status }</dd></div>
            </dl>
            <pre class="mail-body">{ linkify(&mail.body) }</pre>
        </li>
    }
}
