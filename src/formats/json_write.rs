//! Writing JSON fast: JSONL files a row at a time, and the pieces the token-heavy formats write by hand
//! (strings and numbers), byte for byte what serde_json writes for the same values.

use std::path::PathBuf;

use super::output::{Destination, FileOut};
use super::{Format, FormatError, OutputFile};

/// A JSONL file written a row at a time, so an export never holds every row as a value as well as its
/// text (a token-level export of 5 MB of articles is 60 MB of JSON), and with a destination file, never
/// more than about a megabyte of the text either.
pub(super) struct JsonLines {
    format: Format,
    out: FileOut,
}

impl JsonLines {
    /// Starts the file `path` at `dest`; `size_guess` is its expected size.
    pub(super) fn open(
        format: Format,
        dest: &dyn Destination,
        path: PathBuf,
        size_guess: usize,
    ) -> Result<JsonLines, FormatError> {
        Ok(JsonLines { format, out: FileOut::open(dest, path, size_guess)? })
    }

    /// Appends one row and its line end.
    pub(super) fn push<T: serde::Serialize>(&mut self, row: &T) -> Result<(), FormatError> {
        serde_json::to_writer(&mut *self.out.buf(), row).map_err(|e| FormatError::write(self.format, e))?;
        self.end_line()
    }

    /// The line being written, for a format that writes part of a row by hand; [`JsonLines::end_line`]
    /// ends it.
    pub(super) fn raw(&mut self) -> &mut Vec<u8> {
        self.out.buf()
    }

    /// Ends the row written through [`JsonLines::raw`].
    pub(super) fn end_line(&mut self) -> Result<(), FormatError> {
        self.out.buf().push(b'\n');
        self.out.row_done()
    }

    /// The finished file.
    pub(super) fn finish(self) -> Result<OutputFile, FormatError> {
        self.out.finish()
    }
}

/// Appends `text` as a JSON string. Only quotes, backslashes and control characters need escaping and a
/// word almost never has one, so the common case is a plain copy; the rest goes through serde_json.
pub(super) fn push_str(out: &mut Vec<u8>, text: &str, format: Format) -> Result<(), FormatError> {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(&mut *out, text).map_err(|e| FormatError::write(format, e))
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    }
}

/// Appends `n` in decimal.
pub(super) fn push_number(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Byte by byte: a copy of a few bytes of varying length is a library call, which cost more than this.
    for &digit in &digits[at..] {
        out.push(digit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_are_what_serde_json_writes() {
        for text in ["plain", "", "say \"no\"", "back\\slash", "tab\there", "bell\u{7}", "“curly” — 😡", "\u{2028}"]
        {
            let mut ours = Vec::new();
            push_str(&mut ours, text, Format::Spacy).expect("written");
            assert_eq!(String::from_utf8(ours).expect("UTF-8"), serde_json::to_string(text).expect("json"), "{text:?}");
        }
        for n in [0, 7, 10, 99, 100, 123_456_789, usize::MAX] {
            let mut ours = Vec::new();
            push_number(&mut ours, n);
            assert_eq!(ours, n.to_string().into_bytes());
        }
    }
}
