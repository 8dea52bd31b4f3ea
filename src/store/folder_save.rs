//! Saving through a [`FolderIndex`]: the changed documents' files, then the index shards whose lines
//! changed, then `project.ron` only when it must change, in an order that keeps every document old or new
//! whenever the save is killed.
//!
//! Only the documents in `changed` (and documents new to the project) are read from the project: the
//! others may be stand-ins (a window holds documents it has not opened as stubs with the right id, title
//! and status), so their files and lines are taken from the index as they are.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::ops::Range;

use super::index::{FolderIndex, ShardSlot, shard_path};
use super::{
    INDEX, Index, IndexEntry, SHARD_LAYOUT, SHARD_SIZE, SHARDED_FORMAT, SHARDS, Shard, Written, docs_dir, file_stem,
    io_err, to_text, write_document,
};
use crate::model::{DocId, Project};
use crate::store::file::FORMAT_VERSION;
use crate::store::{StoreError, remove_temps, write_atomic};

/// Which documents the index had (with their old positions) and which the project has: a line in a shard
/// that neither had nor has is a document added or removed, not moved.
struct Moves<'a> {
    was: &'a HashMap<&'a DocId, usize>,
    is: &'a HashSet<&'a DocId>,
}

/// A shard of the index a save writes: its name (an old shard's when it replaces that one in place) and its
/// lines (a range of the new lines).
struct Planned {
    name: String,
    lines: Range<usize>,
    /// Whether its file must be written.
    dirty: bool,
    /// Whether it is new or takes in a document from another shard: written before `project.ron`, and
    /// the shards that documents leave after it, so a document that moves is always in one of them.
    gains: bool,
}

impl FolderIndex {
    /// Saves `project`, of whose documents only those in `changed` (and those not yet in the index) may
    /// differ from their files on disk, and only they are read: the others may be stand-ins. Documents
    /// added to the project get their files; documents removed lose theirs once the new index is in place;
    /// moved documents change the index only. Afterwards this index describes what is on disk.
    ///
    /// Order of the writes, so that a kill at any moment leaves every document old or new: the documents'
    /// files, then the shards that gain a document (new shards included), then `project.ron` (only when its
    /// fields, the list of shards or an id counter no shard carries changed), then the shards that only lose
    /// or update lines, then the files of removed documents and shards. A document that moves is thus in
    /// its old or new shard at every moment, perhaps in both (opening keeps its first line). A shard that
    /// would both gain and lose documents is written under a new name instead of in place.
    ///
    /// A document this index knows as broken ([`FolderIndex::load_lenient`]) is never written: its files
    /// and line stay as they are (counted in [`Written::kept_broken`]).
    pub fn save_changed(&mut self, project: &Project, changed: &[DocId]) -> Result<Written, StoreError> {
        let docs = docs_dir(&self.folder);
        if !self.swept {
            fs::create_dir_all(&docs).map_err(io_err(&docs))?;
            // Temp files of killed saves: `docs/` is not listed on every write (see `write_atomic_among_many`).
            remove_temps(&docs);
            self.swept = true;
        }
        let mut written = Written::default();
        // A shard that lost a duplicate line when read may now be empty: laid out anew, it goes.
        let same_documents = self.shards.as_ref().is_some_and(|slots| slots.iter().all(|s| !s.stale))
            && project.documents.len() == self.entries.len()
            && project.documents.iter().zip(&self.entries).all(|(d, e)| d.id == e.id);
        if same_documents {
            self.save_in_place(project, changed, &mut written)?;
        } else {
            self.save_reshaped(project, changed, &mut written)?;
        }
        self.header = Project {
            name: project.name.clone(),
            schema: project.schema.clone(),
            documents: Vec::new(),
            next_span_id: self.header.next_span_id.max(project.next_span_id),
            next_relation_id: self.header.next_relation_id.max(project.next_relation_id),
            rules: project.rules.clone(),
            recommenders_off: project.recommenders_off.clone(),
            conflicts: project.conflicts.clone(),
        };
        Ok(written)
    }

    /// The documents are the index's, in its order: the changed ones are written and their shards
    /// rewritten in place (no document changes shard, so each shard's write is the whole change to it).
    fn save_in_place(&mut self, project: &Project, changed: &[DocId], written: &mut Written) -> Result<(), StoreError> {
        let docs = docs_dir(&self.folder);
        let starts = self.shard_starts();
        let mut dirty = BTreeSet::new();
        let positions = self.positions_of(changed);
        for (id, at) in positions {
            if self.broken.contains(id) {
                written.kept_broken += 1;
                continue;
            }
            let entry = write_document(&docs, &project.documents[at], Some(&self.entries[at]), written)?;
            if entry != self.entries[at] {
                self.entries[at] = entry;
                dirty.insert(starts.partition_point(|&s| s <= at) - 1);
            }
        }
        for &shard in &dirty {
            self.write_shard(shard, &starts, project, written)?;
        }
        if self.header_differs(project) || (self.counters_rise(project) && dirty.is_empty()) {
            let names: Vec<String> = self.slots().iter().map(|s| s.name.clone()).collect();
            self.write_project_file(project, names, written)?;
        }
        Ok(())
    }

    /// Documents were added, removed or moved, or the index on disk is not sharded yet: the new lines are
    /// laid out in shards (see [`plan`]) and written in the order that keeps every document findable.
    fn save_reshaped(&mut self, project: &Project, changed: &[DocId], written: &mut Written) -> Result<(), StoreError> {
        let docs = docs_dir(&self.folder);
        let changed: HashSet<&DocId> = changed.iter().collect();
        let old_at: HashMap<&DocId, usize> = self.entries.iter().enumerate().map(|(i, e)| (&e.id, i)).collect();
        let old_shard: Vec<usize> = match &self.shards {
            Some(slots) => slots.iter().enumerate().flat_map(|(s, slot)| std::iter::repeat_n(s, slot.len)).collect(),
            None => Vec::new(),
        };
        let mut lines = Vec::with_capacity(project.documents.len());
        let mut homes = Vec::with_capacity(project.documents.len());
        for doc in &project.documents {
            let line = match old_at.get(&doc.id) {
                Some(&at) if self.broken.contains(&doc.id) || !changed.contains(&doc.id) => {
                    if changed.contains(&doc.id) {
                        written.kept_broken += 1;
                    }
                    self.entries[at].clone()
                }
                Some(&at) => write_document(&docs, doc, Some(&self.entries[at]), written)?,
                None => write_document(&docs, doc, None, written)?,
            };
            homes.push(old_at.get(&doc.id).and_then(|&at| old_shard.get(at).copied()));
            lines.push(line);
        }
        let kept: HashSet<&DocId> = project.documents.iter().map(|d| &d.id).collect();
        let removed: Vec<DocId> = self.entries.iter().filter(|e| !kept.contains(&e.id)).map(|e| e.id.clone()).collect();
        let old_starts = self.shard_starts();
        let planned = self.plan(&lines, &homes, &old_starts, &Moves { was: &old_at, is: &kept });
        let shard_dir = self.folder.join(SHARDS);
        fs::create_dir_all(&shard_dir).map_err(io_err(&shard_dir))?;
        let counters = self.counters(project);
        let write = |p: &Planned, written: &mut Written| -> Result<(), StoreError> {
            let shard = Shard {
                format: FORMAT_VERSION,
                layout: SHARD_LAYOUT.into(),
                next_span_id: counters.0,
                next_relation_id: counters.1,
                documents: lines[p.lines.clone()].to_vec(),
            };
            write_file(&shard_path(&self.folder, &p.name), &shard, written)
        };
        for p in planned.iter().filter(|p| p.dirty && p.gains) {
            write(p, written)?;
        }
        let names: Vec<String> = planned.iter().map(|p| p.name.clone()).collect();
        let old_names: Vec<String> = self.slots().iter().map(|s| s.name.clone()).collect();
        let any_shard = planned.iter().any(|p| p.dirty);
        if self.shards.is_none()
            || names != old_names
            || self.header_differs(project)
            || (self.counters_rise(project) && !any_shard)
        {
            self.write_project_file(project, names.clone(), written)?;
        }
        for p in planned.iter().filter(|p| p.dirty && !p.gains) {
            write(p, written)?;
        }
        // Only now, with the new index in place, can what it no longer names go.
        let listed: HashSet<&str> = names.iter().map(String::as_str).collect();
        remove_unlisted_shards(&shard_dir, &listed);
        for id in &removed {
            let stem = file_stem(id);
            for ext in ["txt", "ron"] {
                if fs::remove_file(docs.join(format!("{stem}.{ext}"))).is_ok() {
                    written.removed += 1;
                }
            }
            self.broken.remove(id);
        }
        self.shards = Some(
            planned.iter().map(|p| ShardSlot { name: p.name.clone(), len: p.lines.len(), stale: false }).collect(),
        );
        self.entries = lines;
        Ok(())
    }

    /// Lays the new `lines` out in shards. Each line whose document keeps its relative order (the longest
    /// run of documents whose old shards do not go down, `homes` giving each line's old shard) stays in its
    /// shard; every other line (added, or moved past others) joins the shard of the line before it. A shard
    /// grown past [`SHARD_SIZE`] is split, the rest going to new shards after it; a shard that would both
    /// gain and lose documents gets a new name (see [`FolderIndex::save_changed`]).
    fn plan(&self, lines: &[IndexEntry], homes: &[Option<usize>], old_starts: &[usize], moves: &Moves) -> Vec<Planned> {
        let keep = longest_rising(homes);
        let first = homes.iter().zip(&keep).find(|(_, k)| **k).and_then(|(h, _)| *h);
        let mut assigned = Vec::with_capacity(homes.len());
        let mut current = first;
        for (home, keep) in homes.iter().zip(&keep) {
            if *keep {
                current = *home;
            }
            assigned.push(current);
        }
        let slots = self.slots();
        let mut taken: HashSet<String> = slots.iter().map(|s| s.name.clone()).collect();
        let mut next_name = 0usize;
        let mut fresh = || loop {
            let name = format!("{next_name:04}");
            next_name += 1;
            if taken.insert(name.clone()) {
                return name;
            }
        };
        let mut planned = Vec::new();
        let mut start = 0;
        while start < lines.len() {
            let group = assigned[start];
            let end = start + assigned[start..].iter().take_while(|a| **a == group).count();
            for (i, chunk_start) in (start..end).step_by(SHARD_SIZE).enumerate() {
                let range = chunk_start..(chunk_start + SHARD_SIZE).min(end);
                let replaces = group.filter(|_| i == 0);
                let old = replaces.map(|s| &self.entries[old_starts[s]..old_starts[s] + slots[s].len]);
                // Documents that move in from another shard, and out to another shard (new and removed
                // documents are neither: their files are written first and deleted last).
                let (gains, loses) = match old {
                    Some(old) => {
                        let old_ids: HashSet<&DocId> = old.iter().map(|e| &e.id).collect();
                        let new_ids: HashSet<&DocId> = lines[range.clone()].iter().map(|e| &e.id).collect();
                        let moves_in = new_ids.iter().any(|id| !old_ids.contains(id) && moves.was.contains_key(id));
                        let moves_out = old_ids.iter().any(|id| !new_ids.contains(id) && moves.is.contains(id));
                        (moves_in, moves_out)
                    }
                    None => (true, false),
                };
                let planned_shard = match (replaces, old) {
                    (Some(s), Some(old)) if !(gains && loses) => Planned {
                        name: slots[s].name.clone(),
                        dirty: slots[s].stale || old != &lines[range.clone()],
                        lines: range,
                        gains,
                    },
                    _ => Planned { name: fresh(), lines: range, dirty: true, gains: true },
                };
                planned.push(planned_shard);
            }
            start = end;
        }
        planned
    }

    fn slots(&self) -> &[ShardSlot] {
        self.shards.as_deref().unwrap_or_default()
    }

    /// Where each shard's lines start in `entries`, and the total at the end.
    fn shard_starts(&self) -> Vec<usize> {
        let mut starts = Vec::with_capacity(self.slots().len() + 1);
        let mut at = 0;
        starts.push(0);
        for slot in self.slots() {
            at += slot.len;
            starts.push(at);
        }
        starts
    }

    /// Each id of `changed` that is in the index, once, with its position.
    fn positions_of<'c>(&self, changed: &'c [DocId]) -> Vec<(&'c DocId, usize)> {
        let mut seen = HashSet::new();
        let unique = changed.iter().filter(|id| seen.insert(*id));
        // A few ids are found by a scan; many by a map, which costs a pass over the index to build.
        if changed.len() <= 16 {
            unique.filter_map(|id| self.position(id).map(|at| (id, at))).collect()
        } else {
            let at: HashMap<&DocId, usize> = self.entries.iter().enumerate().map(|(i, e)| (&e.id, i)).collect();
            unique.filter_map(|id| at.get(id).map(|&p| (id, p))).collect()
        }
    }

    /// Whether `project.ron`'s own fields differ from `project`'s.
    fn header_differs(&self, project: &Project) -> bool {
        let h = &self.header;
        h.name != project.name
            || h.schema != project.schema
            || h.rules != project.rules
            || h.recommenders_off != project.recommenders_off
            || h.conflicts != project.conflicts
    }

    /// Whether `project` has handed out ids past the counters on disk.
    fn counters_rise(&self, project: &Project) -> bool {
        project.next_span_id > self.header.next_span_id || project.next_relation_id > self.header.next_relation_id
    }

    /// The counters to write: never below what is on disk.
    fn counters(&self, project: &Project) -> (u64, u64) {
        (self.header.next_span_id.max(project.next_span_id), self.header.next_relation_id.max(project.next_relation_id))
    }

    /// Writes the shard at `shard` (in place) with its lines from `entries`.
    fn write_shard(
        &self,
        shard: usize,
        starts: &[usize],
        project: &Project,
        written: &mut Written,
    ) -> Result<(), StoreError> {
        let (next_span_id, next_relation_id) = self.counters(project);
        let shard_file = Shard {
            format: FORMAT_VERSION,
            layout: SHARD_LAYOUT.into(),
            next_span_id,
            next_relation_id,
            documents: self.entries[starts[shard]..starts[shard + 1]].to_vec(),
        };
        write_file(&shard_path(&self.folder, &self.slots()[shard].name), &shard_file, written)
    }

    /// Writes `project.ron` (atomically) with `project`'s header naming `shards`.
    fn write_project_file(
        &self,
        project: &Project,
        shards: Vec<String>,
        written: &mut Written,
    ) -> Result<(), StoreError> {
        let (next_span_id, next_relation_id) = self.counters(project);
        let index = Index {
            format: SHARDED_FORMAT,
            layout: "folder".into(),
            name: project.name.clone(),
            next_span_id,
            next_relation_id,
            schema: project.schema.clone(),
            rules: project.rules.clone(),
            recommenders_off: project.recommenders_off.clone(),
            conflicts: project.conflicts.clone(),
            shards,
            documents: Vec::new(),
        };
        write_file(&self.folder.join(INDEX), &index, written)
    }
}

/// Serialises `value` and writes it to `path` atomically.
fn write_file<T: serde::Serialize>(path: &std::path::Path, value: &T, written: &mut Written) -> Result<(), StoreError> {
    let text = to_text(value, path)?;
    write_atomic(path, text.as_bytes()).map_err(io_err(path))?;
    written.index_files += 1;
    written.bytes += text.len() as u64;
    Ok(())
}

/// Removes the shard files in `dir` that the index no longer names: shards emptied or renamed by this save,
/// and shards written by a save killed before its `project.ron` was in place.
fn remove_unlisted_shards(dir: &std::path::Path, listed: &HashSet<&str>) {
    let Ok(files) = fs::read_dir(dir) else { return };
    for file in files.flatten() {
        let name = file.file_name();
        let name = name.to_string_lossy();
        if let Some(stem) = name.strip_suffix(".ron")
            && !listed.contains(stem)
        {
            let _ignored = fs::remove_file(file.path());
        }
    }
}

/// Marks the longest run of lines whose `Some` homes never go down (in order, gaps allowed): the documents
/// that can stay in their shards. `None` (new documents) are never marked.
fn longest_rising(homes: &[Option<usize>]) -> Vec<bool> {
    // tails[k]: (home, line) ending the best run of length k + 1 found so far, with the smallest home.
    let mut tails: Vec<(usize, usize)> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; homes.len()];
    for (line, home) in homes.iter().enumerate() {
        let Some(home) = *home else { continue };
        let k = tails.partition_point(|&(h, _)| h <= home);
        before[line] = k.checked_sub(1).map(|k| tails[k].1);
        if k == tails.len() {
            tails.push((home, line));
        } else {
            tails[k] = (home, line);
        }
    }
    let mut keep = vec![false; homes.len()];
    let mut at = tails.last().map(|&(_, line)| line);
    while let Some(line) = at {
        keep[line] = true;
        at = before[line];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::longest_rising;

    #[test]
    fn the_documents_that_keep_their_order_are_found() {
        let marked = |homes: &[Option<usize>]| -> Vec<usize> {
            longest_rising(homes).iter().enumerate().filter(|(_, k)| **k).map(|(i, _)| i).collect()
        };
        // The last document of shard 2 moved to the front: everything else keeps its shard.
        assert_eq!(marked(&[Some(2), Some(0), Some(0), Some(1), Some(2)]), vec![1, 2, 3, 4]);
        // New documents (None) are never kept; equal homes are a run.
        assert_eq!(marked(&[None, Some(1), Some(1), None, Some(1)]), vec![1, 2, 4]);
        assert_eq!(marked(&[None, None]), Vec::<usize>::new());
        assert_eq!(marked(&[Some(3), Some(2), Some(1)]).len(), 1);
    }
}
