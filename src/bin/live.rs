fn main() {
    yew::Renderer::<postroom::pages::live::LiveApp>::new().render();
}
