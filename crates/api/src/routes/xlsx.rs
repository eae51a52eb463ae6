//! What every workbook the API builds shares: the Traditional Chinese font, the styles, and the
//! download response (built off the async workers, since a large workbook takes a while).

use actix_web::{HttpResponse, web};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::error::{AppError, AppResult};

/// A font with Traditional Chinese glyphs; Excel and LibreOffice fall back gracefully.
pub(crate) const FONT: &str = "Microsoft JhengHei";

pub(crate) const XLSX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) struct Styles {
    pub text: Format,
    pub title: Format,
    pub header: Format,
    pub cell: Format,
}

pub(crate) fn styles() -> Styles {
    let text = Format::new().set_font_name(FONT);
    Styles {
        title: text.clone().set_bold().set_font_size(14),
        header: text
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color("#E6EEF8")
            .set_align(FormatAlign::Center),
        cell: text.clone().set_border(FormatBorder::Thin),
        text,
    }
}

pub(crate) fn header_row(
    sheet: &mut Worksheet,
    s: &Styles,
    row: u32,
    headers: &[String],
) -> Result<(), XlsxError> {
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, header, &s.header)?;
    }
    Ok(())
}

pub(crate) fn cells(
    sheet: &mut Worksheet,
    s: &Styles,
    row: u32,
    values: &[String],
) -> Result<(), XlsxError> {
    for (column, value) in values.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, value, &s.cell)?;
    }
    Ok(())
}

/// Builds a workbook on the blocking pool and sends it as a download named `file`.
pub(crate) async fn xlsx_response<F>(file: &str, build: F) -> AppResult<HttpResponse>
where
    F: FnOnce() -> Result<Vec<u8>, XlsxError> + Send + 'static,
{
    let bytes = web::block(build)
        .await
        .map_err(|e| AppError::Internal(format!("export cancelled: {e}")))?
        .map_err(|e| AppError::Internal(format!("cannot build the workbook: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX_TYPE)
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header(("cache-control", "no-store"))
        .body(bytes))
}
