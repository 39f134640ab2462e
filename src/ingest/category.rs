//! Category ordering: goals sort in the order their documents list the categories.

use crate::model::chinese_number;

/// Categories in the order documents list them: 重点目标 before 创优目标, outline
/// sections by their numeral (一、 二、 …); anything else after, by name.
pub fn category_order(category: &str) -> u32 {
    let c = category.trim();
    if c.starts_with("重点") {
        return 0;
    }
    if c.starts_with("创优") {
        return 1;
    }
    let head: String = c
        .trim_start_matches(['(', '（'])
        .chars()
        .take_while(|ch| "零一二三四五六七八九十百".contains(*ch) || ch.is_ascii_digit())
        .collect();
    match chinese_number(&head) {
        Some(n) => 10 + n,
        None => u32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_sort_in_document_order() {
        let mut cats = vec![
            "三、改革",
            "创优目标",
            "十一、其他",
            "一、创新",
            "重点目标",
            "二、人才",
        ];
        cats.sort_by_key(|c| category_order(c));
        assert_eq!(
            cats,
            [
                "重点目标",
                "创优目标",
                "一、创新",
                "二、人才",
                "三、改革",
                "十一、其他"
            ]
        );
        assert_eq!(chinese_number("二十三"), Some(23));
    }
}
