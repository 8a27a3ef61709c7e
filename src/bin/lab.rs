fn main() {
    yew::Renderer::<postroom::pages::lab::LabApp>::new().render();
}
