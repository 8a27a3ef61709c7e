fn main() {
    yew::Renderer::<postroom::pages::log::LogApp>::new().render();
}
