//! The app shell: session, router, header with the site navigation, main area, footer.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::accounts::MeExt;
use crate::components::app_link::AppLink;
use crate::routes::{Route, switch};
use crate::session::{SessionProvider, use_auth};

#[component]
pub fn App() -> Html {
    html! {
        <SessionProvider>
            <BrowserRouter>
                <a class="skip-link" href="#main">{ "跳到主要內容" }</a>
                <Header />
                // tabindex -1 lets the skip link move keyboard focus here.
                <main id="main" class="container" tabindex="-1">
                    <Switch<Route> render={switch} />
                </main>
                <Footer />
            </BrowserRouter>
        </SessionProvider>
    }
}

#[component]
fn Header() -> Html {
    html! {
        <header class="site-header">
            <div class="container header-inner">
                <AppLink
                    to={Route::Home}
                    id="site-title"
                    classes={classes!("site-title")}
                    mark_current={false}
                >
                    { "全國教師在職進修資訊網" }
                </AppLink>
                <nav class="site-nav" aria-label="主要選單">
                    <ul>
                        <li><AppLink to={Route::Home} id="nav-home">{ "首頁" }</AppLink></li>
                        <li>
                            <AppLink to={Route::Taxonomy} id="nav-taxonomy">
                                { "研習課程分類" }
                            </AppLink>
                        </li>
                        <li>
                            <AppLink to={Route::Courses} id="nav-courses">{ "研習課程查詢" }</AppLink>
                        </li>
                        <li><AppLink to={Route::Units} id="nav-units">{ "單位查詢" }</AppLink></li>
                        <li>
                            // A plain link: the API docs are served by the server, not the SPA.
                            <a id="nav-api-docs" class="external" href="/api/docs/">
                                { "API 文件" }
                            </a>
                        </li>
                        <AccountNav />
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// 登入・註冊, or the account's name, its approvals (business accounts), the unit's teachers
/// (unit managers), the partner exchange (national centre, county bureaus), the administration
/// pages (national centre) and 登出.
/// Nothing while the start-up check runs, so 「登入」 does not flash for a logged-in user.
#[component]
fn AccountNav() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    if !auth.restored {
        return html! {};
    }
    let Some(account) = auth.account().cloned() else {
        return html! {
            <>
                <li><AppLink to={Route::Login} id="nav-login">{ "登入" }</AppLink></li>
                <li><AppLink to={Route::Signup} id="nav-signup">{ "註冊" }</AppLink></li>
            </>
        };
    };
    let onclick = Callback::from(move |_: MouseEvent| {
        let (auth, navigator) = (auth.clone(), navigator.clone());
        spawn_local(async move {
            // Logged out locally even when the server cannot be reached.
            let _ = auth.log_out().await;
            if let Some(navigator) = navigator {
                navigator.push(&Route::Home);
            }
        });
    });
    html! {
        <>
            <li>
                <AppLink to={Route::Profile} id="nav-profile">
                    { &account.real_name }<span class="visually-hidden">{ "的個人資料" }</span>
                </AppLink>
            </li>
            if account.kind == "teacher" {
                <li><AppLink to={Route::MyEnrollments} id="nav-my-enrollments">{ "我的研習" }</AppLink></li>
                <li><AppLink to={Route::MyRecords} id="nav-my-records">{ "研習紀錄" }</AppLink></li>
            }
            if account.is_active_teacher() {
                <li><AppLink to={Route::Favourites} id="nav-favourites">{ "我的收藏" }</AppLink></li>
            }
            if account.is_business() {
                <li>
                    <AppLink to={Route::UnitCourses} id="nav-unit-courses">{ "本單位課程" }</AppLink>
                </li>
                <li><AppLink to={Route::Dashboard} id="nav-dashboard">{ "燈號" }</AppLink></li>
            }
            if account.is_reviewer() {
                <li><AppLink to={Route::ReviewCourses} id="nav-review">{ "課程審核" }</AppLink></li>
                <li><AppLink to={Route::ReviewRosters} id="nav-rosters">{ "名單確認" }</AppLink></li>
            }
            if account.is_business() {
                <li><AppLink to={Route::Approvals} id="nav-approvals">{ "帳號審核" }</AppLink></li>
            }
            if account.is_unit_manager() {
                <li>
                    <AppLink to={Route::UnitTeachers} id="nav-unit-teachers">{ "本單位教師" }</AppLink>
                </li>
            }
            if account.works_exchange() {
                <li><AppLink to={Route::ExchangeUpload} id="nav-exchange">{ "資訊傳報" }</AppLink></li>
            }
            if account.is_national_admin() {
                <li><AppLink to={Route::AdminUnits} id="nav-admin-units">{ "單位管理" }</AppLink></li>
                <li><AppLink to={Route::AdminTags} id="nav-tags">{ "屬性標籤" }</AppLink></li>
                <li><AppLink to={Route::AdminPartners} id="nav-partners">{ "合作系統" }</AppLink></li>
                <li><AppLink to={Route::AdminAudit} id="nav-audit">{ "稽核紀錄" }</AppLink></li>
                <li><AppLink to={Route::AdminMailbox} id="nav-mailbox">{ "開發信箱" }</AppLink></li>
            }
            <li>
                <button type="button" id="nav-logout" class="nav-button" {onclick}>{ "登出" }</button>
            </li>
        </>
    }
}

#[component]
fn Footer() -> Html {
    html! {
        <footer class="site-footer">
            <div class="container">
                <p>{ "全國教師在職進修資訊網：研習課程分類與研習單位資料，僅供查詢參考。" }</p>
            </div>
        </footer>
    }
}
