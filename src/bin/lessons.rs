//! The lessons page (lessons.html): the list, the hand-in, and the explorer's lessons.
fn main() {
    // Once the chosen language's texts are here.
    postroom::i18n::start(|| {
        yew::Renderer::<postroom::pages::lessons::LessonsApp>::with_props(
            postroom::pages::lessons::LessonsProps {
                page: &postroom::pages::lessons::LIST,
            },
        )
        .render();
    });
}
