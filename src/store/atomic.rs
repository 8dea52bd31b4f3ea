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
    replace(path, bytes, false, true)
}

/// [`write_atomic`] without first looking for temp files left in the folder by a killed save: for a folder
/// of many files (a project folder's `docs/` holds two per document, 200,000 at 100,000 documents), where
/// listing it on every write would cost more than the write. The caller removes stale temps with
/// [`remove_temps`] once in a while instead.
pub fn write_atomic_among_many(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, false, false)
}

/// Removes the temp files a killed save left in `folder` (what [`write_atomic`] does before each write).
pub fn remove_temps(folder: &Path) {
    remove_stale_temps(folder);
}

/// Like [`write_atomic`], and first copies the file being replaced to [`backup_path`] — for project files,
/// so the previous version of the user's work is always one rename away.
pub fn write_atomic_keeping_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, true, true)
}

fn replace(path: &Path, bytes: &[u8], keep_backup: bool, sweep: bool) -> io::Result<()> {
    let folder = folder_of(path);
    // A file the user made read-only is not to be replaced, even though renaming over it would work.
    let existing = fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| m.permissions().readonly()) {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    if sweep {
        remove_stale_temps(folder);
    }
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
    // A save killed after linking the backup but before its rename leaves the backup and the project as two
    // names of one file. It already holds the current version; and renaming a new link over it would do
    // nothing at all (POSIX: rename between links to the same file is a no-op that reports success), which
    // left the temp link behind as a stray file.
    if same_file(path, &backup) {
        return Ok(());
    }
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

/// Whether `a` and `b` are names of one file (hard links), as far as this system can tell.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Removes temp files and folders left by a save or export that was killed midway. Best effort: one that
/// cannot be removed is harmless because nothing ever reads them.
fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ignored = fs::remove_dir_all(entry.path());
            } else {
                let _ignored = fs::remove_file(entry.path());
            }
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
/// A folder that does not exist yet (a new `--out` folder, its `brat/`) is made whole as a temp folder
/// and renamed into place at once: one rename instead of one per file, and the folder appears complete.
/// Dropping a batch that was not committed removes its temp files and folders, so the targets are as
/// they were.
///
/// Unlike [`write_atomic`], the temp files are not fsynced one by one: an export can always be made again
/// from the project, and 2,000 fsyncs cost seconds (1.7 ms each, measured on the development machine) where
/// the whole export takes a fraction of one. The rename still guarantees a reader never sees a
/// half-written file. Each folder is fsynced once at the end, so the new names reach the disk.
#[derive(Default)]
pub struct Batch {
    /// Existing folders made ready (stale temps removed), in the order first used.
    folders: Mutex<Vec<PathBuf>>,
    /// Temp files written so far in existing folders, with the file each replaces.
    staged: Mutex<Vec<(tempfile::TempPath, PathBuf)>>,
    /// New folders, each being made as a temp folder beside it: (the folder, its temp folder).
    new_folders: Mutex<Vec<(PathBuf, tempfile::TempDir)>>,
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
            write_in_pieces(&mut file, bytes).map_err(|e| with_path(path, e))?;
        }
        Ok(())
    }

    /// A new file, open for writing, that [`Batch::commit`] puts at `path`: for writing a file as it is
    /// made instead of holding all of it in memory. Refused, like [`Batch::stage`], for a read-only
    /// target. Errors name the file.
    pub fn create(&self, path: &Path) -> io::Result<fs::File> {
        let folder = folder_of(path);
        if let Some(inside) = self.in_new_folder(folder).map_err(|e| with_path(path, e))? {
            // Nothing to replace in a new folder: the file is made under its own name in the temp folder.
            let real = inside.join(path.file_name().unwrap_or_default());
            return fs::File::create_new(&real).map_err(|e| with_path(path, e));
        }
        self.ready(folder).map_err(|e| with_path(path, e))?;
        let existing = fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| m.permissions().readonly()) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, format!("{} is read-only", path.display())));
        }
        let temp = new_temp(path, existing.as_ref()).map_err(|e| with_path(path, e))?;
        // A second handle to write through: the temp file's own handle closes when it becomes a path
        // here, and its name must be registered before the caller writes a byte (a failed run removes it).
        let file = temp.as_file().try_clone().map_err(|e| with_path(path, e))?;
        lock(&self.staged).push((temp.into_temp_path(), path.to_path_buf()));
        Ok(file)
    }

    /// Where files of `folder` are made when `folder` is (inside) a folder that did not exist: the
    /// matching place in that folder's temp folder, created as needed. `None` for an existing folder.
    fn in_new_folder(&self, folder: &Path) -> io::Result<Option<PathBuf>> {
        let mut new_folders = lock(&self.new_folders);
        let known = new_folders.iter().find(|(target, _)| folder.starts_with(target));
        let (target, temp) = match known {
            Some((target, temp)) => (target.clone(), temp.path().to_path_buf()),
            None => {
                // The outermost missing folder is the one made whole; its parent exists.
                let Some(top) = folder.ancestors().take_while(|f| !f.as_os_str().is_empty() && !f.exists()).last()
                else {
                    return Ok(None);
                };
                let parent = folder_of(top);
                self.ready(parent)?;
                let mut builder = tempfile::Builder::new();
                builder.prefix(TEMP_PREFIX);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    // What `create_dir` asks for; the kernel takes the umask off.
                    builder.permissions(fs::Permissions::from_mode(0o777));
                }
                let temp = builder.tempdir_in(parent)?;
                let at = temp.path().to_path_buf();
                new_folders.push((top.to_path_buf(), temp));
                (top.to_path_buf(), at)
            }
        };
        drop(new_folders);
        let inside = temp.join(folder.strip_prefix(&target).unwrap_or(Path::new("")));
        fs::create_dir_all(&inside)?;
        Ok(Some(inside))
    }

    /// Removes stale temp files and folders from the existing `folder`, once per folder and before any
    /// temp file of this batch is in it (cleaning later could remove one of ours).
    fn ready(&self, folder: &Path) -> io::Result<()> {
        let mut folders = lock(&self.folders);
        if !folders.iter().any(|f| f == folder) {
            if !folder.is_dir() {
                // Said plainly: the OS error would name the temp file it could not make there.
                let problem = format!("{} is a file, not a folder", folder.display());
                return Err(io::Error::new(io::ErrorKind::NotADirectory, problem));
            }
            remove_stale_temps(folder);
            folders.push(folder.to_path_buf());
        }
        Ok(())
    }

    /// Renames every staged file and new folder into place, then fsyncs each folder they went into once,
    /// so the new names reach the disk.
    pub fn commit(self) -> io::Result<()> {
        let staged = std::mem::take(&mut *lock(&self.staged));
        for (temp, path) in staged {
            temp.persist(&path).map_err(|e| with_path(&path, e.error))?;
        }
        let new_folders = std::mem::take(&mut *lock(&self.new_folders));
        for (target, temp) in new_folders {
            // Kept from here on: renamed into place, or left for the next run's clean-up if that fails.
            let made = temp.keep();
            fs::rename(&made, &target).map_err(|e| with_path(&target, e))?;
        }
        for folder in lock(&self.folders).iter() {
            if let Ok(dir) = fs::File::open(folder) {
                let _ignored = dir.sync_all();
            }
        }
        Ok(())
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

/// An empty temp file beside `path`, with the permissions of the file it will replace (`existing`), or
/// those of any new file (the user's umask applied) — a temp file is otherwise private to its owner, and
/// an exported dataset or a project in a shared folder should be as readable as the user's other files.
fn new_temp(path: &Path, existing: Option<&fs::Metadata>) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // What `File::create` asks for; the kernel takes the umask off.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(folder_of(path))?;
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

/// `err` with the file it is about in its message (the OS error alone does not say which file).
pub fn with_path(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}
