//! 全國教師在職進修資訊網: the single-page app, rendered into `<body>`.

mod api;
mod app;
mod components;
mod files;
mod format;
mod hooks;
mod pages;
mod routes;
mod session;
mod text;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
