//! A typed HTTP client per identity: a demo account logged in, a minted teacher, a bearer token
//! from a session, or nobody at all.
//!
//! ```ignore
//! let operator = app.as_user("school.operator").await;
//! let course = operator.post_ok("/api/v1/units/demo-jh-taipei/courses", &form, 201).await;
//! let (status, problem) = app.anonymous().get("/api/v1/me").await;
//! ```
//!
//! Every call returns the status and the JSON body (`Null` when the body is empty or not JSON);
//! the `*_ok` variants assert the status (naming the method, path and body when it differs) and
//! return the body alone.

use std::borrow::Borrow;

use reqwest::Method;
use serde_json::Value;

use crate::TestApp;

/// Requests made as one identity (or as nobody) against a [`TestApp`].
#[derive(Clone)]
pub struct UserClient<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl std::fmt::Debug for UserClient<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserClient")
            .field("authenticated", &self.token.is_some())
            .finish()
    }
}

/// A status and its JSON body (`Null` when empty or not JSON).
async fn status_and_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

impl TestApp {
    /// Logs in as the demo account `login` (demo password; asserting 200) and returns its client.
    pub async fn as_user(&self, login: &str) -> UserClient<'_> {
        let token = self.demo_token(login).await;
        self.bearer(token)
    }

    /// [`TestApp::as_user`] for each of `logins`, in order.
    pub async fn as_users<const N: usize>(&self, logins: [&str; N]) -> [UserClient<'_>; N] {
        let mut clients = Vec::with_capacity(N);
        for login in logins {
            clients.push(self.as_user(login).await);
        }
        clients.try_into().expect("one client per login")
    }

    /// A client sending `token` as its bearer token.
    pub fn bearer(&self, token: impl Into<String>) -> UserClient<'_> {
        UserClient {
            app: self,
            token: Some(token.into()),
        }
    }

    /// A client sending no credentials.
    pub fn anonymous(&self) -> UserClient<'_> {
        UserClient {
            app: self,
            token: None,
        }
    }

    /// [`TestApp::teachers`] as clients: `n` active teachers of `unit` with job title `title`,
    /// each with its account id and a client holding a token of a recorded login session.
    pub async fn teacher_clients(
        &self,
        n: usize,
        unit: &str,
        title: &str,
    ) -> Vec<(i32, UserClient<'_>)> {
        self.teachers(n, unit, title)
            .await
            .into_iter()
            .map(|(id, token)| (id, self.bearer(token)))
            .collect()
    }
}

impl<'a> UserClient<'a> {
    /// The application this client talks to.
    pub fn app(&self) -> &'a TestApp {
        self.app
    }

    /// The bearer token (panics for the anonymous client).
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("an authenticated client")
    }

    /// A request builder for `method path`, with the bearer token when there is one.
    pub fn request(&self, method: Method, path: impl AsRef<str>) -> reqwest::RequestBuilder {
        let request = self.app.client.request(method, self.app.url(path.as_ref()));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `method path` with an optional JSON body; returns the status and the JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: impl AsRef<str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        status_and_json(request.send().await.expect("request reaches the server")).await
    }

    /// [`UserClient::send`], asserting `status`; returns the JSON body.
    pub async fn send_ok(
        &self,
        method: Method,
        path: impl AsRef<str>,
        body: Option<&Value>,
        status: u16,
    ) -> Value {
        let path = path.as_ref();
        let (actual, body) = self.send(method.clone(), path, body).await;
        assert_eq!(actual, status, "{method} {path}: {body}");
        body
    }

    pub async fn get(&self, path: impl AsRef<str>) -> (u16, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: impl AsRef<str>, body: impl Borrow<Value>) -> (u16, Value) {
        self.send(Method::POST, path, Some(body.borrow())).await
    }

    pub async fn put(&self, path: impl AsRef<str>, body: impl Borrow<Value>) -> (u16, Value) {
        self.send(Method::PUT, path, Some(body.borrow())).await
    }

    pub async fn patch(&self, path: impl AsRef<str>, body: impl Borrow<Value>) -> (u16, Value) {
        self.send(Method::PATCH, path, Some(body.borrow())).await
    }

    pub async fn delete(&self, path: impl AsRef<str>) -> (u16, Value) {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn get_ok(&self, path: impl AsRef<str>, status: u16) -> Value {
        self.send_ok(Method::GET, path, None, status).await
    }

    pub async fn post_ok(
        &self,
        path: impl AsRef<str>,
        body: impl Borrow<Value>,
        status: u16,
    ) -> Value {
        self.send_ok(Method::POST, path, Some(body.borrow()), status)
            .await
    }

    pub async fn put_ok(
        &self,
        path: impl AsRef<str>,
        body: impl Borrow<Value>,
        status: u16,
    ) -> Value {
        self.send_ok(Method::PUT, path, Some(body.borrow()), status)
            .await
    }

    pub async fn patch_ok(
        &self,
        path: impl AsRef<str>,
        body: impl Borrow<Value>,
        status: u16,
    ) -> Value {
        self.send_ok(Method::PATCH, path, Some(body.borrow()), status)
            .await
    }

    pub async fn delete_ok(&self, path: impl AsRef<str>, status: u16) -> Value {
        self.send_ok(Method::DELETE, path, None, status).await
    }

    /// POSTs raw `bytes` as `content_type` (a file upload); returns the status and JSON body.
    pub async fn upload(
        &self,
        path: impl AsRef<str>,
        bytes: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> (u16, Value) {
        let response = self
            .request(Method::POST, path)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .expect("request reaches the server");
        status_and_json(response).await
    }

    /// GETs `path` and returns the status, the content type ("" when none) and the raw body.
    pub async fn get_bytes(&self, path: impl AsRef<str>) -> (u16, String, Vec<u8>) {
        let response = self
            .request(Method::GET, path)
            .send()
            .await
            .expect("request reaches the server");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.expect("a body").to_vec();
        (status, content_type, bytes)
    }
}
