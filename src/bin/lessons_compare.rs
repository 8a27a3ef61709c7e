//! The comparison's lessons (lessons-compare.html): the lessons page with the POP3 vs IMAP
//! world only.
fn main() {
    // Once the chosen language's texts are here.
    postroom::i18n::start(|| {
        yew::Renderer::<postroom::pages::lessons::LessonsApp>::with_props(
            postroom::pages::lessons::LessonsProps {
                page: &postroom::pages::lessons::COMPARE,
            },
        )
        .render();
    });
}
