//! The background sweeper: deletes bag and check-in tokens at their expiry and purges old records.
//! Time comes from the state's clock; tests call [`crate::AppState::sweep_now`] instead.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::store::SweepReport;
use crate::AppState;

/// Runs [`AppState::sweep_now`] every `every` (at most a minute, per the config).
pub fn spawn(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match state.sweep_now().await {
                Ok(r) if r != SweepReport::default() => {
                    crate::log::info(&format!(
                        "sweep expired={} purged_bags={} purged_audit={} \
                         expired_checkins={} purged_checkins={}",
                        r.expired,
                        r.purged_bags,
                        r.purged_audit,
                        r.expired_checkins,
                        r.purged_checkins
                    ));
                }
                Ok(_) => {}
                Err(e) => crate::log::error(&format!("sweep failed: {e}")),
            }
        }
    })
}
