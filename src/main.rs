fn main() {
    yew::Renderer::<postroom::pages::explorer::App>::new().render();
}
