//! 傳報紀錄: the exchange log, batches newest first with their counts, and each partner's
//! monthly success rate over the last year. The national centre sees every partner (or one);
//! a county bureau picks one of its county's partners.

use inservice_wire::{BatchReportDto, PartnerDto, SuccessRateDto};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::exchange::{self, format_label, kind_label, status_label};
use crate::components::exchange_nav::ExchangeNav;
use crate::components::pagination::Pagination;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::format::{iso, local_time};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::session::use_auth;

const PER_PAGE: u64 = 50;

#[component]
pub fn ExchangeLogPage() -> Html {
    use_title("傳報紀錄");
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    if !session.account.works_exchange() {
        return html! {
            <Forbidden>{ "傳報紀錄限全國推廣中心管理者與縣市政府教育局（處）人員查閱。" }</Forbidden>
        };
    }
    html! {
        <section aria-labelledby="log-title">
            <h1 id="log-title">{ "傳報紀錄" }</h1>
            <ExchangeNav />
            <Log admin={session.account.is_national_admin()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LogProps {
    /// The national centre: every partner, or one.
    admin: bool,
}

#[component]
fn Log(props: &LogProps) -> Html {
    let auth = use_auth();
    let partners = {
        let auth = auth.clone();
        use_fetch((), move |()| async move {
            exchange::partners(&auth.client).await
        })
    };
    let chosen = use_state(|| None::<String>);
    let page = use_state(|| 1_u64);
    let list: Vec<PartnerDto> = match &*partners {
        Fetch::Ready(list) => list.items.clone(),
        _ => Vec::new(),
    };
    // A bureau must name a partner: its first until it picks another.
    let partner = match (&*chosen, props.admin) {
        (Some(code), _) => Some(code.clone()),
        (None, true) => Some(String::new()),
        (None, false) => list.first().map(|p| p.code.clone()),
    };
    let log = {
        let auth = auth.clone();
        use_fetch(
            (partner.clone(), *page),
            move |(partner, page)| async move {
                match partner {
                    Some(partner) => exchange::batches(&auth.client, &partner, page, PER_PAGE)
                        .await
                        .map(Some),
                    None => Ok(None),
                }
            },
        )
    };
    let onchange = {
        let (chosen, page) = (chosen.clone(), page.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            chosen.set(Some(select.value()));
            page.set(1);
        })
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: u64| page.set(p))
    };
    let current = partner.clone().unwrap_or_default();
    let name_of = |code: &str| -> String {
        list.iter()
            .find(|p| p.code == code)
            .map_or_else(|| code.to_owned(), |p| format!("{}（{code}）", p.name))
    };
    let bureau_without_partner =
        !props.admin && matches!(&*partners, Fetch::Ready(l) if l.items.is_empty());

    html! {
        <>
            { match &*partners {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                Fetch::Ready(_) if bureau_without_partner => html! {
                    <p id="log-no-partner">{ "貴縣市尚無登錄的合作系統，因此沒有傳報紀錄。" }</p>
                },
                Fetch::Ready(_) => html! {
                    <div class="field log-filter">
                        <label for="log-partner">{ "合作系統" }</label>
                        <select id="log-partner" {onchange}>
                            if props.admin {
                                <option value="" selected={current.is_empty()}>{ "全部合作系統" }</option>
                            }
                            { for list.iter().map(|p| html! {
                                <option key={p.code.clone()} value={p.code.clone()}
                                    selected={p.code == current}>{ format!("{}（{}）", p.name, p.code) }</option>
                            }) }
                        </select>
                    </div>
                },
            } }
            <div class="live" aria-live="polite">
                { match &*log {
                    Fetch::Loading => html! { <Loading /> },
                    Fetch::Failed(error) => html! { <ErrorBox error={error.clone()} /> },
                    Fetch::Ready(None) => html! {},
                    Fetch::Ready(Some(log)) => html! {
                        <p class="summary" id="log-total">{ format!("共 {} 個批次", log.total) }</p>
                    },
                } }
            </div>
            if let Fetch::Ready(Some(log)) = &*log {
                if !log.items.is_empty() {
                    <table class="data-table batch-table" id="batch-table">
                        <caption class="visually-hidden">{ "傳報批次，新的在前" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "時間" }</th>
                                <th scope="col">{ "合作系統" }</th>
                                <th scope="col">{ "種類" }</th>
                                <th scope="col">{ "格式" }</th>
                                <th scope="col">{ "狀態" }</th>
                                <th scope="col">{ "筆數" }</th>
                                <th scope="col">{ "耗時" }</th>
                                <th scope="col">{ "執行者" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for log.items.iter().map(|b| batch_row(b, &name_of)) }</tbody>
                    </table>
                }
                <Pagination page={*page} per_page={PER_PAGE} total={log.total} onchange={on_page} />
                <section aria-labelledby="success-title">
                    <h2 id="success-title">{ "每月成功率（近一年）" }</h2>
                    if log.success.is_empty() {
                        <p id="success-empty">{ "近一年沒有批次。" }</p>
                    } else {
                        <table class="data-table success-table" id="success-table">
                            <caption class="visually-hidden">{ "各合作系統每月已寫入的批次占全部批次的比例" }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "合作系統" }</th>
                                    <th scope="col">{ "月份" }</th>
                                    <th scope="col">{ "批次" }</th>
                                    <th scope="col">{ "已寫入" }</th>
                                    <th scope="col">{ "成功率" }</th>
                                </tr>
                            </thead>
                            <tbody>{ for log.success.iter().map(|s| success_row(s, &name_of)) }</tbody>
                        </table>
                    }
                </section>
            }
        </>
    }
}

/// Milliseconds as 「850 毫秒」 or 「2.4 秒」.
fn duration(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} 毫秒")
    } else {
        format!("{}.{} 秒", ms / 1_000, (ms % 1_000) / 100)
    }
}

/// An account name, 「合作系統金鑰 isk_AbCd…」 for a partner's own call, 「排程」 for the
/// scheduler.
fn run_by(who: Option<&str>) -> String {
    match who {
        None => "排程".to_owned(),
        Some(who) => match who.strip_prefix("key:") {
            Some(prefix) => format!("合作系統金鑰 {prefix}…"),
            None => who.to_owned(),
        },
    }
}

fn batch_row(b: &BatchReportDto, name_of: &dyn Fn(&str) -> String) -> Html {
    let partner = b
        .partner_code
        .as_deref()
        .map_or_else(|| "—".to_owned(), name_of);
    let counts = format!(
        "{} 列：新增 {}、更新 {}、未變更 {}、待比對 {}、拒收 {}、疑似重複 {}",
        b.rows, b.created, b.updated, b.unchanged, b.unmatched, b.refused, b.duplicates
    );
    let status = if b.status == "committed" {
        html! { <span class="badge">{ status_label(&b.status) }</span> }
    } else if b.status == "failed" {
        html! { <span class="badge badge-danger">{ status_label(&b.status) }</span> }
    } else {
        html! { <span class="badge badge-muted">{ status_label(&b.status) }</span> }
    };
    html! {
        <tr class="batch-row" key={b.id} data-id={b.id.to_string()} data-status={b.status.clone()}>
            <td data-label="時間"><time datetime={iso(&b.started_at)}>{ local_time(&b.started_at) }</time></td>
            <td data-label="合作系統">{ partner }</td>
            <td data-label="種類">
                <div>
                    { kind_label(&b.kind) }
                    if let Some(name) = &b.file_name {
                        <br /><span class="meta">{ name }</span>
                    }
                </div>
            </td>
            <td data-label="格式">{ format_label(&b.format) }</td>
            <td data-label="狀態"><div>{ status }</div></td>
            <td data-label="筆數">{ counts }</td>
            <td data-label="耗時">{ duration(b.duration_ms) }</td>
            <td data-label="執行者">{ run_by(b.run_by.as_deref()) }</td>
        </tr>
    }
}

fn success_row(s: &SuccessRateDto, name_of: &dyn Fn(&str) -> String) -> Html {
    // Per mille, rounded, as 「97.5%」.
    let rate = (s.committed * 1_000 + s.batches / 2)
        .checked_div(s.batches)
        .map_or_else(|| "—".to_owned(), |r| format!("{}.{}%", r / 10, r % 10));
    html! {
        <tr class="success-row" key={format!("{}-{}", s.partner_code, s.month)}
            data-partner={s.partner_code.clone()} data-month={s.month.clone()}>
            <td data-label="合作系統">{ name_of(&s.partner_code) }</td>
            <td data-label="月份">{ &s.month }</td>
            <td data-label="批次">{ s.batches }</td>
            <td data-label="已寫入">{ s.committed }</td>
            <td data-label="成功率">{ rate }</td>
        </tr>
    }
}
