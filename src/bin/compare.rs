fn main() {
    yew::Renderer::<postroom::compare_app::CompareApp>::new().render();
}
