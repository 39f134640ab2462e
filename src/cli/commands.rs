//! One command line, run: open the data folder, call the facade, print.

use crate::error::Result;
use crate::index::SearchRequest;
use crate::knowledge_graph::NeighborsRequest;
use std::path::PathBuf;

use super::args::{AliasCommand, Cli, Command, SEEDS_DIR};
use super::ingest::{ingest_with_progress, print_summary};
use super::output::{emit, print_json, table};
use super::print::{print_aliases, print_search, print_show};
use super::print_graph::{
    print_co_dependence, print_duties, print_path, print_ranking, print_shape, print_subgraph,
    print_trace,
};
use super::print_impact::print_impact;
use super::remote::{self, Graph};
use super::serve::{default_command, open_to_serve, serve};
use crate::knowledge_graph::owner::Owner;

/// What `main` does with the result: the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let config = super::config::Config::load(cli.config.as_deref(), &cli.data)?;
    let seeds = config
        .seeds
        .clone()
        .unwrap_or_else(|| PathBuf::from(SEEDS_DIR));
    // Writes through a server that holds the data folder need its token, when it has one.
    let token = std::env::var("PLANGRAPH_TOKEN")
        .ok()
        .or_else(|| config.token.clone());
    match cli.command {
        None => default_command(&cli.data, &config),
        Some(Command::Ingest { paths, out }) => {
            let g = remote::open(&cli.data, token.clone())?;
            // A long ingest holds the folder: other commands are told what it does.
            let _owner = match &g {
                Graph::Local(_) => Some(Owner::this_process("ingest", None).publish(&cli.data)?),
                Graph::Remote(_) => None,
            };
            let paths = if paths.is_empty() { vec![seeds] } else { paths };
            let report = ingest_with_progress(&g, &paths)?;
            // What this ingest wrote is not replayed by the next process to open the folder.
            if let Graph::Local(kg) = g {
                if let Err(e) = kg.close_settled(&cli.data) {
                    tracing::warn!(error = %e, "could not settle the store after ingesting");
                }
            }
            if out.json {
                print_json(&report)?;
            }
            print_summary(&report);
            Ok(if report.failed > 0 { 1 } else { 0 })
        }
        Some(Command::Search {
            query,
            kinds,
            unit,
            year,
            limit,
            offset,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let results = kg.search(&SearchRequest {
                query,
                kinds,
                unit,
                year,
                limit,
                offset,
            })?;
            emit(out, &results, |v| {
                print_search(v);
                Ok(())
            })
        }
        Some(Command::Show { name_or_id, out }) => {
            let g = remote::open(&cli.data, token.clone())?;
            let (view, names) = g.show(&name_or_id)?;
            emit(out, &view, |v| print_show(v, &names))
        }
        Some(Command::Trace {
            name_or_id,
            limit,
            offset,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let trace = kg.trace(&name_or_id, offset, limit)?;
            emit(out, &trace, |v| {
                print_trace(v);
                Ok(())
            })
        }
        Some(Command::Duties {
            name_or_id,
            year,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let duties = kg.duties(&name_or_id, year)?;
            emit(out, &duties, |v| {
                print_duties(v);
                Ok(())
            })
        }
        Some(Command::Impact {
            name_or_id,
            limit,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let impact = kg.impact(&name_or_id, limit)?;
            emit(out, &impact, |v| {
                print_impact(v);
                Ok(())
            })
        }
        Some(Command::Diff {
            unit,
            from,
            to,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let diff = kg.diff(&unit, from, to)?;
            emit(out, &diff, |v| {
                super::print_diff::print_diff(v);
                Ok(())
            })
        }
        Some(Command::Targets {
            subject,
            unit,
            year,
            sort,
            limit,
            offset,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let req = crate::knowledge_graph::TargetsRequest {
                subject,
                unit,
                year,
                sort,
                limit,
                offset,
            };
            let list = kg.targets(&req)?;
            emit(out, &list, |v| {
                super::print_targets::print_targets(v);
                Ok(())
            })
        }
        Some(Command::Neighbors {
            name_or_id,
            depth,
            labels,
            kinds,
            limit,
            ids,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let request = NeighborsRequest {
                depth,
                labels,
                kinds,
                limit,
            };
            if ids {
                let shape = kg.neighbor_shape(&name_or_id, &request)?;
                return emit(out, &shape, |v| {
                    print_shape(v);
                    Ok(())
                });
            }
            let sub = kg.neighbors(&name_or_id, &request)?;
            emit(out, &sub, |v| {
                print_subgraph(v);
                Ok(())
            })
        }
        Some(Command::Path {
            from,
            to,
            labels,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let path = kg.path(&from, &to, &labels)?;
            emit(out, &path, |v| {
                print_path(v);
                Ok(())
            })
        }
        Some(Command::Rank {
            kind,
            limit,
            classes,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let ranking = kg.rank(kind, limit, classes)?;
            emit(out, &ranking, |v| {
                print_ranking(v);
                Ok(())
            })
        }
        Some(Command::CoDependent {
            goal,
            kinds,
            limit,
            out,
        }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let co = kg.co_dependent(&goal, &kinds, limit)?;
            emit(out, &co, |v| {
                print_co_dependence(v);
                Ok(())
            })
        }
        Some(Command::Alias { command }) => {
            let g = remote::open(&cli.data, token.clone())?;
            match command {
                AliasCommand::Add {
                    alias,
                    name_or_id,
                    out,
                } => {
                    let change = g.add_alias(&alias, &name_or_id)?;
                    emit(out, &change, |c| {
                        outln!("{}", c.message);
                        Ok(())
                    })
                }
                AliasCommand::List { out } => {
                    let list = g.list_aliases()?;
                    emit(out, &list, |l| {
                        print_aliases(l);
                        Ok(())
                    })
                }
                AliasCommand::Remove { alias, out } => {
                    let change = g.remove_alias(&alias)?;
                    emit(out, &change, |c| {
                        outln!("{}", c.message);
                        Ok(())
                    })
                }
            }
        }
        Some(Command::Serve(args)) => {
            let started = std::time::Instant::now();
            let kg = open_to_serve(&cli.data)?;
            serve(kg, &cli.data, &config.apply_serve(args), started)
        }
        Some(Command::Stats { out }) => {
            let kg = remote::open(&cli.data, token.clone())?;
            let stats = kg.stats()?;
            if out.json {
                print_json(&stats)?;
            } else {
                let mut t = table(&["", "count"]);
                t.add_row(vec!["documents".to_string(), stats.documents.to_string()]);
                for (k, n) in &stats.nodes_by_name() {
                    t.add_row(vec![format!("node: {k}"), n.to_string()]);
                }
                for (l, n) in &stats.edges_by_name() {
                    t.add_row(vec![format!("edge: {l}"), n.to_string()]);
                }
                outln!("{t}");
            }
            Ok(0)
        }
        Some(Command::Data(command)) => super::data::run(command, &cli.data, token),
    }
}
