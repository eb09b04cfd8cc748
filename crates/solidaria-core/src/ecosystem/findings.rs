//! What a diagnostic found, as data: each reason of a block's score and why a block is a gap,
//! with their figures, so that a shell phrases them in its reader's language. The English text
//! of [`BlockScore::reasons`](super::BlockScore) and [`Diagnostic::gaps`](super::Diagnostic) is
//! written from these by [`BlockReason::english`] and [`GapReason::english`].

use crate::actor::BuildingBlock;

/// One reason of a block's score.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockReason {
    /// No actor of the territory serves the block (0 of 40 for coverage).
    NoServer,
    /// `servers` actors serve the block, `by_default` of them by the default role of their
    /// category; `points` of 40 for coverage.
    Coverage {
        /// Actors serving the block.
        servers: usize,
        /// Of them, those serving it by their category's default role.
        by_default: usize,
        /// Points of 40.
        points: f64,
    },
    /// The categories among the actors serving it (codes, in order); `points` of 20 for
    /// diversity.
    Diversity {
        /// Category codes.
        categories: Vec<String>,
        /// Points of 20.
        points: f64,
    },
    /// The territory records no SSE organization, so no link to one can be counted (0 of 40).
    NoSse,
    /// `linked` of the territory's `sse` SSE organizations are linked to an actor serving the
    /// block; `points` of 40 for connection.
    Connection {
        /// SSE organizations linked to a server of the block.
        linked: usize,
        /// SSE organizations of the territory.
        sse: usize,
        /// Points of 40.
        points: f64,
    },
}

impl BlockReason {
    /// The reason in English, naming the territory by `territory` and the block by its code.
    pub fn english(&self, territory: &str, block: BuildingBlock) -> String {
        match self {
            BlockReason::NoServer => format!("no actor of {territory} serves {block}"),
            BlockReason::Coverage { servers, by_default, points } => format!(
                "{servers} actor(s) serve {block}{} ({points:.0}/40 for coverage)",
                if *by_default > 0 {
                    format!(", {by_default} by the default role of their category")
                } else {
                    String::new()
                }
            ),
            BlockReason::Diversity { categories, points } => format!(
                "{} categor{} among them: {} ({points:.0}/20 for diversity)",
                categories.len(),
                if categories.len() == 1 { "y" } else { "ies" },
                categories.join(", ")
            ),
            BlockReason::NoSse => {
                format!("no SSE organization of {territory} is recorded, so no link to one can be counted (0/40)")
            }
            BlockReason::Connection { linked, sse, points } => {
                format!(
                    "{linked} of the {sse} SSE organizations are linked to one of them ({points:.0}/40 for connection)"
                )
            }
        }
    }
}

/// Why a block is a gap (it scores under 40, or no SSE organization is linked to it).
#[derive(Debug, Clone, PartialEq)]
pub enum GapReason {
    /// No actor of the territory serves the block.
    NoServer,
    /// The block scores `score` of 100 and the territory records no SSE organization.
    WeakNoSse {
        /// The block's score.
        score: u32,
    },
    /// No actor serving the block is linked to any SSE organization of the territory.
    Unlinked,
    /// The block scores `score` of 100: `servers` actors serve it, `linked` of the `sse` SSE
    /// organizations are linked to one of them.
    Weak {
        /// The block's score.
        score: u32,
        /// Actors serving the block.
        servers: usize,
        /// SSE organizations linked to one of them.
        linked: usize,
        /// SSE organizations of the territory.
        sse: usize,
    },
}

impl GapReason {
    /// The gap in English, naming the block in words and the territory by `territory`.
    pub fn english(&self, territory: &str, block: BuildingBlock) -> String {
        let name = super::block_words(block);
        match self {
            GapReason::NoServer => format!("{name}: no actor of {territory} serves this block"),
            GapReason::WeakNoSse { score } => {
                format!("{name}: weak coverage ({score}/100) and no SSE organization recorded in {territory}")
            }
            GapReason::Unlinked => {
                format!("{name}: no {} is linked to any SSE organization in {territory}", server_words(block))
            }
            GapReason::Weak { score, servers, linked, sse } => format!(
                "{name}: weak coverage ({score}/100): {servers} actor(s), {linked} of {sse} SSE organizations linked"
            ),
        }
    }
}

/// The actors serving a block, in words, for gaps.
fn server_words(b: BuildingBlock) -> &'static str {
    match b {
        BuildingBlock::CapacityBuilding => "capacity-building provider",
        BuildingBlock::Finance => "social-finance provider",
        BuildingBlock::MarketAccess => "market or procurement actor",
        BuildingBlock::Policy => "policy actor",
        BuildingBlock::KnowledgeTransfer => "knowledge institution",
        BuildingBlock::DataMeasurement => "data or measurement actor",
        BuildingBlock::AwarenessMobilisation => "awareness or mobilisation actor",
    }
}
