//! Turning file bytes into clean text: encoding detection (UTF-8 with or without BOM, UTF-16 with BOM),
//! binary detection, and line-end normalisation (CRLF and lone CR become LF).

use std::path::{Path, PathBuf};

use super::ImportError;

/// Largest file an import reads (64 MiB), so a mistaken or hostile file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Decodes `bytes` read from `path` into text with LF line ends.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, ImportError> {
    let path_buf = || PathBuf::from(path);
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { path: path_buf(), size: bytes.len() as u64, max: MAX_FILE_BYTES });
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8(path, rest, 3)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(path, rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(path, rest, u16::from_be_bytes)?
    } else {
        if looks_binary(bytes) {
            return Err(ImportError::Binary { path: path_buf() });
        }
        utf8(path, bytes, 0)?
    };
    if text.contains('\0') {
        return Err(ImportError::Binary { path: path_buf() });
    }
    let text = normalize_line_ends(&text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty { path: path_buf() });
    }
    Ok(text)
}

fn utf8(path: &Path, bytes: &[u8], offset: usize) -> Result<String, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(ImportError::InvalidUtf8 { path: path.to_path_buf(), byte: e.valid_up_to() + offset }),
    }
}

fn utf16(path: &Path, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ImportError::InvalidUtf16 { path: path.to_path_buf(), problem: "odd number of bytes".into() });
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]])).collect();
    String::from_utf16(&units)
        .map_err(|_| ImportError::InvalidUtf16 { path: path.to_path_buf(), problem: "unpaired surrogate".into() })
}

/// NUL bytes, or many control bytes in the first 8 KiB, mean the file is not text (images, PDFs, archives).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    control * 20 > head.len()
}

/// CRLF and lone CR become LF, so offsets do not depend on the platform the article was saved on.
pub fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_line_ends() {
        let p = Path::new("a.txt");
        assert_eq!(decode(p, b"\xEF\xBB\xBFhi\r\nthere\rok").unwrap(), "hi\nthere\nok");
        // "Zoë 😡" in UTF-16 LE with BOM; the emoji is the surrogate pair D83D DE21.
        let utf16le = [0xFF, 0xFE, 0x5A, 0, 0x6F, 0, 0xEB, 0, 0x20, 0, 0x3D, 0xD8, 0x21, 0xDE];
        assert_eq!(decode(p, &utf16le).unwrap(), "Zoë 😡");
        assert_eq!(decode(p, &[0xFE, 0xFF, 0, 0xE9]).unwrap(), "é");
        assert!(decode(p, &[0xFF, 0xFE, 0x3D, 0xD8]).unwrap_err().to_string().contains("surrogate"));
    }

    #[test]
    fn bad_bytes_are_named() {
        let p = Path::new("a.txt");
        let err = decode(p, b"good \xff bad").unwrap_err().to_string();
        assert_eq!(err, "a.txt: invalid UTF-8 at byte 5");
        assert!(decode(p, b"PK\x03\x04\x00\x00").unwrap_err().to_string().contains("binary"));
        assert!(decode(p, b"  \n\t ").unwrap_err().to_string().contains("no text"));
        let huge = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        let err = decode(p, &huge).unwrap_err().to_string();
        assert!(err.starts_with("a.txt: 67108865 bytes is larger than the 67108864-byte import limit"), "{err}");
    }
}
