//! Crash-safe file replacement: the project file is always either the old version or the new one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Prefix of the temp files a save creates beside the project; anything with it is ours to clean up.
const TEMP_PREFIX: &str = ".factmark-tmp-";

/// The most bytes handed to one `write` call (see [`write_in_pieces`]).
const WRITE_PIECE: usize = 1 << 20;

/// The backup kept of the previous version: `name.ron` → `name.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder is written and fsynced, then renamed
/// over `path` and the folder fsynced. A crash at any moment leaves the old or the new file at `path`,
/// never a mix. Used for exports, where a backup of the previous export would only be clutter.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, false)
}

/// Like [`write_atomic`], and first copies the file being replaced to [`backup_path`] — for project files,
/// so the previous version of the user's work is always one rename away.
pub fn write_atomic_keeping_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, true)
}

fn replace(path: &Path, bytes: &[u8], keep_backup: bool) -> io::Result<()> {
    let folder = folder_of(path);
    // A file the user made read-only is not to be replaced, even though renaming over it would work.
    let existing = fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| m.permissions().readonly()) {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    remove_stale_temps(folder);
    let temp = stage(path, bytes, existing.as_ref())?;
    temp.as_file().sync_all()?;
    if keep_backup && path.exists() {
        keep_as_backup(path, folder)?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    // The rename is durable only once the folder entry is on disk.
    if let Ok(dir) = fs::File::open(folder) {
        let _ignored = dir.sync_all();
    }
    Ok(())
}

/// Makes the current `path` the backup. A hard link to it does that without copying (a large project is
/// megabytes): once the new version is renamed over `path`, the old file lives on only as the backup. Where
/// the file system has no hard links, the file is copied. Either way the backup appears by an atomic
/// rename, so a crash never leaves a half-written backup.
fn keep_as_backup(path: &Path, folder: &Path) -> io::Result<()> {
    let backup = backup_path(path);
    let builder = {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX);
        builder
    };
    match builder.make_in(folder, |temp| fs::hard_link(path, temp)) {
        Ok(linked) => linked.persist(&backup).map(|_| ()).map_err(|e| e.error),
        Err(_) => {
            let mut copy = builder.tempfile_in(folder)?;
            io::copy(&mut fs::File::open(path)?, copy.as_file_mut())?;
            copy.persist(&backup).map(|_| ()).map_err(|e| e.error)
        }
    }
}

/// Removes temp files left by a save that was killed midway. Best effort: a file that cannot be removed
/// is harmless because nothing ever reads temp files.
fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ignored = fs::remove_file(entry.path());
        }
    }
}

/// Replaces many files at once, for exports (a brat export is two files per document): every file is
/// first written to a temp file beside it, and only when all of them are written are they renamed into
/// place, so a failure (disk full, a read-only target) replaces nothing. Missing folders are created (a
/// brat export is a folder of its own). The files are staged on every core; see [`Batch`] for staging
/// them as they are made.
pub fn write_batch(files: &[(&Path, &[u8])]) -> io::Result<()> {
    let batch = Batch::new();
    // Staged on every core: copying hundreds of megabytes into the page cache is work the kernel does on
    // the calling thread.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, files.len().max(1));
    let share = files.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(share).map(|part| scope.spawn(|| batch.stage(part))).collect();
        for handle in handles {
            handle.join().unwrap_or_else(|_| Err(io::Error::other("a thread writing the files stopped")))?;
        }
        Ok::<(), io::Error>(())
    })?;
    batch.commit()
}

/// Files being replaced all or none: [`Batch::stage`] writes each to a temp file beside its target, from
/// any number of threads and as soon as it is made; [`Batch::commit`] renames them all into place.
/// Dropping a batch that was not committed removes its temp files, and the folders it created if they
/// are still empty, so the targets are as they were.
///
/// Unlike [`write_atomic`], the temp files are not fsynced one by one: an export can always be made again
/// from the project, and 2,000 fsyncs cost seconds (1.7 ms each, measured on the development machine) where
/// the whole export takes a fraction of one. The rename still guarantees a reader never sees a
/// half-written file. Each folder is fsynced once at the end, so the new names reach the disk.
#[derive(Default)]
pub struct Batch {
    /// Folders made ready (created, stale temps removed), in the order first used.
    folders: Mutex<Vec<PathBuf>>,
    /// Temp files written so far, with the file each replaces.
    staged: Mutex<Vec<(tempfile::TempPath, PathBuf)>>,
    /// Folders this batch created, parents before children; removed again if it is dropped uncommitted.
    created: Mutex<Vec<PathBuf>>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `files` to temp files beside their targets. A read-only target is refused: the user made it
    /// so, even though renaming over it would work. Errors name the file.
    pub fn stage(&self, files: &[(&Path, &[u8])]) -> io::Result<()> {
        for &(path, bytes) in files {
            let mut file = self.create(path)?;
            write_in_pieces(&mut file, bytes).map_err(|e| named(path, e))?;
        }
        Ok(())
    }

    /// A new temp file beside `path`, open for writing, that [`Batch::commit`] renames to `path`: for
    /// writing a file as it is made instead of holding all of it in memory. Refused, like
    /// [`Batch::stage`], for a read-only target. Errors name the file.
    pub fn create(&self, path: &Path) -> io::Result<fs::File> {
        self.ready(folder_of(path)).map_err(|e| named(path, e))?;
        let existing = fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| m.permissions().readonly()) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, format!("{} is read-only", path.display())));
        }
        let temp = new_temp(path, existing.as_ref()).map_err(|e| named(path, e))?;
        // A second handle to write through: the temp file's own handle closes when it becomes a path
        // here, and its name must be registered before the caller writes a byte (a failed run removes it).
        let file = temp.as_file().try_clone().map_err(|e| named(path, e))?;
        lock(&self.staged).push((temp.into_temp_path(), path.to_path_buf()));
        Ok(file)
    }

    /// Creates `folder` and removes stale temp files from it, once per folder and before any temp file of
    /// this batch is in it (cleaning later could remove one of ours).
    fn ready(&self, folder: &Path) -> io::Result<()> {
        let mut folders = lock(&self.folders);
        if !folders.iter().any(|f| f == folder) {
            let missing: Vec<PathBuf> = folder.ancestors().take_while(|f| !f.exists()).map(Path::to_path_buf).collect();
            fs::create_dir_all(folder)?;
            lock(&self.created).extend(missing.into_iter().rev());
            remove_stale_temps(folder);
            folders.push(folder.to_path_buf());
        }
        Ok(())
    }

    /// Renames every staged file into place, then fsyncs each folder once so the new names reach the disk.
    pub fn commit(self) -> io::Result<()> {
        // The folders now hold the files (or were asked for, empty): they stay, whatever happens below.
        lock(&self.created).clear();
        let staged = std::mem::take(&mut *lock(&self.staged));
        for (temp, path) in staged {
            temp.persist(&path)
                .map_err(|e| io::Error::new(e.error.kind(), format!("{}: {}", path.display(), e.error)))?;
        }
        for folder in lock(&self.folders).iter() {
            if let Ok(dir) = fs::File::open(folder) {
                let _ignored = dir.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // The temp files first (their paths delete them when dropped), then the folders made for them,
        // children first; a folder that is not empty (someone else's file) stays.
        lock(&self.staged).clear();
        for folder in lock(&self.created).iter().rev() {
            let _ignored = fs::remove_dir(folder);
        }
    }
}

/// The data behind a mutex, even if a thread panicked while holding it (the list is still valid: each
/// push is whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temp file beside `path` holding `bytes`, with the permissions of the file it will replace.
fn stage(path: &Path, bytes: &[u8], existing: Option<&fs::Metadata>) -> io::Result<tempfile::NamedTempFile> {
    let mut temp = new_temp(path, existing)?;
    write_in_pieces(temp.as_file_mut(), bytes)?;
    Ok(temp)
}

/// An empty temp file beside `path`, with the permissions of the file it will replace (`existing`) — a
/// temp file is private to its owner, and a file shared with a group should stay shared.
fn new_temp(path: &Path, existing: Option<&fs::Metadata>) -> io::Result<tempfile::NamedTempFile> {
    let temp = tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(folder_of(path))?;
    if let Some(meta) = existing {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    Ok(temp)
}

/// Writes `bytes` in pieces of at most [`WRITE_PIECE`]: on this kernel's ext4 one `write` of 2 MiB or
/// more copies into the page cache about ten times slower than the same bytes in 1 MiB writes (measured
/// with dd and a Python loop: 157 MB took 340 ms in one call per file and 35 ms in 1 MiB calls; tmpfs
/// shows no such cliff). A piece that size stays in the CPU cache, and the calls cost nothing.
pub fn write_in_pieces(file: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    for piece in bytes.chunks(WRITE_PIECE) {
        file.write_all(piece)?;
    }
    Ok(())
}

/// `err` with the file it is about in its message.
fn named(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}
