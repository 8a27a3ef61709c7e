fn main() {
    yew::Renderer::<postroom::pages::lessons::LessonsApp>::new().render();
}
