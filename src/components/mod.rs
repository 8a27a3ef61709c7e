//! Reusable parts of the screens; each has a stylesheet block of the same name.

pub mod compare;
pub mod console;
pub mod controls;
pub mod explanation;
pub mod mailbox_panel;
pub mod scenario_panel;
pub mod sequence_diagram;
pub mod topbar;
pub mod transcript;

pub use compare::CompareView;
pub use console::ConsoleView;
pub use controls::Controls;
pub use explanation::ExplanationPanel;
pub use mailbox_panel::MailboxPanel;
pub use scenario_panel::ScenarioPanel;
pub use sequence_diagram::SequenceDiagram;
pub use topbar::Topbar;
pub use transcript::Transcript;
