//! `impact`: what is at stake if an entity slips (see [`crate::graph::Impact`]).

use crate::error::Result;
use crate::graph::Impact;
use crate::limits;

use super::KnowledgeGraph;

impl KnowledgeGraph {
    /// If the entity `name_or_id` (a platform, lab, fund, organisation, policy document …)
    /// slips: the goals at stake across units and years — those that depend on, issue or
    /// mention it, those whose targets measure it, and the same for everything that is
    /// `part_of` it — ranked (a dependency with a governing verb first, a mere mention
    /// last; then by how many paths and targets join them to it), each with its evidence
    /// paths; the targets those goals set and the documents they issue. An alias resolves
    /// to its node first. `limit` keeps the first goals (default 50; `total` counts all).
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// let impact = kg.impact("中科院", None)?;
    /// for g in &impact.goals {
    ///     println!("{} {} {:?} {}", g.rank, g.goal.name, g.stake, g.paths[0].evidence);
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn impact(&self, name_or_id: &str, limit: Option<usize>) -> Result<Impact> {
        let limit = limits::IMPACT_LIMIT.check(limit)?;
        let entity = self.resolve(name_or_id)?;
        let aliases = self.aliases_of(&entity)?;
        self.with_graph(|v| v.impact(&self.store, entity, aliases, limit))
    }
}
