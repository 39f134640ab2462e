//! Name resolution answered from the text index agrees with reading every name in the
//! store: misses suggest the names closest to them, substrings find the names holding them.

use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::normalize_name;
use plangraph::Error;

/// The closest names as a scan of every (name, id) in the store finds them: at least half
/// of the characters shared, most shared pairs (double) and characters, shortest, by name.
fn scanned_suggestions(kg: &KnowledgeGraph, q: &str) -> Vec<String> {
    let want: Vec<char> = normalize_name(q).chars().collect();
    let pairs: Vec<[char; 2]> = want.windows(2).map(|w| [w[0], w[1]]).collect();
    let mut scored: Vec<(usize, usize, String)> = Vec::new();
    for r in kg.store().names_with_prefix("") {
        let (name, _) = r.unwrap();
        let shared = want.iter().filter(|c| name.contains(**c)).count();
        if shared * 2 < want.len() {
            continue;
        }
        let chars: Vec<char> = name.chars().collect();
        let shared_pairs = pairs
            .iter()
            .filter(|p| chars.windows(2).any(|w| w == p.as_slice()))
            .count();
        scored.push((shared_pairs * 2 + shared, chars.len(), name));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(5).map(|s| s.2).collect()
}

fn corpus_graph(docs: usize, seed: u64) -> (tempfile::TempDir, KnowledgeGraph, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let files = crate::corpus::write_corpus(&tmp.path().join("docs"), docs, seed).unwrap();
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg.ingest_paths(&files, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0);
    let names: Vec<String> = kg
        .store()
        .names_with_prefix("")
        .map(|r| r.unwrap().0)
        .collect();
    (tmp, kg, names)
}

#[test]
fn a_miss_suggests_the_names_a_scan_of_all_names_finds() {
    let (_tmp, kg, names) = corpus_graph(60, 17);
    let mut rng = fastrand::Rng::with_seed(5);
    let mut checked = 0;
    let mut with_suggestions = 0;
    for _ in 0..400 {
        let chars: Vec<char> = names[rng.usize(..names.len())].chars().collect();
        if chars.len() < 2 {
            continue;
        }
        // change one character (or drop one, or swap two): a name no one has
        let mut typo = chars.clone();
        match rng.usize(..3) {
            0 => typo[rng.usize(..chars.len())] = '谬',
            1 => {
                typo.remove(rng.usize(..chars.len()));
                typo.push('谬');
            }
            _ => {
                typo.swap(0, chars.len() - 1);
                typo.insert(chars.len() / 2, '谬');
            }
        }
        let typo: String = typo.into_iter().collect();
        if names.iter().any(|n| n.contains(&typo)) {
            continue;
        }
        match kg.resolve(&typo) {
            Err(Error::NotFound { suggestions, .. }) => {
                assert_eq!(suggestions, scanned_suggestions(&kg, &typo), "for {typo}");
                with_suggestions += usize::from(!suggestions.is_empty());
            }
            other => panic!("{typo}: {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 300, "{checked}");
    assert!(
        with_suggestions * 10 >= checked * 9,
        "{with_suggestions} of {checked}"
    );
}

#[test]
fn a_substring_resolves_to_the_names_holding_it() {
    let (_tmp, kg, names) = corpus_graph(40, 23);
    let mut rng = fastrand::Rng::with_seed(9);
    let mut checked = 0;
    for _ in 0..300 {
        let chars: Vec<char> = names[rng.usize(..names.len())].chars().collect();
        if chars.len() < 4 {
            continue;
        }
        // a piece from inside the name, of 2 to 6 characters (longer than 4: a phrase of
        // n-grams)
        let len = rng.usize(2..=chars.len().min(7) - 1);
        let start = rng.usize(1..=chars.len() - len);
        let piece: String = chars[start..start + len].iter().collect();
        if kg.store().names_with_prefix(&piece).next().is_some() {
            continue;
        }
        let holders: Vec<(String, String)> = kg
            .store()
            .names_with_prefix("")
            .map(|r| r.unwrap())
            .filter(|(n, _)| n.contains(&piece))
            .collect();
        let mut ids: Vec<&String> = holders.iter().map(|(_, id)| id).collect();
        ids.sort();
        ids.dedup();
        match kg.resolve(&piece) {
            Ok(node) => assert!(ids.contains(&&node.id), "{piece}: {}", node.id),
            Err(Error::Ambiguous { candidates, .. }) => {
                assert!(ids.len() > 1, "{piece}");
                for c in &candidates {
                    assert!(ids.iter().any(|id| c.contains(id.as_str())), "{piece}: {c}");
                }
                assert_eq!(candidates.len(), ids.len().min(10), "{piece}");
            }
            other => panic!("{piece}: {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
}
