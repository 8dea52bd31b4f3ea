//! Where an export's files go while they are made: kept in memory ([`InMemory`], for the app and tests),
//! or written to their files a megabyte at a time ([`crate::store::Batch`], for the command line). A
//! 1,000-article project exports 173 MB; held whole in memory that was 35 times its text, and the fresh
//! pages alone cost a fifth of the export's CPU time.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{FormatError, OutputFile};
use crate::store;

/// Where the files of an export go.
pub trait Destination: Sync {
    /// Somewhere to write the file `path` as it is made, or `None` to keep its bytes in
    /// [`OutputFile::bytes`].
    fn open(&self, path: &Path) -> io::Result<Option<Box<dyn Write + Send>>>;
}

/// Keeps every file's bytes in memory, for the caller to show or write.
#[derive(Clone, Copy, Debug, Default)]
pub struct InMemory;

impl Destination for InMemory {
    fn open(&self, _path: &Path) -> io::Result<Option<Box<dyn Write + Send>>> {
        Ok(None)
    }
}

/// Each file goes to a temp file beside it as it is made; [`store::Batch::commit`] puts them all in place.
impl Destination for store::Batch {
    fn open(&self, path: &Path) -> io::Result<Option<Box<dyn Write + Send>>> {
        Ok(Some(Box::new(self.create(path)?)))
    }
}

/// How much a file being written out holds before it goes to the file: small enough to stay in the CPU
/// cache and be reused for every row after, large enough that the writes cost nothing.
const SPILL_AT: usize = 1 << 20;

/// One file of an export being made: rows are appended to [`FileOut::buf`], and once a row is done
/// ([`FileOut::row_done`]) a full buffer goes to the file, if the destination gave one.
pub(super) struct FileOut {
    path: PathBuf,
    bytes: Vec<u8>,
    file: Option<Box<dyn Write + Send>>,
    /// Bytes already handed to `file`.
    written: u64,
}

impl FileOut {
    /// Starts the file `path` at `dest`. `size_guess` sizes the buffer of a file kept in memory (a good
    /// guess saves copying a growing buffer).
    pub(super) fn open(dest: &dyn Destination, path: PathBuf, size_guess: usize) -> Result<FileOut, FormatError> {
        let file = dest.open(&path).map_err(FormatError::Output)?;
        let capacity = if file.is_some() { size_guess.min(SPILL_AT + SPILL_AT / 4) } else { size_guess };
        Ok(FileOut { path, bytes: Vec::with_capacity(capacity), file, written: 0 })
    }

    /// The bytes not yet written out, to append to; call [`FileOut::row_done`] after each row.
    pub(super) fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// Writes what is buffered to the file once there is enough of it.
    pub(super) fn row_done(&mut self) -> Result<(), FormatError> {
        if self.bytes.len() >= SPILL_AT { self.spill().map_err(FormatError::Output) } else { Ok(()) }
    }

    /// Hands the buffer to the file, if there is one. The error names the file.
    fn spill(&mut self) -> io::Result<()> {
        if let Some(file) = &mut self.file {
            store::write_in_pieces(file, &self.bytes).map_err(|e| store::with_path(&self.path, e))?;
            self.written += self.bytes.len() as u64;
            self.bytes.clear();
        }
        Ok(())
    }

    /// The finished file: its bytes, or with a destination file, its size (the bytes are written).
    pub(super) fn finish(mut self) -> Result<OutputFile, FormatError> {
        self.spill().map_err(FormatError::Output)?;
        if let Some(file) = &mut self.file {
            file.flush().map_err(|e| FormatError::Output(store::with_path(&self.path, e)))?;
        }
        let len = self.written + self.bytes.len() as u64;
        Ok(OutputFile { path: self.path, bytes: self.bytes, len })
    }
}

/// For writers that write through `io::Write` (the CSV writer): what they write is buffered like rows,
/// and written out whenever the buffer is full.
impl Write for FileOut {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(data);
        if self.bytes.len() >= SPILL_AT {
            self.spill()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A whole file at once (a brat document, a config): straight to the destination's file, or copied into
/// memory when the destination keeps the bytes.
pub(super) fn whole_file(dest: &dyn Destination, path: PathBuf, bytes: &[u8]) -> Result<OutputFile, FormatError> {
    let len = bytes.len() as u64;
    match dest.open(&path).map_err(FormatError::Output)? {
        Some(mut file) => {
            store::write_in_pieces(&mut file, bytes)
                .and_then(|()| file.flush())
                .map_err(|e| FormatError::Output(store::with_path(&path, e)))?;
            Ok(OutputFile { path, bytes: Vec::new(), len })
        }
        None => Ok(OutputFile { path, bytes: bytes.to_vec(), len }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Each file opened: its path, the bytes that reached it, and in how many writes.
    type Files = Arc<Mutex<Vec<(PathBuf, Vec<u8>, usize)>>>;

    /// A destination that records what reaches each file.
    #[derive(Default)]
    struct Recorder(Files);

    /// One file of a [`Recorder`], by index.
    struct Recording(Files, usize);

    impl Write for Recording {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            let mut files = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            let entry = files.get_mut(self.1).ok_or_else(|| io::Error::other("no file"))?;
            entry.1.extend_from_slice(data);
            entry.2 += 1;
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Destination for Recorder {
        fn open(&self, path: &Path) -> io::Result<Option<Box<dyn Write + Send>>> {
            let mut files = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            files.push((path.to_path_buf(), Vec::new(), 0));
            Ok(Some(Box::new(Recording(self.0.clone(), files.len() - 1))))
        }
    }

    #[test]
    fn a_file_written_out_holds_every_row_in_order_and_little_stays_in_memory() {
        let dest = Recorder::default();
        let mut out = FileOut::open(&dest, PathBuf::from("big.jsonl"), 0).expect("opened");
        let row = vec![b'x'; 1000];
        let mut expected = Vec::new();
        for _ in 0..3000 {
            out.buf().extend_from_slice(&row);
            out.buf().push(b'\n');
            expected.extend_from_slice(&row);
            expected.push(b'\n');
            out.row_done().expect("row");
            // Between rows the buffer never holds much more than the spill size.
            assert!(out.bytes.len() < SPILL_AT + 1001);
        }
        let file = out.finish().expect("finished");
        assert!(file.bytes.is_empty());
        assert_eq!(file.len, expected.len() as u64);
        let files = dest.0.lock().expect("lock");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, PathBuf::from("big.jsonl"));
        assert!(files[0].1 == expected, "the file holds every row, in order");
        // 3 MB went out in several writes, not in one at the end.
        assert!(files[0].2 >= 3, "written in {} calls", files[0].2);
    }

    #[test]
    fn in_memory_keeps_the_bytes() {
        let mut out = FileOut::open(&InMemory, PathBuf::from("a.txt"), 4).expect("opened");
        out.buf().extend_from_slice(b"abc");
        out.row_done().expect("row");
        out.write_all(b"def").expect("write");
        let file = out.finish().expect("finished");
        assert_eq!(file.bytes, b"abcdef");
        assert_eq!(file.len, 6);
    }
}
