//! Reusable parts of the screens; each has a stylesheet block of the same name.

pub mod controls;
pub mod explanation;
pub mod mailbox_panel;
pub mod scenario_panel;
pub mod sequence_diagram;
pub mod transcript;

pub use controls::Controls;
pub use explanation::ExplanationPanel;
pub use mailbox_panel::MailboxPanel;
pub use scenario_panel::ScenarioPanel;
pub use sequence_diagram::SequenceDiagram;
pub use transcript::Transcript;
