//! Tests of the search stage.
//!
//! The seed's goals come from the ingest stage and are tokenised with the shared segmenter,
//! as extraction does; they are indexed directly, so these tests exercise the index alone.

use crate::common::seed_goal_nodes;
use plangraph::extract::{GoalTokens, Segmenter};
use plangraph::index::{HitField, OpenState, SearchRequest, SearchResults, TextIndex};
use plangraph::ingest::{Layout, ParsedDocument, ParsedGoal};
use plangraph::model::{Node, NodeKind};
use plangraph::Error;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// A goal row for synthetic documents.
#[derive(Debug, Clone)]
struct SeedGoal {
    category: String,
    number: String,
    title: String,
    content: String,
    benchmark: Option<String>,
}

/// A goal node shaped as the ingest stage shapes it.
fn goal_node(unit: &str, year: u16, doc_title: &str, g: &SeedGoal) -> Node {
    ParsedDocument {
        title: doc_title.into(),
        unit: unit.into(),
        year,
        leader: None,
        contact: None,
        phone: None,
        layout: Layout::GoalTable,
        goals: vec![ParsedGoal {
            category: g.category.clone(),
            subcategory: String::new(),
            number: g.number.clone(),
            title: g.title.clone(),
            content: g.content.clone(),
            benchmark: g.benchmark.clone(),
        }],
    }
    .goal_nodes()
    .remove(0)
}

fn tokens(node: &Node) -> GoalTokens {
    let seg = Segmenter::shared();
    GoalTokens {
        title: seg.cut(&node.name),
        content: seg.cut(node.prop_str("content").unwrap_or("")),
        benchmark: seg.cut(node.prop_str("benchmark").unwrap_or("")),
    }
}

fn seed_nodes() -> Vec<Node> {
    seed_goal_nodes()
}

fn index_of(nodes: &[Node]) -> TextIndex {
    let mut index = TextIndex::in_memory(Segmenter::shared()).unwrap();
    for n in nodes {
        index.upsert_goal(n, &tokens(n)).unwrap();
    }
    index.commit(1).unwrap();
    index
}

/// The seed's goals, indexed once for the read-only tests.
fn seed_index() -> &'static (Vec<Node>, TextIndex) {
    static SEED: OnceLock<(Vec<Node>, TextIndex)> = OnceLock::new();
    SEED.get_or_init(|| {
        let nodes = seed_nodes();
        let index = index_of(&nodes);
        (nodes, index)
    })
}

fn search(index: &TextIndex, q: &str) -> SearchResults {
    index
        .search(&SearchRequest {
            query: q.into(),
            limit: 1000,
            ..SearchRequest::default()
        })
        .unwrap_or_else(|e| panic!("{q:?}: {e}"))
}

fn ids(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.id.clone()).collect()
}

fn full_text(n: &Node) -> String {
    format!(
        "{}\n{}\n{}",
        n.name,
        n.prop_str("content").unwrap_or(""),
        n.prop_str("benchmark").unwrap_or("")
    )
}

/// Ids of the nodes whose text contains every one of `needles` (the truth).
fn containing(nodes: &[Node], needles: &[&str]) -> BTreeSet<String> {
    nodes
        .iter()
        .filter(|n| needles.iter().all(|s| full_text(n).contains(s)))
        .map(|n| n.id.clone())
        .collect()
}

fn title_of<'a>(nodes: &'a [Node], id: &str) -> &'a str {
    &nodes.iter().find(|n| n.id == id).unwrap().name
}

#[test]
fn haiyang_finds_the_three_goals_that_say_it_most_occurrences_first() {
    let (nodes, index) = seed_index();
    let r = search(index, "海洋");
    assert_eq!(r.total, 3);
    let got: BTreeSet<String> = ids(&r).into_iter().collect();
    assert_eq!(got, containing(nodes, &["海洋"]));
    // 加快高端创新平台建设 says 海洋 five times, the others twice and once
    assert_eq!(title_of(nodes, &r.hits[0].id), "加快高端创新平台建设");
    assert_eq!(title_of(nodes, &r.hits[1].id), "加强科技创新改革谋划");
    assert_eq!(title_of(nodes, &r.hits[2].id), "强化高新技术产业培育");
    assert!(r.hits[0].score > r.hits[1].score && r.hits[1].score > r.hits[2].score);
}

#[test]
fn substrings_inside_longer_jieba_words_are_found() {
    let (nodes, index) = seed_index();
    for (q, title) in [
        ("能源", "强化高新技术产业培育"),     // only 新能源新材料
        ("医药", "提高科技支持民生改善能力"), // only 中医药
        ("上海", "深化国际科技交流合作"),     // 上海合作组织
        ("合作组织", "深化国际科技交流合作"),
        ("能", "强化高新技术产业培育"),
    ] {
        let r = search(index, q);
        let titles: Vec<&str> = r.hits.iter().map(|h| title_of(nodes, &h.id)).collect();
        assert!(titles.contains(&title), "{q}: {titles:?}");
        let got: BTreeSet<String> = ids(&r).into_iter().collect();
        assert_eq!(got, containing(nodes, &[q]), "{q}");
        assert_eq!(r.total, got.len());
    }
}

#[test]
fn whole_words_rank_above_substrings_of_longer_words() {
    let (nodes, index) = seed_index();
    // 能源 is a jieba word in two goals; in 强化高新技术产业培育 it is only inside 新能源
    let r = search(index, "能源");
    assert_eq!(r.total, 3);
    assert_eq!(title_of(nodes, &r.hits[2].id), "强化高新技术产业培育");
}

#[test]
fn absent_text_finds_nothing_without_error() {
    let (_, index) = seed_index();
    let r = search(index, "量子");
    assert_eq!((r.total, r.hits.len()), (0, 0));
    assert_eq!(r.query, "量子");
}

#[test]
fn all_terms_are_required_and_phrases_keep_order() {
    let (nodes, index) = seed_index();
    let both = search(index, "海洋 企业");
    let got: BTreeSet<String> = ids(&both).into_iter().collect();
    assert_eq!(got, containing(nodes, &["海洋", "企业"]));
    assert!(!got.is_empty());

    let phrase = search(index, "\"海洋科技\"");
    let got: BTreeSet<String> = ids(&phrase).into_iter().collect();
    assert_eq!(got, containing(nodes, &["海洋科技"]));
    let loose = search(index, "海洋 科技");
    let loose: BTreeSet<String> = ids(&loose).into_iter().collect();
    assert!(got.is_subset(&loose));
    // words the other way round are not the phrase
    assert_eq!(search(index, "\"科技海洋\"").total, 0);
    // a phrase of several words, with the space ignored
    let r = search(index, "\"国家高速列车 技术创新中心\"");
    assert_eq!(r.total, 1);
}

#[test]
fn paging_walks_the_same_order_and_total_counts_everything() {
    let (nodes, index) = seed_index();
    let all = search(index, "科技");
    assert_eq!(all.total, containing(nodes, &["科技"]).len());
    assert!(all.total >= 8);
    let mut paged = Vec::new();
    for offset in (0..all.total + 3).step_by(2) {
        let page = index
            .search(&SearchRequest {
                query: "科技".into(),
                limit: 2,
                offset,
                ..SearchRequest::default()
            })
            .unwrap();
        assert_eq!(page.total, all.total);
        assert!(page.hits.len() <= 2);
        paged.extend(ids(&page));
    }
    assert_eq!(paged, ids(&all));
    // limit 0 is a bad parameter, as over HTTP; the default request asks for the default
    let zero = index.search(&SearchRequest {
        query: "科技".into(),
        limit: 0,
        ..SearchRequest::default()
    });
    assert!(
        matches!(zero, Err(Error::InvalidParam { param: "limit", .. })),
        "{zero:?}"
    );
    let default = index
        .search(&SearchRequest {
            query: "科技".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        default.hits.len(),
        all.total.min(plangraph::limits::SEARCH_LIMIT.default)
    );
}

#[test]
fn snippet_highlights_point_at_the_query_text() {
    let (_, index) = seed_index();
    for q in [
        "海洋",
        "医药",
        "上海 合作",
        "\"科技金融\"",
        "150家",
        "３.０",
        "示范。",
        "（青岛）",
    ] {
        let r = search(index, q);
        assert!(r.total > 0, "{q}");
        let wanted: Vec<String> = q
            .split(|c: char| c.is_whitespace() || c == '"')
            .filter(|s| !s.is_empty())
            .map(fold)
            .collect();
        for hit in &r.hits {
            assert!([HitField::Title, HitField::Content, HitField::Benchmark].contains(&hit.field));
            assert!(!hit.highlights.is_empty(), "{q}: {hit:?}");
            let chars: Vec<char> = hit.snippet.chars().collect();
            assert!(chars.len() <= 122, "{}", hit.snippet);
            for [a, b] in &hit.highlights {
                let marked: String = chars[*a..*b].iter().collect();
                assert!(
                    wanted.iter().any(|w| fold(&marked).contains(w.as_str())),
                    "{q}: {marked} in {}",
                    hit.snippet
                );
            }
        }
    }
    let r = search(index, "上海");
    let hit = &r.hits[0];
    assert_eq!(hit.field, HitField::Content);
    assert!(hit.snippet.contains("上海合作组织"));
    assert!(hit.snippet.chars().count() >= 60);
    let title = search(index, "谋划");
    assert_eq!(title.hits[0].field, HitField::Title);
    assert_eq!(title.hits[0].snippet, "加强科技创新改革谋划");
    assert_eq!(title.hits[0].highlights, vec![[8, 10]]);
}

fn fold(s: &str) -> String {
    s.chars()
        .map(plangraph::index::tokenizer::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn hits_carry_goal_fields() {
    let (_, index) = seed_index();
    let r = search(index, "标杆孵化器");
    assert_eq!(r.total, 1);
    let h = &r.hits[0];
    assert_eq!(h.kind, NodeKind::Goal);
    assert_eq!(h.name, "培育优质创新创业生态");
    let g = h.goal.as_ref().expect("a goal hit has its place");
    assert_eq!(g.unit, "市科技局");
    assert_eq!(g.year, Some(2021));
    assert_eq!(g.category, "创优目标");
    assert_eq!(g.number, "2");
    let b = search(index, "首批试点行列");
    assert_eq!(b.hits[0].field, HitField::Benchmark);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["total"], 1);
    assert!(json["hits"][0]["highlights"][0].is_array());
}

#[test]
fn the_index_is_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<TextIndex>();
}

#[test]
fn a_page_too_deep_is_an_invalid_offset() {
    let (_, index) = seed_index();
    let r = index.search(&SearchRequest {
        query: "科技".into(),
        offset: plangraph::index::MAX_OFFSET + 1,
        ..SearchRequest::default()
    });
    assert!(
        matches!(
            r,
            Err(Error::InvalidParam {
                param: "offset",
                ..
            })
        ),
        "{r:?}"
    );
    let r = index
        .search(&SearchRequest {
            query: "科技".into(),
            offset: plangraph::index::MAX_OFFSET,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(r.hits.is_empty() && r.total > 0);
}

#[test]
fn empty_query_is_an_invalid_q() {
    let (_, index) = seed_index();
    for q in ["", "  ", "\t\u{3000}"] {
        match index.search(&SearchRequest {
            query: q.into(),
            ..SearchRequest::default()
        }) {
            Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "q"),
            other => panic!("{q:?}: {other:?}"),
        }
    }
}

#[test]
fn syntax_characters_are_plain_text() {
    let (_, index) = seed_index();
    for q in [
        "\"",
        "\"\"",
        "(",
        ")",
        ":",
        "AND",
        "OR",
        "+",
        "-",
        "*",
        "^",
        "[",
        "]",
        "{",
        "}",
        "~",
        "\\",
        "/",
        "title:海洋",
        "海洋^10",
        "海洋~2",
        "(海洋 OR 科技)",
        "+海洋 -科技",
        "海洋*",
        "[1 TO 5]",
        "\"海洋",
        "海洋\"",
        "''",
        "'",
        "&&",
        "||",
        "!",
        "<b>",
        "%",
        "_",
        "\u{0}",
    ] {
        search(index, q);
    }
    // 1-2 is in the text: the dash is searched for as written
    assert_eq!(search(index, "1-2家").total, 1);
    assert_eq!(search(index, "平台化聚合+互联网化服务").total, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_substring_of_a_goal_finds_it(goal in 0usize..9, field in 0usize..3, start in 0usize..2000, len in 2usize..=8) {
        let (nodes, index) = seed_index();
        let node = &nodes[goal];
        let text = match field {
            0 => node.name.as_str(),
            1 => node.prop_str("content").unwrap(),
            _ => node.prop_str("benchmark").unwrap_or(node.name.as_str()),
        };
        let chars: Vec<char> = text.chars().collect();
        let len = len.min(chars.len());
        let start = start % (chars.len() - len + 1);
        let q: String = chars[start..start + len].iter().collect();
        prop_assume!(!q.trim().is_empty());
        let r = search(index, &q);
        prop_assert!(ids(&r).contains(&node.id), "{:?} not found in goal {}", q, goal);
        prop_assert_eq!(r.total, r.hits.len());
    }

    #[test]
    fn junk_never_errors(q in "[\"()\\[\\]{}:+\\-*^~\\\\/!?&|<>'`=@#$%,.;。，海洋科技aZ0-9 \t]{0,24}") {
        let (_, index) = seed_index();
        let r = index.search(&SearchRequest { query: q.clone(), limit: 5, ..SearchRequest::default() });
        match r {
            Ok(r) => prop_assert!(r.hits.len() <= 5),
            Err(Error::InvalidParam { param, .. }) => {
                prop_assert_eq!(param, "q");
                prop_assert!(q.trim().is_empty());
            }
            Err(e) => prop_assert!(false, "{:?}: {}", q, e),
        }
    }
}

fn entity(kind: NodeKind, name: &str) -> Node {
    Node::entity(kind, name)
}

/// Two documents of different units and years, plus entities.
fn mixed_index() -> (Vec<Node>, TextIndex) {
    let mut nodes = seed_nodes();
    let other = SeedGoal {
        category: "重点目标".into(),
        number: "1".into(),
        title: "发展海洋经济".into(),
        content: "建设海洋强市，推动海洋牧场示范区建设。".into(),
        benchmark: None,
    };
    nodes.push(goal_node(
        "市海洋发展局",
        2022,
        "2022年度市直单位业务目标",
        &other,
    ));
    let mut index = index_of(&nodes);
    let lab = entity(NodeKind::Institution, "海洋试点国家实验室");
    index
        .upsert_entity(
            &lab,
            &["崂山实验室".to_string(), "海洋国家实验室".to_string()],
        )
        .unwrap();
    let zone = entity(NodeKind::Place, "上合示范区");
    index.upsert_entity(&zone, &[]).unwrap();
    index.commit(2).unwrap();
    nodes.push(lab);
    nodes.push(zone);
    (nodes, index)
}

fn request(q: &str) -> SearchRequest {
    SearchRequest {
        query: q.into(),
        limit: 100,
        ..SearchRequest::default()
    }
}

#[test]
fn kind_unit_and_year_filters() {
    let (_, index) = mixed_index();
    let all = index.search(&request("海洋")).unwrap();
    assert_eq!(all.total, 5); // 3 seed goals, 1 goal of 2022, the laboratory
    let kinds: BTreeSet<NodeKind> = all.hits.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([NodeKind::Goal, NodeKind::Institution])
    );

    let goals = index
        .search(&SearchRequest {
            kinds: vec![NodeKind::Goal],
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(goals.total, 4);
    assert!(goals.hits.iter().all(|h| h.kind == NodeKind::Goal));

    let labs = index
        .search(&SearchRequest {
            kinds: vec![NodeKind::Institution, NodeKind::Place],
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(labs.total, 1);
    assert_eq!(labs.hits[0].name, "海洋试点国家实验室");

    let unit = index
        .search(&SearchRequest {
            unit: Some("市海洋发展局".into()),
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(unit.total, 1);
    assert_eq!(unit.hits[0].name, "发展海洋经济");
    // the unit is matched as the store normalises names
    let unit = index
        .search(&SearchRequest {
            unit: Some(" 市海洋发展局 ".into()),
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(unit.total, 1);

    let blank = index
        .search(&SearchRequest {
            unit: Some(" ".into()),
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(blank.total, 5);

    let year = index
        .search(&SearchRequest {
            year: Some(2021),
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(year.total, 3);
    assert!(year
        .hits
        .iter()
        .all(|h| h.goal.as_ref().and_then(|g| g.year) == Some(2021)));

    let none = index
        .search(&SearchRequest {
            year: Some(2022),
            unit: Some("市科技局".into()),
            ..request("海洋")
        })
        .unwrap();
    assert_eq!(none.total, 0);
}

#[test]
fn entities_are_found_by_name_and_alias() {
    let (_, index) = mixed_index();
    let r = index.search(&request("崂山")).unwrap();
    assert_eq!(r.total, 1);
    let h = &r.hits[0];
    assert_eq!(h.kind, NodeKind::Institution);
    assert_eq!(h.name, "海洋试点国家实验室");
    assert_eq!(h.field, HitField::Alias);
    assert_eq!(h.snippet, "崂山实验室");
    assert_eq!(h.highlights, vec![[0, 2]]);
    assert_eq!(h.goal, None);

    let r = index
        .search(&SearchRequest {
            kinds: vec![NodeKind::Place],
            ..request("示范")
        })
        .unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].field, HitField::Name);
}

#[test]
fn title_matches_rank_above_content_matches() {
    let a = goal_node(
        "市科技局",
        2021,
        "t",
        &SeedGoal {
            category: "重点目标".into(),
            number: "1".into(),
            title: "推进船舶制造".into(),
            content: "开展关键技术攻关，组织应用示范。".into(),
            benchmark: None,
        },
    );
    let b = goal_node(
        "市科技局",
        2021,
        "t",
        &SeedGoal {
            category: "重点目标".into(),
            number: "2".into(),
            title: "开展关键技术攻关".into(),
            content: "推进船舶制造，组织应用示范。".into(),
            benchmark: None,
        },
    );
    let index = index_of(&[b.clone(), a.clone()]);
    let r = search(&index, "船舶");
    assert_eq!(ids(&r), [a.id.clone(), b.id.clone()]);
}

#[test]
fn whole_word_matches_rank_above_more_frequent_substrings() {
    let mk = |n: &str, content: &str| {
        goal_node(
            "市科技局",
            2021,
            "t",
            &SeedGoal {
                category: "重点目标".into(),
                number: n.into(),
                title: format!("目标{n}"),
                content: content.into(),
                benchmark: None,
            },
        )
    };
    let word = mk("1", "打造能源领域创新高地，推动产业升级，完善服务体系。");
    let inside = mk("2", "发展新能源，新能源汽车，新能源装备，新能源电池。");
    let index = index_of(&[inside.clone(), word.clone()]);
    let r = search(&index, "能源");
    assert_eq!(ids(&r), [word.id.clone(), inside.id.clone()]);
    // and among substring-only matches, more occurrences rank higher
    let once = mk("3", "发展新能源汽车产业，建设充电设施，完善服务体系。");
    let index = index_of(&[once.clone(), inside.clone()]);
    let r = search(&index, "能源");
    assert_eq!(ids(&r), [inside.id.clone(), once.id.clone()]);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let mut nodes = seed_nodes();
    let mut index = index_of(&nodes);
    assert_eq!(search(&index, "上合国家").total, 1);
    // change goal 4's content
    let node = &mut nodes[3];
    node.props
        .insert("content".into(), json!("推进与东盟国家的量子通信合作。"));
    index.upsert_goal(node, &tokens(node)).unwrap();
    // not visible before the commit
    assert_eq!(search(&index, "量子").total, 0);
    index.commit(2).unwrap();
    assert_eq!(search(&index, "上合国家").total, 0);
    let r = search(&index, "量子");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].id, nodes[3].id);
    assert_eq!(index.num_docs(), 9);
    // the same again in one batch: still one document
    index.upsert_goal(&nodes[3], &tokens(&nodes[3])).unwrap();
    index.upsert_goal(&nodes[3], &tokens(&nodes[3])).unwrap();
    index.commit(3).unwrap();
    assert_eq!(search(&index, "量子").total, 1);
    assert_eq!(index.num_docs(), 9);

    index.delete(&nodes[3].id).unwrap();
    index.commit(4).unwrap();
    assert_eq!(search(&index, "量子").total, 0);
    assert_eq!(index.num_docs(), 8);
    assert_eq!(index.generation(), Some(4));

    index.clear().unwrap();
    index.commit(5).unwrap();
    assert_eq!(index.num_docs(), 0);
    assert_eq!(search(&index, "科技").total, 0);
}

#[test]
fn tokens_that_do_not_fit_are_recut() {
    let node = &seed_nodes()[1];
    let mut recut = TextIndex::in_memory(Segmenter::shared()).unwrap();
    recut.upsert_goal(node, &GoalTokens::default()).unwrap();
    recut.commit(1).unwrap();
    let given = index_of(std::slice::from_ref(node));
    for q in ["\"海洋 试点\"", "海洋", "实验室"] {
        let (a, b) = (search(&recut, q), search(&given, q));
        assert_eq!(a.total, 1, "{q}");
        assert_eq!(a.hits[0].score, b.hits[0].score, "{q}");
    }
}

#[test]
fn reopen_keeps_documents_and_generation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("text");
    let nodes = seed_nodes();
    {
        let (mut index, state) = TextIndex::open_with_state(&path, Segmenter::shared()).unwrap();
        assert_eq!(state, OpenState::Created);
        assert_eq!(index.generation(), None);
        for n in &nodes {
            index.upsert_goal(n, &tokens(n)).unwrap();
        }
        index.commit(17).unwrap();
        // a change that is never committed (a crash before the commit)
        index.delete(&nodes[0].id).unwrap();
    }
    let (index, state) = TextIndex::open_with_state(&path, Segmenter::shared()).unwrap();
    assert_eq!(state, OpenState::Current);
    assert_eq!(index.generation(), Some(17));
    assert_eq!(index.num_docs(), 9);
    assert_eq!(search(&index, "海洋").total, 3);
    drop(index);

    // an empty directory is a new index too
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let index = TextIndex::open(&empty, Segmenter::shared()).unwrap();
    assert_eq!((index.generation(), index.num_docs()), (None, 0));
}

#[test]
fn an_index_of_another_schema_version_is_recreated_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("text");
    {
        let mut index = TextIndex::open(&path, Segmenter::shared()).unwrap();
        let n = &seed_nodes()[0];
        index.upsert_goal(n, &tokens(n)).unwrap();
        index.commit(3).unwrap();
    }
    let meta = path.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let version = plangraph::index::schema::SCHEMA_VERSION;
    let old = text.replace(
        &format!("\\\"schema\\\":{version}"),
        &format!("\\\"schema\\\":{}", version - 1),
    );
    assert_ne!(old, text, "{text}");
    std::fs::write(&meta, old).unwrap();
    let (index, state) = TextIndex::open_with_state(&path, Segmenter::shared()).unwrap();
    assert_eq!(state, OpenState::Recreated);
    assert_eq!((index.generation(), index.num_docs()), (None, 0));
    drop(index);

    // and an unreadable one too
    std::fs::write(&meta, "{not json").unwrap();
    let (index, state) = TextIndex::open_with_state(&path, Segmenter::shared()).unwrap();
    assert_eq!(state, OpenState::Recreated);
    assert_eq!(index.generation(), None);
}

#[test]
fn compaction_keeps_results_and_generation() {
    let nodes = seed_nodes();
    let mut index = TextIndex::in_memory(Segmenter::shared()).unwrap();
    for (i, n) in nodes.iter().enumerate() {
        index.upsert_goal(n, &tokens(n)).unwrap();
        index.commit(i as u64).unwrap();
    }
    let before = search(&index, "科技");
    index.compact().unwrap();
    assert_eq!(index.num_segments(), 1);
    assert_eq!(index.generation(), Some(8));
    let after = search(&index, "科技");
    assert_eq!(ids(&before).len(), ids(&after).len());
    assert_eq!(
        ids(&before).into_iter().collect::<BTreeSet<_>>(),
        ids(&after).into_iter().collect::<BTreeSet<_>>()
    );
}

fn simple_goal(number: &str, title: &str, content: &str, benchmark: Option<&str>) -> Node {
    goal_node(
        "市科技局",
        2021,
        "t",
        &SeedGoal {
            category: "重点目标".into(),
            number: number.into(),
            title: title.into(),
            content: content.into(),
            benchmark: benchmark.map(str::to_string),
        },
    )
}

#[test]
fn paging_crosses_from_whole_word_matches_to_substring_matches() {
    let mut nodes = Vec::new();
    for i in 0..5 {
        nodes.push(simple_goal(
            &format!("w{i}"),
            &format!("目标{i}"),
            &format!("打造能源领域创新高地{}。", "完善服务体系。".repeat(i)),
            None,
        ));
    }
    for i in 0..6 {
        nodes.push(simple_goal(
            &format!("s{i}"),
            &format!("任务{i}"),
            &format!("发展新能源汽车{}。", "建设充电设施。".repeat(i)),
            None,
        ));
    }
    let index = index_of(&nodes);
    let all = search(&index, "能源");
    assert_eq!(all.total, 11);
    let word_ids: BTreeSet<String> = nodes[..5].iter().map(|n| n.id.clone()).collect();
    let first: BTreeSet<String> = ids(&all)[..5].iter().cloned().collect();
    assert_eq!(first, word_ids, "whole-word matches come first");
    assert!(all.hits.windows(2).all(|w| w[0].score >= w[1].score));
    for limit in 1..=4 {
        let mut paged = Vec::new();
        let mut offset = 0;
        while offset < all.total + 2 {
            let page = index
                .search(&SearchRequest {
                    query: "能源".into(),
                    limit,
                    offset,
                    ..SearchRequest::default()
                })
                .unwrap();
            assert_eq!(page.total, 11);
            paged.extend(ids(&page));
            offset += limit;
        }
        assert_eq!(paged, ids(&all), "limit {limit}");
    }
}

#[test]
fn matches_do_not_span_two_fields_and_long_queries_are_exact() {
    let a = simple_goal(
        "1",
        "建设海洋科技",
        "创新平台，发展蓝色经济。",
        Some("深圳市海洋经济规模"),
    );
    let index = index_of(std::slice::from_ref(&a));
    // title end + content start, content end + benchmark start
    for q in ["科技创新", "海洋科技创新", "经济。深圳", "技创"] {
        assert_eq!(search(&index, q).total, 0, "{q}");
    }
    for q in [
        "建设海洋科技",
        "创新平台，发展蓝色经济。",
        "深圳市海洋经济规模",
        "市海洋经济规",
    ] {
        let r = search(&index, q);
        assert_eq!(r.total, 1, "{q}");
        assert_eq!(r.hits[0].id, a.id);
    }
    assert_eq!(search(&index, "创新平台，发展蓝色经济。！").total, 0);
    let b = search(&index, "深圳市海洋经济规模");
    assert_eq!(b.hits[0].field, HitField::Benchmark);
    assert_eq!(b.hits[0].highlights, vec![[0, 9]]);
}

#[test]
fn repeated_characters_and_long_repeats_match_exactly() {
    let six = simple_goal("1", "哈哈哈哈哈哈", "好好学习。", None);
    let four = simple_goal("2", "哈哈哈哈", "天天向上。", None);
    let index = index_of(&[six.clone(), four.clone()]);
    let found = |q: &str| -> BTreeSet<String> { ids(&search(&index, q)).into_iter().collect() };
    let both = BTreeSet::from([six.id.clone(), four.id.clone()]);
    assert_eq!(found("哈"), both);
    assert_eq!(found("哈哈哈哈"), both);
    assert_eq!(found("哈哈哈哈哈"), BTreeSet::from([six.id.clone()]));
    assert_eq!(found("哈哈哈哈哈哈"), BTreeSet::from([six.id.clone()]));
    assert!(found("哈哈哈哈哈哈哈").is_empty());
    // more occurrences rank higher
    assert_eq!(ids(&search(&index, "哈哈"))[0], six.id);
}
