//! What views ask for. Applied in one place, after the frame, by [`super::FactmarkApp`].

/// A request from a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Show the document at this index of the project's list.
    SelectDocument(usize),
}
