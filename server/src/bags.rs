//! What the service knows about a bag: a gate's report, the bag's state, and
//! the answers of boarding and reconciliation. Shared by the store, the
//! handlers and the gate-signing code.

use serde::Serialize;

/// Failed match attempts after which the token is deleted.
pub const MAX_FAILED_ATTEMPTS: u32 = 3;

/// A bag's state as reconciliation reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BagState {
    /// Not boarded, and its token's expiry has not passed.
    Waiting,
    /// Boarded after a match or a manual ID check.
    Boarded,
    /// Not boarded, and its token's expiry has passed.
    Expired,
}

/// A gate's report for a bag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boarding {
    /// `verify` matched.
    Matched,
    /// `verify` did not match.
    NotMatched,
    /// Staff checked the passenger's ID by hand.
    Manual,
}

/// The bag after a boarding report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardingOutcome {
    /// The bag.
    pub bag_tag: String,
    /// Its state now.
    pub state: BagState,
    /// Non-matches counted so far.
    pub failed_attempts: u32,
    /// Non-matches left before the token is deleted.
    pub attempts_left: u32,
    /// Whether the server still holds the token.
    pub token_stored: bool,
    /// True when only a manual ID check can board the bag now.
    pub manual_check_required: bool,
}

/// One bag in a reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BagStatus {
    /// The bag.
    pub bag_tag: String,
    /// Its state.
    pub state: BagState,
}

/// A flight's bags and the ones to offload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The flight.
    pub flight: String,
    /// Every bag of the flight, by bag tag.
    pub bags: Vec<BagStatus>,
    /// Every bag not boarded.
    pub offload: Vec<String>,
}

impl Reconciliation {
    /// The reconciliation of `flight` over its bags (in the order given):
    /// every bag not boarded is to be offloaded.
    ///
    /// ```
    /// use sealmatch_server::bags::{BagState, BagStatus, Reconciliation};
    /// let bag = |t: &str, state| BagStatus { bag_tag: t.into(), state };
    /// let r = Reconciliation::of(
    ///     "SK1415",
    ///     [bag("0117000001", BagState::Boarded), bag("0117000002", BagState::Expired)],
    /// );
    /// assert_eq!(r.offload, ["0117000002"]);
    /// assert_eq!(r.bags.len(), 2);
    /// ```
    pub fn of(flight: &str, bags: impl IntoIterator<Item = BagStatus>) -> Reconciliation {
        let bags: Vec<BagStatus> = bags.into_iter().collect();
        let offload = bags
            .iter()
            .filter(|b| b.state != BagState::Boarded)
            .map(|b| b.bag_tag.clone())
            .collect();
        Reconciliation {
            flight: flight.to_owned(),
            bags,
            offload,
        }
    }
}
