//! Hooks that connect the app to the browser.

pub mod use_keyboard;

pub use use_keyboard::use_keyboard;
