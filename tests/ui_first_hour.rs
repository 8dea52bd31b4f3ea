//! The first hour of a new user, driven headless with egui_kittest: zoom that undoes exactly, keys typed
//! into text fields that never run commands, Esc that closes the window on top, the command palette's
//! keyboard, the first-start annotator question, duplicate spans and stale recovery files.

use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocStatus};
use factmark::store;
use factmark::ui::commands::CommandId;
use factmark::ui::workspace::{AUTOSAVE_DELAY, Workspace, recovery_path};
use factmark::ui::{FactmarkApp, Intent, Preferences};

mod ui_support;
use ui_support::{H, press};

fn sample_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ron");
    std::fs::copy(factmark::ui::sample_project_path(), &path).unwrap();
    (dir, path)
}

fn app_on_copy() -> (tempfile::TempDir, H) {
    let (dir, path) = sample_copy();
    let prefs = Preferences { annotator: "tester".into(), annotator_confirmed: true, ..Preferences::default() };
    let app = FactmarkApp::from_path(&path).with_preferences(prefs, false);
    (dir, ui_support::harness(app, [1400.0, 900.0]))
}

/// Types `text` as a keyboard does: a key event (which shortcuts see) and a text event (which fields see)
/// for every char.
fn type_text(h: &mut H, text: &str) {
    for c in text.chars() {
        let key = Key::from_name(&c.to_ascii_uppercase().to_string());
        if let Some(key) = key {
            h.event(Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers: Modifiers::NONE });
        }
        h.event(Event::Text(c.to_string()));
        if let Some(key) = key {
            h.event(Event::Key { key, physical_key: None, pressed: false, repeat: false, modifiers: Modifiers::NONE });
        }
        h.run();
    }
}

#[test]
fn zoom_in_out_and_reset_are_exact_inverses_and_only_change_the_text_size() {
    let (_dir, mut h) = app_on_copy();
    let start = h.state().font_size();
    let ctrl = Modifiers::COMMAND;
    press(&mut h, ctrl, Key::Equals);
    let bigger = h.state().font_size();
    assert!(bigger > start, "Ctrl+= makes the text larger");
    assert_eq!(h.ctx.zoom_factor(), 1.0, "Ctrl+= is the app's text size, not egui's whole-window zoom");
    press(&mut h, ctrl, Key::Minus);
    assert_eq!(h.state().font_size(), start, "Ctrl+- undoes Ctrl+= exactly");
    press(&mut h, ctrl, Key::Plus);
    press(&mut h, ctrl, Key::Plus);
    assert!(h.state().font_size() > bigger);
    press(&mut h, ctrl, Key::Num0);
    assert_eq!(h.state().font_size(), 16.0, "Ctrl+0 goes back to the default size");
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    press(&mut h, ctrl, Key::Equals);
    assert_eq!(h.state().preferences().font_size, h.state().font_size(), "the size kept is the last chosen");
}

#[test]
fn typing_a_name_in_the_first_start_settings_runs_no_commands() {
    let (_dir, path) = sample_copy();
    // A first start: the name is only a guess from $USER, so the settings window asks.
    let prefs =
        Preferences { annotator: "guessed-from-user".into(), annotator_confirmed: false, ..Preferences::default() };
    let app = FactmarkApp::from_path(&path).with_preferences(prefs, false);
    let mut h = ui_support::harness(app, [1400.0, 900.0]);
    assert!(h.query_by_label_contains("Who is annotating?").is_some(), "the first start asks for the name");
    // Select a span first, so a stray R would start a relation and a stray X would review it.
    let first = h.state().workspace().document().unwrap().spans[0].id;
    h.state_mut().push(Intent::ClickSpan(first));
    h.run();
    let doc_before = h.state().workspace().document().unwrap().clone();
    type_text(&mut h, "kira rax");
    assert_eq!(h.state().workspace().session.annotator, "kira rax", "every letter went into the field, over the guess");
    assert!(h.query_by_label_contains("Who is annotating?").is_some(), "the question stays while typing");
    assert!(h.query_by_label("Curation").is_none(), "K opened the curation view");
    assert_eq!(h.state().workspace().cursor.pending_relation, None, "R started a relation");
    assert_eq!(h.state().workspace().document().unwrap(), &doc_before, "a key changed the document");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().preferences().annotator_confirmed, "Enter confirms the name");
    assert_eq!(h.state().preferences().annotator, "kira rax");
    assert!(h.query_by_label_contains("Who is annotating?").is_none(), "the window closes");
}

#[test]
fn typing_a_path_into_save_as_runs_no_commands_and_esc_closes_only_the_dialog() {
    let (dir, mut h) = app_on_copy();
    press(&mut h, Modifiers::NONE, Key::Tab);
    let selected = h.state().workspace().cursor.selected_span;
    assert!(selected.is_some(), "Tab selects the first span");
    let doc_before = h.state().workspace().document().unwrap().clone();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    assert!(h.query_by_label("Save project as").is_some());
    // The path field has the keyboard as soon as the dialog opens: select all and type over it.
    press(&mut h, Modifiers::COMMAND, Key::A);
    let target = dir.path().join("kr-dax.ron");
    type_text(&mut h, &target.display().to_string());
    assert_eq!(h.state().workspace().cursor.pending_relation, None, "R started a relation");
    assert!(h.query_by_label("Curation").is_none(), "K opened the curation view");
    assert!(h.query_by_label("Dashboard").is_none());
    assert_eq!(h.state().workspace().cursor.selected_span, selected, "a typed key changed the selection");
    assert_eq!(h.state().workspace().document().unwrap(), &doc_before, "a typed key (A, X, 1…) changed the document");
    // Even with the keyboard taken from the field (a click on the dialog's text), keys stay out of the
    // document while the dialog is open.
    h.ctx.memory_mut(|m| m.stop_text_input());
    h.run();
    type_text(&mut h, "rkx");
    assert_eq!(h.state().workspace().cursor.pending_relation, None, "R started a relation behind the dialog");
    assert!(h.query_by_label("Curation").is_none(), "K opened the curation view behind the dialog");
    assert_eq!(h.state().workspace().document().unwrap(), &doc_before, "X reviewed a span behind the dialog");
    // Esc closes the dialog and nothing behind it: the span stays selected.
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Save project as").is_none(), "Esc closes the dialog");
    assert_eq!(h.state().workspace().cursor.selected_span, selected, "Esc also cleared the selection behind");
    assert!(!target.exists(), "nothing was saved");
    // Open it again and type the path: Enter saves there, so every key reached the field.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    press(&mut h, Modifiers::COMMAND, Key::A);
    type_text(&mut h, &target.display().to_string());
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(target.exists(), "the typed path was saved to: {}", h.state().message());
}

#[test]
fn the_palette_runs_the_highlighted_match_on_enter_and_arrows_move_it() {
    let (_dir, mut h) = app_on_copy();
    let theme = h.ctx.theme();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    type_text(&mut h, "dark light");
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_ne!(h.ctx.theme(), theme, "Enter ran the one match (Dark / light theme)");
    assert!(h.query_by_label("Command").is_none(), "and closed the palette");

    // "mark" matches the four status commands in menu order: to do, in progress, needs review, done.
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    type_text(&mut h, "mark");
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::ArrowUp);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().workspace().document().unwrap().status, DocStatus::InProgress, "↓ ↓ ↑ Enter ran the second");

    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    assert!(h.query_by_label("Command").is_some());
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Command").is_none(), "Esc closes the palette");
}

#[test]
fn a_label_key_on_an_already_labelled_selection_makes_no_second_span() {
    let (_dir, mut h) = app_on_copy();
    let count = |h: &H| h.state().workspace().document().unwrap().spans.len();
    let before = count(&h);
    let select = |h: &mut H| {
        h.state_mut().push(Intent::Select { anchor: CharIdx(0), head: CharIdx(3), snap: false });
        h.run();
    };
    select(&mut h);
    press(&mut h, Modifiers::NONE, Key::Num1);
    assert_eq!(count(&h), before + 1);
    select(&mut h);
    press(&mut h, Modifiers::NONE, Key::Num1);
    assert_eq!(count(&h), before + 1, "the same label on the same text by the same annotator is refused");
    assert!(h.state().message().contains("already"), "the status bar says why: {}", h.state().message());
    // Another label on the same text is a different span, and stays allowed.
    select(&mut h);
    press(&mut h, Modifiers::NONE, Key::Num2);
    assert_eq!(count(&h), before + 2);
}

fn workspace_with_recovery() -> (tempfile::TempDir, std::path::PathBuf, Workspace) {
    let (dir, path) = sample_copy();
    let mut ws = Workspace::new(store::load(&path).unwrap(), Some(path.clone()));
    ws.session.annotator = "tester".into();
    ws.apply(Intent::Select { anchor: CharIdx(0), head: CharIdx(5), snap: true });
    ws.apply(Intent::ApplyLabel(0));
    let later = std::time::Instant::now() + AUTOSAVE_DELAY * 2;
    ws.session.autosave_job(later).expect("an autosave is due").write().unwrap();
    assert!(recovery_path(&path).exists());
    (dir, path, ws)
}

#[test]
fn undoing_back_to_the_saved_state_removes_the_recovery_file() {
    let (_dir, path, mut ws) = workspace_with_recovery();
    ws.apply(Intent::Run(CommandId::Undo));
    assert!(!ws.session.is_dirty());
    ws.drop_stale_recovery();
    assert!(!recovery_path(&path).exists(), "nothing unsaved is left, so the recovery file goes");
    let mut next = Workspace::new(store::load(&path).unwrap(), Some(path.clone()));
    next.check_recovery();
    assert_eq!(next.prompt, None, "the next start offers nothing");
    // Redo makes the change unsaved again, and it is written again.
    ws.apply(Intent::Run(CommandId::Redo));
    let later = std::time::Instant::now() + AUTOSAVE_DELAY * 2;
    assert!(ws.session.autosave_job(later).is_some(), "a change back to a state written before is written again");
}

#[test]
fn a_recovery_file_that_equals_the_saved_project_is_never_offered() {
    let (_dir, path, _ws) = workspace_with_recovery();
    // The crash came after undoing back to the save, before the file was removed: same content.
    std::fs::copy(&path, recovery_path(&path)).unwrap();
    let mut next = Workspace::new(store::load(&path).unwrap(), Some(path.clone()));
    next.check_recovery();
    assert_eq!(next.prompt, None);
    assert!(!recovery_path(&path).exists(), "the useless file is removed");
}

#[test]
fn a_clean_quit_removes_the_recovery_file_of_undone_work() {
    let (dir, path) = sample_copy();
    let prefs = Preferences { annotator: "tester".into(), annotator_confirmed: true, ..Preferences::default() };
    let mut app = FactmarkApp::from_path(&path).with_preferences(prefs, false);
    app.push(Intent::Select { anchor: CharIdx(0), head: CharIdx(5), snap: true });
    app.push(Intent::ApplyLabel(0));
    let mut h = ui_support::harness(app, [1400.0, 900.0]);
    // Wait for the autosave to write the recovery file.
    for _ in 0..400 {
        h.run_steps(1);
        if recovery_path(&path).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(recovery_path(&path).exists(), "autosave wrote the recovery file");
    h.state_mut().push(Intent::Run(CommandId::Undo));
    h.run();
    h.state_mut().quit();
    assert!(!recovery_path(&path).exists(), "a clean quit leaves no recovery file");
    drop(dir);
}

#[test]
fn a_small_window_keeps_half_its_width_for_the_document_and_windows_fit() {
    let (_dir, path) = sample_copy();
    let prefs = Preferences { annotator: "t".into(), annotator_confirmed: true, ..Preferences::default() };
    let app = FactmarkApp::from_path(&path).with_preferences(prefs, false);
    let mut h = ui_support::harness(app, [900.0, 600.0]);
    h.run();
    let first = h.state().workspace().document().unwrap().text.split("\n\n").next().unwrap().to_string();
    let para = h.get_by_label(&first).rect();
    // The column is half the window (450 px); the wrapped text in it, less margins and ragged line ends,
    // is over 360 px. With the side panels at their full widths it was a 256 px column.
    assert!(para.width() >= 360.0, "the text is {} px wide in a 900 px window", para.width());
    for (mods, key, title) in
        [(Modifiers::NONE, Key::F1, "Keyboard shortcuts"), (Modifiers::COMMAND, Key::D, "Dashboard")]
    {
        press(&mut h, mods, key);
        // The window is the largest node of that name; a heading inside it may be scrolled out of sight.
        let rect = h
            .query_all_by_label(title)
            .map(|n| n.rect())
            .max_by(|a, b| a.area().total_cmp(&b.area()))
            .expect("the window is open");
        assert!(rect.bottom() <= 600.0 && rect.right() <= 900.0, "{title} runs off the screen: {rect:?}");
    }
}

#[test]
fn browse_without_a_file_dialog_portal_says_so_and_puts_the_cursor_in_the_path_field() {
    let (_dir, path) = sample_copy();
    let prefs = Preferences { annotator: "t".into(), annotator_confirmed: true, ..Preferences::default() };
    // Native dialogs on, as in the real window; the test machine runs no XDG portal, so rfd answers at once.
    let app = FactmarkApp::from_path(&path).with_preferences(prefs, true);
    let mut h = ui_support::harness(app, [1400.0, 900.0]);
    press(&mut h, Modifiers::COMMAND, Key::I);
    h.get_by_label("Browse…").click();
    ui_support::wait_for(&mut h, "No system file dialog appeared");
    assert!(h.ctx.text_edit_focused(), "the path field has the keyboard");
    type_text(&mut h, "/tmp/articles");
    assert!(h.query_all_by_value("/tmp/articles").next().is_some(), "typing goes into the path field");
}

#[test]
fn at_900_by_600_a_selected_span_leaves_the_inspector_uncovered() {
    let (dir, path) = sample_copy();
    let prefs = Preferences { annotator: "tester".into(), annotator_confirmed: true, ..Preferences::default() };
    let app = FactmarkApp::from_path(&path).with_preferences(prefs, false);
    let mut h = ui_support::harness(app, [900.0, 600.0]);
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert!(h.state().workspace().cursor.selected_span.is_some(), "Tab selects a span");
    h.run();
    // Its inspector rows (review buttons, relations) are wider than a quarter of 900 px unless they wrap; a
    // right panel whose content overflows is taken by egui for narrower than it is, and the text view then
    // painted over the inspector's left edge.
    let inspector = h.get_by_label("Span").rect().min.x;
    let title = h.state().workspace().document().unwrap().title.clone();
    // The title is in the document list and over the text: the rightmost is the text view's.
    let text_right = h.query_all_by_label(&title).map(|n| n.rect().max.x).fold(0.0, f32::max);
    assert!(text_right <= inspector, "the document title reaches x = {text_right}, over the inspector at {inspector}");
    assert!(h.get_by_label("rejected").rect().max.x <= 900.0, "the review row fits the window");
    drop(dir);
}
