//! Hooks that connect the app to the browser.

pub mod use_keyboard;
pub mod use_ticker;

pub use use_keyboard::use_keyboard;
pub use use_ticker::use_ticker;
