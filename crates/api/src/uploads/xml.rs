//! A guard for XML that comes from outside: the parts of an uploaded workbook, and any partner
//! file to come. It streams (nothing is built in memory), refuses a DTD — so no entity can be
//! declared, let alone expanded — and stops at a nesting depth and a byte count.

use std::io::{self, BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Reason, UploadError};

/// How deep elements may nest. Spreadsheet parts stay below 15 levels.
pub const MAX_XML_DEPTH: usize = 64;

/// The size and depth an XML document may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    /// Bytes of the document (after decompression).
    pub max_bytes: u64,
    /// Elements open at once.
    pub max_depth: usize,
}

/// Limits for a partner's XML document: 10 MB, the size of an upload, and 64 levels.
pub const PARTNER_XML: XmlLimits = XmlLimits {
    max_bytes: 10 << 20,
    max_depth: MAX_XML_DEPTH,
};

/// A source that yields at most `limit` bytes and remembers whether it had more.
pub(crate) struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: BufRead> Capped<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            over: false,
        }
    }

    /// Whether the source went on past the limit (seen once the limit is reached).
    pub(crate) fn over(&self) -> bool {
        self.over
    }
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let left = self.left;
        if left == 0 {
            if !self.over && !self.inner.fill_buf()?.is_empty() {
                self.over = true;
            }
            return Ok(&[]);
        }
        let buf = self.inner.fill_buf()?;
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        Ok(&buf[..n])
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.left = self.left.saturating_sub(n as u64);
    }
}

/// Reads XML event by event within [`XmlLimits`], refusing any `<!DOCTYPE`.
pub struct XmlGuard<R: BufRead> {
    reader: Reader<Capped<R>>,
    limits: XmlLimits,
    depth: usize,
}

impl<R: BufRead> XmlGuard<R> {
    /// A strict guard for documents we parse ourselves: malformed XML is unreadable, and only
    /// the five predefined entities and character references may appear.
    pub fn new(source: R, limits: XmlLimits) -> Self {
        Self {
            reader: Reader::from_reader(Capped::new(source, limits.max_bytes)),
            limits,
            depth: 0,
        }
    }

    /// A guard that reads as calamine does (end names unchecked, empty elements expanded), so
    /// that [`XmlGuard::scan`] sees every element calamine will see.
    pub(crate) fn like_calamine(source: R, limits: XmlLimits) -> Self {
        let mut guard = Self::new(source, limits);
        let config = guard.reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        guard
    }

    /// The next event. Reading ends with a rejection at a DTD, an entity of our own, an element
    /// nested too deep or more bytes than allowed, and as unreadable at malformed XML.
    pub fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, UploadError> {
        let event = self.reader.read_event_into(buf);
        if self.reader.get_ref().over() {
            return Err(UploadError::rejected(
                Reason::XmlTooLarge,
                format!("XML 文件超過 {} MB。", self.limits.max_bytes >> 20),
            ));
        }
        let event = event.map_err(|e| UploadError::Unreadable(format!("XML 格式錯誤：{e}")))?;
        self.structure(&event)?;
        if let Event::GeneralRef(reference) = &event {
            let name: &str = reference.as_ref();
            if !reference.is_char_ref() && quick_xml::escape::resolve_xml_entity(name).is_none() {
                return Err(UploadError::rejected(
                    Reason::XmlDoctype,
                    format!("XML 不可使用自訂實體（&{name};）。"),
                ));
            }
        }
        Ok(event)
    }

    /// Reads to the end and hands every element start to `on_start`. Past a syntax error it
    /// reads on, as a caller that skips errors would; the reader's end (or an error that makes
    /// no progress) ends the scan. The byte limit only stops the reading here: the caller
    /// decides, with [`XmlGuard::into_inner`], what a longer source means.
    pub(crate) fn scan(
        &mut self,
        mut on_start: impl FnMut(&BytesStart<'_>) -> Result<(), UploadError>,
    ) -> Result<(), UploadError> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let before = self.reader.buffer_position();
            match self.reader.read_event_into(&mut buf) {
                Ok(Event::Eof) => return Ok(()),
                Ok(event) => {
                    self.structure(&event)?;
                    if let Event::Start(element) | Event::Empty(element) = &event {
                        on_start(element)?;
                    }
                }
                Err(_) if self.reader.buffer_position() == before => return Ok(()),
                Err(_) => {}
            }
        }
    }

    /// The source, to drain it and ask whether it went past the limit.
    pub(crate) fn into_inner(self) -> Capped<R> {
        self.reader.into_inner()
    }

    fn structure(&mut self, event: &Event<'_>) -> Result<(), UploadError> {
        let too_deep = || {
            UploadError::rejected(
                Reason::XmlTooDeep,
                format!("XML 元素巢狀超過 {} 層。", self.limits.max_depth),
            )
        };
        match event {
            Event::DocType(_) => Err(UploadError::rejected(
                Reason::XmlDoctype,
                "XML 不可含 DOCTYPE（文件類型與實體宣告）。",
            )),
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    return Err(too_deep());
                }
                Ok(())
            }
            Event::Empty(_) if self.depth >= self.limits.max_depth => Err(too_deep()),
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Checks a whole document against `limits` (the strict guard, read to the end).
pub fn check_xml(bytes: &[u8], limits: XmlLimits) -> Result<(), UploadError> {
    let mut guard = XmlGuard::new(bytes, limits);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if let Event::Eof = guard.next(&mut buf)? {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: XmlLimits = XmlLimits {
        max_bytes: 1024,
        max_depth: 4,
    };

    fn reason(result: Result<(), UploadError>) -> Option<Reason> {
        match result {
            Err(UploadError::Rejected { reason, .. }) => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn a_plain_document_passes() {
        let xml = br#"<?xml version="1.0"?><a x="1"><b>&amp;&#65;</b><c/></a>"#;
        assert!(check_xml(xml, SMALL).is_ok());
        assert!(check_xml(xml, PARTNER_XML).is_ok());
    }

    #[test]
    fn a_doctype_is_refused_before_any_entity_is_used() {
        let billion_laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(
            reason(check_xml(billion_laughs, SMALL)),
            Some(Reason::XmlDoctype)
        );
        let external = br#"<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>"#;
        assert_eq!(reason(check_xml(external, SMALL)), Some(Reason::XmlDoctype));
    }

    #[test]
    fn an_undeclared_entity_is_refused() {
        assert_eq!(
            reason(check_xml(b"<a>&secret;</a>", SMALL)),
            Some(Reason::XmlDoctype)
        );
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        assert!(check_xml(b"<a><b><c><d/></c></b></a>", SMALL).is_ok());
        assert!(check_xml(b"<a><b><c><d></d></c></b></a>", SMALL).is_ok());
        assert_eq!(
            reason(check_xml(b"<a><b><c><d><e/></d></c></b></a>", SMALL)),
            Some(Reason::XmlTooDeep)
        );
        let deep = "<a>".repeat(100_000);
        assert_eq!(
            reason(check_xml(deep.as_bytes(), PARTNER_XML)),
            Some(Reason::XmlTooDeep)
        );
    }

    #[test]
    fn a_document_over_the_size_limit_is_refused() {
        let text = format!("<a>{}</a>", "x".repeat(2000));
        assert_eq!(
            reason(check_xml(text.as_bytes(), SMALL)),
            Some(Reason::XmlTooLarge)
        );
        let exact = format!("<a>{}</a>", "x".repeat(1024 - 7));
        assert!(check_xml(exact.as_bytes(), SMALL).is_ok());
    }

    #[test]
    fn malformed_xml_is_unreadable_not_rejected() {
        assert!(matches!(
            check_xml(b"<a></b>", SMALL),
            Err(UploadError::Unreadable(_))
        ));
    }

    #[test]
    fn the_calamine_scan_reads_past_errors_and_sees_every_element() {
        let mut names = Vec::new();
        let mut guard = XmlGuard::like_calamine(
            &b"<a></b><c r=\"1\"/>&bad <d>"[..],
            XmlLimits {
                max_bytes: 1024,
                max_depth: usize::MAX,
            },
        );
        guard
            .scan(|e| {
                names.push(e.local_name().as_ref().to_owned());
                Ok(())
            })
            .unwrap();
        assert_eq!(names, ["a", "c", "d"]);
    }

    #[test]
    fn the_cap_reports_a_longer_source() {
        let mut capped = Capped::new(&b"0123456789"[..], 4);
        let mut out = Vec::new();
        capped.read_to_end(&mut out).unwrap();
        assert_eq!((out.as_slice(), capped.over()), (&b"0123"[..], true));
        let mut exact = Capped::new(&b"0123"[..], 4);
        exact.read_to_end(&mut Vec::new()).unwrap();
        assert!(!exact.over());
    }
}
