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
pub use controls::{controls, ControlsProps};
pub use explanation::{explanation_panel, ExplanationProps};
pub use mailbox_panel::{mailbox_panel, MailboxPanelProps};
pub use scenario_panel::ScenarioPanel;
pub use sequence_diagram::{sequence_diagram, SequenceDiagramProps};
pub use topbar::topbar;
pub use transcript::Transcript;
