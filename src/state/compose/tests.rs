//! The compose form's draft: what the form shows, and the scenario it sends.

use super::*;

fn draft(edits: impl IntoIterator<Item = (Field, Value)>) -> Rc<Draft> {
    crate::state::after(Rc::new(Draft::default()), edits)
}

fn text(field: Field, value: &str) -> (Field, Value) {
    (field, Value::Text(value.to_string()))
}

fn tick(field: Field, ticked: bool) -> (Field, Value) {
    (field, Value::Ticked(ticked))
}

const PHONE_PORT: Field = Field::Device(Device::Phone, Setting::Port);

#[test]
fn an_untouched_form_shows_the_scenario_and_sends_it_unchanged() {
    let base = Scenario::default();
    let d = Draft::default();
    assert_eq!(d.text(Field::Subject, &base), "Lunch on Friday?");
    assert_eq!(d.text(Field::Latency, &base), "40");
    assert_eq!(d.text(Field::Story, &base), "0");
    assert_eq!(d.text(PHONE_PORT, &base), "", "port 0 is the usual one");
    assert_eq!(
        d.text(Field::Device(Device::Laptop, Setting::Protocol), &base),
        "imap"
    );
    assert!(d.ticked(Field::Device(Device::Laptop, Setting::Keep), &base));
    assert!(!d.ticked(Field::Fault(Fault::Greylisting), &base));
    assert_eq!(d.scenario(&base), base);
}

#[test]
fn what_the_class_types_and_ticks_is_what_it_sends() {
    let base = Scenario::default();
    let d = draft([
        text(Field::Subject, "Field trip on Monday"),
        text(Field::From, "  carol@example.org "),
        tick(Field::Fault(Fault::PhoneDropsBeforeQuit), true),
        tick(Field::Fault(Fault::Greylisting), true),
        text(PHONE_PORT, "143"),
        text(Field::Device(Device::Laptop, Setting::Security), "starttls"),
        text(Field::Device(Device::Phone, Setting::Protocol), "imap"),
        text(Field::Story, "1"),
        text(Field::Subject, "Field trip on Tuesday"),
    ]);
    let s = d.scenario(&base);
    assert_eq!(
        s.subject, "Field trip on Tuesday",
        "the latest value counts"
    );
    assert_eq!(s.from, "carol@example.org");
    // The faults of the list, in the list's order.
    assert_eq!(s.faults, [Fault::Greylisting, Fault::PhoneDropsBeforeQuit]);
    assert_eq!((s.phone.port, s.phone.protocol), (143, FetchProtocol::Imap));
    assert_eq!(s.laptop.security, postroom_sim::Security::StartTls);
    assert_eq!(s.actions, STORIES[1].1);
}

#[test]
fn numbers_out_of_range_are_clamped_and_unreadable_ones_mean_the_usual() {
    let base = Scenario::default();
    let latency = |typed| {
        draft([text(Field::Latency, typed)])
            .scenario(&base)
            .latency_ms
    };
    assert_eq!(
        [latency("400"), latency("0"), latency("99999"), latency("")],
        [400, 1, 10_000, 40]
    );
    let port = |typed| draft([text(PHONE_PORT, typed)]).scenario(&base).phone.port;
    assert_eq!([port(" 995 "), port(""), port("99999")], [995, 0, 0]);
}

#[test]
fn a_story_bob_added_to_is_kept_as_it_is() {
    let mut base = Scenario::default();
    base.actions.push(Action::Switch(Device::Phone));
    let d = Draft::default();
    assert_eq!(d.text(Field::Story, &base), KEEP_STORY);
    assert_eq!(d.scenario(&base).actions, base.actions);
    let d = draft([text(Field::Story, "4")]);
    assert!(d.scenario(&base).actions.is_empty(), "nobody checks yet");
}

#[test]
fn faults_chosen_at_a_step_stay_only_if_nothing_else_changes() {
    let mut base = Scenario::default();
    base.add_step_fault(Fault::LossAt(7));
    base.faults.push(Fault::NoMxRecord);
    let kept = Draft::default().scenario(&base);
    assert_eq!(kept.faults, [Fault::NoMxRecord, Fault::LossAt(7)]);
    let unticked = draft([tick(Field::Fault(Fault::LossAt(7)), false)]).scenario(&base);
    assert_eq!(unticked.faults, [Fault::NoMxRecord]);
    // Another subject renumbers the steps: the step's fault is let go.
    let changed = draft([text(Field::Subject, "Hello")]).scenario(&base);
    assert_eq!(changed.faults, [Fault::NoMxRecord]);
}

#[test]
fn the_next_email_goes_after_the_story_and_keeps_its_steps_faults() {
    let mut base = Scenario::default();
    base.add_step_fault(Fault::DropAfter(3));
    let d = draft([
        text(Field::Subject, "Dessert too?"),
        text(Field::Body, "And cake."),
    ]);
    let next = d.next_email(&base).unwrap();
    assert_eq!(
        next.subject, base.subject,
        "the first email stays as it was"
    );
    assert_eq!(next.later.len(), 1);
    assert_eq!(next.later[0].subject, "Dessert too?");
    assert_eq!(next.later[0].body, "And cake.");
    assert_eq!(next.actions.last(), Some(&Action::Send(0)));
    assert_eq!(next.faults, [Fault::DropAfter(3)]);
    // A share link names at most 256 further emails.
    let mut full = Scenario::default();
    for _ in 0..=u8::MAX {
        full.send_later("again", "and again").unwrap();
    }
    assert!(d.next_email(&full).is_none());
}

#[test]
fn a_fault_injected_while_the_form_is_open_shows_in_it_and_edits_stay() {
    let d = draft([text(Field::Subject, "Typed before")]);
    let mut base = Scenario::default();
    base.faults.push(Fault::Greylisting);
    assert!(d.ticked(Field::Fault(Fault::Greylisting), &base));
    let s = d.scenario(&base);
    assert_eq!(
        (s.subject.as_str(), s.faults.as_slice()),
        ("Typed before", &[Fault::Greylisting][..])
    );
}

#[test]
fn alices_outgoing_server_is_set_in_the_form_and_shown_from_the_scenario() {
    let base = Scenario::default();
    let out = Field::Outgoing;
    assert_eq!(
        Draft::default().text(out(Setting::Security), &base),
        "starttls"
    );
    assert_eq!(Draft::default().text(out(Setting::Port), &base), "");
    let d = draft([
        text(out(Setting::Server), " smtp.example.com "),
        text(out(Setting::Port), "465"),
        text(out(Setting::Security), "tls"),
        text(out(Setting::User), "alice"),
    ]);
    let s = d.scenario(&base);
    assert_eq!(s.outgoing.server, "smtp.example.com");
    assert_eq!((s.outgoing.port, s.outgoing.port()), (465, 465));
    assert_eq!(s.outgoing.security, Security::ImplicitTls);
    assert_eq!(s.outgoing.user, "alice");
    // Shown again from the scenario the form sent.
    assert_eq!(Draft::default().text(out(Setting::User), &s), "alice");
}
