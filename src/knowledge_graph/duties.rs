//! `duties`: the goals an organisation is responsible for (责任单位, 牵头/配合, 由X负责),
//! grouped by year, each with its role, unit, document and evidence.

use crate::error::Result;
use crate::ingest::category_order;
use crate::model::{Edge, EdgeLabel, Goal, GoalSummary, Node};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::KnowledgeGraph;

/// `duties`: an organisation's goals by year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Duties {
    /// The organisation (or any node the goals name as responsible).
    pub organization: Node,
    /// How many goals it is responsible for (in `year`, when one was asked for).
    pub total: usize,
    /// Oldest year first.
    pub years: Vec<DutyYear>,
}

/// The goals of one year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DutyYear {
    /// `null` for goals of documents without a year.
    pub year: Option<u16>,
    /// Lead before support, then by unit, category and number.
    pub goals: Vec<DutyGoal>,
}

/// One goal the organisation is responsible for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DutyGoal {
    /// Id, title, unit, year, category, number.
    #[serde(flatten)]
    pub goal: GoalSummary,
    /// `lead` or `support`.
    pub role: String,
    /// Id of the document the goal is in.
    pub document: Option<String>,
    pub document_title: Option<String>,
    /// The sentence that names the organisation responsible.
    pub evidence: String,
    /// The `responsible` edge itself (goal → organisation), with its evidence.
    pub edge: Edge,
}

impl KnowledgeGraph {
    /// The goals `name` (an organisation: id, name or alias) is responsible for, by year
    /// (only `year`, when given). An unknown name is [`crate::Error::NotFound`] with the
    /// closest names.
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let d = kg.duties("市科技局", None)?;
    /// for y in &d.years {
    ///     for g in &y.goals { println!("{:?} {} {}", y.year, g.role, g.goal.name); }
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn duties(&self, name: &str, year: Option<u16>) -> Result<Duties> {
        let organization = self.resolve(name)?;
        let mut goals = Vec::new();
        for edge in self
            .store
            .edges_in(&organization.id, Some(EdgeLabel::Responsible))?
        {
            let Some(goal) = self
                .store
                .node(&edge.source)?
                .as_ref()
                .and_then(Goal::from_node)
            else {
                continue;
            };
            if year.is_some() && goal.year != year {
                continue;
            }
            let role = edge
                .props
                .get("role")
                .and_then(Value::as_str)
                .unwrap_or("lead")
                .to_string();
            goals.push(DutyGoal {
                goal: goal.summary(),
                role,
                document: goal.document.clone(),
                document_title: goal.document_title.clone(),
                evidence: edge.evidence_sentence().unwrap_or_default(),
                edge,
            });
        }
        let total = goals.len();
        goals.sort_by_cached_key(|g| {
            let p = &g.goal.place;
            (
                p.year.unwrap_or(u16::MAX),
                g.role != "lead",
                p.unit.clone(),
                category_order(&p.category),
                p.category.clone(),
                p.number.trim().parse::<u64>().unwrap_or(u64::MAX),
                p.number.clone(),
                g.goal.id.clone(),
            )
        });
        let mut years: Vec<DutyYear> = Vec::new();
        for g in goals {
            match years.last_mut() {
                Some(y) if y.year == g.goal.place.year => y.goals.push(g),
                _ => years.push(DutyYear {
                    year: g.goal.place.year,
                    goals: vec![g],
                }),
            }
        }
        Ok(Duties {
            organization,
            total,
            years,
        })
    }
}
