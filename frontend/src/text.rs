//! Showing server text: links inside plain text (dates and times are in `format`).

use yew::prelude::*;

/// Characters that end a URL in running (Chinese or English) text.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '」' | '）' | '，' | '。' | '、')
}

/// `text` as text, with every `http://` or `https://` URL made a link.
pub fn linkify(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(start);
        let end = from.find(ends_url).unwrap_or(from.len());
        // A sentence's final full stop or closing bracket is not part of the link.
        let url = from[..end].trim_end_matches(['.', ',', ')', ';', ':']);
        if !before.is_empty() {
            parts.push(html! { before.to_owned() });
        }
        parts.push(html! { <a href={url.to_owned()} rel="noopener noreferrer">{ url }</a> });
        rest = &from[url.len()..];
    }
    if !rest.is_empty() {
        parts.push(html! { rest.to_owned() });
    }
    parts.into_iter().collect()
}
