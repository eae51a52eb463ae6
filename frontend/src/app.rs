//! The app shell: router, header with the site navigation, main area, footer.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_link::AppLink;
use crate::routes::{Route, switch};

#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <a class="skip-link" href="#main">{ "跳到主要內容" }</a>
            <Header />
            // tabindex -1 lets the skip link move keyboard focus here.
            <main id="main" class="container" tabindex="-1">
                <Switch<Route> render={switch} />
            </main>
            <Footer />
        </BrowserRouter>
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
                        <li><AppLink to={Route::Units} id="nav-units">{ "單位查詢" }</AppLink></li>
                        <li>
                            // A plain link: the API docs are served by the server, not the SPA.
                            <a id="nav-api-docs" class="external" href="/api/docs/">
                                { "API 文件" }
                            </a>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
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
