fn main() {
    yew::Renderer::<postroom::app::App>::new().render();
}
