fn main() {
    yew::Renderer::<postroom::pages::console::ConsoleApp>::new().render();
}
