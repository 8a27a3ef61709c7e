//! The four paths side by side: round trips, octets each way and the time until the sender
//! knows its email was accepted, each with a bar to compare at a glance.

use postroom_sim::lab::{Path, Run};
use yew::prelude::*;

use super::{octets, time};
use crate::state::lab::{LabAction, View};

/// One row per path; a row's button shows that path below.
pub fn path_table(runs: &[Run], shown: View, on: &Callback<LabAction>) -> Html {
    let slowest = runs
        .iter()
        .filter_map(Run::accepted_after)
        .max()
        .unwrap_or(1)
        .max(1);
    let rows = Path::ALL.iter().zip(runs).map(|(&path, run)| {
        let after = run.accepted_after().unwrap_or(0);
        let (up, down) = run.octets();
        let width = after * 1000 / slowest;
        let on_now = shown == View::Path(path);
        let onclick = on.reform(move |_: MouseEvent| LabAction::Show(View::Path(path)));
        let formula = run.estimate_micros().map(|_| {
            let (u, d) = run.octets_until(run.accepted.unwrap_or(0) + 1);
            crate::t!(
                "lab.formula",
                trips = run.round_trips(),
                rtt = run.network.rtt_ms,
                octets = octets(u + d)
            )
        });
        html! {
            <tr class={classes!("lab__row", format!("lab__row--{}", path.key()), on_now.then_some("lab__row--on"))} data-path={path.key()}>
                <th scope="row"><button class="lab__pick" {onclick} aria-pressed={on_now.to_string()}>{ crate::i18n::said(&path.title()) }</button></th>
                <td class="lab__num" data-field="trips">{ run.round_trips() }</td>
                <td class="lab__num">{ format!("{} / {}", octets(up), octets(down)) }</td>
                <td class="lab__time">
                    <span class="lab__bar" style={format!("--w: {}.{}%", width / 10, width % 10)} />
                    <strong data-field="time">{ time(after) }</strong>
                    <span class="lab__formula">{ formula.unwrap_or_default() }</span>
                </td>
            </tr>
        }
    });
    html! {
        <table class="lab__table">
            <caption class="panel__title">{ crate::t!("lab.table.caption") }</caption>
            <thead><tr>
                <th scope="col">{ crate::t!("lab.table.path") }</th>
                <th scope="col">{ crate::t!("lab.table.trips") }</th>
                <th scope="col">{ crate::t!("lab.table.octets") }</th>
                <th scope="col">{ crate::t!("lab.table.until") }</th>
            </tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}
