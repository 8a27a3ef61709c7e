fn main() {
    yew::Renderer::<postroom::pages::compare::CompareApp>::new().render();
}
