//! A deterministic generator of realistic goal documents, for benchmarks and tests
//! (included by them with `#[path]`; not part of the library).
//!
//! Each document follows the bundled seed's 业务目标 layout
//! (`seeds/qingdao-kejiju-2021-business-goals.txt`): a title line with the year, a
//! `单位名称：…  主要负责人：…  联系人：…  联系电话：…` header, the four column names, then
//! one row per goal (a tab-indented category cell on the first row of each category, the
//! number, the title and the content), with a `标杆城市及标杆值：` line after some
//! 创优目标 rows. Content sentences are recombined from a vocabulary of verbs,
//! institutions, places, 《…》 documents, programmes and numeric targets.
//!
//! The same `(n, seed)` always yields the same documents, on every machine. Documents are
//! unique by unit + year + title (the identity the store uses): when a (unit, year) pair
//! comes round again, the title line gets a `（第N批）` suffix.
//!
//! ```text
//! let docs = corpus::generate(3, 7);
//! assert_eq!(docs.len(), 3);
//! assert!(docs[0].text.contains("单位名称："));
//! assert!((5..=12).contains(&docs[0].goals.len()));
//! ```

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

/// One generated document: the file it would be, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedDocument {
    /// `corpus-00042-2019.txt` (ASCII, unique within one call).
    pub file_name: String,
    /// The document text, in the seed's layout (UTF-8).
    pub text: String,
    /// The reporting unit (`市科技局`).
    pub unit: String,
    pub year: u16,
    /// The title line (`2019年度市直单位业务目标`, or with a `（第N批）` suffix).
    pub title: String,
    /// 主要负责人
    pub leader: String,
    /// 联系人
    pub contact: String,
    /// 联系电话
    pub phone: String,
    /// The goals, in document order.
    pub goals: Vec<GeneratedGoal>,
}

/// One goal row of a generated document, as a parser should read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedGoal {
    /// `重点目标` or `创优目标`.
    pub category: String,
    /// The 序号 within its category, from `1`.
    pub number: String,
    pub title: String,
    pub content: String,
    /// The 标杆城市及标杆值 text, without the label.
    pub benchmark: Option<String>,
}

/// The reporting departments documents are drawn from.
pub const UNITS: [&str; 30] = [
    "市科技局",
    "市发展改革委",
    "市工业和信息化局",
    "市海洋发展局",
    "市教育局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市水务管理局",
    "市农业农村局",
    "市商务局",
    "市文化和旅游局",
    "市卫生健康委",
    "市应急局",
    "市市场监管局",
    "市统计局",
    "市医保局",
    "市地方金融监管局",
    "市民政局",
    "市司法局",
    "市城市管理局",
    "市园林和林业局",
    "市大数据局",
    "市民营经济局",
    "市国资委",
    "市体育局",
    "市行政审批局",
];

/// First and last year of generated documents.
pub const YEARS: (u16, u16) = (2015, 2025);

const VERBS: [&str; 16] = [
    "加强", "加快", "推进", "深化", "强化", "提升", "优化", "完善", "推动", "支持", "培育", "打造",
    "构建", "实施", "开展", "落实",
];

const FIELDS: [&str; 28] = [
    "海洋",
    "新能源",
    "新材料",
    "人工智能",
    "生物医药",
    "中医药",
    "集成电路",
    "虚拟现实",
    "智能制造",
    "氢能",
    "轨道交通",
    "高端装备",
    "工业互联网",
    "现代农业",
    "大数据",
    "区块链",
    "节能环保",
    "文化旅游",
    "航空航天",
    "海洋装备",
    "现代物流",
    "数字经济",
    "医疗器械",
    "食品安全",
    "智慧城市",
    "康复养老",
    "绿色建筑",
    "种业",
];

const TITLE_NOUNS: [&str; 16] = [
    "产业培育",
    "平台建设",
    "人才引进培养",
    "改革谋划",
    "国际合作",
    "服务支撑",
    "生态建设",
    "能力提升",
    "体系建设",
    "项目落地",
    "创新发展",
    "监管服务",
    "基础设施建设",
    "示范应用",
    "招商引资",
    "品牌培育",
];

const INSTITUTION_PREFIXES: [&str; 8] = [
    "青岛",
    "山东",
    "国家",
    "中科院",
    "中国海洋大学",
    "山东大学青岛",
    "哈工大青岛",
    "中船重工",
];

const INSTITUTION_TYPES: [&str; 14] = [
    "研究院",
    "技术创新中心",
    "重点实验室",
    "工程研究中心",
    "产业园",
    "孵化器",
    "创新中心",
    "大科学研究中心",
    "试点国家实验室",
    "山东省实验室",
    "中试基地",
    "产业技术研究院",
    "检验检测中心",
    "联合实验室",
];

const PLACES: [&str; 16] = [
    "高新区",
    "自贸区",
    "上合示范区",
    "西海岸新区",
    "崂山区",
    "市南区",
    "市北区",
    "李沧区",
    "城阳区",
    "即墨区",
    "胶州市",
    "平度市",
    "莱西市",
    "蓝谷",
    "董家口",
    "红岛",
];

const DOC_KINDS: [&str; 10] = [
    "发展规划",
    "行动方案",
    "管理办法",
    "实施意见",
    "三年行动计划",
    "专项规划",
    "扶持政策",
    "实施细则",
    "考核办法",
    "工作方案",
];

const PROGRAM_NAMES: [&str; 12] = [
    "透明海洋",
    "蓝色药库",
    "氢进万家",
    "百城百园",
    "白名单",
    "一区多园",
    "包干制",
    "揭榜挂帅",
    "双招双引",
    "放管服",
    "一带一路",
    "十四五",
];

const ACTIVITIES: [&str; 10] = [
    "对接活动",
    "路演活动",
    "科创沙龙",
    "培训班",
    "推介会",
    "专题讲座",
    "技能竞赛",
    "交流会",
    "现场观摩会",
    "招聘会",
];

const SUBJECTS: [&str; 12] = [
    "高新技术企业",
    "科技型中小企业",
    "专精特新企业",
    "规模以上企业",
    "创新型领军企业",
    "上市企业",
    "新型研发机构",
    "技术转移机构",
    "众创空间",
    "重点项目",
    "示范企业",
    "服务机构",
];

const BENCHMARK_CITIES: [&str; 10] = [
    "深圳", "杭州", "南京", "宁波", "厦门", "成都", "武汉", "广州", "苏州", "西安",
];

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "吕",
];

const GIVEN: [&str; 30] = [
    "鹏", "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀", "霞", "平", "刚", "心怡", "建国", "海燕", "志强", "晓东", "丽华", "文博", "子涵", "国栋",
    "雪梅",
];

/// Every vocabulary item documents are made of (units, verbs, fields, institution kinds,
/// places, document kinds, programmes, activities, subjects …): what benchmark queries are
/// drawn from.
pub fn vocabulary() -> Vec<&'static str> {
    let lists: [&[&'static str]; 13] = [
        &UNITS,
        &VERBS,
        &FIELDS,
        &TITLE_NOUNS,
        &INSTITUTION_PREFIXES,
        &INSTITUTION_TYPES,
        &PLACES,
        &DOC_KINDS,
        &PROGRAM_NAMES,
        &ACTIVITIES,
        &SUBJECTS,
        &BENCHMARK_CITIES,
        &[
            "关键技术攻关",
            "应用示范",
            "精准对接",
            "服务窗口",
            "营业收入",
            "投入运行",
        ],
    ];
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// The random choices of the corpus and of the benchmarks' own data, from one seeded
/// generator (`fastrand`'s wyrand): the same seed gives the same documents on every machine.
pub struct Rng(fastrand::Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }

    pub fn next(&mut self) -> u64 {
        self.0.u64(..)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        self.0.usize(lo..=hi)
    }

    /// Uniform in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        self.0.f64()
    }

    /// In `0..n`, skewed towards 0: a few entities are named by many goals, most by few.
    pub fn skewed(&mut self, n: usize) -> usize {
        ((self.unit().powi(3)) * n as f64) as usize % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// `n` documents from `seed`. Deterministic: the same arguments give the same documents.
pub fn generate(n: usize, seed: u64) -> Vec<GeneratedDocument> {
    let mut rng = Rng::new(seed);
    let mut seen: HashMap<(usize, u16), usize> = HashMap::new();
    (0..n)
        .map(|i| {
            let unit_idx = rng.below(UNITS.len());
            let year = rng.range(YEARS.0 as usize, YEARS.1 as usize) as u16;
            let repeat = seen.entry((unit_idx, year)).or_insert(0);
            *repeat += 1;
            let title = if *repeat == 1 {
                format!("{year}年度市直单位业务目标")
            } else {
                format!("{year}年度市直单位业务目标（第{repeat}批）")
            };
            document(&mut rng, i, UNITS[unit_idx], year, title)
        })
        .collect()
}

/// Write `generate(n, seed)` into `dir` (created if missing), one file a document;
/// returns the paths in generation order.
pub fn write_corpus(dir: &Path, n: usize, seed: u64) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    generate(n, seed)
        .into_iter()
        .map(|doc| {
            let path = dir.join(&doc.file_name);
            std::fs::write(&path, doc.text.as_bytes())?;
            Ok(path)
        })
        .collect()
}

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

fn document(
    rng: &mut Rng,
    index: usize,
    unit: &str,
    year: u16,
    title: String,
) -> GeneratedDocument {
    let leader = person(rng);
    let contact = person(rng);
    let phone = format!("8{:07}", rng.below(10_000_000));
    // a unit leans on a few fields, so documents of one unit resemble each other
    let focus: Vec<&str> = (0..3).map(|_| rng.pick(&FIELDS)).collect();
    let count = rng.range(5, 12);
    let excellence = if count >= 7 && rng.chance(70) {
        rng.range(1, 3)
    } else {
        0
    };
    let mut goals = Vec::with_capacity(count);
    let mut titles: Vec<String> = Vec::with_capacity(count);
    for g in 0..count {
        let (category, number) = if g < count - excellence {
            ("重点目标", g + 1)
        } else {
            ("创优目标", g - (count - excellence) + 1)
        };
        let field = if rng.chance(60) {
            focus[rng.below(focus.len())]
        } else {
            rng.pick(&FIELDS)
        };
        let mut goal_title = goal_title(rng, field);
        while titles.contains(&goal_title) {
            goal_title = goal_title_alt(rng, field);
        }
        titles.push(goal_title.clone());
        let content = content(rng, field, &focus, year);
        let benchmark = (category == "创优目标" && rng.chance(80)).then(|| benchmark(rng, field));
        goals.push(GeneratedGoal {
            category: category.to_string(),
            number: number.to_string(),
            title: goal_title,
            content,
            benchmark,
        });
    }
    let text = render(&title, unit, &leader, &contact, &phone, &goals);
    GeneratedDocument {
        file_name: format!("corpus-{index:05}-{year}.txt"),
        text,
        unit: unit.to_string(),
        year,
        title,
        leader,
        contact,
        phone,
        goals,
    }
}

fn goal_title(rng: &mut Rng, field: &str) -> String {
    format!("{}{}{}", rng.pick(&VERBS), field, rng.pick(&TITLE_NOUNS))
}

fn goal_title_alt(rng: &mut Rng, field: &str) -> String {
    format!(
        "{}{}{}{}",
        rng.pick(&VERBS),
        rng.pick(&PLACES),
        field,
        rng.pick(&TITLE_NOUNS)
    )
}

fn institution(rng: &mut Rng, field: &str) -> String {
    let prefix = rng.pick(&INSTITUTION_PREFIXES);
    let kind = rng.pick(&INSTITUTION_TYPES);
    match rng.below(4) {
        0 => format!("{prefix}{field}{kind}"),
        1 => format!("{}{field}{kind}", rng.pick(&PLACES)),
        2 => format!("{field}{kind}"),
        _ => format!("{prefix}{field}{kind}（{}）", rng.pick(&PLACES)),
    }
}

fn policy_document(rng: &mut Rng, field: &str, year: u16) -> String {
    match rng.below(4) {
        0 => format!("《青岛市{field}{}》", rng.pick(&DOC_KINDS)),
        1 => format!(
            "《关于进一步{}{field}{}的实施意见》",
            rng.pick(&VERBS),
            rng.pick(&TITLE_NOUNS)
        ),
        2 => format!(
            "《青岛市{field}{}（{}-{}年）》",
            rng.pick(&DOC_KINDS),
            year,
            year + 2
        ),
        _ => format!("《{field}{}{}版》", rng.pick(&DOC_KINDS), rng.range(1, 4)),
    }
}

/// A count of organisations in one of the seed's shapes (150家以上, 突破5300家, 1-2家).
fn count_target(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("{}家以上", rng.range(2, 40) * 10),
        1 => format!("突破{}家", rng.range(10, 80) * 100),
        2 => {
            let lo = rng.range(1, 5);
            format!("{lo}-{}家", lo + rng.range(1, 3))
        }
        _ => format!("{}家", rng.range(2, 60)),
    }
}

/// A number of events (20余场, 100场以上).
fn event_target(rng: &mut Rng) -> String {
    if rng.chance(50) {
        format!("{}余场", rng.range(1, 10) * 10)
    } else {
        format!("{}场以上", rng.range(2, 20) * 10)
    }
}

/// A growth or amount (增长25%左右, 达到120亿元).
fn growth_target(rng: &mut Rng) -> String {
    if rng.chance(60) {
        format!("增长{}%左右", rng.range(3, 30))
    } else {
        format!("达到{}亿元", rng.range(1, 200))
    }
}

fn sentence(rng: &mut Rng, field: &str, focus: &[&str], year: u16) -> String {
    let verb = rng.pick(&VERBS);
    let mut other = focus[rng.below(focus.len())];
    if other == field {
        other = rng.pick(&FIELDS);
    }
    match rng.below(12) {
        0 => format!(
            "{verb}{}建设，{}{field}领域创新能力。",
            institution(rng, field),
            rng.pick(&VERBS)
        ),
        1 => format!("出台{}。", policy_document(rng, field, year)),
        2 => format!(
            "推动{}投入运行，{}{}{}。",
            institution(rng, field),
            rng.pick(&VERBS),
            other,
            rng.pick(&TITLE_NOUNS)
        ),
        3 => format!(
            "在{}、{}设立{}服务窗口，{verb}{}服务。",
            rng.pick(&PLACES),
            rng.pick(&PLACES),
            field,
            rng.pick(&SUBJECTS)
        ),
        4 => format!(
            "认定建设各级{}{}。",
            rng.pick(&INSTITUTION_TYPES),
            count_target(rng)
        ),
        5 => format!(
            "围绕{field}、{other}等方向组织{}，{verb}关键技术攻关和应用示范。",
            rng.pick(&TITLE_NOUNS)
        ),
        6 => format!(
            "实施“{}”{}工程，争取{}{}。",
            rng.pick(&PROGRAM_NAMES),
            field,
            rng.pick(&SUBJECTS),
            count_target(rng)
        ),
        7 => format!(
            "举办{field}{}{}，{verb}{}与{}精准对接。",
            rng.pick(&ACTIVITIES),
            event_target(rng),
            rng.pick(&SUBJECTS),
            rng.pick(&PLACES)
        ),
        8 => format!(
            "修订{}，{verb}{field}{}。",
            policy_document(rng, other, year),
            rng.pick(&TITLE_NOUNS)
        ),
        9 => format!(
            "{verb}{}队伍，争取总数{}。",
            rng.pick(&SUBJECTS),
            count_target(rng)
        ),
        10 => format!(
            "加快{}与{}合作，共建{}。",
            institution(rng, field),
            institution(rng, other),
            institution(rng, field)
        ),
        _ => format!(
            "力争{field}{}营业收入{}，{}{}。",
            rng.pick(&SUBJECTS),
            growth_target(rng),
            rng.pick(&VERBS),
            rng.pick(&TITLE_NOUNS)
        ),
    }
}

fn content(rng: &mut Rng, field: &str, focus: &[&str], year: u16) -> String {
    let sentences = rng.range(3, 7);
    let mut out = String::new();
    for _ in 0..sentences {
        out.push_str(&sentence(rng, field, focus, year));
    }
    out
}

fn benchmark(rng: &mut Rng, field: &str) -> String {
    match rng.below(3) {
        0 => format!(
            "争取在全国副省级城市中，率先获批开展“{field}{}试点”。",
            rng.pick(&TITLE_NOUNS)
        ),
        1 => format!(
            "在{field}{}方面，争取进入全国首批试点行列。",
            rng.pick(&TITLE_NOUNS)
        ),
        _ => format!(
            "{}市{field}{}{}，力争达到同等水平。",
            rng.pick(&BENCHMARK_CITIES),
            rng.pick(&SUBJECTS),
            count_target(rng)
        ),
    }
}

/// The seed's layout: cells are tab-indented lines, rows separated by a blank line, the
/// category cell blank (a lone tab) after a category's first row.
fn render(
    title: &str,
    unit: &str,
    leader: &str,
    contact: &str,
    phone: &str,
    goals: &[GeneratedGoal],
) -> String {
    let mut text = String::with_capacity(400 + goals.len() * 400);
    text.push('\n');
    text.push_str(title);
    text.push('\n');
    text.push_str(&format!(
        "单位名称：{unit}       主要负责人：{leader}         联系人：{contact}             联系电话：{phone}\n"
    ));
    text.push_str("\t类别\n\t序号\n\t目标名称\n\t目标内容\n");
    let mut last_category = "";
    for goal in goals {
        text.push('\n');
        if goal.category != last_category {
            text.push('\t');
            text.push_str(&goal.category);
            text.push('\n');
            last_category = &goal.category;
        } else {
            text.push_str("\t\n");
        }
        for cell in [&goal.number, &goal.title, &goal.content] {
            text.push('\t');
            text.push_str(cell);
            text.push('\n');
        }
        if let Some(b) = &goal.benchmark {
            text.push_str("标杆城市及标杆值：");
            text.push_str(b);
            text.push('\n');
        }
    }
    text
}

// Run with the integration tests; the benches (harness = false) compile them unused.
#[cfg(test)]
#[allow(dead_code, unused_imports)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn deterministic_for_a_seed_and_different_across_seeds() {
        assert_eq!(generate(20, 42), generate(20, 42));
        assert_ne!(generate(20, 42), generate(20, 43));
        // a longer run starts with the shorter one
        assert_eq!(generate(50, 9)[..20], generate(20, 9)[..]);
    }

    #[test]
    fn documents_are_unique_by_unit_year_title() {
        let docs = generate(2_000, 1);
        let ids: HashSet<(String, u16, String)> = docs
            .iter()
            .map(|d| (d.unit.clone(), d.year, d.title.clone()))
            .collect();
        assert_eq!(ids.len(), docs.len());
        let files: HashSet<&str> = docs.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(files.len(), docs.len());
        assert!(docs
            .iter()
            .all(|d| (YEARS.0..=YEARS.1).contains(&d.year)
                && d.title.starts_with(&d.year.to_string())));
    }

    #[test]
    fn layout_follows_the_seed() {
        for doc in generate(30, 5) {
            assert!((5..=12).contains(&doc.goals.len()));
            let lines: Vec<&str> = doc.text.lines().collect();
            assert_eq!(lines[0], "");
            assert_eq!(lines[1], doc.title);
            assert!(lines[2].starts_with(&format!("单位名称：{}", doc.unit)));
            assert!(lines[2].contains(&format!("主要负责人：{}", doc.leader)));
            assert!(lines[2].contains(&format!("联系电话：{}", doc.phone)));
            assert_eq!(
                &lines[3..7],
                ["\t类别", "\t序号", "\t目标名称", "\t目标内容"]
            );
            assert_eq!(lines[8], "\t重点目标");
            assert_eq!(lines[9], "\t1");
            for goal in &doc.goals {
                let row = format!("\t{}\n\t{}\n\t{}\n", goal.number, goal.title, goal.content);
                assert!(doc.text.contains(&row), "{row}");
                if let Some(b) = &goal.benchmark {
                    assert_eq!(goal.category, "创优目标");
                    assert!(doc.text.contains(&format!("{row}标杆城市及标杆值：{b}\n")));
                }
                assert!(goal.content.ends_with('。'));
                assert!(!goal.content.contains('\n') && !goal.content.contains('\t'));
            }
            let titles: HashSet<&str> = doc.goals.iter().map(|g| g.title.as_str()).collect();
            assert_eq!(titles.len(), doc.goals.len());
        }
    }

    #[test]
    fn numbering_restarts_per_category() {
        let docs = generate(200, 3);
        let with_excellence = docs
            .iter()
            .find(|d| d.goals.iter().any(|g| g.category == "创优目标"))
            .expect("some documents have 创优目标");
        let first = with_excellence
            .goals
            .iter()
            .position(|g| g.category == "创优目标")
            .unwrap();
        assert_eq!(with_excellence.goals[first].number, "1");
        assert!(with_excellence.text.contains("\n\t创优目标\n\t1\n"));
        for (i, g) in with_excellence.goals[..first].iter().enumerate() {
            assert_eq!(g.number, (i + 1).to_string());
        }
    }

    #[test]
    fn vocabulary_shows_up() {
        let text: String = generate(100, 11).into_iter().map(|d| d.text).collect();
        for needle in ["《", "家以上", "%左右", "余场", "高新区", "实验室", "“"] {
            assert!(text.contains(needle), "{needle}");
        }
    }

    #[test]
    fn vocabulary_is_what_documents_say() {
        let text: String = generate(300, 4).into_iter().map(|d| d.text).collect();
        let vocabulary = vocabulary();
        assert!(vocabulary.len() > 150);
        let missing: Vec<&str> = vocabulary
            .iter()
            .copied()
            .filter(|w| !text.contains(w))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn writes_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_corpus(&dir.path().join("c"), 4, 2).unwrap();
        assert_eq!(paths.len(), 4);
        let docs = generate(4, 2);
        for (p, d) in paths.iter().zip(&docs) {
            assert_eq!(std::fs::read_to_string(p).unwrap(), d.text);
        }
    }
}
