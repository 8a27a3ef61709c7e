//! BTree sets and maps built one item at a time. `collect()` (and `From<[T; N]>`) into a
//! BTree type first sorts the items with a stable sort compiled anew for each element type —
//! about 3 KB of WebAssembly per type on the web pages. Our sets are small, and inserting
//! needs no sort: the result is the same.

use std::collections::{BTreeMap, BTreeSet};

/// The set of `items`.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The map of `items`; a later value for the same key replaces an earlier one, as with
/// `collect()`.
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(items);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_as_collect() {
        let items = ["b", "a", "c", "a"];
        assert_eq!(set(items), items.into_iter().collect::<BTreeSet<_>>());
        let pairs = [(2, "x"), (1, "y"), (2, "z")];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
    }
}
