fn main() {
    // Once the chosen language's texts are here.
    postroom::i18n::start(|| {
        yew::Renderer::<postroom::pages::console::ConsoleApp>::new().render();
    });
}
