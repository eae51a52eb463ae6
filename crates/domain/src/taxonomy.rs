//! The four-stage course taxonomy (研習課程分類): category (範疇) → subcategory → detail item.

/// One row of the reference table: a detail item with its parents, or a parent with no items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyRow {
    pub category_code: String,
    pub category_name: String,
    pub subcategory_code: Option<String>,
    pub subcategory_name: Option<String>,
    pub item_code: Option<String>,
    pub item_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub subcategories: Vec<Subcategory>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    pub code: String,
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub name: String,
}

/// Folds the flat rows of one stage into the tree, keeping the order in which codes first appear.
///
/// Rows without a subcategory stand for a category whose content is not subdivided (category 6);
/// rows without an item stand for a subcategory with no listed items (e.g. the 4-x policy topics).
pub fn build_tree(rows: impl IntoIterator<Item = TaxonomyRow>) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for row in rows {
        let index = match categories.iter().position(|c| c.code == row.category_code) {
            Some(index) => index,
            None => {
                categories.push(Category {
                    code: row.category_code,
                    name: row.category_name,
                    subcategories: Vec::new(),
                });
                categories.len() - 1
            }
        };
        let category = &mut categories[index];
        let Some(sub_code) = row.subcategory_code else {
            continue;
        };
        let index = match category
            .subcategories
            .iter()
            .position(|s| s.code == sub_code)
        {
            Some(index) => index,
            None => {
                category.subcategories.push(Subcategory {
                    code: sub_code,
                    name: row.subcategory_name.unwrap_or_default(),
                    items: Vec::new(),
                });
                category.subcategories.len() - 1
            }
        };
        let subcategory = &mut category.subcategories[index];
        if let Some(code) = row.item_code {
            subcategory.items.push(Item {
                code,
                name: row.item_name.unwrap_or_default(),
            });
        }
    }
    categories
}

/// Counts the detail items of a tree.
pub fn item_count(categories: &[Category]) -> usize {
    categories
        .iter()
        .flat_map(|c| &c.subcategories)
        .map(|s| s.items.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cat: &str, sub: Option<&str>, item: Option<&str>) -> TaxonomyRow {
        TaxonomyRow {
            category_code: cat.into(),
            category_name: format!("範疇{cat}"),
            subcategory_code: sub.map(Into::into),
            subcategory_name: sub.map(|s| format!("子類{s}")),
            item_code: item.map(Into::into),
            item_name: item.map(|i| format!("細項{i}")),
        }
    }

    #[test]
    fn items_are_grouped_under_their_subcategory_and_category_in_order() {
        let tree = build_tree([
            row("1", Some("1-1"), Some("1-1-1")),
            row("1", Some("1-1"), Some("1-1-2")),
            row("1", Some("1-2"), Some("1-2-1")),
            row("2", Some("2-1"), Some("2-1-1")),
        ]);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].subcategories.len(), 2);
        let codes: Vec<_> = tree[0].subcategories[0]
            .items
            .iter()
            .map(|i| &i.code[..])
            .collect();
        assert_eq!(codes, ["1-1-1", "1-1-2"]);
        assert_eq!(tree[1].subcategories[0].name, "子類2-1");
        assert_eq!(item_count(&tree), 4);
    }

    #[test]
    fn a_subcategory_without_items_is_kept_with_an_empty_list() {
        let tree = build_tree([row("4", Some("4-1"), None), row("4", Some("4-99"), None)]);
        assert_eq!(tree[0].subcategories.len(), 2);
        assert!(tree[0].subcategories.iter().all(|s| s.items.is_empty()));
        assert_eq!(item_count(&tree), 0);
    }

    #[test]
    fn a_category_without_subcategories_is_kept_with_an_empty_list() {
        let tree = build_tree([row("6", None, None)]);
        assert_eq!(tree.len(), 1);
        assert!(tree[0].subcategories.is_empty());
    }

    #[test]
    fn rows_out_of_order_still_join_their_first_seen_parent() {
        let tree = build_tree([
            row("1", Some("1-1"), Some("1-1-1")),
            row("2", Some("2-1"), Some("2-1-1")),
            row("1", Some("1-1"), Some("1-1-2")),
        ]);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].subcategories[0].items.len(), 2);
    }

    #[test]
    fn no_rows_give_an_empty_tree() {
        assert!(build_tree(Vec::new()).is_empty());
    }
}
