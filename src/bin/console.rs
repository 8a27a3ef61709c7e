fn main() {
    yew::Renderer::<postroom::console_app::ConsoleApp>::new().render();
}
