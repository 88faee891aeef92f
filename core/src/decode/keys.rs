//! Keys that are not in the schema: is one a field written another way (`workers_female`,
//! `workersFemale`, `female_workers`, `Workers.Female`) or misspelled (`memebrs`)? Then the
//! reader says which field was meant; otherwise the key is ignored (registries carry names,
//! addresses, phone numbers the rules have no use for).

/// The words of a key or a dotted path, lowercased: split at `.`, `_`, `-`, `/`, spaces and
/// camelCase boundaries (`workersFemale` → `workers`, `female`).
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A schema path as the suggestion search sees it.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    /// Its words joined (`workersfemale`).
    joined: String,
    /// Its words, sorted (so `female_workers` finds `workers.female`).
    sorted: Vec<String>,
}

impl Candidate {
    pub(crate) fn new(path: &str) -> Candidate {
        let w = words(path);
        let joined = w.concat();
        let mut sorted = w;
        sorted.sort();
        Candidate { joined, sorted }
    }
}

/// Edits allowed between a key and a field name of `len` characters (joined words).
fn allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=10 => 2,
        _ => 3,
    }
}

/// The candidate a key most likely means, if any: the same words (in any order, any case, any
/// separator), or the fewest edits (insertions, deletions, substitutions, swaps of two
/// neighbours) within a bound that grows with the length. Ties go to the first candidate.
pub(crate) fn suggest(key: &str, candidates: &[Candidate]) -> Option<usize> {
    let w = words(key);
    if w.is_empty() {
        return None;
    }
    let joined = w.concat();
    let mut sorted = w;
    sorted.sort();
    if let Some(i) = candidates
        .iter()
        .position(|c| c.joined == joined || c.sorted == sorted)
    {
        return Some(i);
    }
    let mut best: Option<(usize, usize)> = None;
    for (i, c) in candidates.iter().enumerate() {
        let limit = allowed(c.joined.chars().count().min(joined.chars().count()));
        if limit == 0 {
            continue;
        }
        let d = distance(&joined, &c.joined, limit);
        if d <= limit && best.is_none_or(|(_, b)| d < b) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// Optimal-string-alignment distance (Levenshtein plus swaps of neighbours), giving up with
/// `limit + 1` once the answer is known to exceed `limit`.
pub(crate) fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // three rows: i-2, i-1, i
    let w = b.len() + 1;
    let mut prev2: Vec<usize> = vec![0; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur: Vec<usize> = vec![0; w];
    for (i, &ca) in a.iter().enumerate() {
        let mut row_min = usize::MAX;
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(cost);
            let mut v = del.min(ins).min(sub);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                let t = prev2
                    .get(j - 1)
                    .copied()
                    .unwrap_or(usize::MAX)
                    .saturating_add(1);
                v = v.min(t);
            }
            if let Some(x) = cur.get_mut(j + 1) {
                *x = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(limit + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(paths: &[&str]) -> Vec<Candidate> {
        paths.iter().map(|p| Candidate::new(p)).collect()
    }

    #[test]
    fn words_split_at_separators_and_camel_case() {
        assert_eq!(words("workers_female"), ["workers", "female"]);
        assert_eq!(words("workersFemale"), ["workers", "female"]);
        assert_eq!(words("Workers.Female"), ["workers", "female"]);
        assert_eq!(words("workers__female"), ["workers", "female"]);
        assert_eq!(words("workers-female"), ["workers", "female"]);
        assert_eq!(
            words("income_per_person_month_vnd"),
            ["income", "per", "person", "month", "vnd"]
        );
        assert_eq!(words("ID"), ["id"]);
    }

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("members", "memebrs", 3), 1);
        assert_eq!(distance("female", "femal", 3), 1);
        assert_eq!(distance("kind", "kind", 3), 0);
        assert_eq!(distance("abc", "xyz", 1), 2);
        assert_eq!(distance("", "abc", 5), 3);
    }

    #[test]
    fn suggestions_find_the_field_meant() {
        let c = cands(&[
            "id",
            "name",
            "kind",
            "members",
            "members.total",
            "members.female",
            "workers",
            "workers.total",
            "workers.female",
            "established_on",
            "household.income_per_person_month_vnd",
        ]);
        let s = |k: &str| suggest(k, &c);
        assert_eq!(s("workers_female"), Some(8));
        assert_eq!(s("workersFemale"), Some(8));
        assert_eq!(s("workers__female"), Some(8));
        assert_eq!(s("workers-female"), Some(8));
        assert_eq!(s("female_workers"), Some(8));
        assert_eq!(s("memebrs"), Some(3));
        assert_eq!(s("establishedOn"), Some(9));
        assert_eq!(s("worker_female"), Some(8));
        assert_eq!(s("household_income_per_person_month_vnd"), Some(10));
        assert_eq!(s("ID"), Some(0));
        // what registries carry beside the facts: no suggestion
        for k in [
            "phone", "address", "note", "notes", "email", "district", "ward", "age", "x",
        ] {
            assert_eq!(s(k), None, "{k}");
        }
    }
}
