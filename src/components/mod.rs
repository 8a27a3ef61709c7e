//! Reusable parts of the screens: props in, callbacks out; each has a stylesheet block of
//! the same name.

pub mod compare;
pub mod console;
pub mod controls;
pub mod explanation;
pub mod explorer;
pub mod handout;
#[cfg(feature = "lab")]
pub mod lab;
pub mod lesson;
pub mod live;
pub mod log;
pub mod mailbox_panel;
pub mod menu;
pub mod notices;
pub mod scenario_panel;
pub mod sequence_diagram;
pub mod topbar;
pub mod transcript;

pub use compare::ComparisonView;
pub use console::console_view;
pub use controls::{controls, ControlsProps};
pub use explanation::{explanation_panel, ExplanationProps};
pub use explorer::ExplorerView;
pub use mailbox_panel::{mailbox_panel, MailboxPanelProps};
pub use menu::menu;
pub use scenario_panel::ScenarioPanel;
pub use sequence_diagram::{sequence_diagram, SequenceDiagramProps};
pub use topbar::topbar;
pub use transcript::Transcript;
